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
