import { timestamp } from './checks/profile.js';
import { connectionOf, storedUsers } from './checks/users.js';
import { getOwn, isPlainObject, typeName } from './internal/object.js';
import { invalidStoredUser, userBlocked } from './issueConstructors.js';
import { fail, type Result, succeed } from './issues.js';
import { CURRENT_USER_SCOPES } from './rules/scopes.js';
import { safely } from './safely.js';
import type { User, WriteOptions } from './types.js';

/**
 * A password-grant login, as pure functions over the users an emulator holds: who a login names,
 * who may get a token, which scopes a user's own token carries, and what the login records.
 */

/** What {@link recordLogin} writes: when the login happened and where it came from. */
export interface LoginRecord extends WriteOptions {
  /** The client's address (`last_ip`). */
  readonly ip: string;
}

/**
 * The user after a successful login: `last_login` the time of the login, `last_ip` its address,
 * `logins_count` one more than before (LOGIN_ATTRIBUTES, rule 34, Auth0's user profile
 * structure). Nothing else changes, `updated_at` included.
 *
 * @param user - The stored user who logged in.
 * @param login - `now`, the clock; `ip`, the client's address.
 * @returns The user to store; a `not_json` issue for a user that cannot be read.
 * @example
 * const identities = [{ connection: 'db', user_id: '1', provider: 'auth0', isSocial: false }];
 * const jane = { user_id: 'auth0|1', identities, created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' };
 * const first = recordLogin(jane, { now: () => new Date('2026-02-01T00:00:00.000Z'), ip: '127.0.0.1' });
 * first.success && [first.value.last_login, first.value.last_ip, first.value.logins_count, first.value.updated_at];
 * // => ['2026-02-01T00:00:00.000Z', '127.0.0.1', 1, '2026-01-01T00:00:00.000Z']
 * const second = first.success ? recordLogin(first.value, { ip: '::1' }) : first;
 * second.success && second.value.logins_count;
 * // => 2
 */
export function recordLogin(user: User, login: LoginRecord): Result<User> {
  return safely(() => {
    if (!isPlainObject(user)) return fail(invalidStoredUser([], 'a plain object', typeName(user)));
    const count = getOwn(user, 'logins_count');
    const previous = typeof count === 'number' && Number.isSafeInteger(count) && count > 0 ? count : 0;
    const ip = getOwn(login, 'ip');
    // LOGIN_ATTRIBUTES: last_login, last_ip, logins_count.
    return succeed(
      Object.freeze({
        ...user,
        last_login: timestamp(login),
        last_ip: typeof ip === 'string' ? ip : '',
        logins_count: previous + 1,
      }),
    );
  });
}

/** What a password grant names: the `username` parameter and, for the realm grant, the connection. */
export interface Login {
  /** An email (matched lower-cased, as Auth0 stores emails: rule 15) or a username (matched as sent). */
  readonly username: string;
  /** The connection (`realm`) the user must be on; absent, any. */
  readonly realm?: string | undefined;
}

/**
 * The user a password-grant login names: the first whose email is the login lower-cased, or whose
 * username is the login as sent, on the `realm` connection when one is given. Whether the password
 * matches is the emulator's to check; whether the user may then get a token is {@link checkLogin}'s.
 *
 * @param users - The stored users.
 * @param login - The `username` (and `realm`) of the grant.
 * @returns The user, or `null` when no user matches.
 * @example
 * const identities = [{ connection: 'db', user_id: '1', provider: 'auth0', isSocial: false }];
 * const jane = { user_id: 'auth0|1', email: 'jane@example.com', identities, created_at: '', updated_at: '' };
 * const found = findLoginUser([jane], { username: 'Jane@Example.com' });
 * found.success && found.value?.user_id;
 * // => 'auth0|1'
 * findLoginUser([jane], { username: 'jane@example.com', realm: 'other' });
 * // => { success: true, warnings: [], value: null }
 */
export function findLoginUser(users: readonly User[], login: Login): Result<User | null> {
  return safely(() => {
    const username = isPlainObject(login) ? getOwn(login, 'username') : undefined;
    const realm = isPlainObject(login) ? getOwn(login, 'realm') : undefined;
    if (typeof username !== 'string') return succeed(null);
    const email = username.toLowerCase();
    const found = storedUsers(users).find(
      (user) =>
        (getOwn(user, 'email') === email || getOwn(user, 'username') === username) &&
        (realm === undefined || connectionOf(user) === realm),
    );
    return succeed(found ?? null);
  });
}

/**
 * Whether a user whose credentials matched may get a token: a blocked user may not (Auth0's
 * password grant answers 401 `unauthorized`, `user is blocked`).
 *
 * @param user - The user the login named.
 * @returns The user, or a `user_blocked` issue.
 * @example
 * checkLogin({ user_id: 'auth0|1', identities: [], created_at: '', updated_at: '', blocked: true }).success;
 * // => false
 */
export function checkLogin(user: User): Result<User> {
  return safely(() => (isPlainObject(user) && getOwn(user, 'blocked') === true ? fail(userBlocked()) : succeed(user)));
}

/**
 * The scopes a password grant puts in a user's own token: those requested that Auth0 allows a
 * user's token (CURRENT_USER_SCOPES); any other requested scope is left out, not refused.
 *
 * @param requested - The scopes of the grant's `scope` parameter.
 * @returns The scopes of the token, in the order requested.
 * @example
 * passwordGrantScopes(['read:current_user', 'read:users', 'update:current_user_metadata']);
 * // => { success: true, warnings: [], value: ['read:current_user', 'update:current_user_metadata'] }
 */
export function passwordGrantScopes(requested: readonly string[]): Result<readonly string[]> {
  return safely(() => {
    const names = Array.isArray(requested) ? requested : [];
    const allowed = new Set(CURRENT_USER_SCOPES);
    return succeed(
      Object.freeze(names.filter((scope): scope is string => typeof scope === 'string' && allowed.has(scope))),
    );
  });
}
