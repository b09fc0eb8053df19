import { describe, expect, test } from 'vitest';
import type { User } from '../src/index.js';
import { checkLogin, findDuplicateUser, findLoginUser, passwordGrantScopes } from '../src/tenant.js';
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
    const otherConnection: User = { ...ANN, user_id: 'auth0|other', email: 'jane.doe@example.com' };
    expect(successValue(findDuplicateUser(USERS, sameConnection))?.user_id).toBe(JANE.user_id);
    expect(successValue(findDuplicateUser(USERS, otherConnection))).toBeNull();
  });

  test('a user without email duplicates only by id', () => {
    const { email: _email, ...bare } = JANE;
    expect(successValue(findDuplicateUser(USERS, { ...bare, user_id: 'auth0|x' }))).toBeNull();
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
