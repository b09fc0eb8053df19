import { patchUser } from './applyPatch.js';
import { MEASURE_LIMITS } from './checks/profile.js';
import { EMPTY_OBJECT } from './internal/freeze.js';
import { guarded } from './internal/guarded.js';
import { getOwn, isPlainObject, setOwn, typeName } from './internal/object.js';
import { measureJson } from './internal/sizes.js';
import {
  actionNotFunction,
  actionsMetadataTooLarge,
  actionsNameNotString,
  actionsNotArray,
  emptyBody,
  storedUserNotObject,
} from './issueConstructors.js';
import { fail, type Issue, type Result, succeed } from './issues.js';
import { MAX_ACTIONS_METADATA_BYTES } from './rules/limits.js';
import { METADATA_KEYS, type MetadataKey } from './rules/metadata.js';
import { safely } from './safely.js';
import type {
  JsonObject,
  JsonValue,
  MetadataName,
  PatchedUser,
  Simplify,
  StoredMetadataOf,
  User,
  UserPatch,
  WriteOptions,
} from './types.js';
import { checkPatch } from './validatePatch.js';

/**
 * The user as Actions see it: the attributes of the user the flow started from, with both metadata
 * objects always present (`{}` by default).
 *
 * @typeParam Stored - The type of the user the flow started from.
 */
export type ActionsUser<Stored extends object = User> = Simplify<
  Omit<Stored, MetadataName> & {
    readonly user_metadata: StoredMetadataOf<Stored, 'user_metadata'>;
    readonly app_metadata: StoredMetadataOf<Stored, 'app_metadata'>;
  }
>;

/** The `event` argument of a post-login Action (the part about the user). */
export interface PostLoginEvent<Stored extends object = User> {
  /** The user, with every metadata change made so far in the flow already applied. */
  readonly user: ActionsUser<Stored>;
}

/** The `api` argument of a post-login Action (the part about metadata). */
export interface PostLoginApi {
  readonly user: {
    /** Sets one first-level `user_metadata` key for the end of the flow; `null` removes it. */
    readonly setUserMetadata: (name: string, value: JsonValue | undefined) => void;
    /** Sets one first-level `app_metadata` key for the end of the flow; `null` removes it. */
    readonly setAppMetadata: (name: string, value: JsonValue | undefined) => void;
  };
}

/** One post-login Action: reads `event.user`, calls `api.user.set*Metadata`. */
export type PostLoginAction<Stored extends object = User> = (
  event: PostLoginEvent<Stored>,
  api: PostLoginApi,
) => void | Promise<void>;

/** One post-login flow: its `event` and `api`, shared by all its Actions, and the batched update. */
export interface ActionsFlow<Stored extends object = User> {
  readonly event: PostLoginEvent<Stored>;
  readonly api: PostLoginApi;
  /** The single PATCH body all calls so far add up to; `null` when nothing was set. */
  readonly toPatch: () => Result<UserPatch | null>;
  /** Applies that body to the user the flow started from, as Auth0 does at the end of the flow. */
  readonly commit: (options?: WriteOptions) => Result<PatchedUser<Stored>>;
}

/** First-level keys set in one flow, in the order first set; the last value set wins. */
type Changes = Map<string, JsonValue | undefined>;

function applyChanges(metadata: StoredObject, changes: Changes): StoredObject {
  const out: Record<string, unknown> = { ...metadata };
  for (const [name, value] of changes) {
    if (value === null || value === undefined) Reflect.deleteProperty(out, name);
    else setOwn(out, name, value);
  }
  return Object.freeze(out);
}

/** The raw body of one metadata attribute: what the calls set, before validation. */
function changesBody(key: MetadataKey, changes: Changes): Result<JsonObject> {
  const body: JsonObject = {};
  for (const [name, value] of changes) {
    // Typed callers always pass a string; untyped ones can pass anything, and get an issue for it.
    if (typeof name !== 'string') {
      return fail(actionsNameNotString(key, typeName(name)));
    }
    // `undefined` does not survive JSON: Auth0's final update then has nothing to send and fails (rule 31).
    if (value === undefined) {
      return fail(emptyBody([key, name]));
    }
    setOwn(body, name, value);
  }
  return succeed(body);
}

