import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  applyPatch,
  createUser,
  type JsonObject,
  type JsonValue,
  MAX_PROFILE_BYTES,
  type Result,
  type StoredMetadata,
  type User,
  validatePatch,
} from '../src/index.js';
import {
  appMetadataKey,
  comparable,
  createStoredUser,
  defineOwn,
  emptyPatch,
  getOwn,
  HOSTILE_RUNS,
  type Hostile,
  hostileValue,
  isResult,
  type MetadataBody,
  metadataBody,
  metadataKey,
  patchedNow,
  revokedProxy,
  storedUser,
  throwing,
  userAndBody,
} from './arbitraries.js';
import { deepFreeze } from './helpers.js';
import { prop } from './prop.js';

type MetadataName = 'user_metadata' | 'app_metadata';
type MetadataChanges = Readonly<Record<string, JsonValue | null>>;
const METADATA: readonly MetadataName[] = ['user_metadata', 'app_metadata'];

function expectSameJson(actual: unknown, expected: unknown, message?: string): void {
  expect(comparable(actual), message).toStrictEqual(comparable(expected));
}

function unwrap<Value>(result: Result<Value>): Value {
  if (!result.success) throw new Error(`Expected a success, got ${JSON.stringify(result.issues)}`);
  return result.value;
}

function patched(user: User, body: MetadataBody): User {
  return unwrap(applyPatch(user, body, { now: patchedNow }));
}

/**
 * The reference merge (spec rules 1-4): copy the stored keys, delete each `null` key, set the
 * others; `{}` clears; an empty `app_metadata` is dropped. Deleting keys of metadata the user
 * never had leaves it absent, as deleting a missing key is a no-op (rule 2).
 */
function referenceMerge(
  name: MetadataName,
  stored: StoredMetadata<JsonObject> | undefined,
  changes: MetadataChanges | undefined,
): object | undefined {
  if (changes === undefined) return stored;
  if (Object.keys(changes).length === 0) return name === 'user_metadata' ? {} : undefined;
  const merged: object = { ...stored };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) Reflect.deleteProperty(merged, key);
    else defineOwn(merged, key, value);
  }
  const empty = Object.keys(merged).length === 0;
  if (empty && (name === 'app_metadata' || stored === undefined)) return undefined;
  return merged;
}

/** A patch deleting some (often all) keys of the stored metadata and some keys it lacks. */
function deletionsOf(stored: object | undefined, key: fc.Arbitrary<string>): fc.Arbitrary<MetadataChanges> {
  const keys = Object.keys(stored ?? {});
  const missing = key.filter((name) => stored === undefined || !Object.hasOwn(stored, name));
  return fc
    .tuple(fc.oneof(fc.constant(keys), fc.subarray(keys)), fc.array(missing, { maxLength: 2 }))
    .map(([present, absent]) => {
      const changes: Record<string, null> = {};
      for (const name of [...present, ...absent]) defineOwn(changes, name, null);
      return changes;
    })
    .filter((changes) => Object.keys(changes).length > 0);
}

/** A patch setting some stored keys to equal copies of their values, and deleting keys the metadata lacks. */
function noOpsOf(
  stored: StoredMetadata<JsonObject> | undefined,
  key: fc.Arbitrary<string>,
): fc.Arbitrary<MetadataChanges> {
  const keys = Object.keys(stored ?? {});
  const missing = key.filter((name) => stored === undefined || !Object.hasOwn(stored, name));
  return fc
    .tuple(fc.subarray(keys), fc.array(missing, { maxLength: 2 }))
    .map(([present, absent]) => {
      const changes: Record<string, JsonValue | null> = {};
      // A stored `null` cannot be sent back unchanged: in a patch it deletes.
      for (const name of present.filter((key) => getOwn(stored ?? {}, key) !== null))
        defineOwn(changes, name, structuredClone(getOwn(stored ?? {}, name)));
      for (const name of absent) defineOwn(changes, name, null);
      return changes;
    })
    .filter((changes) => Object.keys(changes).length > 0);
}

function bodyFor(
  user: User,
  changesOf: (
    stored: StoredMetadata<JsonObject> | undefined,
    key: fc.Arbitrary<string>,
  ) => fc.Arbitrary<MetadataChanges>,
): fc.Arbitrary<MetadataBody> {
  return fc
    .record(
      {
        user_metadata: changesOf(user.user_metadata, metadataKey),
        app_metadata: changesOf(user.app_metadata, appMetadataKey),
      },
      { requiredKeys: [], noNullPrototype: true },
    )
    .filter((body) => Object.keys(body).length > 0)
    .map(deepFreeze);
}

