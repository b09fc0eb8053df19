import { timestamp } from './checks/profile.js';
import { emailExists, invalidStoredUser, userBlocked, userExists, usernameExists } from './faults.js';
import { guarded } from './internal/guarded.js';
import { getOwn, isPlainObject, typeName } from './internal/object.js';
import { fail, type Issue, type Result, succeed } from './issues.js';
import { CURRENT_USER_SCOPES } from './rules/scopes.js';
import { safely } from './safely.js';
import type { User, WriteOptions } from './types.js';

/**
 * The rules of a tenant's set of users, as pure functions over the users an emulator holds (any
 * array of stored users): who would be a duplicate, who a login names, who may get a token, and
 * which scopes a user's own token carries. An emulator keeps the users; these decide.
 */

/** The connection of a user's first identity (the one a database user was created on); callers pass plain objects. */
function connectionOf(user: object): unknown {
  const identities = getOwn(user, 'identities');
  if (!Array.isArray(identities)) return undefined;
  const first: unknown = getOwn(identities, '0');
  return isPlainObject(first) ? getOwn(first, 'connection') : undefined;
}

function stored(users: readonly User[]): readonly User[] {
  return Array.isArray(users) ? users.filter((user): user is User => isPlainObject(user)) : [];
}

/** What makes two stored users of a tenant one too many: the same id, or the same email or username on one connection. */
export type UniqueAttribute = 'user_id' | 'email' | 'username';

/** One key a stored user holds in its tenant: no two stored users hold the same `key`. */
export interface UniqueKey {
  /** The attribute the key is made of (UNIQUE_USER_ATTRIBUTES in rules/tenant.ts says why). */
  readonly attribute: UniqueAttribute;
  /** The key itself: the attribute, the connection and the value, in one string. */
  readonly key: string;
}

/** `attribute`, connection and value joined by a character no JSON string of a user can hold unescaped. */
function keyOf(attribute: UniqueAttribute, connection: unknown, value: string): UniqueKey {
  const scope = typeof connection === 'string' ? connection : '';
  return { attribute, key: `${attribute}\u0000${scope}\u0000${value}` };
}

/** {@link uniqueKeysOf}, unguarded. */
function keysOf(user: unknown): readonly UniqueKey[] {
  if (!isPlainObject(user)) return [];
  const keys: UniqueKey[] = [];
  const userId = getOwn(user, 'user_id');
  if (typeof userId === 'string') keys.push(keyOf('user_id', undefined, userId));
  const connection = connectionOf(user);
  // UNIQUE_USER_ATTRIBUTES: an email is one per connection whatever its case (rule 15 stores it
  // lower-cased); a username is compared as stored, as a login names it (findLoginUser).
  const email = getOwn(user, 'email');
  if (typeof email === 'string') keys.push(keyOf('email', connection, email.toLowerCase()));
  const username = getOwn(user, 'username');
  if (typeof username === 'string') keys.push(keyOf('username', connection, username));
  return keys;
}

/**
 * The keys a user holds in its tenant: its `user_id`, and its email (lower-cased) and username on
 * its connection (UNIQUE_USER_ATTRIBUTES, rules 22, 24, 33). Two users are duplicates exactly when
 * they share a key: {@link findDuplicateUser} is defined by it, and an emulator indexes its users by
 * it, so the index and the rule cannot disagree.
 *
 * @param user - A user, stored or about to be.
 * @returns Its keys; none for anything that is not an object.
 * @example
 * const identities = [{ connection: 'db', user_id: '1', provider: 'auth0', isSocial: false }];
 * uniqueKeysOf({ user_id: 'auth0|1', email: 'Jane@Example.com', identities, created_at: '', updated_at: '' })
 *   .map((key) => key.attribute);
 * // => ['user_id', 'email']
 */
export function uniqueKeysOf(user: User): readonly UniqueKey[] {
  return guarded(
    () => keysOf(user),
    (): readonly UniqueKey[] => [],
  );
}

/**
 * The stored user that `user` would duplicate, and the attribute they share: one with the same
 * `user_id`, or with the same email or username on the same connection ({@link uniqueKeysOf}).
 * Auth0 answers 409 on POST /api/v2/users and 400 `user_exists` on signup (rules 22, 24); a PATCH
 * that would make a duplicate is refused with {@link duplicateIssue}.
 *
 * @param users - The users stored so far (a user with the same `user_id` as `user` counts: pass the
 *   others to check a change of a stored user).
 * @param user - The user about to be stored.
 * @returns The user it duplicates, or `null` when it is new.
 * @example
 * const identities = [{ connection: 'db', user_id: '1', provider: 'auth0', isSocial: false }];
 * const jane = { user_id: 'auth0|1', email: 'jane@example.com', identities, created_at: '', updated_at: '' };
 * const duplicate = findDuplicateUser([jane], { ...jane, user_id: 'auth0|2' });
 * duplicate.success && duplicate.value?.user_id;
 * // => 'auth0|1'
 * findDuplicateUser([jane], { ...jane, user_id: 'auth0|2', email: 'ann@example.com' });
 * // => { success: true, warnings: [], value: null }
 */
export function findDuplicateUser(users: readonly User[], user: User): Result<User | null> {
  return safely(() => {
    const wanted = new Set(keysOf(user).map((key) => key.key));
    const duplicate = stored(users).find((other) => keysOf(other).some((key) => wanted.has(key.key)));
    return succeed(duplicate ?? null);
  });
}

/**
 * The issue for a write refused because it would duplicate a stored user on `attribute`: a create
 * or signup gets `user_exists` for an id or email (rules 22, 24) and `username_exists` for a
 * username; a PATCH gets `email_exists` or `username_exists` (rule 33, UNIQUE_USER_ATTRIBUTES).
 *
 * @param attribute - The attribute the two users would share.
 * @param write - `create` (POST /api/v2/users, signup, a seed) or `update` (PATCH).
 * @returns The issue to answer with.
 */
export function duplicateIssue(attribute: UniqueAttribute, write: 'create' | 'update'): Issue {
  if (attribute === 'username') return usernameExists();
  return write === 'update' && attribute === 'email' ? emailExists() : userExists();
}

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
    const found = stored(users).find(
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
