import { forgetStoredJson } from '../internal/storedJson.js';
import type { UniqueAttribute } from '../rules/tenant.js';
import type { User } from '../types.js';
import { sameUniqueKeys, uniqueKeysOf } from '../uniqueKeysOf.js';
import type { PasswordHash } from './passwords.js';

/** One user as the emulator keeps it: the frozen user object and, apart, its password hash. */
export interface StoreRecord {
  readonly user: User;
  /** Pending while a seeded password is still being hashed. */
  readonly password: Promise<PasswordHash> | undefined;
}

/** A stored user that a user about to be written would duplicate, and the attribute they share. */
export interface Conflict {
  readonly attribute: UniqueAttribute;
  readonly user: User;
}

/**
 * The users of one emulator, in creation order, indexed by the core's unique keys
 * (`uniqueKeysOf`: id, email and username on a connection) and by email and username across
 * connections. Every method is synchronous, so a route that reads, computes with the core and
 * writes without an `await` in between is atomic; none scans every user except `all`.
 */
export interface UserStore {
  get(userId: string): StoreRecord | undefined;
  /** Stores a user (replacing the one with its id); the caller has checked {@link UserStore.conflict}. */
  set(record: StoreRecord): void;
  delete(userId: string): void;
  all(): readonly StoreRecord[];
  /** How many users are stored. */
  size(): number;
  /**
   * The stored user `user` would duplicate, other than the stored user with `user`'s own id when
   * `update` is set (a PATCH keeps its own keys): `undefined` when there is none.
   */
  conflict(user: User, update?: boolean): Conflict | undefined;
  /**
   * The stored users whose email is `email` whatever the case, or whose username is `username`
   * (as given), in creation order: every user a login or a users-by-email query can name, for the
   * core (`findLoginUser`, `findUsersByEmail`) to decide among.
   */
  candidates(names: { readonly email?: string; readonly username?: string }): readonly User[];
  /** Back to the seeded users. */
  reset(): void;
  /** Makes the users stored now the seed that {@link UserStore.reset} returns to (no index is rebuilt). */
  keepAsSeed(): void;
}

/** The users and the indexes over them; replaced whole by `reset`. */
interface Tables {
  readonly users: Map<string, StoreRecord>;
  /** Unique key → the id of the user holding it (`user_id` keys are `users`' own keys: not repeated here). */
  readonly unique: Map<string, string>;
  /**
   * Lower-cased email, and username, → the id of the user holding it, or the ids when several do
   * (on several connections): one string in the common case, a set only when shared.
   */
  readonly byEmail: Map<string, string | Set<string>>;
  readonly byUsername: Map<string, string | Set<string>>;
  /** Creation order of each id, to answer candidates in the order `all` gives them. */
  readonly order: Map<string, number>;
  next: number;
}

function emailOf(user: User): string | undefined {
  return typeof user.email === 'string' ? user.email.toLowerCase() : undefined;
}

function usernameOf(user: User): string | undefined {
  return typeof user.username === 'string' ? user.username : undefined;
}

function addTo(index: Map<string, string | Set<string>>, name: string | undefined, userId: string): void {
  if (name === undefined) return;
  const ids = index.get(name);
  // `insert` unindexes a user's previous record first, so a name never lists the same id twice.
  if (ids === undefined) index.set(name, userId);
  else if (typeof ids === 'string') index.set(name, new Set([ids, userId]));
  else ids.add(userId);
}

function removeFrom(index: Map<string, string | Set<string>>, name: string | undefined, userId: string): void {
  if (name === undefined) return;
  const ids = index.get(name);
  if (ids === userId) index.delete(name);
  else if (typeof ids !== 'string' && ids !== undefined) {
    ids.delete(userId);
    const [only, ...more] = ids;
    if (only === undefined) index.delete(name);
    else if (more.length === 0) index.set(name, only);
  }
}

function idsOf(index: Map<string, string | Set<string>>, name: string | undefined): Iterable<string> {
  const ids = name === undefined ? undefined : index.get(name);
  return ids === undefined ? [] : typeof ids === 'string' ? [ids] : ids;
}

function emptyTables(): Tables {
  return { users: new Map(), unique: new Map(), byEmail: new Map(), byUsername: new Map(), order: new Map(), next: 0 };
}

