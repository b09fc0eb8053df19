import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { applyPatch, diffToPatch, type JsonObject, type JsonValue, type Result, type User } from '../src/index.js';
import {
  comparable,
  defineOwn,
  getOwn,
  type MetadataBody,
  patchedNow,
  storedUser,
  userAndBody,
} from './arbitraries.js';
import { deepFreeze, JANE_ID, minimalUser, successValue } from './helpers.js';
import { prop } from './prop.js';

type MetadataName = 'user_metadata' | 'app_metadata';
const METADATA: readonly MetadataName[] = ['user_metadata', 'app_metadata'];

/** Root attributes a PATCH can change, each with a few valid values (`null` unsets a nullable one). */
interface RootChanges {
  readonly email?: string;
  readonly email_verified?: boolean;
  readonly phone_number?: string | null;
  readonly phone_verified?: boolean;
  readonly given_name?: string | null;
  readonly family_name?: string | null;
  readonly name?: string | null;
  readonly nickname?: string | null;
  readonly picture?: string | null;
  readonly username?: string | null;
  readonly blocked?: boolean;
}

const nullable = (...values: readonly string[]): fc.Arbitrary<string | null> =>
  fc.option(fc.constantFrom(...values), { nil: null, freq: 3 });

/** Changes to root attributes; an upper-case email is sent on purpose (it is stored lower-cased). */
const rootChanges: fc.Arbitrary<RootChanges> = fc.record(
  {
    email: fc.constantFrom('jane.doe@example.com', 'x@y.z', 'New.Address@Example.NET'),
    email_verified: fc.boolean(),
    phone_number: nullable('+33612345678', '+1555'),
    phone_verified: fc.boolean(),
    given_name: nullable('Jane', 'Ann'),
    family_name: nullable('Doe'),
    name: nullable('Jane Doe', 'x@y.z'),
    nickname: nullable('jd', 'x'),
    picture: nullable('https://example.com/a.png'),
    username: nullable('jane', 'ann_1'),
    blocked: fc.boolean(),
  },
  { requiredKeys: [], noNullPrototype: true },
);

/** A reachable pair: a stored user, a valid PATCH body, and the user that body gives. */
interface ReachablePair {
  readonly before: User;
  readonly body: object;
  readonly after: User;
}

/**
 * Builds `after` by applying a random body to `before`, so that `after` is reachable by
 * construction. Bodies Auth0 rejects (such as `username` with `email`) are filtered out.
 */
const reachablePair: fc.Arbitrary<ReachablePair> = fc
  .tuple(userAndBody, fc.option(rootChanges, { freq: 2 }))
  .map(([[before, metadataBody], root]): { before: User; body: object; result: Result<User> } => {
    const body: MetadataBody & RootChanges = { ...root, ...metadataBody };
    return { before, body: deepFreeze(body), result: applyPatch(before, body, { now: patchedNow }) };
  })
  .filter((draw) => draw.result.success)
  .map(({ before, body, result }) => ({ before, body, after: deepFreeze(successValue(result)) }));

/** A copy of a user without `updated_at`, the one attribute every write changes. */
function stripped(user: object): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(user)) if (key !== 'updated_at') defineOwn(copy, key, getOwn(user, key));
  return copy;
}

/** Whether two users are equal up to `updated_at` (key order aside). */
function sameUser(left: object, right: object): boolean {
  return isDeepStrictEqual(stripped(left), stripped(right));
}

function expectSameUser(actual: object, expected: object): void {
  expect(comparable(stripped(actual))).toStrictEqual(comparable(stripped(expected)));
}

function length(body: unknown): number {
  return JSON.stringify(body).length;
}

function objectOrEmpty(value: unknown): object {
  return typeof value === 'object' && value !== null ? value : {};
}

