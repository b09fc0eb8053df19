/**
 * selectFields: the examples of section 5 of the specification (rules 25-28) and its edge cases;
 * then validateFieldQuery, the check of the same query without a user. Its laws are in
 * selectFields.prop.test.ts.
 */
import { describe, expect, test } from 'vitest';
import {
  applyPatch,
  selectFields,
  toAuth0Error,
  type User,
  type UserNotFoundIssue,
  validateFieldQuery,
} from '../src/index.js';
import { at, deepFreeze, httpErrorOf, JANE, janeWith, LATER, successValue } from './helpers.js';

/** A field list as a URL carries it: a plain string, not checked against the user's type. */
const fromUrl = (fields: string): string => fields;

describe('section 5: GET /api/v2/users/{id}?fields= (selectFields)', () => {
  const user = janeWith({ user_metadata: { hobby: 'surfing', lang: 'en' }, app_metadata: { plan: 'full' } });

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
    expect(successValue(selectFields(user, { fields: fromUrl('email,favourite_colour') }))).toStrictEqual({
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

describe('inputs are never mutated', () => {
  test('selectFields leaves the user as it was, including and excluding', () => {
    const user: User = { ...JANE, user_metadata: { hobby: 'surfing', lang: 'en' } };
    const before = JSON.stringify(user);
    selectFields(user, { fields: 'user_metadata.hobby' });
    selectFields(user, { fields: 'user_metadata,email', include_fields: false });
    expect(JSON.stringify(user)).toBe(before);
  });
});

describe('prototype-named keys (__proto__, constructor, prototype)', () => {
  test('selectFields can pick user_metadata.__proto__ as data', () => {
    const user = janeWith({ user_metadata: JSON.parse('{"__proto__":"x","other":1}') });
    const value = successValue(selectFields(user, { fields: 'user_metadata.__proto__' }));
    expect(JSON.stringify(value)).toBe('{"user_metadata":{"__proto__":"x"}}');
  });
});

describe('validateFieldQuery (rule 27)', () => {
  test('checks include_fields and fields without any user', () => {
    expect(validateFieldQuery({ fields: 'email', include_fields: 'false' }).success).toBe(true);
    expect(validateFieldQuery({ include_fields: 'maybe' })).toMatchObject({
      success: false,
      issues: [{ code: 'invalid_query', path: ['include_fields'] }],
    });
    expect(Reflect.apply(validateFieldQuery, undefined, [{ fields: 42 }])).toMatchObject({
      success: false,
      issues: [{ code: 'invalid_query', path: ['fields'] }],
    });
  });
});

describe('a stored user whose root keys are not data', () => {
  test('a user checked once and then given a getter is refused: only frozen users are checked once', () => {
    const user: Record<string, unknown> = { ...JANE };
    expect(selectFields(user, { fields: 'email' }).success).toBe(true);
    Object.defineProperty(user, 'email', { get: () => 'x@example.com', enumerable: true });
    const again = selectFields(user, { fields: 'email' });
    expect(again.success ? [] : again.issues.map((issue) => issue.code)).toStrictEqual(['invalid_stored_user']);
  });

  test('a frozen user holding a getter is refused every time it is read', () => {
    const user = Object.freeze(Object.defineProperty({ ...JANE }, 'email', { get: () => 'x', enumerable: true }));
    for (let round = 0; round < 2; round++) {
      const result = selectFields(user, { fields: 'email' });
      expect(result.success ? [] : result.issues.map((issue) => issue.code)).toStrictEqual(['invalid_stored_user']);
    }
  });
});
