/**
 * The walks of caller data in src/internal/ (sizes, copies, equality, previews, kinds), in
 * process: every issue they can stop on, with its path, and the answers on shared and circular
 * values. (The out-of-memory and endless-loop cases run in a child: test/hardening/shared-references.test.ts.)
 */
import { describe, expect, test } from 'vitest';
import { describeEffect } from '../../src/index.js';
import { copyJson } from '../../src/internal/copies.js';
import { jsonEqual, pairMemo } from '../../src/internal/equality.js';
import { preview } from '../../src/internal/preview.js';
import { measure, measureJson, sizeAfter } from '../../src/internal/sizes.js';
import { nonJsonKind } from '../../src/internal/values.js';
import { FORBIDDEN_KEY_CHARACTERS } from '../../src/rules/metadata.js';

const LIMITS = { maxDepth: 10, maxBytes: 1000 };
/** Deep enough for the DAGs below: their size stops them, not their depth. */
const WIDE = { maxDepth: 100, maxBytes: 1000 };

/** `o = {a: o, b: o}`, `levels` times: 2^levels paths, `levels + 1` objects. */
function dag(levels: number): object {
  let node: object = {};
  for (let level = 0; level < levels; level++) node = { a: node, b: node };
  return node;
}

/** `[1, <hole>, 3]`. */
function holey(): unknown[] {
  const list: unknown[] = [];
  list[0] = 1;
  list[2] = 3;
  return list;
}

function cycle(): Record<string, unknown> {
  const node: Record<string, unknown> = { name: 'loop' };
  node.self = node;
  return node;
}

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let level = 0; level < depth; level++) value = [value];
  return value;
}

class Point {
  readonly x = 1;
}

describe('measure: the bytes of JSON.stringify, or the issue that stops the walk', () => {
  test.each<[string, unknown]>([
    ['a string with escapes and emoji', 'a"b\\c\n😀é'],
    ['numbers, booleans, null', [0, -1.5, 1e21, true, false, null]],
    ['nested objects and arrays', { a: [{ b: 'c' }, []], d: {}, '': 1 }],
  ])('%s', (_name, value) => {
    expect(measure(value, [], LIMITS)).toBe(new TextEncoder().encode(JSON.stringify(value)).length);
  });

  test.each<[string, unknown, unknown]>([
    ['a Map', { m: new Map() }, { code: 'not_json', path: ['m'], received: 'Map' }],
    ['a class instance', [new Point()], { code: 'not_json', path: [0], received: 'Point' }],
    ['a bigint', { n: 1n }, { code: 'not_json', path: ['n'], received: 'bigint' }],
    ['NaN', { n: Number.NaN }, { code: 'not_json', path: ['n'], received: 'NaN' }],
    ['an array hole', { list: holey() }, { code: 'not_json', path: ['list', 1], received: 'array hole' }],
    ['an undefined element', { list: [undefined] }, { code: 'not_json', path: ['list', 0], received: 'undefined' }],
    [
      'a getter',
      Object.defineProperty({}, 'g', { get: () => 1, enumerable: true }),
      { code: 'not_json', path: ['g'], received: 'accessor property' },
    ],
    ['a cycle', { c: cycle() }, { code: 'circular_reference', path: ['c', 'self'] }],
    [
      'nesting past maxDepth',
      { deep: nested(20) },
      { code: 'too_deep', path: ['deep', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], maximum: 10 },
    ],
    ['a root that is not JSON', new Set(), { code: 'not_json', path: ['base'], received: 'Set' }],
  ])('%s', (_name, value, walked) => {
    expect(measure(value, ['base'].slice(0, value instanceof Set ? 1 : 0), LIMITS)).toStrictEqual(walked);
  });

  test('a DAG stops where its running total passes the limit, naming the value measured', () => {
    expect(measure({ d: dag(30) }, ['user_metadata'], WIDE)).toMatchObject({
      code: 'too_large',
      path: ['user_metadata'],
      maximum: 1000,
    });
  });

  test('a Proxy whose traps throw is an issue at its path, never a throw', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('trap');
        },
      },
    );
    expect(measure({ p: hostile }, [], LIMITS)).toStrictEqual({
      code: 'not_json',
      path: ['p'],
      received: 'unreadable value (trap)',
    });
  });

  test('measureJson: the size, or undefined on any issue', () => {
    expect([measureJson({ a: 1 }, LIMITS), measureJson({ c: cycle() }, LIMITS)]).toStrictEqual([7, undefined]);
  });

  test('sizeAfter: the size once updates are applied, from the entries that change alone', () => {
    const source = { a: 1, b: 'two' };
    const updates = new Map<string, unknown>([
      ['a', null],
      ['c', [3]],
    ]);
    const bytes = sizeAfter(source, measureJson(source, LIMITS) ?? 0, updates, undefined, [], LIMITS);
    expect(bytes).toBe(JSON.stringify({ b: 'two', c: [3] }).length);
    const emptied = sizeAfter({ a: 1 }, 7, new Map([['a', null]]), undefined, [], LIMITS);
    expect(emptied).toBe(2);
    expect(sizeAfter({}, 2, new Map([['x', cycle()]]), undefined, ['m'], LIMITS)).toStrictEqual({
      code: 'circular_reference',
      path: ['m', 'x', 'self'],
    });
    expect(sizeAfter({ old: new Map() }, 2, new Map([['old', 1]]), undefined, ['m'], LIMITS)).toMatchObject({
      code: 'not_json',
      path: ['m', 'old'],
    });
  });
});

