/**
 * `copyJson` copies a small ordinary value by a recursion of its own and leaves anything else to
 * the general walk (`walkCopy`): the two must give the same outcome for every value, hostile ones
 * included, under any limits.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type CopyOutcome, copyJson, isCopiedObject, walkCopy } from '../../src/internal/copies.js';
import { measureJson } from '../../src/internal/sizes.js';
import { FORBIDDEN_KEY_CHARACTERS } from '../../src/rules/metadata.js';
import { type Hostile, hostileValue, jsonValue, metadataKey } from '../arbitraries.js';
import { prop } from '../prop.js';

const RULES = { forbiddenKeyCharacters: FORBIDDEN_KEY_CHARACTERS, limits: { maxDepth: 10, maxBytes: 16_384 } };

/** Keys a body may hold, and a few holding a forbidden character. */
const anyKey = fc.oneof(metadataKey, fc.constantFrom('a.b', '$set', 'x$', '.'));

/** An object as a parsed body holds it (at most 24 keys: both sides of `SMALL_OBJECT`), forbidden keys among them. */
const body = fc.dictionary(anyKey, fc.oneof(jsonValue, fc.dictionary(anyKey, jsonValue, { maxKeys: 3 })), {
  maxKeys: 24,
  noNullPrototype: true,
});

/** Every container of a copy is frozen and has `Object.prototype` (or is an array). */
function deeplyFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (!Object.isFrozen(value)) return false;
  if (!Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.values(value).every(deeplyFrozen);
}

/** An outcome in a form `toStrictEqual` compares: key order kept, as JSON writes it. */
function comparableOutcome(outcome: CopyOutcome<string>): unknown {
  return {
    issue: outcome.issue,
    forbidden: outcome.forbidden,
    bytes: outcome.bytes,
    firstLevel: [...outcome.firstLevel],
    value: outcome.issue === undefined ? JSON.stringify(outcome.value) : undefined,
  };
}

function sameAsGeneralWalk(value: unknown, rules: typeof RULES): boolean {
  const copied = copyJson(value, ['user_metadata'], rules);
  const walked = walkCopy(value, ['user_metadata'], rules);
  expect(comparableOutcome(copied)).toStrictEqual(comparableOutcome(walked));
  if (copied.issue === undefined) {
    expect(deeplyFrozen(copied.value)).toBe(true);
    expect(copied.bytes).toBe(measureJson(copied.value, { maxDepth: 100, maxBytes: Number.MAX_SAFE_INTEGER }));
  }
  return true;
}

describe('copyJson: the small-value copy and the general walk', () => {
  prop('a parsed body is copied exactly as the general walk copies it', [body], (value) =>
    sameAsGeneralWalk(value, RULES),
  );

  prop(
    'under any depth and size limits, the outcome (issue, forbidden key, size, copy) is the general walk’s',
    [body, fc.integer({ min: 1, max: 6 }), fc.integer({ min: 2, max: 400 })],
    (value, maxDepth, maxBytes) =>
      sameAsGeneralWalk(value, { forbiddenKeyCharacters: FORBIDDEN_KEY_CHARACTERS, limits: { maxDepth, maxBytes } }),
  );

  prop(
    'a hostile value gets the general walk’s outcome',
    [hostileValue],
    (hostile: Hostile) => sameAsGeneralWalk(hostile.value, RULES),
    { numRuns: 400 },
  );

  test('an object met twice is copied once and shared, as the general walk does', () => {
    const shared = { x: 1 };
    const copied = copyJson({ a: shared, b: shared }, [], RULES);
    expect(copied.issue).toBeUndefined();
    const value = copied.value;
    if (!isCopiedObject(value)) throw new Error('not an object');
    expect(value.a).toBe(value.b);
  });

  test('a `__proto__` key stays data in a small copy', () => {
    const value: unknown = JSON.parse('{"__proto__":{"polluted":"yes"},"a":1}');
    const copied = copyJson(value, [], RULES);
    expect(JSON.stringify(copied.value)).toBe('{"__proto__":{"polluted":"yes"},"a":1}');
    expect(Object.getPrototypeOf(copied.value)).toBe(Object.prototype);
    expect([...copied.firstLevel]).toStrictEqual([
      ['__proto__', 18],
      ['a', 1],
    ]);
  });
});

