import fc from 'fast-check';
import { createUser, type JsonObject, type JsonValue, type User } from '../src/index.js';
import { deepFreeze } from './helpers.js';

/** The clock of every stored user. */
export const CREATED_AT = '2026-01-01T00:00:00.000Z';
/** The clock of every PATCH, so applying a patch twice is comparable. */
export const PATCHED_AT = '2026-03-01T12:00:00.000Z';
export const createdNow = (): Date => new Date(CREATED_AT);
export const patchedNow = (): Date => new Date(PATCHED_AT);

/** Names that break code which reads with `in`/`obj[key]` or writes with `obj[key] = value`. */
export const TRICKY_KEYS: readonly string[] = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  '__defineGetter__',
];

/** A few ordinary names, so that patches often hit keys the user already has. */
const COMMON_KEYS: readonly string[] = ['a', 'b', 'theme', 'lang', ''];

/** First-level `app_metadata` names Auth0 reserves (spec rule 17), copied from the spec. */
export const RESERVED_APP_METADATA_NAMES: ReadonlySet<string> = new Set([
  '__tenant',
  '_id',
  'blocked',
  'clientID',
  'created_at',
  'email_verified',
  'email',
  'globalClientID',
  'global_client_id',
  'identities',
  'lastIP',
  'lastLogin',
  'loginsCount',
  'metadata',
  'multifactor_last_modified',
  'multifactor',
  'updated_at',
  'user_id',
]);

/** Auth0 rejects `.` and `$` in metadata names at any depth (spec rule 16). */
function withoutForbiddenCharacters(key: string): string {
  return key.replaceAll(/[.$]/g, '_');
}

/** Writes a key as data, so that `__proto__` stays an own property. */
export function defineOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Reads an own data property only: `getOwn({}, 'toString')` is `undefined`. */
export function getOwn(source: object, key: string): unknown {
  return Object.getOwnPropertyDescriptor(source, key)?.value;
}

/**
 * A form of a value that vitest compares safely. `toStrictEqual` compares `a.constructor`, so two
 * equal objects with an own `constructor` key differ; here plain objects become sorted lists of
 * `[key, value]` pairs. Anything else (null-prototype objects, class instances) is left as is, so
 * a comparison with plain JSON still fails on it.
 */
export function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return { array: value.map(comparable) };
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    return {
      object: Object.keys(value)
        .sort()
        .map((key) => [key, comparable(getOwn(value, key))]),
    };
  }
  return value;
}

/**
 * Turns a fast-check JSON value into one a PATCH body can carry: what `JSON.parse` gives (no `-0`)
 * and no `.` or `$` in any key.
 */
function toBodyJson(value: fc.JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(toBodyJson);
  if (typeof value === 'object' && value !== null) {
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(value)) {
      if (child !== undefined) defineOwn(out, withoutForbiddenCharacters(key), toBodyJson(child));
    }
    return out;
  }
  return Object.is(value, -0) ? 0 : value;
}

/** A metadata name: tricky and common names on purpose, never `.` or `$`. */
export const metadataKey: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom(...TRICKY_KEYS),
    fc.constantFrom(...COMMON_KEYS),
    fc.string({ maxLength: 6 }),
    fc.string({ unit: 'grapheme', maxLength: 3 }),
  )
  .map(withoutForbiddenCharacters);

/** An `app_metadata` name: as {@link metadataKey}, without the reserved names. */
export const appMetadataKey: fc.Arbitrary<string> = metadataKey.filter((key) => !RESERVED_APP_METADATA_NAMES.has(key));

/** A JSON value as a parsed body carries it; nested objects use tricky names too. */
export const jsonValue: fc.Arbitrary<JsonValue> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 2 }).map(toBodyJson) },
  {
    weight: 1,
    arbitrary: fc.dictionary(metadataKey, fc.jsonValue({ maxDepth: 1 }).map(toBodyJson), {
      maxKeys: 3,
      noNullPrototype: true,
    }),
  },
);