const userWithDeletions: fc.Arbitrary<[User, MetadataBody]> = storedUser.chain((user) =>
  fc.tuple(fc.constant(user), bodyFor(user, deletionsOf)),
);

const userWithNoOps: fc.Arbitrary<[User, MetadataBody]> = storedUser.chain((user) =>
  fc.tuple(fc.constant(user), bodyFor(user, noOpsOf)),
);

const clearingBody: fc.Arbitrary<MetadataBody> = fc
  .record({ user_metadata: emptyPatch, app_metadata: emptyPatch }, { requiredKeys: [], noNullPrototype: true })
  .filter((body) => Object.keys(body).length > 0);

/** Bodies a client could send to pollute prototypes, as `JSON.parse` delivers them. */
const POLLUTING_BODIES: readonly string[] = [
  '{"user_metadata":{"__proto__":{"polluted":"yes"}}}',
  '{"app_metadata":{"__proto__":{"polluted":"yes"},"a":1}}',
  '{"user_metadata":{"constructor":{"prototype":{"polluted":"yes"}}}}',
  '{"user_metadata":{"a":{"__proto__":{"polluted":"yes"}},"b":[{"__proto__":{"polluted":"yes"}}]}}',
  '{"user_metadata":{"__proto__":null,"toString":"x","valueOf":null}}',
  '{"app_metadata":{"prototype":{"__proto__":[]}}}',
];

const pollutingBody: fc.Arbitrary<unknown> = fc.oneof(
  metadataBody,
  fc.constantFrom(...POLLUTING_BODIES).map((text): unknown => deepFreeze(JSON.parse(text))),
);

const OBJECT_PROTOTYPE_KEYS: readonly (string | symbol)[] = Reflect.ownKeys(Object.prototype);

/** Every object in `value` has the prototype a JSON parser gives it. */
function hasStandardPrototypes(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  const expected = Array.isArray(value) ? Array.prototype : Object.prototype;
  return Object.getPrototypeOf(value) === expected && Object.values(value).every(hasStandardPrototypes);
}

/** Where a hostile value goes in a PATCH body. */
const BODY_POSITIONS: Readonly<Record<string, (value: unknown) => unknown>> = {
  'the body': (value) => value,
  user_metadata: (value) => ({ user_metadata: value }),
  app_metadata: (value) => ({ app_metadata: value }),
  'a user_metadata key': (value) => ({ user_metadata: { a: value } }),
  'a nested app_metadata key': (value) => ({ app_metadata: { a: { b: [value] } } }),
  'a root attribute': (value) => ({ email: value, given_name: value }),
  'a body key next to metadata': (value) => ({ user_metadata: { a: 1 }, blocked: value }),
};

/** Where a hostile value goes in a stored user. */
const USER_POSITIONS: Readonly<Record<string, (value: unknown, user: User) => unknown>> = {
  'the user': (value) => value,
  user_metadata: (value, user) => ({ ...user, user_metadata: value }),
  app_metadata: (value, user) => ({ ...user, app_metadata: value }),
  'a user_metadata key': (value, user) => ({ ...user, user_metadata: { ...user.user_metadata, a: value } }),
  'an app_metadata key': (value, user) => ({ ...user, app_metadata: { zz: value } }),
  identities: (value, user) => ({ ...user, identities: value }),
};

const bodyPosition = fc.constantFrom(...Object.keys(BODY_POSITIONS));
const userPosition = fc.constantFrom(...Object.keys(USER_POSITIONS));

function inBody(position: string, input: Hostile): unknown {
  return BODY_POSITIONS[position]?.(input.value);
}

function survives(call: () => unknown): boolean {
  return isResult(call());
}

