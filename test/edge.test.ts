/**
 * Edge cases around the rules: structural sharing, untouched inputs, prototype-named keys, values
 * JSON cannot carry, very deep nesting, the size limits, formatPath and every scope rule.
 */
import { describe, expect, test } from 'vitest';
import {
  analyzePatch,
  applyPatch,
  authorizeUserRequest,
  type CreateUserOptions,
  createActionsFlow,
  createUser,
  formatPath,
  MAX_METADATA_BYTES,
  MAX_METADATA_DEPTH,
  MAX_PROFILE_BYTES,
  type Path,
  type PostLoginAction,
  runPostLoginActions,
  selectFields,
  signupUser,
  type TokenGrant,
  type User,
  type UserRequest,
  validatePatch,
  validateSignupMetadata,
} from '../src/index.js';
import {
  at,
  CONNECTION,
  codesAndPaths,
  deepFreeze,
  FIXED_ID,
  httpErrorOf,
  issuesOf,
  JANE,
  JANE_ID,
  janeWith,
  LATER,
  NOW,
  successValue,
} from './helpers.js';

const OTHER_ID = 'auth0|000000000000000000000001';
const DATABASE_BODY = { connection: CONNECTION, email: 'jane.doe@example.com', password: 'Passw0rd!' } as const;

/** Own property names of `Object.prototype` before any test ran. */
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();

/** `depth` objects nested through key `a`, the innermost one empty. */
function nestObjects(depth: number): unknown {
  let value: unknown = {};
  for (let level = 1; level < depth; level++) value = { a: value };
  return value;
}

/** `depth` arrays nested in one another, the innermost one empty. */
function nestArrays(depth: number): unknown {
  let value: unknown = [];
  for (let level = 1; level < depth; level++) value = [value];
  return value;
}

describe('structural sharing', () => {
  const user = janeWith({
    user_metadata: { history: { visits: [1, 2, 3], last: { city: 'Anytown' } }, theme: 'light' },
    app_metadata: { plan: 'full', limits: { seats: 3 } },
  });

  test('untouched subtrees of a patched metadata object are the same references', () => {
    const value = successValue(applyPatch(user, deepFreeze({ user_metadata: { theme: 'dark' } }), at(LATER)));
    expect(value.user_metadata?.history).toBe(user.user_metadata?.history);
    expect(value.user_metadata?.theme).toBe('dark');
  });

  test('an untouched metadata object is the same reference', () => {
    const value = successValue(applyPatch(user, deepFreeze({ user_metadata: { theme: 'dark' } }), at(LATER)));
    expect(value.app_metadata).toBe(user.app_metadata);
  });

  test('untouched root values (identities) are the same reference', () => {
    const value = successValue(applyPatch(user, deepFreeze({ name: 'Jane Doe' }), at(LATER)));
    expect([value.identities, value.user_metadata, value.app_metadata]).toStrictEqual([
      user.identities,
      user.user_metadata,
      user.app_metadata,
    ]);
    expect(value.identities).toBe(user.identities);
    expect(value.user_metadata).toBe(user.user_metadata);
    expect(value.app_metadata).toBe(user.app_metadata);
  });

  test('a patch that sets a key to its current value returns the same metadata object', () => {
    const patch = { user_metadata: { theme: 'light', history: { visits: [1, 2, 3], last: { city: 'Anytown' } } } };
    const value = successValue(applyPatch(user, deepFreeze(patch), at(LATER)));
    expect(value.user_metadata).toBe(user.user_metadata);
  });

  test('deleting a key that does not exist returns the same metadata object', () => {
    const value = successValue(applyPatch(user, deepFreeze({ app_metadata: { missing: null } }), at(LATER)));
    expect(value.app_metadata).toBe(user.app_metadata);
  });

  test('clearing an already empty user_metadata returns the same object', () => {
    const empty = janeWith({ user_metadata: {} });
    const value = successValue(applyPatch(empty, deepFreeze({ user_metadata: {} }), at(LATER)));
    expect(value.user_metadata).toBe(empty.user_metadata);
  });

  test('sharing survives a chain of patches', () => {
    const first = successValue(applyPatch(user, deepFreeze({ user_metadata: { theme: 'dark' } }), at(LATER)));
    const second = successValue(applyPatch(first, deepFreeze({ user_metadata: { lang: 'en' } }), at(LATER)));
    expect(second.user_metadata?.history).toBe(user.user_metadata?.history);
    expect(second.user_metadata).toStrictEqual({ ...user.user_metadata, theme: 'dark', lang: 'en' });
  });
});