function metadataOf(key: fc.Arbitrary<string>): fc.Arbitrary<Record<string, JsonValue>> {
  return fc.dictionary(key, jsonValue, { maxKeys: 5, noNullPrototype: true });
}

function metadataPatchOf(key: fc.Arbitrary<string>): fc.Arbitrary<Record<string, JsonValue | null>> {
  return fc.dictionary(key, fc.option(jsonValue, { nil: null, freq: 3 }), {
    minKeys: 1,
    maxKeys: 5,
    noNullPrototype: true,
  });
}

/** Stored `user_metadata`: any JSON object. */
export const userMetadata: fc.Arbitrary<Record<string, JsonValue>> = metadataOf(metadataKey);
/** Stored `app_metadata`: any JSON object without reserved names. */
export const appMetadata: fc.Arbitrary<Record<string, JsonValue>> = metadataOf(appMetadataKey);

/** A non-empty first-level `user_metadata` patch: values, or `null` to delete. */
export const userMetadataPatch: fc.Arbitrary<Record<string, JsonValue | null>> = metadataPatchOf(metadataKey);
/** A non-empty first-level `app_metadata` patch: values, or `null` to delete. */
export const appMetadataPatch: fc.Arbitrary<Record<string, JsonValue | null>> = metadataPatchOf(appMetadataKey);

/** The metadata patch that clears (spec rule 3). */
export const emptyPatch: fc.Arbitrary<Record<string, never>> = fc.constant({});

/** A PATCH body touching metadata, sometimes with `{}`, sometimes with another attribute. */
export interface MetadataBody {
  readonly user_metadata?: Readonly<Record<string, JsonValue | null>>;
  readonly app_metadata?: Readonly<Record<string, JsonValue | null>>;
  readonly blocked?: boolean;
}

function metadataBodyOf(userKey: fc.Arbitrary<string>, appKey: fc.Arbitrary<string>): fc.Arbitrary<MetadataBody> {
  return fc
    .record(
      {
        user_metadata: fc.oneof(
          { weight: 5, arbitrary: metadataPatchOf(userKey) },
          { weight: 1, arbitrary: emptyPatch },
        ),
        app_metadata: fc.oneof({ weight: 5, arbitrary: metadataPatchOf(appKey) }, { weight: 1, arbitrary: emptyPatch }),
        blocked: fc.boolean(),
      },
      { requiredKeys: [], noNullPrototype: true },
    )
    .filter((body) => Object.keys(body).length > 0)
    .map(deepFreeze);
}

/** A PATCH body, deep-frozen: metadata patches (sometimes `{}`), sometimes `blocked`. */
export const metadataBody: fc.Arbitrary<MetadataBody> = metadataBodyOf(metadataKey, appMetadataKey);

/** What varies between stored users. */
export interface StoredUserFields {
  readonly email: string;
  readonly user_metadata?: Readonly<Record<string, JsonValue>>;
  readonly app_metadata?: Readonly<Record<string, JsonValue>>;
  readonly blocked?: boolean;
}

/** A stored user, built by `createUser` on a fixed clock and id, deep-frozen. */
export function createStoredUser(fields: StoredUserFields): User {
  const result = createUser(
    { connection: 'Username-Password-Authentication', password: 'Pw1!xxxx', ...fields },
    { now: createdNow, generateId: () => '0123456789abcdef01234567' },
  );
  if (!result.success) throw new Error(`createUser rejects a valid body: ${JSON.stringify(result.issues)}`);
  return deepFreeze(result.value);
}

/** A valid stored user, as `createUser` builds it (frozen), with or without metadata. */
export const storedUser: fc.Arbitrary<User> = fc
  .record(
    {
      email: fc.constantFrom('jane.doe@example.com', 'Ann@Example.org', 'x@y.z'),
      user_metadata: userMetadata,
      app_metadata: appMetadata,
      blocked: fc.boolean(),
    },
    { requiredKeys: ['email'], noNullPrototype: true },
  )
  .map(createStoredUser);

