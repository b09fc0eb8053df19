import { describe, expect, test } from 'vitest';
import { toAuth0Error, type User } from '../src/index.js';
import {
  checkLogin,
  duplicateIssue,
  findDuplicateUser,
  findLoginUser,
  passwordGrantScopes,
  recordLogin,
  uniqueKeysOf,
} from '../src/tenant.js';
import { CONNECTION, deepFreeze, JANE, successValue } from './helpers.js';

const ANN: User = deepFreeze({
  ...JANE,
  user_id: 'auth0|ann',
  email: 'ann@example.com',
  username: 'Ann',
  identities: [{ connection: 'other-db', user_id: 'ann', provider: 'auth0', isSocial: false }],
});
const USERS: readonly User[] = deepFreeze([JANE, ANN]);

describe('findDuplicateUser (rules 22, 24)', () => {
  test('the same user_id is a duplicate', () => {
    expect(successValue(findDuplicateUser(USERS, { ...ANN, email: 'new@example.com' }))?.user_id).toBe('auth0|ann');
  });

  test('the same email on the same connection is a duplicate; on another connection it is not', () => {
    const sameConnection = { ...JANE, user_id: 'auth0|other' };
    const { username: _username, ...annWithoutUsername } = ANN;
    const otherConnection: User = { ...annWithoutUsername, user_id: 'auth0|other', email: 'jane.doe@example.com' };
    expect(successValue(findDuplicateUser(USERS, sameConnection))?.user_id).toBe(JANE.user_id);
    expect(successValue(findDuplicateUser(USERS, otherConnection))).toBeNull();
  });

  test('an email is the same whatever its case (rule 15 stores it lower-cased)', () => {
    expect(
      successValue(findDuplicateUser(USERS, { ...JANE, user_id: 'auth0|x', email: 'JANE.Doe@example.com' }))?.user_id,
    ).toBe(JANE.user_id);
  });

  test('the same username on the same connection is a duplicate; as stored, not case-folded', () => {
    const sameUsername: User = { ...ANN, user_id: 'auth0|x', email: 'x@example.com' };
    expect(successValue(findDuplicateUser(USERS, sameUsername))?.user_id).toBe('auth0|ann');
    expect(successValue(findDuplicateUser(USERS, { ...sameUsername, username: 'ANN' }))).toBeNull();
  });

  test('a user without email duplicates only by id', () => {
    const { email: _email, ...bare } = JANE;
    expect(successValue(findDuplicateUser(USERS, { ...bare, user_id: 'auth0|x' }))).toBeNull();
  });
});

describe('uniqueKeysOf (UNIQUE_USER_ATTRIBUTES)', () => {
  test('a user holds its id, and its email (lower-cased) and username on its connection', () => {
    expect(uniqueKeysOf(ANN).map((key) => key.attribute)).toStrictEqual(['user_id', 'email', 'username']);
    const upper = uniqueKeysOf({ ...ANN, email: 'ANN@EXAMPLE.COM' });
    expect(upper.map((key) => key.key)).toStrictEqual(uniqueKeysOf(ANN).map((key) => key.key));
  });

  test('the same email on two connections gives two keys', () => {
    const [, janeEmail] = uniqueKeysOf(JANE);
    const [, annEmail] = uniqueKeysOf({ ...ANN, email: 'jane.doe@example.com' });
    expect(janeEmail?.attribute).toBe('email');
    expect(janeEmail?.key).not.toBe(annEmail?.key);
  });

  test('a user with no readable connection holds its email and username on no connection; no id, no id key', () => {
    const bare = (identities: unknown): unknown =>
      Reflect.apply(uniqueKeysOf, undefined, [{ email: 'Ann@Example.com', username: 'Ann', identities }]);
    const expected = [
      { attribute: 'email', key: 'email\u0000\u0000ann@example.com' },
      { attribute: 'username', key: 'username\u0000\u0000Ann' },
    ];
    expect(bare(undefined)).toStrictEqual(expected);
    expect(bare([5])).toStrictEqual(expected);
    expect(bare([{ connection: 7 }])).toStrictEqual(expected);
  });

  test('anything but an object holds no key, never a throw', () => {
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(Reflect.apply(uniqueKeysOf, undefined, [revoked.proxy])).toStrictEqual([]);
    expect(Reflect.apply(uniqueKeysOf, undefined, [null])).toStrictEqual([]);
  });
});

describe('duplicateIssue (rules 22, 24, 33)', () => {
  test('a PATCH to a held email is 400 "The specified new email already exists"', () => {
    expect(toAuth0Error([duplicateIssue('email', 'update')])).toStrictEqual({
      api: 'management',
      status: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        message: 'The specified new email already exists',
        errorCode: 'auth0_idp_error',
      },
    });
  });

  test('a create to a held email or id is the 409 of rule 24; a held username is 400 on both', () => {
    expect(toAuth0Error([duplicateIssue('email', 'create')]).status).toBe(409);
    expect(toAuth0Error([duplicateIssue('user_id', 'create')]).status).toBe(409);
    expect(toAuth0Error([duplicateIssue('username', 'create')]).body).toMatchObject({
      statusCode: 400,
      message: 'The username provided is in use already.',
    });
    expect(toAuth0Error([duplicateIssue('username', 'update')], 'authentication').body).toMatchObject({
      code: 'username_exists',
    });
  });
});