/** The issue for more than 32 kB of one metadata attribute persisted by one flow. */
function tooLargeForActions(key: MetadataKey, bytes: number): Issue | undefined {
  // MAX_ACTIONS_METADATA_BYTES per metadata per flow (rule 31).
  if (bytes <= MAX_ACTIONS_METADATA_BYTES) return undefined;
  return actionsMetadataTooLarge(key, bytes, MAX_ACTIONS_METADATA_BYTES);
}

/**
 * The single PATCH body the calls add up to, validated as the final update validates it (JSON
 * values only, no `.`/`$` keys, no reserved `app_metadata` names, the 32 kB limit of a flow):
 * `toPatch()` and `commit()` give the same answer for the same calls.
 */
function flowPatch(changes: Readonly<Record<MetadataKey, Changes>>): Result<UserPatch | null> {
  const body: { user_metadata?: JsonObject; app_metadata?: JsonObject } = {};
  for (const key of METADATA_KEYS) {
    if (changes[key].size === 0) continue;
    const part = changesBody(key, changes[key]);
    if (!part.success) return part;
    body[key] = part.value;
  }
  if (Object.keys(body).length === 0) return succeed(null);
  const validated = checkPatch(body);
  if (!validated.success) return validated;
  for (const key of METADATA_KEYS) {
    const sent = validated.value[key];
    const issue = sent === undefined ? undefined : tooLargeForActions(key, measureJson(sent, MEASURE_LIMITS) ?? 0);
    if (issue !== undefined) return fail(issue);
  }
  return validated;
}

/** Metadata as the flow holds it: read from the caller's user, whatever its values. */
type StoredObject = Readonly<Record<string, unknown>>;

/**
 * The user Actions see: the user with both metadata objects present. A user that cannot be read
 * (not an object, a Proxy whose traps throw, a throwing getter) is seen as an empty one; the final
 * update then reports what is wrong with it.
 */
function actionsUser(user: unknown): FlowUser {
  return guarded(
    () => {
      if (!isPlainObject(user)) return UNREADABLE_USER;
      const metadata = (value: unknown): StoredObject => (isPlainObject(value) ? value : EMPTY_OBJECT);
      return Object.freeze({
        ...user,
        user_metadata: metadata(getOwn(user, 'user_metadata')),
        app_metadata: metadata(getOwn(user, 'app_metadata')),
      });
    },
    () => UNREADABLE_USER,
  );
}

/** What the flow holds of a user: any attributes, both metadata objects present. */
interface FlowUser {
  readonly user_metadata: StoredObject;
  readonly app_metadata: StoredObject;
}

/** The flow as it is built, over any user: {@link ActionsFlow} types it for the caller's user. */
interface Flow {
  readonly event: { readonly user: FlowUser };
  readonly api: PostLoginApi;
  readonly toPatch: () => Result<UserPatch | null>;
  readonly commit: (options?: WriteOptions) => Result<object>;
}

const UNREADABLE_USER: FlowUser = /* @__PURE__ */ Object.freeze({
  user_metadata: EMPTY_OBJECT,
  app_metadata: EMPTY_OBJECT,
});

/**
 * Emulates the metadata part of a post-login Actions flow: `api.user.setUserMetadata` and
 * `setAppMetadata` calls from every Action of one flow are batched into **one** update at the end.
 *
 * Each call sets one first-level key (`null` removes it) and shows at once on `event.user` for the
 * Actions that run after; the last call for a key wins; `event.user.user_metadata` and
 * `app_metadata` are never undefined. At the end, `toPatch()` is the single PATCH body and
 * `commit()` applies it with {@link applyPatch}. An `undefined` value makes the update fail with
 * Auth0's empty-body error; more than 32 kB of either metadata in one flow fails too.
 *
 * @param user - The user logging in.
 * @returns The flow: `event`, `api`, `toPatch()`, `commit()`.
 * @example
 * const user = { user_id: 'auth0|1', identities: [], created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' };
 * const flow = createActionsFlow(user);
 * flow.api.user.setUserMetadata('theme', 'dark');
 * flow.event.user.user_metadata;
 * // => { theme: 'dark' }
 * flow.api.user.setAppMetadata('plan', 'full');
 * flow.api.user.setUserMetadata('theme', 'light');
 * flow.toPatch().value;
 * // => { user_metadata: { theme: 'light' }, app_metadata: { plan: 'full' } }
 * @see https://auth0.com/docs/customize/actions/explore-triggers/signup-and-login-triggers/login-trigger/post-login-api-object
 */
