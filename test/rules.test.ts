/**
 * One or more examples per numbered rule of the specification (shared/spec/auth0-metadata.md),
 * rule number first in each test name. Rule 31 (Actions batching) is not built yet.
 */
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import {
  applyPatch,
  authorizeUserRequest,
  createUser,
  type InvalidTokenIssue,
  MAX_METADATA_BYTES,
  MAX_PROFILE_BYTES,
  PATCHABLE_ATTRIBUTES,
  RESERVED_APP_METADATA_KEYS,
  selectFields,
  type TokenGrant,
  toAuth0Error,
  type User,
  type UserExistsIssue,
  type UserNotFoundIssue,
  validateCreateUser,
  validatePatch,
  validateSignupMetadata,
} from '../src/index.js';
import { RESERVED_APP_METADATA_NAMES } from './arbitraries.js';
import {
  at,
  codesAndPaths,
  deepFreeze,
  escapeRegExp,
  FIXED_ID,
  httpErrorOf,
  issuesOf,
  LATER,
  NOW,
  successValue,
} from './helpers.js';

const CONNECTION = 'Username-Password-Authentication';
const JANE_ID = `auth0|${FIXED_ID}`;
const OTHER_ID = 'auth0|000000000000000000000001';

/** A stored user as Auth0 returns it, with no metadata yet. */
const JANE: User = deepFreeze({
  user_id: JANE_ID,
  email: 'jane.doe@example.com',
  email_verified: false,
  name: 'jane.doe@example.com',
  nickname: 'jane.doe',
  picture: 'https://s.gravatar.com/avatar/0?s=480&r=pg&d=https%3A%2F%2Fcdn.auth0.com%2Favatars%2Fja.png',
  identities: [{ connection: CONNECTION, user_id: FIXED_ID, provider: 'auth0', isSocial: false }],
  created_at: NOW,
  updated_at: NOW,
});

/** JANE with some fields added or replaced, deep-frozen. */
function stored(fields: Partial<User>): User {
  return deepFreeze({ ...JANE, ...fields });
}

/** What Auth0 answers for a schema error on `property`, whatever the property's description says. */
function schemaMessage(detail: string, property: string): RegExp {
  return new RegExp(
    `^Payload validation error: '${escapeRegExp(detail)}' on property ${escapeRegExp(property)} \\(.+\\)\\.$`,
  );
}

/** The 400 `invalid_body` error with `message` (a string or a pattern). */
function invalidBody(message: string | RegExp): { status: number; errorCode: string; message: unknown } {
  return {
    status: 400,
    errorCode: 'invalid_body',
    message: typeof message === 'string' ? message : expect.stringMatching(message),
  };
}

const DATABASE_BODY = { connection: CONNECTION, email: 'jane.doe@example.com', password: 'Passw0rd!' } as const;

