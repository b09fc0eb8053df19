/**
 * The byte sizes behind rule 18 (16 MB of metadata) and the 10 KB profile warning: the library
 * never serialises to measure, so its count must equal `Buffer.byteLength(JSON.stringify(value))`.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { MEASURE_LIMITS } from '../../src/checks/profile.js';
import { measure, measureJson, stringBytes } from '../../src/internal/sizes.js';
import { prop } from '../prop.js';

const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

describe('stringBytes: the UTF-8 bytes of JSON.stringify(text)', () => {
  test('every UTF-16 code unit, alone and between ASCII letters', () => {
    const wrong: number[] = [];
    for (let unit = 0; unit <= 0xffff; unit++) {
      const character = String.fromCharCode(unit);
      for (const text of [character, `a${character}b`]) {
        if (stringBytes(text) !== jsonBytes(text)) wrong.push(unit);
      }
    }
    expect(wrong).toStrictEqual([]);
  });

  test('surrogate pairs count 4 bytes, lone surrogates 6 (an escape)', () => {
    for (const text of ['😀', 'a😀b', '\ud83d', '\ude00', '\ude00\ud83d', 'x\ud83d']) {
      expect(stringBytes(text), JSON.stringify(text)).toBe(jsonBytes(text));
    }
  });

  prop('any string', [fc.string({ unit: 'binary', maxLength: 64 })], (text) => {
    expect(stringBytes(text)).toBe(jsonBytes(text));
    return true;
  });

  prop('any JSON value', [fc.jsonValue({ maxDepth: 4 })], (value) => {
    expect(measureJson(value, MEASURE_LIMITS)).toBe(jsonBytes(value));
    return true;
  });

  test('a long plain-ASCII text, and the same with one character to escape at the end', () => {
    const text = 'x'.repeat(100_000);
    expect([stringBytes(text), stringBytes(`${text}\n`), stringBytes(`${text}é`)]).toStrictEqual([
      jsonBytes(text),
      jsonBytes(`${text}\n`),
      jsonBytes(`${text}é`),
    ]);
  });
});

describe('measureJson: numbers and texts on either side of each shortcut', () => {
  test('integers at every power of ten, negative, -0 and past the safe range, as JSON writes them', () => {
    const numbers = [
      0,
      -0,
      1,
      -1,
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
      2 ** 53,
      1e21,
      -1e21,
      0.5,
      -1.5e-7,
    ];
    for (let power = 1; power <= 1e16; power *= 10) numbers.push(power - 1, power, -power, -(power - 1));
    for (const value of numbers) expect(measureJson(value, MEASURE_LIMITS), String(value)).toBe(jsonBytes(value));
    expect(measureJson({ list: numbers }, MEASURE_LIMITS)).toBe(jsonBytes({ list: numbers }));
  });

  test('texts and keys of 31 to 34 characters, plain or ending in a character to escape', () => {
    for (let length = 31; length <= 34; length++) {
      const plain = 'k'.repeat(length);
      for (const text of [
        plain,
        `${plain.slice(1)}"`,
        `${plain.slice(1)}\\`,
        `${plain.slice(1)}é`,
        `${plain.slice(1)}\u007f`,
      ]) {
        expect(stringBytes(text), text).toBe(jsonBytes(text));
        expect(measureJson({ [text]: text }, MEASURE_LIMITS), text).toBe(jsonBytes({ [text]: text }));
      }
    }
  });
});

describe('measure: issues of values built outside JSON', () => {
  const limits = { maxBytes: 1_000_000, maxDepth: 10 };

  test('an array element read through a getter is an accessor property, at its index', () => {
    const list: unknown[] = [1, 2];
    Object.defineProperty(list, 1, { get: () => undefined });
    expect(measure({ list }, ['app_metadata'], limits)).toStrictEqual({
      code: 'not_json',
      path: ['app_metadata', 'list', 1],
      received: 'accessor property',
    });
  });

  test('an issue inside a record of a list (measured without a level of the stack) is reported at its path', () => {
    const withRecord = (record: object): unknown => ({ key0: { items: [{ n: 1 }, record] } });
    const getter = Object.defineProperty({ n: 2 }, 'bad', { enumerable: true, get: () => 'x' });
    class Record {
      readonly n = 3;
    }
    const cases: [object, readonly (string | number)[], string][] = [
      [getter, ['user_metadata', 'key0', 'items', 1, 'bad'], 'not_json'],
      [{ n: 4, when: new Date(0) }, ['user_metadata', 'key0', 'items', 1, 'when'], 'not_json'],
      [{ n: Number.NaN }, ['user_metadata', 'key0', 'items', 1, 'n'], 'not_json'],
      [new Record(), ['user_metadata', 'key0', 'items', 1], 'not_json'],
    ];
    for (const [record, path, code] of cases) {
      expect(measure(withRecord(record), ['user_metadata'], limits)).toMatchObject({ code, path });
    }
    const nested = { n: 5, inner: { deep: [1, 'two', null] } };
    expect(measure(withRecord(nested), [], limits)).toBe(jsonBytes(withRecord(nested)));
    expect(measure(withRecord(Object.create(null)), [], limits)).toBe(jsonBytes(withRecord({})));
  });

  test('a key listed and then gone is a deleted key', () => {
    let reads = 0;
    const vanishing = new Proxy<Record<string, unknown>>(
      { a: 1 },
      {
        getOwnPropertyDescriptor: (target, key) => {
          reads++;
          return reads > 1 ? undefined : Reflect.getOwnPropertyDescriptor(target, key);
        },
      },
    );
    expect(measure(vanishing, [], limits)).toStrictEqual({ code: 'not_json', path: ['a'], received: 'deleted key' });
  });

  test('an array whose length is not a number counts as empty', () => {
    const odd = new Proxy([1, 2, 3], { get: (target, key) => (key === 'length' ? 'three' : Reflect.get(target, key)) });
    expect(measure(odd, [], limits)).toBe(2);
  });

  test('a remembered size is checked against the limit of the next measure', () => {
    const big = { text: 'x'.repeat(300) };
    const bytes = jsonBytes(big);
    expect(measure(big, [], limits)).toBe(bytes);
    expect(measure(big, ['user_metadata'], { maxBytes: 100, maxDepth: 10 })).toStrictEqual({
      code: 'too_large',
      path: ['user_metadata'],
      bytes,
      maximum: 100,
    });
  });
});
