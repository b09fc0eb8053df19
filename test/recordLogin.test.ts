/** A password-grant login over the tenant's users (src/recordLogin.ts). */
import { describe, expect, test } from 'vitest';
import { checkLogin, findLoginUser, passwordGrantScopes, recordLogin } from '../src/recordLogin.js';
import { findDuplicateUser } from '../src/uniqueKeysOf.js';
import { CONNECTION, deepFreeze, JANE, successValue, TENANT_USERS } from './helpers.js';

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
    expect(successValue(findLoginUser(TENANT_USERS, { username: 'JANE.DOE@example.com' }))?.user_id).toBe(JANE.user_id);
    expect(successValue(findLoginUser(TENANT_USERS, { username: 'Ann' }))?.user_id).toBe('auth0|ann');
    expect(successValue(findLoginUser(TENANT_USERS, { username: 'ANN' }))).toBeNull();
  });

  test('a realm restricts the match to its connection', () => {
    expect(successValue(findLoginUser(TENANT_USERS, { username: 'Ann', realm: CONNECTION }))).toBeNull();
    expect(successValue(findLoginUser(TENANT_USERS, { username: 'Ann', realm: 'other-db' }))?.user_id).toBe(
      'auth0|ann',
    );
  });

  test('hostile arguments give a result, never a throw', () => {
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(Reflect.apply(findLoginUser, undefined, [revoked.proxy, { username: 'x' }])).toMatchObject({
      success: false,
      issues: [{ code: 'not_json' }],
    });
    expect(Reflect.apply(findLoginUser, undefined, [TENANT_USERS, revoked.proxy])).toMatchObject({ success: false });
    expect(Reflect.apply(findDuplicateUser, undefined, [null, null])).toMatchObject({ success: true, value: null });
  });

  test('a login that is not an object, or names no string, or users that are no list, find no one', () => {
    const find = (users: unknown, login: unknown): unknown => Reflect.apply(findLoginUser, undefined, [users, login]);
    const none = { success: true, warnings: [], value: null };
    expect(find(TENANT_USERS, 'Ann')).toStrictEqual(none);
    expect(find(TENANT_USERS, { username: 5 })).toStrictEqual(none);
    expect(find('Ann', { username: 'Ann' })).toStrictEqual(none);
    expect(find([null, ...TENANT_USERS], { username: 'Ann' })).toMatchObject({ value: { user_id: 'auth0|ann' } });
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
