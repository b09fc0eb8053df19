import { expect } from 'vitest';
import {
  type Auth0Error,
  type CreateUserOptions,
  type Issues,
  type Path,
  type Result,
  toAuth0Error,
  type User,
} from '../src/index.js';

/**
 * Freezes a value and everything reachable from it through own data properties, so a test fails
 * loudly (TypeError in strict mode) if the code under test writes to its input.
 *
 * Iterative, so deep values do not overflow the stack; cycles are followed once; getters are never
 * called (only data properties are walked); typed arrays are left alone (they cannot be frozen).
 */
export function deepFreeze<Value>(value: Value): Value {
  const pending: unknown[] = [value];
  const seen = new Set<object>();
  while (pending.length > 0) {
    const item = pending.pop();
    if ((typeof item !== 'object' && typeof item !== 'function') || item === null || seen.has(item)) continue;
    seen.add(item);
    if (ArrayBuffer.isView(item)) continue;
    Object.freeze(item);
    for (const key of Reflect.ownKeys(item)) {
      const descriptor = Object.getOwnPropertyDescriptor(item, key);
      if (descriptor !== undefined && 'value' in descriptor) pending.push(descriptor.value);
    }
  }
  return value;
}

/** The instant every write in the tests happens at. */
export const NOW = '2026-01-01T00:00:00.000Z';

/** A later instant, for a second write. */
export const LATER = '2026-02-01T12:34:56.789Z';

/** The 24-hex id every created user gets in the tests. */
export const FIXED_ID = '65a1f0c2e4b0a1b2c3d4e5f6';

/** The database connection of the test users. */
export const CONNECTION = 'Username-Password-Authentication';

/** The id of {@link JANE}. */
export const JANE_ID = `auth0|${FIXED_ID}`;

/**
 * The attributes of a stored user with no metadata, as Auth0 returns it: a fresh, unfrozen object
 * each call, to spread into users of any metadata type.
 */
export function janeAttributes(): Omit<User, 'user_metadata' | 'app_metadata'> {
  return {
    user_id: JANE_ID,
    email: 'jane.doe@example.com',
    email_verified: false,
    name: 'jane.doe@example.com',
    nickname: 'jane.doe',
    identities: [{ connection: CONNECTION, user_id: FIXED_ID, provider: 'auth0', isSocial: false }],
    created_at: NOW,
    updated_at: NOW,
  };
}

/** A stored user with no metadata, as Auth0 returns it; deep-frozen. */
export const JANE: User = deepFreeze(janeAttributes());

/** {@link JANE} with some fields added or replaced, deep-frozen. */
export function janeWith(fields: Partial<User>): User {
  return deepFreeze({ ...JANE, ...fields });
}

/** Write options with the clock at `instant` and a fixed id. */
export function at(instant: string = NOW): Required<CreateUserOptions> {
  return { now: () => new Date(instant), generateId: () => FIXED_ID };
}

/** The value of a successful result; throws (failing the test) with the issues otherwise. */
export function successValue<Value>(result: Result<Value>): Value {
  if (!result.success) throw new Error(`Expected a success, got ${JSON.stringify(result.issues)}`);
  return result.value;
}

/** The issues of a failed result; throws (failing the test) otherwise. */
export function issuesOf(result: Result<unknown>): Issues {
  if (result.success) throw new Error('Expected a failure, got a success');
  return result.issues;
}

/** Only `code` and `path` of each issue, to compare without the message prose. */
export function codesAndPaths(issues: Issues): { code: string; path: readonly (string | number)[] }[] {
  return issues.map(({ code, path }) => ({ code, path }));
}

/** Status, Auth0 error code and message of the HTTP error a failed result maps to. */
export interface HttpError {
  readonly status: number;

  /** `body.errorCode` for the Management API, `body.code` for signup. */
  readonly errorCode: string;

  /** `body.message` for the Management API, `body.description` for signup. */
  readonly message: string;
}

/** The HTTP error `toAuth0Error` gives for a failed result in the envelope of `api`, flattened for one `toStrictEqual`. */
export function httpErrorOf(result: Result<unknown>, api: Auth0Error['api'] = 'management'): HttpError {
  const error = toAuth0Error(issuesOf(result), api);
  return error.api === 'management'
    ? { status: error.status, errorCode: error.body.errorCode, message: error.body.message }
    : { status: error.status, errorCode: error.body.code, message: error.body.description };
}

/** Escapes text for use inside a `RegExp`. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The id of a second stored user, for requests about someone else. */
export const OTHER_ID = 'auth0|000000000000000000000001';

/** The smallest valid body of POST /api/v2/users on the database connection. */
export const DATABASE_BODY = { connection: CONNECTION, email: 'jane.doe@example.com', password: 'Passw0rd!' } as const;