/** A value the library must survive, with a short description for the counterexample. */
export interface Hostile {
  readonly value: unknown;
  readonly [fc.toStringMethod]: () => string;
}

function hostile(description: string, value: unknown): Hostile {
  return { value, [fc.toStringMethod]: () => description };
}

function fail(): never {
  return throwing(new Error('hostile input'));
}

/** Every trap a Proxy can have, each one throwing what `thrown` gives. */
export function trapsThrowing(thrown: () => unknown): ProxyHandler<object> {
  const trap = (): never => {
    throw thrown();
  };
  return {
    apply: trap,
    construct: trap,
    defineProperty: trap,
    deleteProperty: trap,
    get: trap,
    getOwnPropertyDescriptor: trap,
    getPrototypeOf: trap,
    has: trap,
    isExtensible: trap,
    ownKeys: trap,
    preventExtensions: trap,
    set: trap,
    setPrototypeOf: trap,
  };
}

/** An error whose `message` throws when read. */
function errorWithThrowingMessage(): Error {
  return Object.defineProperty(new Error(), 'message', { get: fail });
}

/** Throws `value` as is: hostile code throws more than Errors. */
export function throwing(value: unknown): never {
  throw value;
}

/** A proxy of `target` that has been revoked: every operation on it throws, even `Array.isArray`. */
export function revokedProxy(target: object): object {
  const { proxy, revoke } = Proxy.revocable(target, {});
  revoke();
  return proxy;
}

function nested(depth: number, wrap: (inner: unknown) => unknown): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++) value = wrap(value);
  return value;
}

function cycle(): object {
  const value = { a: {} };
  defineOwn(value.a, 'back', value);
  return value;
}

class Point {
  readonly x = 1;
}

/**
 * Shapes no JSON parser produces, built fresh for each draw: proxies whose traps throw, revoked
 * proxies, throwing getters, cycles, 100,000 levels of nesting, symbol keys, class instances ...
 */
const HOSTILE_SHAPES: Readonly<Record<string, () => unknown>> = {
  'revoked proxy of an object': () => revokedProxy({}),
  'revoked proxy of an array': () => revokedProxy([]),
  'proxy whose ownKeys throws': () => new Proxy({ a: 1 }, { ownKeys: fail }),
  'proxy whose getOwnPropertyDescriptor throws': () => new Proxy({ a: 1 }, { getOwnPropertyDescriptor: fail }),
  'proxy whose get throws': () => new Proxy({ a: 1 }, { get: fail }),
  'proxy of an array whose length throws': () =>
    new Proxy([1, 2], {
      get: (target, key) => (key === 'length' ? fail() : Reflect.get(target, key)),
      getOwnPropertyDescriptor: (target, key) =>
        key === 'length' ? fail() : Reflect.getOwnPropertyDescriptor(target, key),
    }),
  'transparent proxy': () => new Proxy({ a: 'b' }, {}),
  'throwing getter': () => Object.defineProperty({}, 'a', { get: fail, enumerable: true }),
  getter: () => Object.defineProperty({}, 'a', { get: () => 'b', enumerable: true }),
  'object whose conversions throw': () => ({ toString: fail, valueOf: fail, [Symbol.toPrimitive]: fail }),
  'object cycle': cycle,
  'array cycle': () => {
    const value: unknown[] = [];
    value.push(value);
    return value;
  },
  'shared subtree (not a cycle)': () => {
    const shared = { x: 1 };
    return { a: shared, b: [shared, shared] };
  },
  'objects nested 100,000 deep': () => nested(100_000, (inner) => ({ a: inner })),
  'arrays nested 100,000 deep': () => nested(100_000, (inner) => [inner]),
  'symbol key': () => ({ [Symbol('key')]: 1 }),
  'non-enumerable key': () => Object.defineProperty({}, 'hidden', { value: 1, enumerable: false }),
  'sparse array': () => {
    const sparse: unknown[] = [];
    sparse[1] = 1;
    return sparse;
  },
  'array with an extra key': () => Object.assign([1], { extra: 2 }),
  'object with an array prototype': () => Object.create(Array.prototype),
  'null-prototype object with a __proto__ key': () => {
    const value: object = Object.create(null);
    defineOwn(value, '__proto__', { polluted: 'yes' });
    return value;
  },
  'class instance': () => new Point(),
  'invalid date': () => new Date(Number.NaN),
  map: () => new Map([['a', 1]]),
  'boxed string': () => new String('a'),
  function: () => () => 1,
  symbol: () => Symbol('value'),
  bigint: () => 1n,
  NaN: () => Number.NaN,
  Infinity: () => Number.POSITIVE_INFINITY,
  '-0': () => -0,
  undefined: () => undefined,
  'string of 17 MB': () => 'x'.repeat(17 * 1024 * 1024),
};

