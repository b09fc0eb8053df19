import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { validateSignupMetadata } from '../src/index.js';
import {
  comparable,
  HOSTILE_RUNS,
  type Hostile,
  hostileValue,
  isResult,
  TRICKY_KEYS,
  throwing,
} from './arbitraries.js';
import { prop } from './prop.js';

/** The signup limits (spec rules 20-21), restated: inclusive, counted in code points. */
const MOST_PROPERTIES = 10;
const LONGEST_NAME = 100;
const LONGEST_VALUE = 500;

function codePoints(text: string): number {
  return [...text].length;
}

/** The reference predicate: a plain object, ≤ 10 keys, names ≤ 100 code points without `.`/`$`, values strings ≤ 500. */
function isWithinLimits(metadata: unknown): boolean {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return false;
  const prototype: unknown = Object.getPrototypeOf(metadata);
  if (prototype !== Object.prototype && prototype !== null) return false;
  const entries = Object.entries(metadata);
  return (
    entries.length <= MOST_PROPERTIES &&
    entries.every(
      ([name, value]) =>
        codePoints(name) <= LONGEST_NAME &&
        !name.includes('.') &&
        !name.includes('$') &&
        typeof value === 'string' &&
        codePoints(value) <= LONGEST_VALUE,
    )
  );
}

/** One code point: mostly BMP, some astral (two UTF-16 units each), so code points ≠ `length`. */
const codePoint = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('a', 'Z', '0', ' ', 'é', '中') },
  { weight: 1, arbitrary: fc.constantFrom('😀', '𝄞', '𠀀') },
);

/**
 * A string of exactly `length` code points (a short pattern repeated, cheap at 500), with one `.`
 * or `$` in it about once in `1 + cleanWeight` draws.
 */
function textOf(length: fc.Arbitrary<number>, cleanWeight: number): fc.Arbitrary<string> {
  return fc
    .record({
      length,
      pattern: fc.array(codePoint, { minLength: 1, maxLength: 6 }),
      forbidden: fc.oneof(
        { weight: cleanWeight, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.tuple(fc.constantFrom('.', '$'), fc.nat()) },
      ),
    })
    .map(({ length: size, pattern, forbidden }) => {
      const points: string[] = Array.from({ length: size }, (_, index) => pattern[index % pattern.length] ?? 'a');
      if (forbidden !== undefined && size > 0) points[forbidden[1] % size] = forbidden[0];
      return points.join('');
    });
}

/**
 * Each entry breaks a limit only now and then (a few percent per kind), so that objects of 9-11
 * entries are often valid and a rejection usually has a single cause.
 */
const name = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...TRICKY_KEYS) },
  { weight: 16, arbitrary: textOf(fc.integer({ min: 0, max: 6 }), 40) },
  { weight: 16, arbitrary: textOf(fc.integer({ min: 99, max: 100 }), 40) },
  { weight: 1, arbitrary: textOf(fc.constant(101), 40) },
);

const value = fc.oneof(
  { weight: 12, arbitrary: textOf(fc.integer({ min: 0, max: 6 }), 4) },
  { weight: 20, arbitrary: textOf(fc.integer({ min: 499, max: 500 }), 4) },
  { weight: 1, arbitrary: textOf(fc.constant(501), 4) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 1 })) },
);

const entries = fc.oneof(
  fc.uniqueArray(fc.tuple(name, value), { selector: ([key]) => key, maxLength: 3 }),
  fc.uniqueArray(fc.tuple(name, value), { selector: ([key]) => key, minLength: 9, maxLength: 11 }),
);

function withoutPrototype(pairs: readonly (readonly [string, unknown])[]): object {
  const metadata: object = Object.create(null);
  for (const [key, entry] of pairs) {
    Object.defineProperty(metadata, key, { value: entry, enumerable: true, writable: true, configurable: true });
  }
  return metadata;
}

/** Signup metadata near every limit: 9-11 keys, 99-101 code-point names, 499-501 code-point values. */
const signupMetadata: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 12, arbitrary: entries.map((pairs): unknown => Object.fromEntries(pairs)) },
  { weight: 1, arbitrary: entries.map((pairs): unknown => withoutPrototype(pairs)) },
  { weight: 1, arbitrary: entries.map((pairs): unknown => pairs.map(([, entry]) => entry)) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, 'a=b', 42, [], new Map([['a', 'b']])) },
);

/** Where a hostile value goes in signup metadata. */
const POSITIONS: Readonly<Record<string, (value: unknown) => unknown>> = {
  'the metadata': (input) => input,
  'a value': (input) => ({ a: input }),
  'the last of eleven values': (input) => ({
    ...Object.fromEntries('abcdefghij'.split('').map((key) => [key, key])),
    k: input,
  }),
};

function callWith(position: string, input: Hostile): unknown {
  return validateSignupMetadata(POSITIONS[position]?.(input.value));
}

describe('validateSignupMetadata', () => {
  prop(
    'validate succeeds ⇔ within the limits: accepts exactly the plain objects of ≤ 10 string values within the length limits',
    [signupMetadata],
    (metadata) => {
      expect(validateSignupMetadata(metadata).success).toBe(isWithinLimits(metadata));
      return true;
    },
  );

  prop('an accepted object comes back equal to the input', [signupMetadata], (metadata) => {
    const result = validateSignupMetadata(metadata);
    if (!result.success || typeof metadata !== 'object' || metadata === null) return true;
    // The copy is a plain object even when the input has no prototype.
    expect(comparable(result.value)).toStrictEqual(comparable({ ...metadata }));
    return true;
  });
});

describe('no input ever throws', () => {
  prop(
    'validateSignupMetadata returns a result for any metadata',
    [fc.constantFrom(...Object.keys(POSITIONS)), hostileValue],
    (position, input) => isResult(callWith(position, input)),
    { numRuns: HOSTILE_RUNS },
  );

  test('validateSignupMetadata returns an issue when a proxy throws an error whose message getter throws', () => {
    // Shrunk from the law above: safely() reads `error.message`, which throws again.
    const error = Object.defineProperty(new Error(), 'message', { get: () => throwing(new Error('message')) });
    const metadata = new Proxy({}, { getPrototypeOf: () => throwing(error) });
    expect(isResult(validateSignupMetadata(metadata))).toBe(true);
  });
});