describe('inputs are never mutated', () => {
  test('applyPatch with deep-frozen inputs: every kind of change, no TypeError', () => {
    const user = janeWith({
      user_metadata: { a: 1, b: { c: [1] } },
      app_metadata: { plan: 'full' },
      given_name: 'Jane',
    });
    const patch = deepFreeze({ user_metadata: { a: null, b: { c: [2] }, d: 4 }, app_metadata: {}, given_name: null });
    expect(successValue(applyPatch(user, patch, at(LATER)))).toStrictEqual({
      ...JANE,
      updated_at: LATER,
      user_metadata: { b: { c: [2] }, d: 4 },
    });
  });

  test('applyPatch leaves unfrozen inputs as they were (JSON before and after)', () => {
    const user: User = {
      ...JANE,
      identities: [{ connection: CONNECTION, user_id: FIXED_ID, provider: 'auth0', isSocial: false }],
      user_metadata: { a: 1, b: { c: [1] } },
      app_metadata: { plan: 'full', x: 1 },
    };
    const patch = { user_metadata: { a: null, b: { c: [2] }, d: 4 }, app_metadata: { x: null }, email: 'JANE@X.TEST' };
    const before = JSON.stringify([user, patch]);
    const value = successValue(applyPatch(user, patch, at(LATER)));
    expect(JSON.stringify([user, patch])).toBe(before);
    expect(value.user_metadata).toStrictEqual({ b: { c: [2] }, d: 4 });
  });

  test('a stored value written by a patch is not the caller’s object (later edits to it do not leak)', () => {
    const patch = { user_metadata: { prefs: { theme: 'dark' } } };
    const value = successValue(applyPatch(JANE, patch, at(LATER)));
    patch.user_metadata.prefs.theme = 'light';
    expect(value.user_metadata).toStrictEqual({ prefs: { theme: 'dark' } });
  });

  test('createUser leaves its body as it was (deep-frozen and JSON before and after)', () => {
    const body = {
      ...DATABASE_BODY,
      email: 'Jane.Doe@Example.com',
      user_metadata: { a: { b: [1] } },
      app_metadata: {},
    };
    const before = JSON.stringify(body);
    const value = successValue(createUser(body, at()));
    const frozen = successValue(createUser(deepFreeze(structuredClone(body)), at()));
    expect([JSON.stringify(body), value]).toStrictEqual([before, frozen]);
  });

  test('selectFields and validateSignupMetadata leave their inputs as they were', () => {
    const user: User = { ...JANE, user_metadata: { hobby: 'surfing', lang: 'en' } };
    const metadata = { hobby: 'surfing' };
    const before = JSON.stringify([user, metadata]);
    selectFields(user, { fields: 'user_metadata.hobby' });
    selectFields(user, { fields: 'user_metadata,email', include_fields: false });
    validateSignupMetadata(metadata);
    expect(JSON.stringify([user, metadata])).toBe(before);
  });
});

describe('prototype-named keys (__proto__, constructor, prototype)', () => {
  const source =
    '{"user_metadata":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"prototype":1}}';

  test('keys from JSON.parse are kept as plain own data in user_metadata', () => {
    const value = successValue(applyPatch(JANE, deepFreeze(JSON.parse(source)), at(LATER)));
    const metadata = value.user_metadata ?? {};
    expect(Object.keys(metadata)).toStrictEqual(['__proto__', 'constructor', 'prototype']);
    expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(metadata, '__proto__')?.value).toStrictEqual({ polluted: true });
    expect(JSON.stringify(metadata)).toBe(JSON.stringify(JSON.parse(source).user_metadata));
  });

  test('the same keys in app_metadata and on create stay own data', () => {
    const body = JSON.parse(
      `{"connection":"${CONNECTION}","email":"a@b.test","password":"x","app_metadata":{"__proto__":{"admin":true},"constructor":1}}`,
    );
    const value = successValue(createUser(deepFreeze(body), at()));
    const metadata = value.app_metadata ?? {};
    expect(Object.keys(metadata)).toStrictEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
    expect(Reflect.get({}, 'admin')).toBeUndefined();
  });

  test('a stored __proto__ key is deleted by null like any other key', () => {
    const user = janeWith({ user_metadata: JSON.parse('{"__proto__":{"x":1},"keep":true}') });
    const value = successValue(
      applyPatch(user, deepFreeze(JSON.parse('{"user_metadata":{"__proto__":null}}')), at(LATER)),
    );
    expect([Object.keys(value.user_metadata ?? {}), Object.getPrototypeOf(value.user_metadata)]).toStrictEqual([
      ['keep'],
      Object.prototype,
    ]);
  });

  test('an inherited name such as constructor is not mistaken for a stored key', () => {
    const user = janeWith({ user_metadata: { theme: 'dark' } });
    const value = successValue(
      applyPatch(user, deepFreeze({ user_metadata: { constructor: null, toString: 'x' } }), at(LATER)),
    );
    expect(value.user_metadata).toStrictEqual({ theme: 'dark', toString: 'x' });
  });

  test('a root __proto__ key is an unknown attribute', () => {
    const result = applyPatch(JANE, deepFreeze(JSON.parse('{"__proto__":{"blocked":true}}')), at(LATER));
    expect(httpErrorOf(result)).toStrictEqual({
      status: 400,
      errorCode: 'invalid_body',
      message: "Payload validation error: 'Additional properties not allowed: __proto__'.",
    });
  });

  test('selectFields can pick user_metadata.__proto__ as data', () => {
    const user = janeWith({ user_metadata: JSON.parse('{"__proto__":"x","other":1}') });
    const value = successValue(selectFields(user, { fields: 'user_metadata.__proto__' }));
    expect(JSON.stringify(value)).toBe('{"user_metadata":{"__proto__":"x"}}');
  });

  test('signup metadata keeps a __proto__ key as data', () => {
    const value = successValue(validateSignupMetadata(deepFreeze(JSON.parse('{"__proto__":"x"}'))));
    expect([Object.keys(value), Object.getPrototypeOf(value)]).toStrictEqual([['__proto__'], Object.prototype]);
  });

  test('Object.prototype is untouched', () => {
    applyPatch(JANE, JSON.parse(source), at(LATER));
    createUser(
      JSON.parse(`{"connection":"c","email":"a@b.test","password":"x","user_metadata":${source.slice(17, -1)}}`),
      at(),
    );
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toStrictEqual(PROTOTYPE_NAMES);
    expect([Reflect.get({}, 'polluted'), Reflect.get({}, 'admin')]).toStrictEqual([undefined, undefined]);
  });
});