describe('diffToPatch laws', () => {
  prop('round trip: applying the diff to before gives after, up to updated_at', [reachablePair], (pair) => {
    const diff = successValue(diffToPatch(pair.before, pair.after));
    const applied = diff === null ? pair.before : successValue(applyPatch(pair.before, diff, { now: patchedNow }));
    expectSameUser(applied, pair.after);
    return true;
  });

  prop('null exactly when nothing but updated_at differs', [reachablePair], (pair) => {
    const diff = successValue(diffToPatch(pair.before, pair.after));
    expect(diff === null).toBe(sameUser(pair.before, pair.after));
    return true;
  });

  prop('diffToPatch(x, x) is null', [storedUser], (user) => {
    expect(diffToPatch(user, user)).toStrictEqual({ success: true, value: null, warnings: [] });
    return true;
  });

  prop('diffToPatch(x, x) is null for users that went through a PATCH', [reachablePair], ({ after }) => {
    expect(successValue(diffToPatch(after, after))).toBeNull();
    return true;
  });

  prop('a user reached by the diff needs no further diff', [reachablePair], (pair) => {
    const diff = successValue(diffToPatch(pair.before, pair.after));
    if (diff === null) return true;
    const applied = successValue(applyPatch(pair.before, diff, { now: patchedNow }));
    expect(successValue(diffToPatch(applied, pair.after))).toBeNull();
    return true;
  });

  prop('never resends an unchanged first-level key or root attribute', [reachablePair], (pair) => {
    const diff = successValue(diffToPatch(pair.before, pair.after));
    for (const key of Object.keys(diff ?? {})) {
      const sent = getOwn(objectOrEmpty(diff), key);
      const before = getOwn(pair.before, key);
      const after = getOwn(pair.after, key);
      if (key === 'user_metadata' || key === 'app_metadata') {
        const sentKeys = Object.keys(objectOrEmpty(sent));
        if (sentKeys.length === 0) {
          expect(before === undefined || Object.keys(objectOrEmpty(before)).length > 0, `${key}: {}`).toBe(true);
        }
        for (const name of sentKeys) {
          const old = getOwn(objectOrEmpty(before), name);
          const next = getOwn(objectOrEmpty(after), name);
          expect(isDeepStrictEqual(old, next), `${key}.${name} resent unchanged`).toBe(false);
        }
      } else {
        expect(isDeepStrictEqual(before, after), `${key} resent unchanged`).toBe(false);
      }
    }
    return true;
  });

  prop('null deletes: a null is sent only for a key before has and after lacks', [reachablePair], (pair) => {
    const diff = objectOrEmpty(successValue(diffToPatch(pair.before, pair.after)));
    for (const key of METADATA) {
      const changes = objectOrEmpty(getOwn(diff, key));
      const before = objectOrEmpty(getOwn(pair.before, key));
      const after = objectOrEmpty(getOwn(pair.after, key));
      for (const name of Object.keys(changes)) {
        if (getOwn(changes, name) !== null) continue;
        expect(Object.hasOwn(before, name) && !Object.hasOwn(after, name), `${key}.${name}`).toBe(true);
      }
    }
    return true;
  });

  prop('{} is sent only when the target metadata is empty or absent', [reachablePair], (pair) => {
    const diff = objectOrEmpty(successValue(diffToPatch(pair.before, pair.after)));
    for (const key of METADATA) {
      const changes = getOwn(diff, key);
      if (changes === undefined || Object.keys(objectOrEmpty(changes)).length > 0) continue;
      expect(Object.keys(objectOrEmpty(getOwn(pair.after, key))), key).toStrictEqual([]);
    }
    return true;
  });

  prop('asymmetric empties: user_metadata {} is kept, an empty app_metadata is absent', [reachablePair], (pair) => {
    const diff = successValue(diffToPatch(pair.before, pair.after));
    if (diff === null) return true;
    const applied = successValue(applyPatch(pair.before, diff, { now: patchedNow }));
    expect(Object.hasOwn(applied, 'user_metadata')).toBe(Object.hasOwn(pair.after, 'user_metadata'));
    const app = getOwn(applied, 'app_metadata');
    expect(app === undefined || Object.keys(objectOrEmpty(app)).length > 0).toBe(true);
    return true;
  });

  prop('the diff is no longer than the random body that reached the same user', [reachablePair], (pair) => {
    const diff = successValue(diffToPatch(pair.before, pair.after));
    expect(length(diff ?? {})).toBeLessThanOrEqual(length(pair.body));
    return true;
  });
});

/** Small metadata for the brute-force reference: three names (one tricky), tiny values. */
const SMALL_KEYS = ['a', 'bc', '__proto__'] as const;
const tinyValue: fc.Arbitrary<JsonValue> = fc.constantFrom<JsonValue>(1, 'x', true, {}, { a: 1 }, { a: null }, [], [1]);
const smallMetadata: fc.Arbitrary<JsonObject> = fc
  .subarray([...SMALL_KEYS])
  .chain((keys) => fc.tuple(...keys.map((key) => tinyValue.map((value) => [key, value] as const))))
  .map((entries) => {
    const out: JsonObject = {};
    for (const [key, value] of entries) defineOwn(out, key, value);
    return out;
  });