describe('copyJson', () => {
  const rules = { forbiddenKeyCharacters: FORBIDDEN_KEY_CHARACTERS, limits: LIMITS };

  test('a copy equal to the value, with its size and the first-level sizes', () => {
    const value = { a: [1, { b: 'c' }], d: 'e' };
    const outcome = copyJson(value, ['m'], rules);
    expect(outcome.value).toStrictEqual(value);
    expect(outcome.value).not.toBe(value);
    expect(outcome.bytes).toBe(JSON.stringify(value).length);
    expect([...outcome.firstLevel.keys()]).toStrictEqual(['a', 'd']);
  });

  test('a primitive is its own copy, with its JSON size', () => {
    const outcome = copyJson('héllo', ['m'], rules);
    expect([outcome.issue, outcome.value, outcome.bytes]).toStrictEqual([
      undefined,
      'héllo',
      Buffer.byteLength('"héllo"'),
    ]);
    expect(copyJson(12.5, [], rules).value).toBe(12.5);
  });

  test('an array whose length is not a number is copied as empty', () => {
    const odd = new Proxy([1, 2], { get: (target, key) => (key === 'length' ? 'two' : Reflect.get(target, key)) });
    const outcome = copyJson({ odd }, [], rules);
    expect([outcome.issue, outcome.value]).toStrictEqual([undefined, { odd: [] }]);
  });

  test('a shared object is copied once, and a DAG stops on the running total', () => {
    const shared = { x: 1 };
    const outcome = copyJson({ a: shared, b: shared }, [], rules);
    expect(outcome.value).toStrictEqual({ a: { x: 1 }, b: { x: 1 } });
    expect(
      copyJson({ d: dag(30) }, ['m'], { forbiddenKeyCharacters: FORBIDDEN_KEY_CHARACTERS, limits: WIDE }).issue,
    ).toMatchObject({
      code: 'too_large',
      path: ['m'],
    });
  });

  test.each<[string, unknown, string]>([
    ['a cycle', { c: cycle() }, 'circular_reference'],
    ['nesting past maxDepth', { deep: nested(20) }, 'too_deep'],
    ['a Map', { m: new Map() }, 'not_json'],
    ['an array claiming a length past the limit', { list: { length: 1e9 } }, 'none'],
  ])('%s', (_name, value, code) => {
    const walked = copyJson(value, [], rules).issue;
    expect(walked?.code ?? 'none').toBe(code);
  });

  test('an array whose length alone is past the limit is refused before an element is read', () => {
    const long = new Proxy([], { get: (target, key) => (key === 'length' ? 10_000 : Reflect.get(target, key)) });
    expect(copyJson({ list: long }, ['m'], rules).issue).toMatchObject({ code: 'too_large', path: ['m'] });
  });

  test('a dotted key is reported with its path', () => {
    expect(copyJson({ 'a.b': 1 }, ['m'], rules).forbidden).toMatchObject({ path: ['m', 'a.b'] });
  });
});