describe('values JSON cannot carry: an issue with its path, never a throw', () => {
  class Point {
    readonly x = 1;
  }
  const cycle: Record<string, unknown> = { name: 'loop' };
  cycle.self = cycle;
  const sparse: number[] = [];
  sparse[0] = 1;
  sparse[2] = 3;

  const cases: readonly { kind: string; metadata: unknown; code: string; path: Path }[] = [
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

  test.each(cases)('user_metadata with $kind', ({ metadata, code, path }) => {
    const result = applyPatch(JANE, { user_metadata: metadata }, at(LATER));
    expect(codesAndPaths(issuesOf(result))).toStrictEqual([{ code, path: ['user_metadata', ...path] }]);
    expect([httpErrorOf(result).status, httpErrorOf(result).errorCode]).toStrictEqual([400, 'invalid_body']);
  });

  test.each(cases)('app_metadata on create with $kind', ({ metadata, code, path }) => {
    const result = createUser({ ...DATABASE_BODY, app_metadata: metadata }, at());
    expect(codesAndPaths(issuesOf(result))).toStrictEqual([{ code, path: ['app_metadata', ...path] }]);
  });

  test('a getter is an issue and is never called', () => {
    let calls = 0;
    const metadata = {
      a: {
        get b(): number {
          calls++;
          return 1;
        },
      },
    };
    const result = applyPatch(JANE, { user_metadata: metadata }, at(LATER));
    expect([codesAndPaths(issuesOf(result)), calls]).toStrictEqual([
      [{ code: 'not_json', path: ['user_metadata', 'a', 'b'] }],
      0,
    ]);
  });

  test('a Proxy whose traps throw is an issue, not a throw', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys(): never {
          throw new Error('no keys for you');
        },
      },
    );
    const result = applyPatch(JANE, { user_metadata: { a: hostile } }, at(LATER));
    expect(codesAndPaths(issuesOf(result))).toStrictEqual([{ code: 'not_json', path: ['user_metadata', 'a'] }]);
  });

  test('a Proxy as user_metadata itself, whose getPrototypeOf trap throws, is an issue on user_metadata', () => {
    const hostile = new Proxy(
      {},
      {
        getPrototypeOf(): never {
          throw new Error('no prototype for you');
        },
      },
    );
    const result = applyPatch(JANE, { user_metadata: hostile }, at(LATER));
    expect(codesAndPaths(issuesOf(result))).toStrictEqual([{ code: 'not_json', path: ['user_metadata'] }]);
  });

  test('a Proxy as app_metadata itself, whose ownKeys trap throws, is an issue on app_metadata', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys(): never {
          throw new Error('no keys for you');
        },
      },
    );
    const result = applyPatch(JANE, { app_metadata: hostile }, at(LATER));
    expect(codesAndPaths(issuesOf(result))).toStrictEqual([{ code: 'not_json', path: ['app_metadata'] }]);
  });

  test.each([
    { attribute: 'given_name', value: undefined },
    { attribute: 'blocked', value: () => true },
    { attribute: 'name', value: Symbol('n') },
    { attribute: 'nickname', value: 1n },
    { attribute: 'email_verified', value: Number.NaN },
    { attribute: 'picture', value: new Date(NOW) },
  ])('a root attribute $attribute with a non-JSON value is an issue on its path', ({ attribute, value }) => {
    const result = applyPatch(JANE, { [attribute]: value }, at(LATER));
    expect(codesAndPaths(issuesOf(result))).toStrictEqual([{ code: 'invalid_type', path: [attribute] }]);
  });

  test('signup metadata with a function value is rejected, not thrown', () => {
    const result = validateSignupMetadata({ hobby: () => 'surfing' });
    expect(codesAndPaths(issuesOf(result))).toStrictEqual([{ code: 'invalid_type', path: ['hobby'] }]);
  });

  test('a stored user with non-JSON metadata gives an issue when that metadata is patched, not a throw', () => {
    const user: User<Record<string, unknown>> = { ...JANE, user_metadata: { fn: () => 1 } };
    expect(() => applyPatch(user, { user_metadata: { theme: 'dark' } }, at(LATER))).not.toThrow();
    expect(applyPatch(user, { user_metadata: { theme: 'dark' } }, at(LATER)).success).toBe(false);
  });
});