const SMALL_BASE = minimalUser({ user_id: JANE_ID, email: 'jane.doe@example.com' });

function smallUser(userMetadata: JsonObject | null, appMetadata: JsonObject | null): User {
  return deepFreeze({
    ...SMALL_BASE,
    ...(userMetadata === null ? {} : { user_metadata: userMetadata }),
    ...(appMetadata === null ? {} : { app_metadata: appMetadata }),
  });
}

/**
 * A stored user (empty app_metadata absent, as Auth0 stores it) and any target, reachable or not:
 * the target may remove user_metadata or hold an empty app_metadata, which no PATCH gives.
 */
const smallPair: fc.Arbitrary<{ readonly before: User; readonly after: User }> = fc
  .tuple(
    fc.option(smallMetadata, { nil: null }),
    fc.option(smallMetadata, { nil: null }),
    fc.option(smallMetadata, { nil: null }),
    fc.option(smallMetadata, { nil: null }),
  )
  .map(([userBefore, appBefore, userAfter, appAfter]) => ({
    before: smallUser(userBefore, appBefore !== null && Object.keys(appBefore).length === 0 ? null : appBefore),
    after: smallUser(userAfter, appAfter),
  }));

/** Every object with some of `names`, each set to a value from `choices(name)`. */
function assignments(names: readonly string[], choices: (name: string) => readonly JsonValue[]): JsonObject[] {
  let partial: JsonObject[] = [{}];
  for (const name of names) {
    const next: JsonObject[] = [];
    for (const object of partial) {
      next.push(object);
      for (const value of choices(name)) {
        const extended: JsonObject = { ...object };
        defineOwn(extended, name, value);
        next.push(extended);
      }
    }
    partial = next;
  }
  return partial;
}

/**
 * The candidate values of one metadata attribute in a PATCH: left out, `{}`, or any subset of the
 * names of before and after, each set to after's value or to `null`.
 */
function metadataCandidates(before: unknown, after: unknown): (JsonObject | undefined)[] {
  const target = objectOrEmpty(after);
  const names = [...new Set([...Object.keys(objectOrEmpty(before)), ...Object.keys(target)])];
  const choices = (name: string): JsonValue[] => {
    const value = getOwn(target, name);
    return Object.hasOwn(target, name) && isJsonValue(value) ? [value, null] : [null];
  };
  return [undefined, ...assignments(names, choices)];
}

function isJsonValue(value: unknown): value is JsonValue {
  return value !== undefined;
}

/** Every candidate PATCH body built from the two metadata attributes that gives `after`. */
function reachingBodies(before: User, after: User): JsonObject[] {
  const bodies: JsonObject[] = [];
  for (const userPart of metadataCandidates(getOwn(before, 'user_metadata'), getOwn(after, 'user_metadata'))) {
    for (const appPart of metadataCandidates(getOwn(before, 'app_metadata'), getOwn(after, 'app_metadata'))) {
      const body: JsonObject = {};
      if (userPart !== undefined) body.user_metadata = userPart;
      if (appPart !== undefined) body.app_metadata = appPart;
      const applied = applyPatch(before, body, { now: patchedNow });
      if (applied.success && sameUser(applied.value, after)) bodies.push(body);
    }
  }
  return bodies;
}

describe('diffToPatch minimality (brute force on small users)', () => {
  prop(
    'succeeds exactly when some PATCH reaches after, and is no longer than the shortest one',
    [smallPair],
    ({ before, after }) => {
      const result = diffToPatch(before, after);
      if (sameUser(before, after)) {
        expect(result).toStrictEqual({ success: true, value: null, warnings: [] });
        return true;
      }
      const bodies = reachingBodies(before, after);
      if (bodies.length === 0) {
        expect(result.success, 'no PATCH reaches after, so diffToPatch must fail').toBe(false);
        return true;
      }
      const diff = successValue(result);
      expect(diff).not.toBeNull();
      const shortest = Math.min(...bodies.map(length));
      expect(length(diff), `diff ${JSON.stringify(diff)}`).toBeLessThanOrEqual(shortest);
      return true;
    },
    { numRuns: 300 },
  );
});