describe('jsonEqual and pairMemo', () => {
  test('equal DAGs, equal cycles on both sides, key order ignored', () => {
    expect(jsonEqual(dag(40), dag(40))).toBe(true);
    expect(jsonEqual(cycle(), cycle())).toBe(true);
    expect(jsonEqual({ a: 1, b: [2] }, { b: [2], a: 1 })).toBe(true);
  });

  test.each<[string, unknown, unknown]>([
    ['different values', { a: 1 }, { a: 2 }],
    ['an array and an object', [], {}],
    ['arrays of different lengths', [1], [1, 2]],
    ['a missing key', { a: 1, b: 2 }, { a: 1, c: 2 }],
    ['different key counts', { a: 1 }, { a: 1, b: 2 }],
    ['a cycle and a different cycle', cycle(), { name: 'other', self: {} }],
  ])('%s are not equal', (_name, left, right) => {
    expect(jsonEqual(left, right)).toBe(false);
  });

  test('pairMemo remembers each pair once, several partners per left object included', () => {
    const seen = pairMemo();
    const [left, one, two] = [{}, {}, {}];
    expect([seen(left, one), seen(left, one), seen(left, two), seen(left, two), seen(left, one)]).toStrictEqual([
      false,
      true,
      false,
      true,
      true,
    ]);
  });
});

describe('preview: short, safe renderings for messages', () => {
  test.each<[string, unknown, string]>([
    ['JSON as JSON', { a: [1, 'b', null, true] }, '{"a":[1,"b",null,true]}'],
    [
      'a bigint, a symbol, a function, undefined',
      [1n, Symbol('s'), () => 1, undefined],
      '[1n,symbol,[function],undefined]',
    ],
    ['a Map and a class instance', { m: new Map(), p: new Point() }, '{"m":[Map],"p":[Point]}'],
    ['a cycle', cycle(), '{"name":"loop","self":[Circular]}'],
    ['a getter, never called', Object.defineProperty({}, 'g', { get: () => 1, enumerable: true }), '{"g":[accessor]}'],
    ['an empty array and object', [[], {}], '[[],{}]'],
  ])('%s', (_name, value, text) => {
    expect(preview(value, 200)).toBe(text);
  });

  test('cut after maxLength characters, however the value is built', () => {
    const text = preview(dag(40), 100);
    expect([text.length, text.endsWith('…')]).toStrictEqual([101, true]);
  });

  test.each<[string, unknown, number, string]>([
    ['at a closing bracket', [1], 2, '[1…'],
    ['at a closing brace', { a: 1 }, 6, '{"a":1…'],
    ['at the next key', { a: 1, b: 2 }, 6, '{"a":1…'],
    ['at a getter', Object.defineProperty({}, 'g', { get: () => 1, enumerable: true }), 5, '{"g":…'],
  ])('the walk stops once the text is longer than maxLength: cut %s', (_name, value, maxLength, text) => {
    expect(preview(value, maxLength)).toBe(text);
  });

  test('nesting past 32 levels is shown as […]', () => {
    expect(preview(nested(40), 1000)).toBe(`${'['.repeat(32)}[…]${']'.repeat(32)}`);
  });

  test('a value whose traps throw is shown as [unreadable]', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('trap');
        },
      },
    );
    expect(preview({ p: hostile }, 100)).toBe('{"p":[unreadable]');
  });

  test('describeEffect shows a long value cut, with its sentence', () => {
    const text = describeEffect({ kind: 'add', path: ['user_metadata', 'notes'], value: 'x'.repeat(5000) });
    expect(text.startsWith('user_metadata.notes will be added: "xxx')).toBe(true);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe('nonJsonKind', () => {
  test.each<[unknown, string | undefined]>([
    ['s', undefined],
    [[], undefined],
    [{}, undefined],
    [Object.create(null), undefined],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [undefined, 'undefined'],
    [new Date(0), 'Date'],
    [Object.create(Object.create(null)), 'class instance'],
    [new (class {})(), 'class instance'],
  ])('%s', (value, kind) => {
    expect(nonJsonKind(value)).toBe(kind);
  });
});