describe('deep nesting', () => {
  test('100,000 levels of objects give a too_deep issue, not a stack overflow', () => {
    const result = applyPatch(JANE, { user_metadata: nestObjects(100_000) }, at(LATER));
    const path = ['user_metadata', ...Array.from({ length: MAX_METADATA_DEPTH }, () => 'a')];
    expect(codesAndPaths(issuesOf(result))).toStrictEqual([{ code: 'too_deep', path }]);
    expect([httpErrorOf(result).status, httpErrorOf(result).errorCode]).toStrictEqual([400, 'invalid_body']);
  });

  test('100,000 levels of arrays give a too_deep issue', () => {
    const result = applyPatch(JANE, { app_metadata: { a: nestArrays(100_000) } }, at(LATER));
    const path = ['app_metadata', 'a', ...Array.from({ length: MAX_METADATA_DEPTH - 1 }, () => 0)];
    expect(codesAndPaths(issuesOf(result))).toStrictEqual([{ code: 'too_deep', path }]);
  });

  test('100,000 levels on create give a too_deep issue', () => {
    const result = createUser({ ...DATABASE_BODY, user_metadata: { deep: nestObjects(100_000) } }, at());
    expect(issuesOf(result).map((issue) => issue.code)).toStrictEqual(['too_deep']);
  });

  test('metadata exactly MAX_METADATA_DEPTH levels deep (itself included) is accepted, one more is not', () => {
    const accepted = applyPatch(JANE, { user_metadata: nestObjects(MAX_METADATA_DEPTH) }, at(LATER));
    const rejected = applyPatch(JANE, { user_metadata: nestObjects(MAX_METADATA_DEPTH + 1) }, at(LATER));
    expect([accepted.success, rejected.success ? [] : rejected.issues.map((issue) => issue.code)]).toStrictEqual([
      true,
      ['too_deep'],
    ]);
  });

  test('a stored user 100,000 levels deep is measured without a stack overflow', () => {
    const user: User<Record<string, unknown>> = { ...JANE, user_metadata: { deep: nestObjects(100_000) } };
    expect(() => applyPatch(user, { name: 'Jane' }, at(LATER))).not.toThrow();
    expect(() => selectFields(user, { fields: 'user_metadata.deep' })).not.toThrow();
  });
});

