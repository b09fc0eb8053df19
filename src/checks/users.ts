/** Reading a tenant's stored users, shared by its duplicate rules and its logins. */
import { getOwn, isPlainObject } from '../internal/object.js';
import type { User } from '../types.js';

/** The connection of a user's first identity (the one a database user was created on); callers pass plain objects. */
export function connectionOf(user: object): unknown {
  const identities = getOwn(user, 'identities');
  if (!Array.isArray(identities)) return undefined;
  const first: unknown = getOwn(identities, '0');
  return isPlainObject(first) ? getOwn(first, 'connection') : undefined;
}

/** The plain objects of a list of stored users; nothing for what is not an array. */
export function storedUsers(users: readonly User[]): readonly User[] {
  return Array.isArray(users) ? users.filter((user): user is User => isPlainObject(user)) : [];
}