describe('applyPatch', () => {
  prop(
    'first-level merge: each non-null key of the patch holds exactly the sent value, keys not in the patch are kept',
    [userAndBody],
    ([user, body]) => {
      const result = patched(user, body);
      for (const name of METADATA) {
        const changes = body[name];
        if (changes === undefined || Object.keys(changes).length === 0) continue;
        const before = user[name] ?? {};
        const after = result[name] ?? {};
        for (const [key, value] of Object.entries(changes)) {
          if (value === null) continue;
          expect(Object.hasOwn(after, key), `${name}.${key} is set`).toBe(true);
          expectSameJson(getOwn(after, key), value, `${name}.${key}`);
        }
        for (const key of Object.keys(before).filter((stored) => !Object.hasOwn(changes, stored))) {
          expect(Object.hasOwn(after, key), `${name}.${key} is kept`).toBe(true);
          expect(getOwn(after, key)).toBe(getOwn(before, key));
        }
      }
      return true;
    },
  );

  test('first-level merge keeps a stored null value when another key is deleted', () => {
    // Shrunk from the law above (seed 20260301): the stored `a: null` was dropped with `""`.
    const user = createStoredUser({ email: 'jane.doe@example.com', user_metadata: { '': {}, a: null } });
    expect(patched(user, { user_metadata: { '': null } }).user_metadata).toStrictEqual({ a: null });
  });

  prop(
    'null deletes: a first-level null removes the key; an emptied app_metadata disappears, an emptied user_metadata stays {}',
    [userWithDeletions],
    ([user, body]) => {
      const result = patched(user, body);
      for (const name of METADATA) {
        const changes = body[name];
        if (changes === undefined) continue;
        const before = user[name];
        const after = result[name];
        const kept = Object.keys(before ?? {}).filter((key) => !Object.hasOwn(changes, key));
        expect(Object.keys(after ?? {})).toStrictEqual(kept);
        if (kept.length > 0 || before === undefined) continue;
        if (name === 'app_metadata') expect(Object.hasOwn(result, 'app_metadata')).toBe(false);
        else expect(result.user_metadata).toStrictEqual({});
      }
      return true;
    },
  );

  prop('{} clears: user_metadata becomes {}, app_metadata disappears', [storedUser, clearingBody], (user, body) => {
    const result = patched(user, body);
    if (body.user_metadata !== undefined) expect(result.user_metadata).toStrictEqual({});
    else expect(result.user_metadata).toBe(user.user_metadata);
    if (body.app_metadata !== undefined) expect(Object.hasOwn(result, 'app_metadata')).toBe(false);
    else expect(result.app_metadata).toBe(user.app_metadata);
    return true;
  });

  prop(
    'idempotence: applying the same patch twice (same clock) equals applying it once',
    [userAndBody],
    ([user, body]) => {
      const once = patched(user, body);
      expectSameJson(patched(once, body), once);
      return true;
    },
  );

  prop(
    'inputs never mutated: a deep-frozen user and patch, and unfrozen copies of them, are unchanged',
    [userAndBody],
    ([user, body]) => {
      const before = JSON.stringify([user, body]);
      patched(user, body);
      expect(JSON.stringify([user, body])).toBe(before);
      const userCopy = structuredClone(user);
      const bodyCopy = structuredClone(body);
      patched(userCopy, bodyCopy);
      expectSameJson(userCopy, user);
      expectSameJson(bodyCopy, body);
      return true;
    },
  );

  prop(
    'untouched subtrees are shared: metadata and first-level values not named in the patch are the same objects',
    [userAndBody],
    ([user, body]) => {
      const result = patched(user, body);
      for (const name of METADATA) {
        const changes = body[name];
        if (changes === undefined) {
          expect(result[name]).toBe(user[name]);
          continue;
        }
        if (Object.keys(changes).length === 0) continue;
        const before = user[name] ?? {};
        const after = result[name] ?? {};
        for (const key of Object.keys(before).filter((stored) => !Object.hasOwn(changes, stored))) {
          expect(getOwn(after, key)).toBe(getOwn(before, key));
        }
      }
      for (const key of Object.keys(user).filter((root) => !Object.hasOwn(body, root) && root !== 'updated_at')) {
        expect(getOwn(result, key)).toBe(getOwn(user, key));
      }
      return true;
    },
  );

  prop(
    'no change ⇒ same reference: setting keys to equal values or deleting missing keys keeps the metadata object',
    [userWithNoOps],
    ([user, body]) => {
      const result = patched(user, body);
      for (const name of METADATA) {
        if (body[name] !== undefined) expect(result[name]).toBe(user[name]);
      }
      return true;
    },
  );

  prop(
    'sizes are exact: after two patches, a profile of 10,240 bytes has no warning and one of 10,241 warns with its byte count',
    [userAndBody, metadataBody, fc.constantFrom(0, 1)],
    ([user, first], second, over) => {
      const settled = patched(patched(user, first), second);
      const bytesOf = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));
      const base = bytesOf(unwrap(applyPatch(settled, { user_metadata: { pad: '' } }, { now: patchedNow })));
      const padding = MAX_PROFILE_BYTES + over - base;
      if (padding < 0) return true;
      const result = applyPatch(settled, { user_metadata: { pad: 'x'.repeat(padding) } }, { now: patchedNow });
      const value = unwrap(result);
      expect(bytesOf(value)).toBe(MAX_PROFILE_BYTES + over);
      const warnings = result.success ? result.warnings.map((warning) => [warning.code, warning.bytes]) : [];
      expect(warnings).toStrictEqual(over === 1 ? [['profile_too_large', MAX_PROFILE_BYTES + 1]] : []);
      return true;
    },
  );

  prop('results are JSON: a JSON round trip of the result equals the result', [userAndBody], ([user, body]) => {
    const result = patched(user, body);
    const roundTrip: unknown = JSON.parse(JSON.stringify(result));
    expectSameJson(roundTrip, result);
    return true;
  });

  prop(
    'oracle: the metadata equal a reference merge (copy, delete nulls, set the rest; {} clears; empty app_metadata dropped)',
    [userAndBody],
    ([user, body]) => {
      const result = patched(user, body);
      for (const name of METADATA) {
        const expected = referenceMerge(name, user[name], body[name]);
        expect(Object.hasOwn(result, name), `${name} is present`).toBe(expected !== undefined);
        expectSameJson(result[name], expected, name);
        expect(Object.keys(result[name] ?? {}), `${name} key order`).toStrictEqual(Object.keys(expected ?? {}));
      }
      return true;
    },
  );

  prop(
    'a checked patch (validatePatch) applies as its body does: same result, same warnings, for any user and body',
    [userAndBody],
    ([user, body]) => {
      const checked = validatePatch(body);
      if (!checked.success) return true;
      const fromBody = applyPatch(user, body, { now: patchedNow });
      const fromChecked = applyPatch(user, checked.value, { now: patchedNow });
      expect(comparable(fromChecked)).toStrictEqual(comparable(fromBody));
      return true;
    },
  );

  prop(
    'no prototype pollution: Object.prototype gains no keys, and every object in the result has a standard prototype',
    [storedUser, pollutingBody],
    (user, body) => {
      const checked = validatePatch(body);
      const result = applyPatch(user, body, { now: patchedNow });
      expect(Reflect.ownKeys(Object.prototype)).toStrictEqual(OBJECT_PROTOTYPE_KEYS);
      expect(hasStandardPrototypes(unwrap(checked))).toBe(true);
      expect(hasStandardPrototypes(unwrap(result))).toBe(true);
      return true;
    },
  );
});