export function createActionsFlow<Stored extends object>(user: Stored): ActionsFlow<Stored>;
export function createActionsFlow(user: object): Flow {
  // startFlow reads nothing that can throw (the user is read under its own guard); wrapped all the same.
  return guarded(
    () => startFlow(user),
    () => startFlow(UNREADABLE_USER),
  );
}

/** @internal {@link createActionsFlow}, unwrapped: each member of the flow is guarded on its own. */
function startFlow<Stored extends object>(user: Stored): ActionsFlow<Stored>;
function startFlow(user: object): Flow {
  const changes: Record<MetadataKey, Changes> = { user_metadata: new Map(), app_metadata: new Map() };
  let current = actionsUser(user);
  const event = {
    get user(): FlowUser {
      return current;
    },
  };
  const set = (key: MetadataKey, name: string, value: JsonValue | undefined): void => {
    changes[key].delete(name);
    changes[key].set(name, value);
    // A name that is not a string cannot show on `event.user`; the final update refuses it.
    if (typeof name !== 'string') return;
    const single: Changes = new Map([[name, value]]);
    current = Object.freeze({ ...current, [key]: applyChanges(current[key], single) });
  };
  const commit = (options: WriteOptions): Result<object> => {
    const patch = flowPatch(changes);
    if (!patch.success) return patch;
    if (patch.value !== null) return patchUser(user, patch.value, options);
    return isPlainObject(user) ? succeed(user) : fail(storedUserNotObject(user));
  };
  return Object.freeze({
    event,
    api: Object.freeze({
      user: Object.freeze({
        setUserMetadata: (name: string, value: JsonValue | undefined) => set('user_metadata', name, value),
        setAppMetadata: (name: string, value: JsonValue | undefined) => set('app_metadata', name, value),
      }),
    }),
    toPatch: () => safely(() => flowPatch(changes)),
    commit: (options: WriteOptions = {}) => safely(() => commit(options)),
  });
}

/**
 * Runs post-login Actions in order against one user, as one flow, and applies their batched
 * metadata update at the end (see {@link createActionsFlow}).
 *
 * @param user - The user logging in.
 * @param actions - The Actions, run one after the other (each may be async). What one throws or
 *   rejects with is the caller's own error: the returned promise rejects with it, unchanged.
 * @param options - `now`, the clock of the final update.
 * @returns The updated user, or the issues of the final update (or of an `actions` that is not an
 *   array of functions).
 * @example
 * const user = { user_id: 'auth0|1', identities: [], created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' };
 * const countLogins: PostLoginAction<typeof user> = (event, api) => {
 *   const logins = event.user.app_metadata.logins;
 *   api.user.setAppMetadata('logins', (typeof logins === 'number' ? logins : 0) + 1);
 * };
 * const result = await runPostLoginActions(user, [countLogins, countLogins]);
 * result.success && result.value.app_metadata;
 * // => { logins: 2 }
 */
export async function runPostLoginActions<Stored extends object>(
  user: Stored,
  actions: readonly PostLoginAction<Stored>[],
  options?: WriteOptions,
): Promise<Result<PatchedUser<Stored>>>;
export async function runPostLoginActions(
  user: object,
  actions: unknown,
  options: WriteOptions = {},
): Promise<Result<object>> {
  const list = safely(() => readActions(actions));
  if (!list.success) return list;
  const flow = startFlow(user);
  for (const action of list.value) await action(flow.event, flow.api);
  return flow.commit(options);
}

/** An Action as the flow calls it. */
type FlowAction = (event: Flow['event'], api: PostLoginApi) => unknown;

/** The Actions to run, read once: an array whose every element is a function. */
function readActions(actions: unknown): Result<readonly FlowAction[]> {
  if (!Array.isArray(actions)) {
    return fail(actionsNotArray(typeName(actions)));
  }
  const list: FlowAction[] = [];
  for (let index = 0; index < actions.length; index++) {
    const action: unknown = getOwn(actions, String(index));
    if (!isAction(action)) {
      return fail(actionNotFunction(index, typeName(action)));
    }
    list.push(action);
  }
  return succeed(list);
}

function isAction(value: unknown): value is FlowAction {
  return typeof value === 'function';
}
