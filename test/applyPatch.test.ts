/**
 * applyPatch: one or more examples per numbered rule of sections 1 and 8 of the specification
 * (shared/spec/auth0-metadata.md), rule number first in each test name, then its edge cases:
 * structural sharing, untouched inputs, prototype-named keys, values JSON cannot carry, deep
 * nesting and the size limits. Its laws are in applyPatch.prop.test.ts.
 */
import { describe, expect, test } from 'vitest';
import {
  applyPatch,
  createUser,
  MAX_METADATA_BYTES,
  MAX_METADATA_DEPTH,
  MAX_PROFILE_BYTES,
  PATCHABLE_ATTRIBUTES,
  RESERVED_APP_METADATA_KEYS,
  selectFields,
  type User,
  validatePatch,
} from '../src/index.js';
import { RESERVED_APP_METADATA_NAMES } from './arbitraries.js';
import {
  at,
  CONNECTION,
  codesAndPaths,
  deepFreeze,
  escapeRegExp,
  FIXED_ID,
  httpErrorOf,
  invalidBody,
  issuesOf,
  JANE,
  janeWith,
  LATER,
  NOT_JSON_CASES,
  NOW,
  nestArrays,
  nestObjects,
  schemaMessage,
  successValue,
} from './helpers.js';

/** Own property names of `Object.prototype` before any test ran. */
/** A body as parsed from JSON, not yet looked at: what the run-time checks see (no static type). */
const unchecked = (body: unknown): unknown => body;

