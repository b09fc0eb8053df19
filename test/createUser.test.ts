/**
 * createUser: the examples of section 4 of the specification (rules 23-24) and of the section 1
 * rules that apply on create too, then its edge cases.
 */
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { createUser, MAX_METADATA_BYTES, MAX_PROFILE_BYTES, validateCreateUser } from '../src/index.js';
import {
  at,
  CONNECTION,
  codesAndPaths,
  DATABASE_BODY,
  deepFreeze,
  httpErrorOf,
  invalidBody,
  issuesOf,
  LATER,
  NOT_JSON_CASES,
  NOW,
  nestObjects,
  successValue,
} from './helpers.js';

describe('section 1 on create: rules 4 and 15', () => {
  test('rule 4: a user never given metadata has neither key', () => {
    const value = successValue(createUser(deepFreeze({ ...DATABASE_BODY }), at()));
    expect([Object.hasOwn(value, 'user_metadata'), Object.hasOwn(value, 'app_metadata')]).toStrictEqual([false, false]);
  });

  test('rule 15: a created email is stored lower-cased', () => {
    const value = successValue(createUser(deepFreeze({ ...DATABASE_BODY, email: 'Jane.DOE@Example.COM' }), at()));
    expect([value.email, value.name, value.nickname]).toStrictEqual([
      'jane.doe@example.com',
      'jane.doe@example.com',
      'jane.doe',
    ]);
  });
});

describe('section 1 on create: field names (rules 16-17)', () => {
  test('rule 16: a dotted key is rejected on create too', () => {
    const result = createUser(deepFreeze({ ...DATABASE_BODY, app_metadata: { 'billing.plan': 'full' } }), at());
    expect(httpErrorOf(result)).toStrictEqual(
      invalidBody(
        'Fields with "." are not allowed, please remove all dotted fields. Example: app_metadata.billing.plan',
      ),
    );
  });

  test('rule 17: a reserved name is rejected on create too', () => {
    const result = createUser(deepFreeze({ ...DATABASE_BODY, app_metadata: { user_id: 'x' } }), at());
    expect(codesAndPaths(issuesOf(result))).toStrictEqual([
      { code: 'reserved_key', path: ['app_metadata', 'user_id'] },
    ]);
  });
});

