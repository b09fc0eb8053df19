import type { User } from '../types.js';
import type { StoreRecord, UserStore } from './store.js';

/** The search index as the control API shows it. */
export interface SearchIndexState {
  /** How long a created, changed or deleted user takes to show in `GET /api/v2/users?q=`, in ms; 0 at once. */
  readonly lagMs: number;
  /** Changes not yet visible to search. */
  readonly pending: number;
}

/**
 * What `GET /api/v2/users` searches: the users as they were `lagMs` ago. Auth0's search is
 * eventually consistent (documented: Auth0 docs, "User Search Best Practices": a user just created
 * or changed may not be returned by search yet; get a user by id or by email for an immediately
 * consistent read). Get-by-id and users-by-email read the store and are never late.
 */
export interface SearchIndex {
  /** The users search sees now, in creation order. */
  readonly users: () => readonly User[];
  readonly state: () => SearchIndexState;
  readonly setLag: (lagMs: number) => SearchIndexState;
  /** Makes every pending change visible at once. */
  readonly flush: () => SearchIndexState;
  /** The store to hand to the routes: every change goes through it to the index. */
  readonly store: UserStore;
}

interface Pending {
  readonly due: number;
  readonly userId: string;
  /** The user as changed; `undefined` for a deletion. */
  readonly user: User | undefined;
}

/**
 * Wraps `store` so that its changes reach search `lagMs` after they are made (real time, not the
 * emulator's clock: the lag models Auth0's indexing, which a frozen test clock must not stop).
 * With `lagMs` 0 nothing is kept apart and search reads the store itself.
 */
export function createSearchIndex(store: UserStore, initialLag: number, clock: () => number = Date.now): SearchIndex {
  let lagMs = initialLag;
  let indexed = new Map<string, User>();
  const pending: Pending[] = [];
  const rebuild = (): void => {
    indexed = new Map(store.all().map((record) => [record.user.user_id, record.user] as const));
    pending.length = 0;
  };
  const apply = (until: number): void => {
    for (let change = pending[0]; change !== undefined && change.due <= until; change = pending[0]) {
      pending.shift();
      if (change.user === undefined) indexed.delete(change.userId);
      else indexed.set(change.userId, change.user);
    }
  };
  const note = (userId: string, user: User | undefined): void => {
    if (lagMs > 0) pending.push({ due: clock() + lagMs, userId, user });
  };
  const state = (): SearchIndexState => {
    apply(clock());
    return { lagMs, pending: pending.length };
  };
  const wrapped: UserStore = {
    ...store,
    set: (record: StoreRecord) => {
      store.set(record);
      note(record.user.user_id, record.user);
    },
    delete: (userId) => {
      const known = store.get(userId) !== undefined;
      store.delete(userId);
      if (known) note(userId, undefined);
    },
    reset: () => {
      store.reset();
      rebuild();
    },
  };
  rebuild();
  return {
    users: () => {
      if (lagMs === 0 && pending.length === 0) return store.all().map((record) => record.user);
      apply(clock());
      return [...indexed.values()];
    },
    state,
    setLag: (next) => {
      if (lagMs === 0 && next > 0) rebuild();
      lagMs = next;
      if (next === 0) apply(Infinity);
      return state();
    },
    flush: () => {
      apply(Infinity);
      return state();
    },
    store: wrapped,
  };
}