describe('size limits', () => {
  /** A one-key metadata object whose JSON is exactly `bytes` bytes: {"k":"xxx…"}. */
  function metadataOfBytes(bytes: number, character = 'x'): { k: string } {
    const overhead = '{"k":""}'.length;
    return { k: character.repeat((bytes - overhead) / Buffer.byteLength(character)) };
  }

  test('metadata of exactly 16 MB is accepted', () => {
    const metadata = metadataOfBytes(MAX_METADATA_BYTES);
    const result = applyPatch(JANE, { user_metadata: metadata }, at(LATER));
    expect([Buffer.byteLength(JSON.stringify(metadata)), result.success]).toStrictEqual([MAX_METADATA_BYTES, true]);
  });

  test('metadata of 16 MB plus one byte is a 400 metadata_too_large', () => {
    const result = applyPatch(JANE, { app_metadata: metadataOfBytes(MAX_METADATA_BYTES + 1) }, at(LATER));
    expect(codesAndPaths(issuesOf(result))).toStrictEqual([{ code: 'metadata_too_large', path: ['app_metadata'] }]);
    expect([httpErrorOf(result).status, httpErrorOf(result).errorCode]).toStrictEqual([400, 'invalid_body']);
  });

  test('the limit counts UTF-8 bytes, not characters', () => {
    const metadata = metadataOfBytes(MAX_METADATA_BYTES + 2, 'é');
    const result = applyPatch(JANE, { user_metadata: metadata }, at(LATER));
    expect([JSON.stringify(metadata).length < MAX_METADATA_BYTES, codesAndPaths(issuesOf(result))]).toStrictEqual([
      true,
      [{ code: 'metadata_too_large', path: ['user_metadata'] }],
    ]);
  });

  test('user_metadata and app_metadata each have their own 16 MB', () => {
    const metadata = metadataOfBytes(MAX_METADATA_BYTES);
    const result = applyPatch(JANE, { user_metadata: metadata, app_metadata: metadata }, at(LATER));
    expect(result.success).toBe(true);
  });

  test('the limit applies to the metadata after the merge', () => {
    const stored8 = 8_000_000;
    const user: User = { ...JANE, user_metadata: { a: 'x'.repeat(stored8) } };
    const overhead = '{"a":"","b":""}'.length;
    const fits = applyPatch(
      user,
      { user_metadata: { b: 'y'.repeat(MAX_METADATA_BYTES - overhead - stored8) } },
      at(LATER),
    );
    const overflows = applyPatch(
      user,
      {
        user_metadata: { b: 'y'.repeat(MAX_METADATA_BYTES - overhead - stored8 + 1) },
      },
      at(LATER),
    );
    expect([fits.success, overflows.success ? [] : codesAndPaths(overflows.issues)]).toStrictEqual([
      true,
      [{ code: 'metadata_too_large', path: ['user_metadata'] }],
    ]);
  });

  test('replacing or deleting a big key makes room', () => {
    const user: User = { ...JANE, user_metadata: metadataOfBytes(MAX_METADATA_BYTES) };
    const replaced = applyPatch(user, { user_metadata: { k: 'small', other: 'z'.repeat(1000) } }, at(LATER));
    const deleted = applyPatch(user, { user_metadata: { k: null, other: 'z'.repeat(1000) } }, at(LATER));
    expect([successValue(replaced).user_metadata?.k, successValue(deleted).user_metadata]).toStrictEqual([
      'small',
      { other: 'z'.repeat(1000) },
    ]);
  });

  test('one more byte on metadata already at the limit is rejected', () => {
    const user: User = { ...JANE, user_metadata: metadataOfBytes(MAX_METADATA_BYTES) };
    const result = applyPatch(user, { user_metadata: { k: `${user.user_metadata?.k}x` } }, at(LATER));
    expect(codesAndPaths(issuesOf(result))).toStrictEqual([{ code: 'metadata_too_large', path: ['user_metadata'] }]);
  });

  test('an array whose length alone exceeds 16 MB is refused before any element is read', () => {
    const reads: string[] = [];
    /** An array that claims `length` zeros and records every element read. */
    const claiming = (length: number): unknown[] =>
      new Proxy([], {
        get: (target, key, receiver) => (key === 'length' ? length : Reflect.get(target, key, receiver)),
        getOwnPropertyDescriptor: (_target, key) => {
          if (key === 'length') return { value: length, writable: true, enumerable: false, configurable: false };
          if (typeof key === 'string') reads.push(key);
          return { value: 0, writable: true, enumerable: true, configurable: true };
        },
      });
    // n elements serialise to at least 2n + 1 bytes: the first length past the limit is 2^23, and
    // `{"list":[…]}` around it adds 9 bytes: the running total counts them all, and stops there.
    const first = MAX_METADATA_BYTES / 2;
    const atLeast = MAX_METADATA_BYTES + 10;
    const result = applyPatch(JANE, { user_metadata: { list: claiming(first) } }, at(LATER));
    expect([issuesOf(result), reads]).toStrictEqual([
      [
        {
          code: 'metadata_too_large',
          path: ['user_metadata'],
          bytes: atLeast,
          maximum: MAX_METADATA_BYTES,
          message: `Metadata is too large (at least ${atLeast} bytes), maximum ${MAX_METADATA_BYTES}`,
        },
      ],
      [],
    ]);
    const small = applyPatch(JANE, { user_metadata: { list: claiming(3) } }, at(LATER));
    expect([successValue(small).user_metadata?.list, reads]).toStrictEqual([
      [0, 0, 0],
      ['0', '1', '2'],
    ]);
  });

  test('the 10 KB profile limit is 10 * 1024 bytes', () => {
    expect(MAX_PROFILE_BYTES).toBe(10 * 1024);
  });

  test('a profile of exactly 10 KB has no warning, one byte more has profile_too_large', () => {
    const base = Buffer.byteLength(JSON.stringify({ ...JANE, updated_at: LATER, user_metadata: { bio: '' } }));
    const atLimit = applyPatch(JANE, { user_metadata: { bio: 'x'.repeat(MAX_PROFILE_BYTES - base) } }, at(LATER));
    const overLimit = applyPatch(JANE, { user_metadata: { bio: 'x'.repeat(MAX_PROFILE_BYTES - base + 1) } }, at(LATER));
    expect([
      atLimit.success && atLimit.warnings,
      overLimit.success && overLimit.warnings.map(({ code, bytes, limit }) => ({ code, bytes, limit })),
    ]).toStrictEqual([[], [{ code: 'profile_too_large', bytes: MAX_PROFILE_BYTES + 1, limit: MAX_PROFILE_BYTES }]]);
  });

  test('the profile warning counts the whole user, not only what the patch touched', () => {
    const user = janeWith({ app_metadata: { notes: 'n'.repeat(MAX_PROFILE_BYTES) } });
    const result = applyPatch(user, deepFreeze({ blocked: false }), at(LATER));
    expect(result.success && result.warnings.map((warning) => warning.code)).toStrictEqual(['profile_too_large']);
  });

  test('createUser warns about a profile over 10 KB too', () => {
    const result = createUser({ ...DATABASE_BODY, user_metadata: { bio: 'b'.repeat(MAX_PROFILE_BYTES) } }, at());
    const value = successValue(result);
    expect(result.success && result.warnings).toStrictEqual([
      {
        code: 'profile_too_large',
        path: [],
        bytes: Buffer.byteLength(JSON.stringify(value)),
        limit: MAX_PROFILE_BYTES,
        message: expect.any(String),
      },
    ]);
  });

  test('validatePatch alone accepts a small metadata value without warnings', () => {
    expect(validatePatch({ user_metadata: { a: 1 } })).toStrictEqual({
      success: true,
      value: { user_metadata: { a: 1 } },
      warnings: [],
    });
  });
});

