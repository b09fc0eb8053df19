import type { StoreRecord, UserStore } from './store.js';

/** The changes made to an emulator's users since `record` was called. */
export interface UserChanges {
  /** Whether any user was created, replaced or deleted (or the users reset) since the recording began. */
  readonly changed: boolean;
  /** The ids of the users created, replaced or deleted since the recording began, in the order first touched. */
  readonly userIds: readonly string[];
  /** Whether the users were reset (every user may have changed; `userIds` does not list them). */
  readonly reset: boolean;
  /** Puts every user back exactly as it was when the recording began (same records, same order), and ends it. */
  readonly undo: () => void;
  /** Ends the recording, keeping the changes. */
  readonly end: () => void;
}

/** A store whose changes can be recorded and undone, one recording at a time. */
export interface UndoableStore {
  readonly store: UserStore;
  /** Starts recording; a recording already under way is ended (its changes kept). */
  readonly record: () => UserChanges;
}

/**
 * Wraps a store so that the changes of one write can be undone: the dev server undoes a write
 * whose save failed. A recording costs one entry per user touched (the record before its first
 * change); a delete or a reset, which a plain re-insert could not put back in its place, costs one
 * copy of the list of records, taken once per recording.
 */
export function undoableStore(inner: UserStore): UndoableStore {
  interface Recording {
    readonly before: Map<string, StoreRecord | undefined>;
    all: readonly StoreRecord[] | undefined;
    changed: boolean;
    reset: boolean;
  }
  let recording: Recording | undefined;
  const touch = (userId: string): void => {
    if (recording === undefined) return;
    recording.changed = true;
    if (!recording.before.has(userId)) recording.before.set(userId, inner.get(userId));
  };
  const whole = (): void => {
    if (recording === undefined) return;
    recording.changed = true;
    recording.all ??= inner.all();
  };
  const store: UserStore = {
    ...inner,
    set: (record) => {
      touch(record.user.user_id);
      inner.set(record);
    },
    delete: (userId) => {
      if (inner.get(userId) !== undefined) {
        whole();
        touch(userId);
      }
      inner.delete(userId);
    },
    reset: () => {
      whole();
      if (recording !== undefined) recording.reset = true;
      inner.reset();
    },
  };
  const record = (): UserChanges => {
    const current: Recording = {
      before: new Map<string, StoreRecord | undefined>(),
      all: undefined,
      changed: false,
      reset: false,
    };
    recording = current;
    const end = (): void => {
      if (recording === current) recording = undefined;
    };
    return {
      get changed() {
        return current.changed;
      },
      get userIds() {
        return [...current.before.keys()];
      },
      get reset() {
        return current.reset;
      },
      undo: () => {
        end();
        if (current.all !== undefined) {
          // The list as it was at the first delete or reset; the records changed before it are put back below.
          for (const { user } of inner.all()) inner.delete(user.user_id);
          for (const stored of current.all) inner.set(stored);
        }
        // A record replaced in a Map keeps its place; one created during the recording goes.
        for (const [userId, before] of current.before) {
          if (before === undefined) inner.delete(userId);
          else inner.set(before);
        }
      },
      end,
    };
  };
  return { store, record };
}