/**
 * The core's unique keys of the user looked up last (`uniqueKeysOf`): a write looks the new user's
 * keys up twice (the conflict check, then its index). One user only, so that a stored user costs
 * no memory for them; only a user frozen down to its identities (the core's users are) is kept, as
 * it cannot change under its keys.
 */
let lastKeys: { readonly user: User; readonly keys: ReturnType<typeof uniqueKeysOf> } | undefined;
function keysOf(user: User): ReturnType<typeof uniqueKeysOf> {
  if (lastKeys?.user === user) return lastKeys.keys;
  const keys = uniqueKeysOf(user);
  const identities: unknown = user.identities;
  const frozen =
    Object.isFrozen(user) &&
    (!Array.isArray(identities) || (Object.isFrozen(identities) && identities.every((each) => Object.isFrozen(each))));
  lastKeys = frozen ? { user, keys } : undefined;
  return keys;
}

function unindex(tables: Tables, record: StoreRecord): void {
  const userId = record.user.user_id;
  for (const { attribute, key } of keysOf(record.user)) {
    if (attribute !== 'user_id' && tables.unique.get(key) === userId) tables.unique.delete(key);
  }
  removeFrom(tables.byEmail, emailOf(record.user), userId);
  removeFrom(tables.byUsername, usernameOf(record.user), userId);
}

function insert(tables: Tables, record: StoreRecord): void {
  const userId = record.user.user_id;
  const previous = tables.users.get(userId);
  if (previous === undefined) tables.order.set(userId, tables.next++);
  else {
    if (previous.user !== record.user) forgetStoredJson(previous.user);
    // A write that keeps the user's keys (a metadata PATCH) leaves every index as it is.
    if (sameUniqueKeys(previous.user, record.user)) {
      tables.users.set(userId, record);
      return;
    }
    unindex(tables, previous);
  }
  tables.users.set(userId, record);
  for (const { attribute, key } of keysOf(record.user)) if (attribute !== 'user_id') tables.unique.set(key, userId);
  addTo(tables.byEmail, emailOf(record.user), userId);
  addTo(tables.byUsername, usernameOf(record.user), userId);
}

function tablesOf(records: Iterable<StoreRecord>): Tables {
  const tables = emptyTables();
  for (const record of records) insert(tables, record);
  return tables;
}

/** Creates a store holding `seed` (which {@link UserStore.reset} returns to). */
export function createStore(seed: readonly StoreRecord[]): UserStore {
  let initial = [...seed];
  let tables = tablesOf(initial);
  return {
    get: (userId) => tables.users.get(userId),
    set: (record) => insert(tables, record),
    delete: (userId) => {
      const record = tables.users.get(userId);
      if (record === undefined) return;
      unindex(tables, record);
      forgetStoredJson(record.user);
      tables.users.delete(userId);
      tables.order.delete(userId);
    },
    all: () => [...tables.users.values()],
    size: () => tables.users.size,
    // The core decides what a duplicate is (uniqueKeysOf, which findDuplicateUser is defined by);
    // the store only looks its keys up.
    conflict: (user, update = false) => {
      // Keys the user's own stored version holds are held by no other user (the index is unique).
      const own = update ? tables.users.get(user.user_id) : undefined;
      if (own !== undefined && sameUniqueKeys(own.user, user)) return undefined;
      for (const { attribute, key } of keysOf(user)) {
        const holder =
          attribute === 'user_id'
            ? tables.users.has(user.user_id)
              ? user.user_id
              : undefined
            : tables.unique.get(key);
        if (holder === undefined || (update && holder === user.user_id)) continue;
        const stored = tables.users.get(holder);
        if (stored !== undefined) return { attribute, user: stored.user };
      }
      return undefined;
    },
    candidates: ({ email, username }) => {
      const ids = new Set<string>();
      for (const id of idsOf(tables.byEmail, email?.toLowerCase())) ids.add(id);
      for (const id of idsOf(tables.byUsername, username)) ids.add(id);
      const rank = (id: string): number => tables.order.get(id) ?? 0;
      return [...ids]
        .sort((left, right) => rank(left) - rank(right))
        .flatMap((id) => {
          const stored = tables.users.get(id);
          return stored === undefined ? [] : [stored.user];
        });
    },
    reset: () => {
      tables = tablesOf(initial);
    },
    keepAsSeed: () => {
      initial = [...tables.users.values()];
    },
  };
}
