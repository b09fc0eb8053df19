import { connectionOf, storedUsers } from './checks/users.js';
import { guarded } from './internal/guarded.js';
import { getOwn, isPlainObject } from './internal/object.js';
import { type Result, succeed } from './issues.js';
import type { UniqueAttribute } from './rules/tenant.js';
import { safely } from './safely.js';
import type { User } from './types.js';

/**
 * Who in a tenant's set of users would be a duplicate, as pure functions over the users an
 * emulator holds (any array of stored users). An emulator keeps the users; these decide.
 */

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
 * Whether two users hold the same keys ({@link uniqueKeysOf}): the same `user_id`, email, username
 * and connection, compared without building the keys (a metadata PATCH keeps them all). `false`
 * when either is not a plain object.
 */
export function sameUniqueKeys(left: User, right: User): boolean {
  return guarded(
    () =>
      isPlainObject(left) &&
      isPlainObject(right) &&
      getOwn(left, 'user_id') === getOwn(right, 'user_id') &&
      getOwn(left, 'email') === getOwn(right, 'email') &&
      getOwn(left, 'username') === getOwn(right, 'username') &&
      // The same identities (a patch that leaves them shares them) have the same connection.
      (getOwn(left, 'identities') === getOwn(right, 'identities') || connectionOf(left) === connectionOf(right)),
    () => false,
  );
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
 * that would make a duplicate is refused with `duplicateIssue` (src/issueConstructors.ts).
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
    const duplicate = storedUsers(users).find((other) => keysOf(other).some((key) => wanted.has(key.key)));
    return succeed(duplicate ?? null);
  });
}