describe('no input ever throws', () => {
  prop(
    'validatePatch returns a result for any body',
    [bodyPosition, hostileValue],
    (position, input) => survives(() => validatePatch(inBody(position, input))),
    { numRuns: HOSTILE_RUNS },
  );

  test('validatePatch returns an issue when a proxy body throws an object with no prototype', () => {
    // Shrunk from the law above: safely() turns the thrown value into a string, which throws again.
    const body = new Proxy({}, { getPrototypeOf: () => throwing(Object.create(null)) });
    expect(isResult(validatePatch(body))).toBe(true);
  });

  test('validatePatch returns an issue when a proxy body throws a revoked proxy', () => {
    const body = new Proxy({}, { getPrototypeOf: () => throwing(revokedProxy({})) });
    expect(isResult(validatePatch(body))).toBe(true);
  });

  prop(
    'applyPatch returns a result for any body',
    [storedUser, bodyPosition, hostileValue],
    (user, position, input) => survives(() => applyPatch(user, inBody(position, input), { now: patchedNow })),
    { numRuns: HOSTILE_RUNS },
  );

  prop(
    'applyPatch returns a result for any stored user',
    [storedUser, userPosition, hostileValue, metadataBody],
    (user, position, input, body) => {
      const hostileUser = USER_POSITIONS[position]?.(input.value, user);
      return survives(() => Reflect.apply(applyPatch, undefined, [hostileUser, body, { now: patchedNow }]));
    },
    { numRuns: HOSTILE_RUNS },
  );

  test('applyPatch returns an issue when the stored user is a proxy that throws a revoked proxy', () => {
    // Shrunk from the law above: `error instanceof Error` reads the prototype of the revoked proxy.
    const user = new Proxy({}, { getPrototypeOf: () => throwing(revokedProxy({})) });
    expect(isResult(Reflect.apply(applyPatch, undefined, [user, { blocked: false }]))).toBe(true);
  });

  prop(
    'createUser returns a result for any body',
    [bodyPosition, hostileValue],
    (position, input) => survives(() => createUser(inBody(position, input))),
    { numRuns: HOSTILE_RUNS },
  );

  prop(
    'createUser returns a result for any metadata in an otherwise valid body',
    [hostileValue],
    (input) =>
      survives(() =>
        createUser({
          connection: 'Username-Password-Authentication',
          email: 'jane.doe@example.com',
          password: 'Pw1!xxxx',
          user_metadata: { a: input.value },
          app_metadata: input.value,
        }),
      ),
    { numRuns: HOSTILE_RUNS },
  );
});