describe('section 1: PATCH /api/v2/users/{id} (applyPatch)', () => {
  test('rule 1: a first-level key replaces the stored value wholesale, other keys are kept', () => {
    const user = stored({
      user_metadata: { hobby: 'surfing', addresses: { home: { city: 'Anytown' }, work: { city: 'Worktown' } } },
    });
    const result = applyPatch(
      user,
      deepFreeze({ user_metadata: { addresses: { home: { zip: '12345' } } } }),
      at(LATER),
    );
    expect(result).toStrictEqual({
      success: true,
      value: { ...JANE, updated_at: LATER, user_metadata: { hobby: 'surfing', addresses: { home: { zip: '12345' } } } },
      warnings: [],
    });
  });

  test('rule 1: arrays below the first level are replaced, never concatenated', () => {
    const user = stored({ app_metadata: { roles: ['admin', 'editor'], plan: 'full' } });
    const result = applyPatch(user, deepFreeze({ app_metadata: { roles: ['viewer'] } }), at(LATER));
    expect(successValue(result).app_metadata).toStrictEqual({ roles: ['viewer'], plan: 'full' });
  });

  test('rule 1: keys absent from the patch are kept in both metadata objects', () => {
    const user = stored({ user_metadata: { theme: 'dark', lang: 'en' }, app_metadata: { plan: 'full', tier: 2 } });
    const result = applyPatch(
      user,
      deepFreeze({ user_metadata: { lang: 'fr' }, app_metadata: { tier: 3 } }),
      at(LATER),
    );
    const value = successValue(result);
    expect([value.user_metadata, value.app_metadata]).toStrictEqual([
      { theme: 'dark', lang: 'fr' },
      { plan: 'full', tier: 3 },
    ]);
  });

  test('rule 2: a first-level null deletes the key', () => {
    const user = stored({ user_metadata: { color: 'blue', lang: 'en' }, app_metadata: { plan: 'full', tier: 2 } });
    const result = applyPatch(
      user,
      deepFreeze({ user_metadata: { color: null }, app_metadata: { tier: null } }),
      at(LATER),
    );
    expect(result).toStrictEqual({
      success: true,
      value: { ...JANE, updated_at: LATER, user_metadata: { lang: 'en' }, app_metadata: { plan: 'full' } },
      warnings: [],
    });
  });

  test('rule 2: deleting a missing key is a no-op', () => {
    const user = stored({ user_metadata: { lang: 'en' }, app_metadata: { plan: 'full' } });
    const result = applyPatch(
      user,
      deepFreeze({ user_metadata: { nope: null }, app_metadata: { nope: null } }),
      at(LATER),
    );
    expect(result).toStrictEqual({
      success: true,
      value: { ...user, updated_at: LATER },
      warnings: [],
    });
  });

  test('rule 3: user_metadata {} clears every key instead of merging nothing', () => {
    const user = stored({ user_metadata: { hobby: 'surfing', lang: 'en' } });
    const result = applyPatch(user, deepFreeze({ user_metadata: {} }), at(LATER));
    expect(result).toStrictEqual({
      success: true,
      value: { ...JANE, updated_at: LATER, user_metadata: {} },
      warnings: [],
    });
  });

  test('rule 3: app_metadata {} clears every key', () => {
    const user = stored({ user_metadata: { hobby: 'surfing' }, app_metadata: { plan: 'full', roles: ['admin'] } });
    const result = applyPatch(user, deepFreeze({ app_metadata: {} }), at(LATER));
    expect(result).toStrictEqual({
      success: true,
      value: { ...JANE, updated_at: LATER, user_metadata: { hobby: 'surfing' } },
      warnings: [],
    });
  });

  test('rule 4: after clearing both, user_metadata is {} and app_metadata is gone', () => {
    const user = stored({ user_metadata: { hobby: 'surfing' }, app_metadata: { plan: 'full' } });
    const value = successValue(applyPatch(user, deepFreeze({ user_metadata: {}, app_metadata: {} }), at(LATER)));
    expect([value.user_metadata, Object.hasOwn(value, 'app_metadata')]).toStrictEqual([{}, false]);
  });

  test('rule 4: a user never given metadata has neither key', () => {
    const value = successValue(createUser(deepFreeze({ ...DATABASE_BODY }), at()));
    expect([Object.hasOwn(value, 'user_metadata'), Object.hasOwn(value, 'app_metadata')]).toStrictEqual([false, false]);
  });

  test('rule 4: deleting the last app_metadata key with null removes app_metadata', () => {
    const user = stored({ app_metadata: { plan: 'full' } });
    const result = applyPatch(user, deepFreeze({ app_metadata: { plan: null } }), at(LATER));
    expect(result).toStrictEqual({ success: true, value: { ...JANE, updated_at: LATER }, warnings: [] });
  });

  test('rule 4: deleting the last user_metadata key with null keeps user_metadata as {}', () => {
    const user = stored({ user_metadata: { hobby: 'surfing' } });
    const result = applyPatch(user, deepFreeze({ user_metadata: { hobby: null } }), at(LATER));
    expect(result).toStrictEqual({
      success: true,
      value: { ...JANE, updated_at: LATER, user_metadata: {} },
      warnings: [],
    });
  });

  test('rule 5: null below the first level is stored as sent', () => {
    const user = stored({ user_metadata: { addresses: { home: 'Anytown', work: 'Worktown' } } });
    const result = applyPatch(
      user,
      deepFreeze({ user_metadata: { addresses: { home: null, work: 'Worktown' }, list: [null, 1] } }),
      at(LATER),
    );
    expect(successValue(result).user_metadata).toStrictEqual({
      addresses: { home: null, work: 'Worktown' },
      list: [null, 1],
    });
  });

  test('rule 6: user_metadata null is a 400 with the Auth0 message', () => {
    const result = applyPatch(JANE, deepFreeze({ user_metadata: null }), at(LATER));
    expect(httpErrorOf(result)).toStrictEqual(
      invalidBody(
        "Payload validation error: 'Expected type object but found type null' on property user_metadata (User metadata to which this user has read/write access).",
      ),
    );
  });

  test.each([
    { value: 'dark', type: 'string' },
    { value: 42, type: 'integer' },
    { value: true, type: 'boolean' },
    { value: ['dark'], type: 'array' },
  ])('rule 6: user_metadata of type $type is a 400 naming the type', ({ value, type }) => {
    const result = applyPatch(JANE, deepFreeze({ user_metadata: value }), at(LATER));
    expect(httpErrorOf(result)).toStrictEqual(
      invalidBody(
        `Payload validation error: 'Expected type object but found type ${type}' on property user_metadata (User metadata to which this user has read/write access).`,
      ),
    );
  });

  test('rule 6: a fractional number as metadata is reported as type number', () => {
    const result = applyPatch(JANE, deepFreeze({ user_metadata: 4.5 }), at(LATER));
    expect(httpErrorOf(result).message).toMatch(
      /^Payload validation error: 'Expected type object but found type number' /,
    );
  });

  test.each([
    { value: null, type: 'null' },
    { value: 'full', type: 'string' },
    { value: 1.5, type: 'number' },
    { value: false, type: 'boolean' },
    { value: [], type: 'array' },
  ])('rule 6: app_metadata of type $type is a 400 with the read-only description', ({ value, type }) => {
    const result = applyPatch(JANE, deepFreeze({ app_metadata: value }), at(LATER));
    expect(httpErrorOf(result)).toStrictEqual(
      invalidBody(
        `Payload validation error: 'Expected type object but found type ${type}' on property app_metadata (User metadata to which this user has read-only access).`,
      ),
    );
  });

  test('rule 7: root attributes are replaced, not merged', () => {
    const user = stored({ name: 'Jane', given_name: 'Jane' });
    const result = applyPatch(user, deepFreeze({ name: 'Jane Doe', blocked: true }), at(LATER));
    expect(result).toStrictEqual({
      success: true,
      value: { ...JANE, name: 'Jane Doe', given_name: 'Jane', blocked: true, updated_at: LATER },
      warnings: [],
    });
  });

  test('rule 7: null unsets a nullable string attribute', () => {
    const user = stored({ given_name: 'Jane', family_name: 'Doe', phone_number: '+15551234567' });
    const result = applyPatch(user, deepFreeze({ given_name: null, phone_number: null }), at(LATER));
    expect(result).toStrictEqual({
      success: true,
      value: { ...JANE, family_name: 'Doe', updated_at: LATER },
      warnings: [],
    });
  });

  test('rule 7: null on a non-nullable attribute (email) is a 400', () => {
    const result = applyPatch(JANE, deepFreeze({ email: null }), at(LATER));
    expect(httpErrorOf(result)).toStrictEqual(invalidBody(/^Payload validation error: .* on property email /));
  });

  test('rule 7: exactly the documented attributes are accepted in a PATCH body', () => {
    expect([...PATCHABLE_ATTRIBUTES].sort()).toStrictEqual(
      [
        'blocked',
        'email',
        'email_verified',
        'family_name',
        'given_name',
        'name',
        'nickname',
        'password',
        'phone_number',
        'phone_verified',
        'picture',
        'username',
        'user_metadata',
        'app_metadata',
        'verify_email',
        'connection',
        'client_id',
        'verify_phone_number',
      ].sort(),
    );
  });

  test('rule 7: each updatable attribute is accepted on its own', () => {
    const bodies = [
      { blocked: true },
      { email: 'jane@example.com' },
      { email_verified: true },
      { family_name: 'Doe' },
      { given_name: 'Jane' },
      { name: 'Jane Doe' },
      { nickname: 'jd' },
      { password: 'N3w-passw0rd!' },
      { phone_number: '+15551234567' },
      { phone_verified: true },
      { picture: 'https://example.com/jane.png' },
      { username: 'jane' },
      { user_metadata: { a: 1 } },
      { app_metadata: { b: 2 } },
      { verify_email: false },
    ];
    expect(bodies.map((body) => validatePatch(deepFreeze(body)).success)).toStrictEqual(bodies.map(() => true));
  });

  test('rule 7: connection, client_id and verify_email are accepted but not stored', () => {
    const body = { email: 'jane@example.com', connection: CONNECTION, client_id: 'abc123', verify_email: false };
    const result = applyPatch(JANE, deepFreeze(body), at(LATER));
    expect(result).toStrictEqual({
      success: true,
      value: { ...JANE, email: 'jane@example.com', updated_at: LATER },
      warnings: [],
    });
  });

  test('rule 7: verify_phone_number is accepted but not stored', () => {
    const result = applyPatch(JANE, deepFreeze({ phone_number: '+15551234567', verify_phone_number: true }), at(LATER));
    expect(result).toStrictEqual({
      success: true,
      value: { ...JANE, phone_number: '+15551234567', updated_at: LATER },
      warnings: [],
    });
  });

  test('rule 7: password is never returned in the user', () => {
    const result = applyPatch(JANE, deepFreeze({ password: 'N3w-passw0rd!', connection: CONNECTION }), at(LATER));
    expect(result).toStrictEqual({
      success: true,
      value: { ...JANE, updated_at: LATER, last_password_reset: LATER },
      warnings: [],
    });
  });

  test('rule 8: unknown root attributes are a 400 listing them, joined by ","', () => {
    const result = applyPatch(JANE, deepFreeze({ name: 'Jane', logins_count: 3, user_id: 'x' }), at(LATER));
    expect(httpErrorOf(result)).toStrictEqual(
      invalidBody("Payload validation error: 'Additional properties not allowed: logins_count,user_id'."),
    );
  });

  test('rule 9: an empty body is a 400 "None of the valid schemas were met"', () => {
    const result = applyPatch(JANE, deepFreeze({}), at(LATER));
    expect(httpErrorOf(result)).toStrictEqual(
      invalidBody(/^Payload validation error: 'None of the valid schemas were met'\.( Inner errors: \[.*\]\.?)?$/),
    );
  });

  test.each([
    { body: null, type: 'null' },
    { body: [{ user_metadata: {} }], type: 'array' },
    { body: 'user_metadata', type: 'string' },
  ])('rule 10: a $type body is a 400 with no "on property" part', ({ body, type }) => {
    const result = applyPatch(JANE, deepFreeze(body), at(LATER));
    expect(httpErrorOf(result)).toStrictEqual(
      invalidBody(`Payload validation error: 'Expected type object but found type ${type}'.`),
    );
  });

  test.each([
    { attribute: 'given_name', maximum: 150 },
    { attribute: 'family_name', maximum: 150 },
    { attribute: 'name', maximum: 300 },
    { attribute: 'nickname', maximum: 300 },
    { attribute: 'username', maximum: 128 },
  ])('rule 11: $attribute accepts 1 and $maximum characters', ({ attribute, maximum }) => {
    const results = ['a', 'a'.repeat(maximum)].map((text) =>
      successValue(validatePatch(deepFreeze({ [attribute]: text }))),
    );
    expect(results).toStrictEqual([{ [attribute]: 'a' }, { [attribute]: 'a'.repeat(maximum) }]);
  });

  test.each([
    { attribute: 'given_name', maximum: 150 },
    { attribute: 'family_name', maximum: 150 },
    { attribute: 'name', maximum: 300 },
    { attribute: 'nickname', maximum: 300 },
    { attribute: 'username', maximum: 128 },
  ])('rule 11: $attribute longer than $maximum characters is a 400', ({ attribute, maximum }) => {
    const result = applyPatch(JANE, deepFreeze({ [attribute]: 'a'.repeat(maximum + 1) }), at(LATER));
    expect(httpErrorOf(result)).toStrictEqual(
      invalidBody(schemaMessage(`String is too long (${maximum + 1} chars), maximum ${maximum}`, attribute)),
    );
  });

  test.each(['given_name', 'family_name', 'name', 'nickname', 'username'])(
    'rule 11: an empty %s is a 400 "String is too short"',
    (attribute) => {
      const result = applyPatch(JANE, deepFreeze({ [attribute]: '' }), at(LATER));
      expect(httpErrorOf(result)).toStrictEqual(
        invalidBody(schemaMessage('String is too short (0 chars), minimum 1', attribute)),
      );
    },
  );

  test('rule 11: an empty connection is a 400 with the message Auth0 sends', () => {
    const result = applyPatch(JANE, deepFreeze({ email: 'jane@example.com', connection: '' }), at(LATER));
    expect(httpErrorOf(result)).toStrictEqual(
      invalidBody(
        "Payload validation error: 'String is too short (0 chars), minimum 1' on property connection (The connection name. This field is not itself updateable but is needed when updating email, email_verified, username or password).",
      ),
    );
  });

  test.each(['+1', '+15551234567', `+${'9'.repeat(15)}`])(
    'rule 11: phone_number %s matches ^\\+[0-9]{1,15}$',
    (phone) => {
      expect(successValue(validatePatch(deepFreeze({ phone_number: phone })))).toStrictEqual({ phone_number: phone });
    },
  );

  test.each(['15551234567', '+', `+${'9'.repeat(16)}`, '+1 555 123', '+1-555'])(
    'rule 11: phone_number %s is a 400',
    (phone) => {
      const result = applyPatch(JANE, deepFreeze({ phone_number: phone }), at(LATER));
      expect([
        httpErrorOf(result).status,
        httpErrorOf(result).errorCode,
        codesAndPaths(issuesOf(result)),
      ]).toStrictEqual([400, 'invalid_body', [{ code: 'pattern_mismatch', path: ['phone_number'] }]]);
    },
  );

  test.each([
    { body: { password: 'N3w-passw0rd!', email: 'jane@example.com' }, pair: 'password and email' },
    { body: { password: 'N3w-passw0rd!', email_verified: true }, pair: 'password and email_verified' },
    { body: { username: 'jane', email: 'jane@example.com' }, pair: 'username and email' },
    { body: { username: 'jane', email_verified: true }, pair: 'username and email_verified' },
    { body: { username: 'jane', password: 'N3w-passw0rd!' }, pair: 'username and password' },
  ])('rule 12: $pair cannot change together', ({ body, pair }) => {
    const result = applyPatch(JANE, deepFreeze(body), at(LATER));
    expect(httpErrorOf(result)).toStrictEqual(invalidBody(`Cannot update ${pair} simultaneously.`));
  });

  test('rule 13: updated_at is the injected time, ISO-8601 UTC with milliseconds', () => {
    const value = successValue(applyPatch(JANE, deepFreeze({ user_metadata: { theme: 'dark' } }), at(LATER)));
    expect([value.updated_at, value.created_at]).toStrictEqual(['2026-02-01T12:34:56.789Z', NOW]);
  });

  test('rule 13: a whole-second time still has three digits of milliseconds', () => {
    const value = successValue(applyPatch(JANE, deepFreeze({ blocked: false }), at('2026-03-04T05:06:07Z')));
    expect(value.updated_at).toBe('2026-03-04T05:06:07.000Z');
  });

  test('rule 13: every successful PATCH sets updated_at, even one that changes nothing', () => {
    const user = stored({ user_metadata: { theme: 'dark' } });
    const first = successValue(applyPatch(user, deepFreeze({ user_metadata: { theme: 'dark' } }), at(LATER)));
    const second = successValue(
      applyPatch(first, deepFreeze({ user_metadata: { theme: 'dark' } }), at('2026-03-01T00:00:00.001Z')),
    );
    expect([first.updated_at, second.updated_at]).toStrictEqual([LATER, '2026-03-01T00:00:00.001Z']);
  });

  test('rule 14: existing metadata keys keep their place, new keys are appended', () => {
    const user = stored({ user_metadata: { a: 1, b: 2, c: 3 } });
    const value = successValue(applyPatch(user, deepFreeze({ user_metadata: { d: 4, b: 20, a: 10 } }), at(LATER)));
    expect(Object.keys(value.user_metadata ?? {})).toStrictEqual(['a', 'b', 'c', 'd']);
  });

  test('rule 14: existing root keys keep their place, new root keys are appended', () => {
    const value = successValue(applyPatch(JANE, deepFreeze({ given_name: 'Jane', name: 'Jane Doe' }), at(LATER)));
    expect(Object.keys(value)).toStrictEqual([...Object.keys(JANE), 'given_name']);
  });

  test('rule 15: a PATCHed email is stored lower-cased', () => {
    const value = successValue(applyPatch(JANE, deepFreeze({ email: 'Jane.DOE@Example.COM' }), at(LATER)));
    expect(value.email).toBe('jane.doe@example.com');
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

describe('section 1: field-name rules and sizes (PATCH and create)', () => {
  test('rule 16: a dot in a first-level key is a 400 with the Auth0 message', () => {
    const result = applyPatch(JANE, deepFreeze({ user_metadata: { 'foo.bar': 12345 } }), at(LATER));
    expect(httpErrorOf(result)).toStrictEqual(
      invalidBody('Fields with "." are not allowed, please remove all dotted fields. Example: user_metadata.foo.bar'),
    );
  });

  test('rule 16: a dot in a nested key is rejected, the example is its full path', () => {
    const result = applyPatch(JANE, deepFreeze({ user_metadata: { preferences: { 'ui.theme': 'dark' } } }), at(LATER));
    expect(httpErrorOf(result)).toStrictEqual(
      invalidBody(
        'Fields with "." are not allowed, please remove all dotted fields. Example: user_metadata.preferences.ui.theme',
      ),
    );
  });

  test('rule 16: a dot in a key inside an array uses [i] in the example', () => {
    const result = applyPatch(JANE, deepFreeze({ app_metadata: { roles: [{ name: 'a' }, { 'a.b': 1 }] } }), at(LATER));
    expect(httpErrorOf(result)).toStrictEqual(
      invalidBody(
        'Fields with "." are not allowed, please remove all dotted fields. Example: app_metadata.roles[1].a.b',
      ),
    );
  });

  test('rule 16: the example names the first offending key', () => {
    const result = applyPatch(
      JANE,
      deepFreeze({ user_metadata: { ok: 1, 'first.key': 2, 'second.key': 3 } }),
      at(LATER),
    );
    expect(httpErrorOf(result).message).toBe(
      'Fields with "." are not allowed, please remove all dotted fields. Example: user_metadata.first.key',
    );
  });

  test('rule 16: a $ in a key is a 400 invalid_body with the same sentence for "$"', () => {
    const result = applyPatch(JANE, deepFreeze({ user_metadata: { nested: { $set: 1 } } }), at(LATER));
    expect(httpErrorOf(result)).toStrictEqual(
      invalidBody(
        /^Fields with "\$" are not allowed, please remove all ("\$"|dotted) fields\. Example: user_metadata\.nested\.\$set$/,
      ),
    );
  });

  test('rule 16: dots and $ in values are fine', () => {
    const metadata = { site: 'example.com', price: '$5', nested: { list: ['a.b', '$c'] } };
    const value = successValue(applyPatch(JANE, deepFreeze({ user_metadata: metadata }), at(LATER)));
    expect(value.user_metadata).toStrictEqual(metadata);
  });

  test('rule 16: a dotted key is rejected on create too', () => {
    const result = createUser(deepFreeze({ ...DATABASE_BODY, app_metadata: { 'billing.plan': 'full' } }), at());
    expect(httpErrorOf(result)).toStrictEqual(
      invalidBody(
        'Fields with "." are not allowed, please remove all dotted fields. Example: app_metadata.billing.plan',
      ),
    );
  });

  test('rule 17: the reserved app_metadata names are exactly the 18 documented ones', () => {
    expect([...RESERVED_APP_METADATA_KEYS].sort()).toStrictEqual([...RESERVED_APP_METADATA_NAMES].sort());
  });

  test.each([
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
  ])('rule 17: app_metadata.%s is a 400 "Data matches schema from \'not\'"', (name) => {
    const result = applyPatch(JANE, deepFreeze({ app_metadata: { [name]: 'x' } }), at(LATER));
    expect(httpErrorOf(result)).toStrictEqual(
      invalidBody(
        new RegExp(
          `^Payload validation error: 'Data matches schema from 'not'' on property app_metadata\\.${escapeRegExp(name)}( \\(.*\\))?\\.$`,
        ),
      ),
    );
  });

  test('rule 17: a reserved name is rejected even with null', () => {
    const result = applyPatch(
      stored({ app_metadata: { plan: 'full' } }),
      deepFreeze({ app_metadata: { email: null } }),
      at(LATER),
    );
    expect(codesAndPaths(issuesOf(result))).toStrictEqual([{ code: 'reserved_key', path: ['app_metadata', 'email'] }]);
  });

  test('rule 17: reserved names are case-sensitive, first-level only, and free in user_metadata', () => {
    const body = {
      app_metadata: { Email: 'x', profile: { email: 'x', user_id: 'y' } },
      user_metadata: { email: 'x', blocked: true },
    };
    const value = successValue(applyPatch(JANE, deepFreeze(body), at(LATER)));
    expect([value.app_metadata, value.user_metadata]).toStrictEqual([body.app_metadata, body.user_metadata]);
  });

  test('rule 17: a reserved name is rejected on create too', () => {
    const result = createUser(deepFreeze({ ...DATABASE_BODY, app_metadata: { user_id: 'x' } }), at());
    expect(codesAndPaths(issuesOf(result))).toStrictEqual([
      { code: 'reserved_key', path: ['app_metadata', 'user_id'] },
    ]);
  });

  test('rule 18: metadata over 16 MB of JSON is a 400 metadata_too_large', () => {
    const body = { user_metadata: { blob: 'x'.repeat(MAX_METADATA_BYTES) } };
    const result = applyPatch(JANE, body, at(LATER));
    expect([httpErrorOf(result).status, httpErrorOf(result).errorCode, codesAndPaths(issuesOf(result))]).toStrictEqual([
      400,
      'invalid_body',
      [{ code: 'metadata_too_large', path: ['user_metadata'] }],
    ]);
  });

  test('rule 18: the 16 MB limit is 16 * 1024 * 1024 bytes', () => {
    expect(MAX_METADATA_BYTES).toBe(16 * 1024 * 1024);
  });

  test('rule 18: a profile over 10 KB is written, with a profile_too_large warning', () => {
    const bio = 'x'.repeat(MAX_PROFILE_BYTES);
    const result = applyPatch(JANE, deepFreeze({ user_metadata: { bio } }), at(LATER));
    const value = { ...JANE, updated_at: LATER, user_metadata: { bio } };
    expect(result).toStrictEqual({
      success: true,
      value,
      warnings: [
        {
          code: 'profile_too_large',
          path: [],
          bytes: Buffer.byteLength(JSON.stringify(value)),
          limit: MAX_PROFILE_BYTES,
          message: expect.any(String),
        },
      ],
    });
  });
});

describe('section 2: error bodies (toAuth0Error)', () => {
  test('section 2: a validation error is the full Management API 400 body', () => {
    const result = applyPatch(JANE, null, at(LATER));
    expect(toAuth0Error(issuesOf(result))).toStrictEqual({
      api: 'management',
      status: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        message: "Payload validation error: 'Expected type object but found type null'.",
        errorCode: 'invalid_body',
      },
    });
  });

  test('section 2: an unknown user is the 404 inexistent_user body', () => {
    const issue: UserNotFoundIssue = { code: 'user_not_found', path: [], message: 'The user does not exist.' };
    expect(toAuth0Error([issue])).toStrictEqual({
      api: 'management',
      status: 404,
      body: { statusCode: 404, error: 'Not Found', message: 'The user does not exist.', errorCode: 'inexistent_user' },
    });
  });

  test('section 2: a PATCH without a fitting scope is the 403 body, scopes joined without spaces', () => {
    const token: TokenGrant = { scopes: ['read:users'], subject: 'client@clients' };
    const result = authorizeUserRequest(token, { action: 'update', userId: JANE_ID, patch: { name: 'Jane' } });
    expect(toAuth0Error(issuesOf(result))).toStrictEqual({
      api: 'management',
      status: 403,
      body: {
        statusCode: 403,
        error: 'Forbidden',
        message:
          'Insufficient scope, expected any of: update:users,update:users_app_metadata,update:current_user_metadata',
        errorCode: 'insufficient_scope',
      },
    });
  });

  test('section 2: a duplicate user on the Management API is the 409 body', () => {
    const issue: UserExistsIssue = { code: 'user_exists', path: [], message: 'The user already exists.' };
    expect(toAuth0Error([issue])).toStrictEqual({
      api: 'management',
      status: 409,
      body: { statusCode: 409, error: 'Conflict', message: 'The user already exists.', errorCode: 'auth0_idp_error' },
    });
  });

  test('section 2: a bad token is the 401 body', () => {
    const issue: InvalidTokenIssue = { code: 'invalid_token', path: [], message: 'Invalid token' };
    expect(toAuth0Error([issue])).toStrictEqual({
      api: 'management',
      status: 401,
      body: { statusCode: 401, error: 'Unauthorized', message: 'Invalid token', errorCode: 'invalid_token' },
    });
  });

  test('section 2: several schema errors are joined with " (also) "', () => {
    const result = applyPatch(JANE, deepFreeze({ given_name: '', family_name: 'x'.repeat(151) }), at(LATER));
    expect(httpErrorOf(result)).toStrictEqual(
      invalidBody(
        /^Payload validation error: 'String is too short \(0 chars\), minimum 1' on property given_name \(.+\)\. \(also\) Payload validation error: 'String is too long \(151 chars\), maximum 150' on property family_name \(.+\)\.$/,
      ),
    );
  });

  test('section 2: unknown attributes and a wrong type are both reported', () => {
    const result = applyPatch(JANE, deepFreeze({ foo: 1, app_metadata: 'x' }), at(LATER));
    expect(httpErrorOf(result)).toStrictEqual(
      invalidBody(
        "Payload validation error: 'Additional properties not allowed: foo'. (also) Payload validation error: 'Expected type object but found type string' on property app_metadata (User metadata to which this user has read-only access).",
      ),
    );
  });

  test('section 2: a nested path is dotted with [i] for array indexes', () => {
    const result = applyPatch(JANE, deepFreeze({ user_metadata: { scores: [1, Number.NaN] } }), at(LATER));
    expect(httpErrorOf(result)).toStrictEqual(
      invalidBody(/^Payload validation error: '.+' on property user_metadata\.scores\[1\]( \(.+\))?\.$/),
    );
  });
});

describe('section 3: POST /dbconnections/signup (validateSignupMetadata)', () => {
  /** The signup error body for `message`, as rule 21 decides it. */
  function signupError(message: string): unknown {
    return {
      api: 'authentication',
      status: 400,
      body: { name: 'BadRequestError', code: message, description: message, statusCode: 400 },
    };
  }

  test.each([
    { metadata: null, kind: 'null' },
    { metadata: 'hobby=surfing', kind: 'a string' },
    { metadata: ['surfing'], kind: 'an array' },
    { metadata: 42, kind: 'a number' },
  ])('rule 19: user_metadata as $kind is rejected', ({ metadata }) => {
    const result = validateSignupMetadata(deepFreeze(metadata));
    expect(toAuth0Error(issuesOf(result), 'authentication')).toStrictEqual(
      signupError('invalid user_metadata type (expected object)'),
    );
  });

  test('rule 19: an object of strings is accepted as sent', () => {
    expect(validateSignupMetadata(deepFreeze({ hobby: 'surfing' }))).toStrictEqual({
      success: true,
      value: { hobby: 'surfing' },
      warnings: [],
    });
  });

  test('rule 20: ten string properties of 500 characters each are accepted (per value, not in total)', () => {
    const metadata = Object.fromEntries(Array.from({ length: 10 }, (_, index) => [`key${index}`, 'v'.repeat(500)]));
    expect(validateSignupMetadata(deepFreeze(metadata))).toStrictEqual({
      success: true,
      value: metadata,
      warnings: [],
    });
  });

  test.each([
    { value: 42, kind: 'a number' },
    { value: true, kind: 'a boolean' },
    { value: null, kind: 'null' },
    { value: { city: 'Anytown' }, kind: 'a nested object' },
    { value: ['a'], kind: 'an array' },
  ])('rule 20: $kind as a value is rejected, only strings are allowed', ({ value }) => {
    const result = validateSignupMetadata(deepFreeze({ hobby: 'surfing', consent: value }));
    expect(toAuth0Error(issuesOf(result), 'authentication')).toStrictEqual(
      signupError('invalid user_metadata.consent type (only strings are allowed)'),
    );
  });

  test('rule 21: eleven properties are rejected', () => {
    const metadata = Object.fromEntries(Array.from({ length: 11 }, (_, index) => [`key${index}`, 'v']));
    const result = validateSignupMetadata(deepFreeze(metadata));
    expect(toAuth0Error(issuesOf(result), 'authentication')).toStrictEqual(
      signupError('invalid user_metadata (more than 10 properties)'),
    );
  });

  test('rule 21: a 100-character name is accepted, a 101-character one rejected', () => {
    const accepted = validateSignupMetadata(deepFreeze({ ['n'.repeat(100)]: 'v' }));
    const name = 'n'.repeat(101);
    const rejected = validateSignupMetadata(deepFreeze({ [name]: 'v' }));
    expect([accepted.success, toAuth0Error(issuesOf(rejected), 'authentication')]).toStrictEqual([
      true,
      signupError(`invalid user_metadata.${name} name (longer than 100 characters)`),
    ]);
  });

  test('rule 21: a 500-character value is accepted, a 501-character one rejected', () => {
    const accepted = validateSignupMetadata(deepFreeze({ bio: 'v'.repeat(500) }));
    const rejected = validateSignupMetadata(deepFreeze({ bio: 'v'.repeat(501) }));
    expect([accepted.success, toAuth0Error(issuesOf(rejected), 'authentication')]).toStrictEqual([
      true,
      signupError('invalid user_metadata.bio value (longer than 500 characters)'),
    ]);
  });

  test('rule 21: lengths count Unicode code points, not UTF-16 units', () => {
    const emoji = '\u{1F3C4}';
    const accepted = validateSignupMetadata(deepFreeze({ [emoji.repeat(100)]: emoji.repeat(500) }));
    const rejected = validateSignupMetadata(deepFreeze({ bio: emoji.repeat(501) }));
    expect([accepted.success, toAuth0Error(issuesOf(rejected), 'authentication')]).toStrictEqual([
      true,
      signupError('invalid user_metadata.bio value (longer than 500 characters)'),
    ]);
  });

  test('rule 21: a dot in a name is rejected with the rule-16 message', () => {
    const result = validateSignupMetadata(deepFreeze({ 'foo.bar': 'x' }));
    expect(toAuth0Error(issuesOf(result), 'authentication')).toStrictEqual(
      signupError('Fields with "." are not allowed, please remove all dotted fields. Example: user_metadata.foo.bar'),
    );
  });

  test('rule 21: a $ in a name is rejected with the rule-16 sentence for "$"', () => {
    const result = validateSignupMetadata(deepFreeze({ $where: 'x' }));
    expect(httpErrorOf(result, 'authentication')).toStrictEqual({
      status: 400,
      errorCode: expect.stringMatching(
        /^Fields with "\$" are not allowed, please remove all ("\$"|dotted) fields\. Example: user_metadata\.\$where$/,
      ),
      message: expect.stringMatching(/^Fields with "\$" are not allowed/),
    });
  });

  test('rule 22: a duplicate email on signup is the 400 user_exists body', () => {
    const issue: UserExistsIssue = { code: 'user_exists', path: [], message: 'The user already exists.' };
    expect(toAuth0Error([issue], 'authentication')).toStrictEqual({
      api: 'authentication',
      status: 400,
      body: { name: 'BadRequestError', code: 'user_exists', description: 'The user already exists.', statusCode: 400 },
    });
  });

  test('rule 22: the metadata echoed in the success response is the metadata sent', () => {
    const metadata = { hobby: 'surfing', plan: 'free' };
    expect(successValue(validateSignupMetadata(deepFreeze(metadata)))).toStrictEqual(metadata);
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

describe('section 5: GET /api/v2/users/{id}?fields= (selectFields)', () => {
  const user = stored({ user_metadata: { hobby: 'surfing', lang: 'en' }, app_metadata: { plan: 'full' } });

  test('rule 25: fields is a comma-separated list kept with include_fields=true', () => {
    expect(selectFields(user, { fields: 'email,user_metadata', include_fields: 'true' })).toStrictEqual({
      success: true,
      value: { email: 'jane.doe@example.com', user_metadata: { hobby: 'surfing', lang: 'en' } },
      warnings: [],
    });
  });

  test('rule 25: include_fields=false removes the listed fields', () => {
    const { user_metadata: _userMetadata, app_metadata: _appMetadata, ...rest } = user;
    expect(selectFields(user, { fields: 'user_metadata,app_metadata', include_fields: 'false' })).toStrictEqual({
      success: true,
      value: rest,
      warnings: [],
    });
  });

  test.each([
    { query: {}, kind: 'absent' },
    { query: { fields: '' }, kind: 'empty' },
    { query: { fields: null }, kind: 'null' },
    { query: { fields: '', include_fields: 'false' }, kind: 'empty, with include_fields=false,' },
  ])('rule 25: $kind fields means all fields', ({ query }) => {
    expect(selectFields(user, query)).toStrictEqual({ success: true, value: user, warnings: [] });
  });

  test('rule 25: include_fields defaults to true', () => {
    expect(successValue(selectFields(user, { fields: 'email' }))).toStrictEqual({ email: 'jane.doe@example.com' });
  });

  test('rule 26: user_id is not forced into the result', () => {
    expect(successValue(selectFields(user, { fields: 'user_metadata' }))).toStrictEqual({
      user_metadata: { hobby: 'surfing', lang: 'en' },
    });
  });

  test('rule 26: a listed field the user lacks is simply omitted', () => {
    expect(successValue(selectFields(JANE, { fields: 'app_metadata,user_metadata,given_name' }))).toStrictEqual({});
  });

  test('rule 27: names are trimmed and empty entries ignored', () => {
    expect(successValue(selectFields(user, { fields: ' email , ,app_metadata ,' }))).toStrictEqual({
      email: 'jane.doe@example.com',
      app_metadata: { plan: 'full' },
    });
  });

  test('rule 27: unknown names are ignored', () => {
    expect(successValue(selectFields(user, { fields: 'email,favourite_colour' }))).toStrictEqual({
      email: 'jane.doe@example.com',
    });
  });

  test('rule 27: user_metadata.hobby selects one first-level key inside the metadata', () => {
    expect(successValue(selectFields(user, { fields: 'user_metadata.hobby' }))).toStrictEqual({
      user_metadata: { hobby: 'surfing' },
    });
  });

  test.each([
    { include: true, expected: { email: 'jane.doe@example.com' } },
    { include: 'true', expected: { email: 'jane.doe@example.com' } },
  ])('rule 27: include_fields $include (boolean or string) includes', ({ include, expected }) => {
    expect(successValue(selectFields(user, { fields: 'email', include_fields: include }))).toStrictEqual(expected);
  });

  test.each([false, 'false'])('rule 27: include_fields %s (boolean or string) excludes', (include) => {
    const { email: _email, ...rest } = user;
    expect(successValue(selectFields(user, { fields: 'email', include_fields: include }))).toStrictEqual(rest);
  });

  test.each(['maybe', '1', 'yes', 'TRUE'])('rule 27: include_fields=%s is a 400 invalid_query_string', (include) => {
    const result = selectFields(user, { fields: 'email', include_fields: include });
    expect([httpErrorOf(result).status, httpErrorOf(result).errorCode]).toStrictEqual([400, 'invalid_query_string']);
  });

  test.each<[string, unknown, readonly (string | number)[], string]>([
    [
      'a number',
      3,
      ['fields'],
      'Invalid value for fields: expected a comma-separated string or an array of strings, found number',
    ],
    [
      'an object',
      { email: true },
      ['fields'],
      'Invalid value for fields: expected a comma-separated string or an array of strings, found object',
    ],
    [
      'an array holding a number',
      ['email', 7],
      ['fields', 1],
      'Invalid value for fields[1]: expected a string, found number',
    ],
    ['an array holding null', [null], ['fields', 0], 'Invalid value for fields[0]: expected a string, found null'],
  ])('fields as %s (from code, not a URL) is an invalid_query issue at its path', (_name, fields, path, message) => {
    const result: unknown = Reflect.apply(selectFields, undefined, [user, { fields }]);
    expect(result).toStrictEqual({
      success: false,
      issues: [{ code: 'invalid_query', path, parameter: 'fields', message }],
    });
  });

  test('rule 28: an unknown user is a 404 inexistent_user', () => {
    const issue: UserNotFoundIssue = { code: 'user_not_found', path: [], message: 'The user does not exist.' };
    const error = toAuth0Error([issue]);
    expect([error.status, error.api === 'management' ? error.body.errorCode : error.body.code]).toStrictEqual([
      404,
      'inexistent_user',
    ]);
  });

  test('rule 28: a read right after a PATCH sees the change', () => {
    const patched = successValue(applyPatch(user, deepFreeze({ user_metadata: { hobby: 'diving' } }), at(LATER)));
    expect(successValue(selectFields(patched, { fields: 'user_metadata.hobby,updated_at' }))).toStrictEqual({
      user_metadata: { hobby: 'diving' },
      updated_at: LATER,
    });
  });
});

describe('section 6: scopes (authorizeUserRequest)', () => {
  const machine = (...scopes: string[]): TokenGrant => ({ scopes, subject: 'client@clients' });
  const janeToken = (...scopes: string[]): TokenGrant => ({ scopes, subject: JANE_ID });

  test('rule 29: read:users reads any user', () => {
    const result = authorizeUserRequest(machine('read:users'), { action: 'get', userId: OTHER_ID });
    expect(result.success).toBe(true);
  });

  test('rule 29: create:users creates, and nothing else does', () => {
    const allowed = authorizeUserRequest(machine('create:users'), { action: 'create' });
    const denied = authorizeUserRequest(machine('update:users', 'read:users'), { action: 'create' });
    expect([allowed.success, httpErrorOf(denied).status, httpErrorOf(denied).errorCode]).toStrictEqual([
      true,
      403,
      'insufficient_scope',
    ]);
  });

  test('rule 29: update:users patches any attribute of any user', () => {
    const patch = { email: 'x@example.com', blocked: true, user_metadata: { a: 1 }, app_metadata: { b: 2 } };
    const result = authorizeUserRequest(machine('update:users'), { action: 'update', userId: OTHER_ID, patch });
    expect(result).toStrictEqual({
      success: true,
      value: { action: 'update', userId: OTHER_ID, patch },
      warnings: [],
    });
  });

  test('rule 29: update:users_app_metadata patches app_metadata of any user', () => {
    const request = { action: 'update', userId: OTHER_ID, patch: { app_metadata: { plan: 'full' } } } as const;
    expect(authorizeUserRequest(machine('update:users_app_metadata'), request).success).toBe(true);
  });

  test('rule 29: update:users_app_metadata cannot patch user_metadata or root attributes', () => {
    const token = machine('update:users_app_metadata');
    const results = [{ user_metadata: { a: 1 } }, { blocked: true }, { app_metadata: { a: 1 }, name: 'x' }].map(
      (patch) => httpErrorOf(authorizeUserRequest(token, { action: 'update', userId: OTHER_ID, patch })).errorCode,
    );
    expect(results).toStrictEqual(['insufficient_scope', 'insufficient_scope', 'insufficient_scope']);
  });

  test('rule 29: read:current_user reads the token’s own user only', () => {
    const own = authorizeUserRequest(janeToken('read:current_user'), { action: 'get', userId: JANE_ID });
    const other = authorizeUserRequest(janeToken('read:current_user'), { action: 'get', userId: OTHER_ID });
    expect([own.success, httpErrorOf(other).status]).toStrictEqual([true, 403]);
  });

  test.each(['update:current_user_metadata', 'create:current_user_metadata'])(
    'rule 29: %s patches user_metadata of the token’s own user, deletes included',
    (scope) => {
      const patches = [{ user_metadata: { theme: 'dark' } }, { user_metadata: { theme: null } }, { user_metadata: {} }];
      const results = patches.map(
        (patch) => authorizeUserRequest(janeToken(scope), { action: 'update', userId: JANE_ID, patch }).success,
      );
      expect(results).toStrictEqual([true, true, true]);
    },
  );

  test.each(['update:current_user_metadata', 'create:current_user_metadata'])(
    'rule 29: %s cannot patch app_metadata or root attributes, even its own',
    (scope) => {
      const patches = [
        { app_metadata: { plan: 'full' } },
        { password: 'N3w-passw0rd!' },
        { user_metadata: { a: 1 }, name: 'x' },
      ];
      const results = patches.map(
        (patch) =>
          httpErrorOf(authorizeUserRequest(janeToken(scope), { action: 'update', userId: JANE_ID, patch })).errorCode,
      );
      expect(results).toStrictEqual(['insufficient_scope', 'insufficient_scope', 'insufficient_scope']);
    },
  );

  test('rule 30: a current-user token acting on another user is a 403 with the subject message', () => {
    const result = authorizeUserRequest(janeToken('update:current_user_metadata'), {
      action: 'update',
      userId: OTHER_ID,
      patch: { user_metadata: { theme: 'dark' } },
    });
    expect(toAuth0Error(issuesOf(result))).toStrictEqual({
      api: 'management',
      status: 403,
      body: {
        statusCode: 403,
        error: 'Forbidden',
        message: 'User to be acted on does not match subject in bearer token.',
        errorCode: 'insufficient_scope',
      },
    });
  });

  test('rule 30: a PATCH touching fields its scopes do not cover is a 403 insufficient_scope', () => {
    const result = authorizeUserRequest(machine('read:users', 'create:users'), {
      action: 'update',
      userId: OTHER_ID,
      patch: { user_metadata: { theme: 'dark' } },
    });
    expect(httpErrorOf(result)).toStrictEqual({
      status: 403,
      errorCode: 'insufficient_scope',
      message:
        'Insufficient scope, expected any of: update:users,update:users_app_metadata,update:current_user_metadata',
    });
  });
});

describe('section 8: types', () => {
  test('rule 32: values keep their JSON type exactly ("23" is not 23)', () => {
    const metadata = { age: '23', count: 23, ratio: 0.5, ok: true, off: false, list: [1, '1', true, null, { a: [] }] };
    const value = successValue(applyPatch(JANE, deepFreeze({ user_metadata: metadata }), at(LATER)));
    expect(value.user_metadata).toStrictEqual(metadata);
  });

  test('rule 32: a date is stored as the string sent; there is no date type', () => {
    const value = successValue(
      applyPatch(JANE, deepFreeze({ user_metadata: { since: '2026-01-01T00:00:00.000Z' } }), at(LATER)),
    );
    expect(value.user_metadata).toStrictEqual({ since: '2026-01-01T00:00:00.000Z' });
  });

  test('rule 32: a Date object is bad input: an issue with its path, no throw', () => {
    const result = applyPatch(JANE, { user_metadata: { profile: { since: new Date(NOW) } } }, at(LATER));
    expect([httpErrorOf(result).status, codesAndPaths(issuesOf(result))]).toStrictEqual([
      400,
      [{ code: 'not_json', path: ['user_metadata', 'profile', 'since'] }],
    ]);
  });

  test('rule 32: undefined inside an object is bad input, not a silent drop', () => {
    const result = applyPatch(JANE, { user_metadata: { theme: 'dark', lang: undefined } }, at(LATER));
    expect(codesAndPaths(issuesOf(result))).toStrictEqual([{ code: 'not_json', path: ['user_metadata', 'lang'] }]);
  });
});