/** Wraps every container of a JSON value in a Proxy that records each trap it answers, in order. */
function recorded(value: unknown, log: string[], name = '$'): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const target: unknown[] | Record<string, unknown> = Array.isArray(value) ? [] : {};
  for (const [key, child] of Object.entries(value)) {
    Reflect.set(target, key, recorded(child, log, `${name}.${key}`));
  }
  const note = (trap: string, key?: string | symbol): void => {
    log.push(key === undefined ? `${trap} ${name}` : `${trap} ${name} ${String(key)}`);
  };
  return new Proxy(target, {
    get: (inner, key) => {
      note('get', key);
      return Reflect.get(inner, key);
    },
    getOwnPropertyDescriptor: (inner, key) => {
      note('getOwnPropertyDescriptor', key);
      return Reflect.getOwnPropertyDescriptor(inner, key);
    },
    getPrototypeOf: (inner) => {
      note('getPrototypeOf');
      return Reflect.getPrototypeOf(inner);
    },
    ownKeys: (inner) => {
      note('ownKeys');
      return Reflect.ownKeys(inner);
    },
    has: (inner, key) => {
      note('has', key);
      return Reflect.has(inner, key);
    },
  });
}

describe('copyJson reads a value as the general walk does', () => {
  /**
   * The small copy may give up and leave the value to the general walk, which reads it again; but
   * what it read before giving up is what the general walk reads first, in the same order, so no
   * trap or getter is called that the general walk would not call.
   */
  function readsAsGeneralWalk(value: unknown, rules: typeof RULES): boolean {
    const copiedLog: string[] = [];
    const walkedLog: string[] = [];
    copyJson(recorded(value, copiedLog), ['user_metadata'], rules);
    walkCopy(recorded(value, walkedLog), ['user_metadata'], rules);
    const before = copiedLog.slice(0, copiedLog.length - walkedLog.length);
    const after = copiedLog.slice(copiedLog.length - walkedLog.length);
    const gaveUp = before.length > 0;
    expect(gaveUp ? after : copiedLog).toStrictEqual(walkedLog);
    expect(before).toStrictEqual(walkedLog.slice(0, before.length));
    return true;
  }

  prop(
    'under any limits, the small copy calls traps only as a prefix of the general walk’s, in its order',
    [body, fc.integer({ min: 1, max: 6 }), fc.integer({ min: 2, max: 400 })],
    (value, maxDepth, maxBytes) =>
      readsAsGeneralWalk(value, { forbiddenKeyCharacters: FORBIDDEN_KEY_CHARACTERS, limits: { maxDepth, maxBytes } }),
  );

  test('past the size limit, the small copy reads no further than the general walk', () => {
    const log: string[] = [];
    const late = recorded({ never: 'read' }, log);
    const outcome = copyJson({ first: 'x'.repeat(100), late }, [], {
      ...RULES,
      limits: { maxDepth: 10, maxBytes: 50 },
    });
    expect(outcome.issue?.code).toBe('too_large');
    expect(log).toStrictEqual([]);
  });

  test('a Proxy whose prototype depends on whether its keys were listed is refused, as the general walk refuses it', () => {
    const lying = (): object => {
      let listed = false;
      return new Proxy(
        {},
        {
          ownKeys: (target) => {
            listed = true;
            return Reflect.ownKeys(target);
          },
          getPrototypeOf: () => (listed ? Object.prototype : Map.prototype),
        },
      );
    };
    const walked = walkCopy({ a: lying() }, [], RULES);
    expect(walked.issue).toStrictEqual({ code: 'not_json', path: ['a'], received: 'Map' });
    expect(comparableOutcome(copyJson({ a: lying() }, [], RULES))).toStrictEqual(comparableOutcome(walked));
  });
});