/**
 * The smallest stored user: an id, no identities and both timestamps at {@link NOW}. A fresh,
 * unfrozen object each call, with `fields` added or replaced.
 */
export function minimalUser(fields: Readonly<Record<string, unknown>> = {}): User {
  return { user_id: 'auth0|1', identities: [], created_at: NOW, updated_at: NOW, ...fields };
}

/** What Auth0 answers for a schema error on `property`, whatever the property's description says. */
export function schemaMessage(detail: string, property: string): RegExp {
  return new RegExp(
    `^Payload validation error: '${escapeRegExp(detail)}' on property ${escapeRegExp(property)} \\(.+\\)\\.$`,
  );
}

/** The 400 `invalid_body` error with `message` (a string or a pattern), as {@link httpErrorOf} gives it. */
export function invalidBody(message: string | RegExp): { status: number; errorCode: string; message: unknown } {
  return {
    status: 400,
    errorCode: 'invalid_body',
    message: typeof message === 'string' ? message : expect.stringMatching(message),
  };
}

/** `depth` objects nested through key `a`, the innermost one empty. */
export function nestObjects(depth: number): unknown {
  let value: unknown = {};
  for (let level = 1; level < depth; level++) value = { a: value };
  return value;
}

/** `depth` arrays nested in one another, the innermost one empty. */
export function nestArrays(depth: number): unknown {
  let value: unknown = [];
  for (let level = 1; level < depth; level++) value = [value];
  return value;
}

/** Calls `run` and says whether it threw, so a failure shows the value rather than an exception. */
export function outcome(run: () => unknown): { threw: boolean; value?: unknown } {
  try {
    return { threw: false, value: run() };
  } catch (error) {
    return { threw: true, value: error };
  }
}

/** A class instance: an object that is not plain. */
class Point {
  readonly x = 1;
}

const cycle: Record<string, unknown> = { name: 'loop' };
cycle.self = cycle;

const sparse: number[] = [];
sparse[0] = 1;
sparse[2] = 3;

/**
 * Metadata values JSON cannot carry, each with the issue code and the path (inside the metadata)
 * that reports it.
 */
export const NOT_JSON_CASES: readonly { kind: string; metadata: unknown; code: string; path: Path }[] = [
  { kind: 'undefined inside an object', metadata: { a: { b: undefined } }, code: 'not_json', path: ['a', 'b'] },
  { kind: 'undefined inside an array', metadata: { list: [1, undefined] }, code: 'not_json', path: ['list', 1] },
  { kind: 'a function', metadata: { a: { b: () => 1 } }, code: 'not_json', path: ['a', 'b'] },
  { kind: 'a symbol', metadata: { a: Symbol('s') }, code: 'not_json', path: ['a'] },
  { kind: 'a symbol key', metadata: { a: { [Symbol('k')]: 1 } }, code: 'not_json', path: ['a'] },
  { kind: 'a bigint', metadata: { a: [10n] }, code: 'not_json', path: ['a', 0] },
  { kind: 'NaN', metadata: { a: Number.NaN }, code: 'not_json', path: ['a'] },
  { kind: 'Infinity', metadata: { a: { b: Number.POSITIVE_INFINITY } }, code: 'not_json', path: ['a', 'b'] },
  { kind: '-Infinity', metadata: { a: Number.NEGATIVE_INFINITY }, code: 'not_json', path: ['a'] },
  { kind: 'a Date', metadata: { since: new Date(NOW) }, code: 'not_json', path: ['since'] },
  { kind: 'a Map', metadata: { a: new Map([['k', 1]]) }, code: 'not_json', path: ['a'] },
  { kind: 'a Set', metadata: { a: { b: new Set([1]) } }, code: 'not_json', path: ['a', 'b'] },
  { kind: 'a class instance', metadata: { a: new Point() }, code: 'not_json', path: ['a'] },
  { kind: 'a typed array', metadata: { a: new Uint8Array(2) }, code: 'not_json', path: ['a'] },
  { kind: 'a cycle', metadata: { a: cycle }, code: 'circular_reference', path: ['a', 'self'] },
  { kind: 'a sparse array', metadata: { list: sparse }, code: 'not_json', path: ['list', 1] },
];

/** The Management API's 500 body, as Auth0 answers a crash: the oracle every 500 is compared with. */
export const INTERNAL_ERROR_BODY = deepFreeze({
  statusCode: 500,
  error: 'Internal Server Error',
  message: 'Internal Server Error',
  errorCode: 'internal_error',
});

/** A second user of another connection, with a username: for the tenant rules (duplicates, logins). */
export const ANN: User = deepFreeze({
  ...JANE,
  user_id: 'auth0|ann',
  email: 'ann@example.com',
  username: 'Ann',
  identities: [{ connection: 'other-db', user_id: 'ann', provider: 'auth0', isSocial: false }],
});
export const TENANT_USERS: readonly User[] = deepFreeze([JANE, ANN]);