describe('section 4: POST /api/v2/users (createUser)', () => {
  test('rule 23: connection, email and password make a valid database user body', () => {
    expect(validateCreateUser(deepFreeze({ ...DATABASE_BODY }))).toStrictEqual({
      success: true,
      value: DATABASE_BODY,
      warnings: [],
    });
  });

  test('rule 23: connection is required', () => {
    const result = createUser(deepFreeze({ email: 'jane.doe@example.com', password: 'Passw0rd!' }), at());
    const issues = issuesOf(result);
    expect([
      httpErrorOf(result).status,
      httpErrorOf(result).errorCode,
      issues.map((issue) => (issue.code === 'missing_property' ? issue.property : issue.code)),
    ]).toStrictEqual([400, 'invalid_body', ['connection']]);
  });

  test('rule 23: a database connection also needs email and password', () => {
    const result = createUser(deepFreeze({ connection: CONNECTION }), at());
    const issues = issuesOf(result);
    expect([
      httpErrorOf(result).status,
      httpErrorOf(result).errorCode,
      issues.map((issue) => (issue.code === 'missing_property' ? issue.property : issue.code)),
    ]).toStrictEqual([400, 'invalid_body', ['email', 'password']]);
  });

  test('rule 23: unknown keys are a 400 "Additional properties not allowed"', () => {
    const result = createUser(deepFreeze({ ...DATABASE_BODY, logins_count: 1 }), at());
    expect(httpErrorOf(result)).toStrictEqual(
      invalidBody("Payload validation error: 'Additional properties not allowed: logins_count'."),
    );
  });

  test('rule 23: metadata of the wrong type is rejected as in rule 6', () => {
    const result = createUser(deepFreeze({ ...DATABASE_BODY, app_metadata: ['full'] }), at());
    expect(httpErrorOf(result)).toStrictEqual(
      invalidBody(
        "Payload validation error: 'Expected type object but found type array' on property app_metadata (User metadata to which this user has read-only access).",
      ),
    );
  });

  test('rule 23: metadata over 16 MB is rejected on create as in rule 18', () => {
    const result = createUser({ ...DATABASE_BODY, user_metadata: { blob: 'x'.repeat(MAX_METADATA_BYTES) } }, at());
    expect([httpErrorOf(result).status, httpErrorOf(result).errorCode, codesAndPaths(issuesOf(result))]).toStrictEqual([
      400,
      'invalid_body',
      [{ code: 'metadata_too_large', path: ['user_metadata'] }],
    ]);
  });

  test('rule 23: metadata is stored as given, nested null included', () => {
    const userMetadata = { hobby: 'surfing', addresses: { home: null }, tags: [] };
    const appMetadata = { plan: 'full', limits: { seats: 3 } };
    const value = successValue(
      createUser(deepFreeze({ ...DATABASE_BODY, user_metadata: userMetadata, app_metadata: appMetadata }), at()),
    );
    expect([value.user_metadata, value.app_metadata]).toStrictEqual([userMetadata, appMetadata]);
  });

  test('rule 23: user_metadata {} is stored, app_metadata {} is not', () => {
    const value = successValue(createUser(deepFreeze({ ...DATABASE_BODY, user_metadata: {}, app_metadata: {} }), at()));
    expect([value.user_metadata, Object.hasOwn(value, 'app_metadata')]).toStrictEqual([{}, false]);
  });

  test('rule 24: the created user has the id, identity, timestamps and defaults Auth0 gives', () => {
    const hash = createHash('md5').update('jane.doe@example.com').digest('hex');
    const result = createUser(deepFreeze({ ...DATABASE_BODY, user_metadata: { hobby: 'surfing' } }), at());
    expect(result).toStrictEqual({
      success: true,
      value: {
        user_id: 'auth0|65a1f0c2e4b0a1b2c3d4e5f6',
        email: 'jane.doe@example.com',
        email_verified: false,
        name: 'jane.doe@example.com',
        nickname: 'jane.doe',
        picture: expect.stringMatching(new RegExp(`^https://s\\.gravatar\\.com/avatar/${hash}(\\?.*)?$`)),
        identities: [
          { connection: CONNECTION, user_id: '65a1f0c2e4b0a1b2c3d4e5f6', provider: 'auth0', isSocial: false },
        ],
        created_at: NOW,
        updated_at: NOW,
        user_metadata: { hobby: 'surfing' },
      },
      warnings: [],
    });
  });

  test('rule 24: the default user id is auth0| plus 24 lower-case hex digits', () => {
    const value = successValue(createUser(deepFreeze({ ...DATABASE_BODY }), { now: () => new Date(NOW) }));
    const bare = value.user_id.replace(/^auth0\|/, '');
    expect([/^auth0\|[0-9a-f]{24}$/.test(value.user_id), value.identities[0]?.user_id]).toStrictEqual([true, bare]);
  });

  test('rule 24: a user_id in the body becomes auth0|<user_id>', () => {
    const value = successValue(createUser(deepFreeze({ ...DATABASE_BODY, user_id: 'jane-42' }), at()));
    expect([value.user_id, value.identities]).toStrictEqual([
      'auth0|jane-42',
      [{ connection: CONNECTION, user_id: 'jane-42', provider: 'auth0', isSocial: false }],
    ]);
  });

  test('rule 24: values sent replace the defaults', () => {
    const body = {
      ...DATABASE_BODY,
      name: 'Jane Doe',
      nickname: 'JD',
      email_verified: true,
      picture: 'https://x.test/p.png',
    };
    const value = successValue(createUser(deepFreeze(body), at()));
    expect([value.name, value.nickname, value.email_verified, value.picture]).toStrictEqual([
      'Jane Doe',
      'JD',
      true,
      'https://x.test/p.png',
    ]);
  });

  test('rule 24: last_login, logins_count, last_ip and blocked are absent until they happen', () => {
    const value = successValue(createUser(deepFreeze({ ...DATABASE_BODY }), at()));
    expect(
      ['last_login', 'logins_count', 'last_ip', 'blocked'].filter((key) => Object.hasOwn(value, key)),
    ).toStrictEqual([]);
  });

  test('rule 24: created_at equals updated_at', () => {
    const value = successValue(createUser(deepFreeze({ ...DATABASE_BODY }), at(LATER)));
    expect([value.created_at, value.updated_at]).toStrictEqual([LATER, LATER]);
  });
});

describe('inputs are never mutated', () => {
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
});

describe('prototype-named keys (__proto__, constructor, prototype)', () => {
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
});

describe('values JSON cannot carry: an issue with its path, never a throw', () => {
  test.each(NOT_JSON_CASES)('app_metadata on create with $kind', ({ metadata, code, path }) => {
    const result = createUser({ ...DATABASE_BODY, app_metadata: metadata }, at());
    expect(codesAndPaths(issuesOf(result))).toStrictEqual([{ code, path: ['app_metadata', ...path] }]);
  });
});

describe('deep nesting', () => {
  test('100,000 levels on create give a too_deep issue', () => {
    const result = createUser({ ...DATABASE_BODY, user_metadata: { deep: nestObjects(100_000) } }, at());
    expect(issuesOf(result).map((issue) => issue.code)).toStrictEqual(['too_deep']);
  });
});

describe('size limits', () => {
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
});