describe('formatPath', () => {
  test.each([
    { path: [], text: '' },
    { path: ['user_metadata'], text: 'user_metadata' },
    { path: ['user_metadata', 'addresses', 0, 'city'], text: 'user_metadata.addresses[0].city' },
    { path: ['a', 0, 1, 'b'], text: 'a[0][1].b' },
    { path: [0, 'a'], text: '[0].a' },
    { path: ['app_metadata', 'foo.bar'], text: 'app_metadata.foo.bar' },
    { path: ['user_metadata', '__proto__'], text: 'user_metadata.__proto__' },
  ])('formatPath($path) is "$text"', ({ path, text }) => {
    expect(formatPath(deepFreeze(path))).toBe(text);
  });
});

describe('authorizeUserRequest: every scope rule (29-30)', () => {
  type Outcome = 'allowed' | 'insufficient_scope' | 'subject_mismatch';
  interface ScopeCase {
    readonly name: string;
    readonly scopes: readonly string[];
    /** `jane` acts as Jane (a current-user token), `machine` as a client. */
    readonly as: 'jane' | 'machine';
    readonly request: UserRequest;
    readonly outcome: Outcome;
  }
  const get = (userId: string): UserRequest => ({ action: 'get', userId });
  const update = (userId: string, patch: Extract<UserRequest, { action: 'update' }>['patch']): UserRequest => ({
    action: 'update',
    userId,
    patch,
  });
  const create: UserRequest = { action: 'create' };

  const cases: readonly ScopeCase[] = [
    {
      name: 'read:users reads another user',
      scopes: ['read:users'],
      as: 'machine',
      request: get(OTHER_ID),
      outcome: 'allowed',
    },
    {
      name: 'read:users reads its own user',
      scopes: ['read:users'],
      as: 'jane',
      request: get(JANE_ID),
      outcome: 'allowed',
    },
    {
      name: 'read:current_user reads its own user',
      scopes: ['read:current_user'],
      as: 'jane',
      request: get(JANE_ID),
      outcome: 'allowed',
    },
    {
      name: 'read:current_user on another user',
      scopes: ['read:current_user'],
      as: 'jane',
      request: get(OTHER_ID),
      outcome: 'subject_mismatch',
    },
    { name: 'no scope cannot read', scopes: [], as: 'machine', request: get(OTHER_ID), outcome: 'insufficient_scope' },
    {
      name: 'update:users cannot read',
      scopes: ['update:users'],
      as: 'machine',
      request: get(OTHER_ID),
      outcome: 'insufficient_scope',
    },
    {
      name: 'update:current_user_metadata cannot read',
      scopes: ['update:current_user_metadata'],
      as: 'jane',
      request: get(JANE_ID),
      outcome: 'insufficient_scope',
    },
    { name: 'create:users creates', scopes: ['create:users'], as: 'machine', request: create, outcome: 'allowed' },
    { name: 'no scope cannot create', scopes: [], as: 'machine', request: create, outcome: 'insufficient_scope' },
    {
      name: 'update:users cannot create',
      scopes: ['update:users', 'read:users'],
      as: 'machine',
      request: create,
      outcome: 'insufficient_scope',
    },
    {
      name: 'create:current_user_metadata cannot create users',
      scopes: ['create:current_user_metadata'],
      as: 'jane',
      request: create,
      outcome: 'insufficient_scope',
    },
    {
      name: 'update:users patches root attributes of another user',
      scopes: ['update:users'],
      as: 'machine',
      request: update(OTHER_ID, { email: 'x@y.test', blocked: true, password: 'pw' }),
      outcome: 'allowed',
    },
    {
      name: 'update:users patches both metadata of another user',
      scopes: ['update:users'],
      as: 'machine',
      request: update(OTHER_ID, { user_metadata: { a: 1 }, app_metadata: { b: null } }),
      outcome: 'allowed',
    },
    {
      name: 'update:users_app_metadata patches app_metadata of another user',
      scopes: ['update:users_app_metadata'],
      as: 'machine',
      request: update(OTHER_ID, { app_metadata: { plan: 'full' } }),
      outcome: 'allowed',
    },
    {
      name: 'update:users_app_metadata deletes and clears app_metadata',
      scopes: ['update:users_app_metadata'],
      as: 'machine',
      request: update(OTHER_ID, { app_metadata: {} }),
      outcome: 'allowed',
    },
    {
      name: 'update:users_app_metadata patches app_metadata of its own user',
      scopes: ['update:users_app_metadata'],
      as: 'jane',
      request: update(JANE_ID, { app_metadata: { plan: null } }),
      outcome: 'allowed',
    },
    {
      name: 'update:users_app_metadata cannot patch user_metadata',
      scopes: ['update:users_app_metadata'],
      as: 'machine',
      request: update(OTHER_ID, { user_metadata: { a: 1 } }),
      outcome: 'insufficient_scope',
    },
    {
      name: 'update:users_app_metadata cannot patch a root attribute',
      scopes: ['update:users_app_metadata'],
      as: 'machine',
      request: update(OTHER_ID, { blocked: true }),
      outcome: 'insufficient_scope',
    },
    {
      name: 'update:users_app_metadata cannot add a root attribute to app_metadata',
      scopes: ['update:users_app_metadata'],
      as: 'machine',
      request: update(OTHER_ID, { app_metadata: { a: 1 }, nickname: 'x' }),
      outcome: 'insufficient_scope',
    },
    {
      name: 'update:current_user_metadata sets its own user_metadata',
      scopes: ['update:current_user_metadata'],
      as: 'jane',
      request: update(JANE_ID, { user_metadata: { theme: 'dark' } }),
      outcome: 'allowed',
    },
    {
      name: 'update:current_user_metadata deletes its own keys',
      scopes: ['update:current_user_metadata'],
      as: 'jane',
      request: update(JANE_ID, { user_metadata: { theme: null } }),
      outcome: 'allowed',
    },
    {
      name: 'update:current_user_metadata clears its own user_metadata',
      scopes: ['update:current_user_metadata'],
      as: 'jane',
      request: update(JANE_ID, { user_metadata: {} }),
      outcome: 'allowed',
    },
    {
      name: 'create:current_user_metadata sets its own user_metadata',
      scopes: ['create:current_user_metadata'],
      as: 'jane',
      request: update(JANE_ID, { user_metadata: { theme: 'dark' } }),
      outcome: 'allowed',
    },
    {
      name: 'create:current_user_metadata deletes its own keys',
      scopes: ['create:current_user_metadata'],
      as: 'jane',
      request: update(JANE_ID, { user_metadata: { theme: null } }),
      outcome: 'allowed',
    },
    {
      name: 'update:current_user_metadata on another user',
      scopes: ['update:current_user_metadata'],
      as: 'jane',
      request: update(OTHER_ID, { user_metadata: { theme: 'dark' } }),
      outcome: 'subject_mismatch',
    },
    {
      name: 'create:current_user_metadata on another user',
      scopes: ['create:current_user_metadata'],
      as: 'jane',
      request: update(OTHER_ID, { user_metadata: { theme: null } }),
      outcome: 'subject_mismatch',
    },
    {
      name: 'update:current_user_metadata cannot patch its own app_metadata',
      scopes: ['update:current_user_metadata'],
      as: 'jane',
      request: update(JANE_ID, { app_metadata: { plan: 'full' } }),
      outcome: 'insufficient_scope',
    },
    {
      name: 'update:current_user_metadata cannot change its own password',
      scopes: ['update:current_user_metadata'],
      as: 'jane',
      request: update(JANE_ID, { password: 'N3w-passw0rd!' }),
      outcome: 'insufficient_scope',
    },
    {
      name: 'update:current_user_metadata cannot add a root attribute to user_metadata',
      scopes: ['update:current_user_metadata'],
      as: 'jane',
      request: update(JANE_ID, { user_metadata: { a: 1 }, username: 'jane' }),
      outcome: 'insufficient_scope',
    },
    {
      name: 'both metadata scopes together patch both metadata of its own user',
      scopes: ['update:current_user_metadata', 'update:users_app_metadata'],
      as: 'jane',
      request: update(JANE_ID, { user_metadata: { a: 1 }, app_metadata: { b: 2 } }),
      outcome: 'allowed',
    },
    {
      name: 'both metadata scopes together: user_metadata of another user',
      scopes: ['update:current_user_metadata', 'update:users_app_metadata'],
      as: 'jane',
      request: update(OTHER_ID, { user_metadata: { a: 1 } }),
      outcome: 'subject_mismatch',
    },
    {
      name: 'read:users cannot patch',
      scopes: ['read:users'],
      as: 'machine',
      request: update(OTHER_ID, { user_metadata: { a: 1 } }),
      outcome: 'insufficient_scope',
    },
    {
      name: 'read:current_user cannot patch',
      scopes: ['read:current_user'],
      as: 'jane',
      request: update(JANE_ID, { user_metadata: { a: 1 } }),
      outcome: 'insufficient_scope',
    },
    {
      name: 'no scope cannot patch',
      scopes: [],
      as: 'jane',
      request: update(JANE_ID, { user_metadata: { a: 1 } }),
      outcome: 'insufficient_scope',
    },
  ];

  /** The 403 message of each refusal; the PATCH text is the one Auth0 sends (section 2). */
  function expectedMessage(outcome: Outcome, request: UserRequest): unknown {
    if (outcome === 'subject_mismatch') return 'User to be acted on does not match subject in bearer token.';
    if (request.action === 'update') {
      return 'Insufficient scope, expected any of: update:users,update:users_app_metadata,update:current_user_metadata';
    }
    return expect.stringMatching(/^Insufficient scope[,;] expected any of: /);
  }

  test.each(cases)('rule 29-30: $name ($outcome)', ({ scopes, as, request, outcome }) => {
    const token: TokenGrant = deepFreeze({
      scopes: [...scopes],
      subject: as === 'jane' ? JANE_ID : 'client-id@clients',
    });
    const result = authorizeUserRequest(token, deepFreeze(request));
    if (outcome === 'allowed') {
      expect(result).toStrictEqual({ success: true, value: request, warnings: [] });
    } else {
      expect(httpErrorOf(result)).toStrictEqual({
        status: 403,
        errorCode: 'insufficient_scope',
        message: expectedMessage(outcome, request),
      });
    }
  });
});

