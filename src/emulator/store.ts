import { findDuplicateUser } from '../tenant.js';
import type { User } from '../types.js';
import type { PasswordHash } from './passwords.js';

/** One user as the emulator keeps it: the frozen user object and, apart, its password hash. */
export interface StoredUser {
  readonly user: User;
  /** Pending while a seeded password is still being hashed. */
  readonly password: Promise<PasswordHash> | undefined;
}

/**
 * The users of one emulator, in creation order. Every method is synchronous, so a route that
 * reads, computes with the core and writes without an `await` in between is atomic.
 */
export interface UserStore {
  get(userId: string): StoredUser | undefined;
  set(record: StoredUser): void;
  delete(userId: string): void;
  all(): readonly StoredUser[];
  /** Whether `user` would duplicate a stored user: the same id, or the same email on the same connection. */
  conflicts(user: User): boolean;
  /** Back to the seeded users. */
  reset(): void;
}

/** Creates a store holding `seed` (which {@link UserStore.reset} returns to). */
export function createStore(seed: readonly StoredUser[]): UserStore {
  const initial = new Map(seed.map((record) => [record.user.user_id, record] as const));
  let users = new Map(initial);
  return {
    get: (userId) => users.get(userId),
    set: (record) => {
      users.set(record.user.user_id, record);
    },
    delete: (userId) => {
      users.delete(userId);
    },
    all: () => [...users.values()],
    // The core decides what a duplicate is (findDuplicateUser); the store only holds the users.
    conflicts: (user) => {
      const duplicate = findDuplicateUser(
        Array.from(users.values(), (record) => record.user),
        user,
      );
      return !duplicate.success || duplicate.value !== null;
    },
    reset: () => {
      users = new Map(initial);
    },
  };
}