/** What a hostile Proxy trap throws: not always an Error, and not always something that converts to a string. */
const THROWN_VALUES: Readonly<Record<string, () => unknown>> = {
  'an Error': () => new Error('hostile input'),
  'an object with no prototype': () => Object.create(null),
  'an error whose message throws': errorWithThrowingMessage,
  'a revoked proxy': () => revokedProxy({}),
  'a string': () => 'hostile input',
  undefined: () => undefined,
  'a symbol': () => Symbol('hostile input'),
};

/** A Proxy of an object or an array whose every trap throws one of {@link THROWN_VALUES}. */
const throwingProxy: fc.Arbitrary<Hostile> = fc
  .tuple(fc.constantFrom(...Object.keys(THROWN_VALUES)), fc.constantFrom('object', 'array'))
  .map(([thrown, kind]) => {
    const target = kind === 'array' ? [] : {};
    const traps = trapsThrowing(THROWN_VALUES[thrown] ?? (() => undefined));
    return hostile(`a proxy of an ${kind} whose traps throw ${thrown}`, new Proxy(target, traps));
  });

/** Anything JavaScript can hold (`fc.anything` is right here: the point is hostile input), a hostile shape, or a throwing Proxy. */
export const hostileValue: fc.Arbitrary<Hostile> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc
      .anything({
        key: fc.oneof(metadataKey, fc.string()),
        maxDepth: 3,
        withBigInt: true,
        withBoxedValues: true,
        withDate: true,
        withMap: true,
        withNullPrototype: true,
        withObjectString: true,
        withSet: true,
        withSparseArray: true,
        withTypedArray: true,
        withUnicodeString: true,
      })
      .map((value) => hostile(fc.stringify(value), value)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...Object.keys(HOSTILE_SHAPES)).map((name) => hostile(name, HOSTILE_SHAPES[name]?.())),
  },
  { weight: 1, arbitrary: throwingProxy },
);

/** Runs for a "never throws" law: each run is cheap, and a shape meets a position only now and then. */
export const HOSTILE_RUNS = 400;

/** Whether a value has the shape of a result: `{success: true, value}` or `{success: false, issues: [..]}`. */
export function isResult(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const success = getOwn(value, 'success');
  if (success === true) return Object.hasOwn(value, 'value') && Array.isArray(getOwn(value, 'warnings'));
  const issues = getOwn(value, 'issues');
  return success === false && Array.isArray(issues) && issues.length > 0;
}

/** Names of `stored`, often, or any name: patches then hit stored keys about half the time. */
function keyFor(stored: object | undefined, key: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const names = Object.keys(stored ?? {});
  if (names.length === 0) return key;
  return fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: key });
}

/** A stored user and a PATCH body whose metadata keys often are the user's. */
export const userAndBody: fc.Arbitrary<[User, MetadataBody]> = storedUser.chain((user) =>
  fc.tuple(
    fc.constant(user),
    metadataBodyOf(keyFor(user.user_metadata, metadataKey), keyFor(user.app_metadata, appMetadataKey)),
  ),
);