describe('recordLogin (rule 34, LOGIN_ATTRIBUTES)', () => {
  const at = (instant: string) => () => new Date(instant);

  test('the first login sets last_login, last_ip and logins_count 1; the next adds 1; nothing else changes', () => {
    const first = successValue(recordLogin(JANE, { now: at('2026-02-01T00:00:00.000Z'), ip: '192.0.2.1' }));
    expect(first).toStrictEqual({
      ...JANE,
      last_login: '2026-02-01T00:00:00.000Z',
      last_ip: '192.0.2.1',
      logins_count: 1,
    });
    const second = successValue(recordLogin(first, { now: at('2026-02-02T00:00:00.000Z'), ip: '::1' }));
    expect([second.logins_count, second.last_ip, second.updated_at]).toStrictEqual([2, '::1', JANE.updated_at]);
    expect(Object.isFrozen(second)).toBe(true);
  });

  test('a seeded count is continued; a count that is not a positive integer starts again at 1', () => {
    expect(successValue(recordLogin({ ...JANE, logins_count: 7 }, { ip: '' })).logins_count).toBe(8);
    const odd: unknown = Reflect.apply(recordLogin, undefined, [{ ...JANE, logins_count: 'x' }, { ip: '' }]);
    expect(odd).toMatchObject({ success: true, value: { logins_count: 1 } });
  });

  test('an ip that is not a string is recorded as none', () => {
    const login: unknown = { ip: 5 };
    expect(Reflect.apply(recordLogin, undefined, [JANE, login])).toMatchObject({
      success: true,
      value: { last_ip: '', logins_count: 1 },
    });
  });

  test('a user that is not an object is an issue, never a throw; the argument is not mutated', () => {
    expect(Reflect.apply(recordLogin, undefined, [null, { ip: '' }])).toMatchObject({ success: false });
    const user = deepFreeze({ ...JANE });
    recordLogin(user, { ip: '1.2.3.4' });
    expect(user).not.toHaveProperty('last_ip');
  });
});

describe('findLoginUser', () => {
  test('an email matches lower-cased, a username as sent', () => {
    expect(successValue(findLoginUser(USERS, { username: 'JANE.DOE@example.com' }))?.user_id).toBe(JANE.user_id);
    expect(successValue(findLoginUser(USERS, { username: 'Ann' }))?.user_id).toBe('auth0|ann');
    expect(successValue(findLoginUser(USERS, { username: 'ANN' }))).toBeNull();
  });

  test('a realm restricts the match to its connection', () => {
    expect(successValue(findLoginUser(USERS, { username: 'Ann', realm: CONNECTION }))).toBeNull();
    expect(successValue(findLoginUser(USERS, { username: 'Ann', realm: 'other-db' }))?.user_id).toBe('auth0|ann');
  });

  test('hostile arguments give a result, never a throw', () => {
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(Reflect.apply(findLoginUser, undefined, [revoked.proxy, { username: 'x' }])).toMatchObject({
      success: false,
      issues: [{ code: 'not_json' }],
    });
    expect(Reflect.apply(findLoginUser, undefined, [USERS, revoked.proxy])).toMatchObject({ success: false });
    expect(Reflect.apply(findDuplicateUser, undefined, [null, null])).toMatchObject({ success: true, value: null });
  });

  test('a login that is not an object, or names no string, or users that are no list, find no one', () => {
    const find = (users: unknown, login: unknown): unknown => Reflect.apply(findLoginUser, undefined, [users, login]);
    const none = { success: true, warnings: [], value: null };
    expect(find(USERS, 'Ann')).toStrictEqual(none);
    expect(find(USERS, { username: 5 })).toStrictEqual(none);
    expect(find('Ann', { username: 'Ann' })).toStrictEqual(none);
    expect(find([null, ...USERS], { username: 'Ann' })).toMatchObject({ value: { user_id: 'auth0|ann' } });
  });
});

describe('checkLogin', () => {
  test('a blocked user gets no token, an unblocked one does', () => {
    expect(checkLogin({ ...JANE, blocked: true })).toStrictEqual({
      success: false,
      issues: [{ code: 'user_blocked', path: [], message: 'user is blocked' }],
    });
    expect(checkLogin({ ...JANE, blocked: false }).success).toBe(true);
    expect(checkLogin(JANE).success).toBe(true);
  });
});

describe('passwordGrantScopes', () => {
  test('keeps only the current-user scopes, in the order requested', () => {
    expect(
      successValue(passwordGrantScopes(['update:users', 'update:current_user_metadata', 'read:current_user'])),
    ).toStrictEqual(['update:current_user_metadata', 'read:current_user']);
    expect(Reflect.apply(passwordGrantScopes, undefined, ['read:current_user'])).toMatchObject({ value: [] });
  });
});