const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();
describe('section 1: PATCH /api/v2/users/{id} (applyPatch)', () => {
  test('rule 1: a first-level key replaces the stored value wholesale, other keys are kept', () => {
    const user = janeWith({
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
    const user = janeWith({ app_metadata: { roles: ['admin', 'editor'], plan: 'full' } });
    const result = applyPatch(user, deepFreeze({ app_metadata: { roles: ['viewer'] } }), at(LATER));
    expect(successValue(result).app_metadata).toStrictEqual({ roles: ['viewer'], plan: 'full' });
  });

  test('rule 1: keys absent from the patch are kept in both metadata objects', () => {
    const user = janeWith({ user_metadata: { theme: 'dark', lang: 'en' }, app_metadata: { plan: 'full', tier: 2 } });
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
    const user = janeWith({ user_metadata: { color: 'blue', lang: 'en' }, app_metadata: { plan: 'full', tier: 2 } });
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
    const user = janeWith({ user_metadata: { lang: 'en' }, app_metadata: { plan: 'full' } });
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
    const user = janeWith({ user_metadata: { hobby: 'surfing', lang: 'en' } });
    const result = applyPatch(user, deepFreeze({ user_metadata: {} }), at(LATER));
    expect(result).toStrictEqual({
      success: true,
      value: { ...JANE, updated_at: LATER, user_metadata: {} },
      warnings: [],
    });
  });

  test('rule 3: app_metadata {} clears every key', () => {
    const user = janeWith({ user_metadata: { hobby: 'surfing' }, app_metadata: { plan: 'full', roles: ['admin'] } });
    const result = applyPatch(user, deepFreeze({ app_metadata: {} }), at(LATER));
    expect(result).toStrictEqual({
      success: true,
      value: { ...JANE, updated_at: LATER, user_metadata: { hobby: 'surfing' } },
      warnings: [],
    });
  });

  test('rule 4: after clearing both, user_metadata is {} and app_metadata is gone', () => {
    const user = janeWith({ user_metadata: { hobby: 'surfing' }, app_metadata: { plan: 'full' } });
    const value = successValue(applyPatch(user, deepFreeze({ user_metadata: {}, app_metadata: {} }), at(LATER)));
    expect([value.user_metadata, Object.hasOwn(value, 'app_metadata')]).toStrictEqual([{}, false]);
  });

  test('rule 4: deleting the last app_metadata key with null removes app_metadata', () => {
    const user = janeWith({ app_metadata: { plan: 'full' } });
    const result = applyPatch(user, deepFreeze({ app_metadata: { plan: null } }), at(LATER));
    expect(result).toStrictEqual({ success: true, value: { ...JANE, updated_at: LATER }, warnings: [] });
  });

  test('rule 4: deleting the last user_metadata key with null keeps user_metadata as {}', () => {
    const user = janeWith({ user_metadata: { hobby: 'surfing' } });
    const result = applyPatch(user, deepFreeze({ user_metadata: { hobby: null } }), at(LATER));
    expect(result).toStrictEqual({
      success: true,
      value: { ...JANE, updated_at: LATER, user_metadata: {} },
      warnings: [],
    });
  });

  test('rule 5: null below the first level is stored as sent', () => {
    const user = janeWith({ user_metadata: { addresses: { home: 'Anytown', work: 'Worktown' } } });
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
    const result = applyPatch(JANE, deepFreeze<unknown>({ user_metadata: null }), at(LATER));
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
    const result = applyPatch(JANE, deepFreeze<unknown>({ user_metadata: value }), at(LATER));
    expect(httpErrorOf(result)).toStrictEqual(
      invalidBody(
        `Payload validation error: 'Expected type object but found type ${type}' on property user_metadata (User metadata to which this user has read/write access).`,
      ),
    );
  });

  test('rule 6: a fractional number as metadata is reported as type number', () => {
    const result = applyPatch(JANE, deepFreeze<unknown>({ user_metadata: 4.5 }), at(LATER));
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
    const result = applyPatch(JANE, deepFreeze<unknown>({ app_metadata: value }), at(LATER));
    expect(httpErrorOf(result)).toStrictEqual(
      invalidBody(
        `Payload validation error: 'Expected type object but found type ${type}' on property app_metadata (User metadata to which this user has read-only access).`,
      ),
    );
  });

  test('rule 7: root attributes are replaced, not merged', () => {
    const user = janeWith({ name: 'Jane', given_name: 'Jane' });
    const result = applyPatch(user, deepFreeze({ name: 'Jane Doe', blocked: true }), at(LATER));
    expect(result).toStrictEqual({
      success: true,
      value: { ...JANE, name: 'Jane Doe', given_name: 'Jane', blocked: true, updated_at: LATER },
      warnings: [],
    });
  });

  test('rule 7: null unsets a nullable string attribute', () => {
    const user = janeWith({ given_name: 'Jane', family_name: 'Doe', phone_number: '+15551234567' });
    const result = applyPatch(user, deepFreeze({ given_name: null, phone_number: null }), at(LATER));
    expect(result).toStrictEqual({
      success: true,
      value: { ...JANE, family_name: 'Doe', updated_at: LATER },
      warnings: [],
    });
  });

  test('rule 7: null on a non-nullable attribute (email) is a 400', () => {
    const result = applyPatch(JANE, deepFreeze<unknown>({ email: null }), at(LATER));
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
    const result = applyPatch(JANE, deepFreeze<unknown>(body), at(LATER));
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
    const user = janeWith({ user_metadata: { theme: 'dark' } });
    const first = successValue(applyPatch(user, deepFreeze({ user_metadata: { theme: 'dark' } }), at(LATER)));
    const second = successValue(
      applyPatch(first, deepFreeze({ user_metadata: { theme: 'dark' } }), at('2026-03-01T00:00:00.001Z')),
    );
    expect([first.updated_at, second.updated_at]).toStrictEqual([LATER, '2026-03-01T00:00:00.001Z']);
  });

  test('rule 14: existing metadata keys keep their place, new keys are appended', () => {
    const user = janeWith({ user_metadata: { a: 1, b: 2, c: 3 } });
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
});

describe('section 1: field-name rules and sizes (PATCH)', () => {
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

  test('rule 17: the reserved app_metadata names are exactly the 18 documented ones', () => {
    expect([...RESERVED_APP_METADATA_KEYS].sort()).toStrictEqual([...RESERVED_APP_METADATA_NAMES].sort());
  });

  test.each([...RESERVED_APP_METADATA_NAMES])(
    'rule 17: app_metadata.%s is a 400 "Data matches schema from \'not\'"',
    (name) => {
      const result = applyPatch(JANE, deepFreeze({ app_metadata: { [name]: 'x' } }), at(LATER));
      expect(httpErrorOf(result)).toStrictEqual(
        invalidBody(
          new RegExp(
            `^Payload validation error: 'Data matches schema from 'not'' on property app_metadata\\.${escapeRegExp(name)}( \\(.*\\))?\\.$`,
          ),
        ),
      );
    },
  );

  test('rule 17: a reserved name is rejected even with null', () => {
    const result = applyPatch(
      janeWith({ app_metadata: { plan: 'full' } }),
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
    const result = applyPatch(JANE, unchecked({ user_metadata: { profile: { since: new Date(NOW) } } }), at(LATER));
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
  test.each(NOT_JSON_CASES)('user_metadata with $kind', ({ metadata, code, path }) => {
    const result = applyPatch(JANE, unchecked({ user_metadata: metadata }), at(LATER));
    expect(codesAndPaths(issuesOf(result))).toStrictEqual([{ code, path: ['user_metadata', ...path] }]);
    expect([httpErrorOf(result).status, httpErrorOf(result).errorCode]).toStrictEqual([400, 'invalid_body']);
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

  test('a stored user with non-JSON metadata gives an issue when that metadata is patched, not a throw', () => {
    const user: User<Record<string, unknown>> = { ...JANE, user_metadata: { fn: () => 1 } };
    expect(() => applyPatch(user, { user_metadata: { theme: 'dark' } }, at(LATER))).not.toThrow();
    expect(applyPatch(user, { user_metadata: { theme: 'dark' } }, at(LATER)).success).toBe(false);
  });
});

describe('deep nesting', () => {
  test('100,000 levels of objects give a too_deep issue, not a stack overflow', () => {
    const result = applyPatch(JANE, unchecked({ user_metadata: nestObjects(100_000) }), at(LATER));
    const path = ['user_metadata', ...Array.from({ length: MAX_METADATA_DEPTH }, () => 'a')];
    expect(codesAndPaths(issuesOf(result))).toStrictEqual([{ code: 'too_deep', path }]);
    expect([httpErrorOf(result).status, httpErrorOf(result).errorCode]).toStrictEqual([400, 'invalid_body']);
  });

  test('100,000 levels of arrays give a too_deep issue', () => {
    const result = applyPatch(JANE, unchecked({ app_metadata: { a: nestArrays(100_000) } }), at(LATER));
    const path = ['app_metadata', 'a', ...Array.from({ length: MAX_METADATA_DEPTH - 1 }, () => 0)];
    expect(codesAndPaths(issuesOf(result))).toStrictEqual([{ code: 'too_deep', path }]);
  });

  test('metadata exactly MAX_METADATA_DEPTH levels deep (itself included) is accepted, one more is not', () => {
    const accepted = applyPatch(JANE, unchecked({ user_metadata: nestObjects(MAX_METADATA_DEPTH) }), at(LATER));
    const rejected = applyPatch(JANE, unchecked({ user_metadata: nestObjects(MAX_METADATA_DEPTH + 1) }), at(LATER));
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
    const result = applyPatch(JANE, unchecked({ user_metadata: { list: claiming(first) } }), at(LATER));
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
    const small = applyPatch(JANE, unchecked({ user_metadata: { list: claiming(3) } }), at(LATER));
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
});

describe('applyPatch: a clock that gives no valid Date', () => {
  test.each<[string, () => Date]>([
    ['an invalid Date', () => new Date(Number.NaN)],
    ['a Date before the range of dates', () => new Date(-8.64e15 - 1)],
  ])('now() returning %s is an issue naming now(), not an updated_at', (_name, now) => {
    const stored = { user_id: 'auth0|1', created_at: '2026-01-01T00:00:00.000Z' };
    expect(applyPatch(stored, { user_metadata: { a: 1 } }, { now })).toMatchObject({
      success: false,
      issues: [{ code: 'not_json', received: 'unreadable value (now() must return a valid Date)' }],
    });
  });
});

describe('applyPatch: a stored user whose keys change while it is read', () => {
  test('a root key listed and then gone is an invalid_stored_user issue at that key, not a silent drop', () => {
    let reads = 0;
    const stored = new Proxy<Record<string, unknown>>(
      { user_id: 'auth0|1', created_at: '2026-01-01T00:00:00.000Z' },
      {
        getOwnPropertyDescriptor: (target, key) => {
          reads++;
          return reads > 1 ? undefined : Reflect.getOwnPropertyDescriptor(target, key);
        },
      },
    );
    const result = applyPatch(stored, { user_metadata: { a: 1 } });
    expect(result).toMatchObject({
      success: false,
      issues: [{ code: 'invalid_stored_user', path: ['user_id'], received: 'deleted key' }],
    });
  });
});