describe("the caller's own callbacks", () => {
  /** The error a broken callback throws: it must reach the caller as it is, not as an issue. */
  const broken = new Error('the clock broke');
  const brokenClock = {
    now: (): Date => {
      throw broken;
    },
  };
  const brokenIds = {
    now: () => new Date(LATER),
    generateId: (): string => {
      throw broken;
    },
  };
  const signup = { client_id: 'client', connection: CONNECTION, email: 'new@example.com', password: 'Passw0rd!' };

  test.each<[string, () => unknown]>([
    ['applyPatch with a throwing now', () => applyPatch(JANE, { user_metadata: { a: 1 } }, brokenClock)],
    ['analyzePatch with a throwing now', () => analyzePatch(JANE, { user_metadata: { a: 1 } }, brokenClock)],
    ['createUser with a throwing now', () => createUser(DATABASE_BODY, brokenClock)],
    ['createUser with a throwing generateId', () => createUser(DATABASE_BODY, brokenIds)],
    ['signupUser with a throwing generateId', () => signupUser(signup, brokenIds)],
  ])('%s throws that very error', (_name, call) => {
    expect(call).toThrow(broken);
  });

  test('runPostLoginActions with a throwing now rejects with that very error', async () => {
    const touch: PostLoginAction = (_event, api) => api.user.setUserMetadata('a', 1);
    await expect(runPostLoginActions(JANE, [touch], brokenClock)).rejects.toBe(broken);
  });

  /** Every export that takes write options, called with `options`. */
  const withOptions: readonly (readonly [string, (options: CreateUserOptions) => unknown])[] = [
    ['applyPatch', (options) => applyPatch(JANE, { user_metadata: { a: 1 } }, options)],
    ['analyzePatch', (options) => analyzePatch(JANE, { user_metadata: { a: 1 } }, options)],
    ['createUser', (options) => createUser(DATABASE_BODY, options)],
    ['signupUser', (options) => signupUser(signup, options)],
    [
      'an Actions flow commit',
      (options) => {
        const flow = createActionsFlow(JANE);
        flow.api.user.setUserMetadata('a', 1);
        return flow.commit(options);
      },
    ],
  ];
  const nested = withOptions.flatMap(([outer, callOuter]) =>
    withOptions.map(([inner, callInner]) => [outer, inner, callOuter, callInner] as const),
  );

  test.each(nested)(
    "%s, inside whose now %s fails with a broken clock: the callback sees the caller's own error",
    (_outer, _inner, callOuter, callInner) => {
      const seen: unknown[] = [];
      const clock = (): Date => {
        try {
          callInner(brokenIds);
          callInner(brokenClock);
        } catch (error) {
          seen.push(error);
        }
        return new Date(LATER);
      };
      callOuter({ now: clock, generateId: () => FIXED_ID });
      expect(seen.length).toBeGreaterThan(0);
      for (const error of seen) expect(error).toBe(broken);
    },
  );

  test.each(nested)(
    '%s, inside whose now %s throws through: the outer call throws that very error',
    (_outer, _inner, callOuter, callInner) => {
      const clock = (): Date => {
        callInner(brokenClock);
        return new Date(LATER);
      };
      expect(() => callOuter({ now: clock, generateId: () => FIXED_ID })).toThrow(broken);
    },
  );

  test('a thrown non-Error value is rethrown as it was', () => {
    const thrown = { reason: 'not an Error' };
    expect(() =>
      applyPatch(
        JANE,
        { user_metadata: { a: 1 } },
        {
          now: () => {
            throw thrown;
          },
        },
      ),
    ).toThrow(expect.objectContaining(thrown));
  });

  test('hostile input that throws still gives an issue, not an exception', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw broken;
        },
      },
    );
    expect(codesAndPaths(issuesOf(applyPatch(JANE, { user_metadata: { a: hostile } }, brokenClock)))).toStrictEqual([
      { code: 'not_json', path: ['user_metadata', 'a'] },
    ]);
  });
});
