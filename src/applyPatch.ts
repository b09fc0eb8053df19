import type { MetadataSizes } from './checks/body.js';
import { checkMetadataSize, metadataLimits } from './checks/metadata.js';
import { checkProfileSize, STORED_USER_LIMITS, timestamp, unreadableRootKey } from './checks/profile.js';
import { SMALL_OBJECT } from './internal/copies.js';
import { jsonEqual } from './internal/equality.js';
import { EMPTY_OBJECT } from './internal/freeze.js';
import { getOwn, hasOwn, isPlainObject, setOwn } from './internal/object.js';
import { measure, rememberSize, sizeAfter } from './internal/sizes.js';
import { storedIssue, storedMetadataNotObject, storedUserNotObject } from './issueConstructors.js';
import { fail, type Issue, type Result, succeed } from './issues.js';
import { ATTRIBUTES, isAttributeName, TIMESTAMPS } from './rules/attributes.js';
import { isMetadataKey, METADATA, METADATA_KEYS, type MetadataKey } from './rules/metadata.js';
import { safely } from './safely.js';
import type {
  JsonObject,
  Metadata,
  MetadataPatch,
  PatchArgument,
  PatchResultUser,
  UserArgument,
  UserPatch,
  WriteOptions,
} from './types.js';
import { takePatch } from './validatePatch.js';

/**
 * Applies a PATCH /api/v2/users/{id} body to a stored user, exactly as Auth0 does.
 *
 * - `user_metadata` and `app_metadata` merge **at the first level only**: each key sent replaces
 *   the stored value of that key wholesale; keys not sent are kept.
 * - A first-level `null` deletes the key; `{}` clears the whole metadata. An empty `user_metadata`
 *   stays as `{}`, an empty `app_metadata` disappears.
 * - Other root attributes are replaced; `null` unsets a nullable one. `updated_at` is set to now.
 *
 * The inputs are never mutated. The result is frozen and shares every untouched subtree with
 * `user` by reference; a metadata object no key of which changes is returned as the same object.
 * The body is validated first (see {@link validatePatch}); a write that takes the profile over
 * 10 KB succeeds with a `profile_too_large` warning, as Auth0 only logs it.
 *
 * @param user - The stored user.
 * @param patch - The PATCH body as parsed from JSON (validated here), or a typed {@link UserPatch}.
 * @param options - `now`, the clock for `updated_at`.
 * @returns The updated user, or the issues that make Auth0 reject the patch.
 * @example
 * const user: StoredUser = { user_id: 'auth0|1', identities: [], created_at: '2026-01-01T00:00:00.000Z',
 *   updated_at: '2026-01-01T00:00:00.000Z', user_metadata: { theme: 'dark', lang: 'en' } };
 * const now = () => new Date('2026-02-01T00:00:00.000Z');
 * applyPatch(user, { user_metadata: { theme: null, addresses: { home: 'Paris' } } }, { now });
 * // => { success: true, warnings: [], value: { user_id: 'auth0|1', identities: [],
 * //      created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-02-01T00:00:00.000Z',
 * //      user_metadata: { lang: 'en', addresses: { home: 'Paris' } } } }
 * @see https://auth0.com/docs/manage-users/user-accounts/metadata/manage-metadata-api
 */
export function applyPatch<
  Stored extends object,
  UserMetadata extends Metadata = JsonObject,
  AppMetadata extends Metadata = JsonObject,
  Body = UserPatch<UserMetadata, AppMetadata>,
>(
  user: UserArgument<Stored, UserMetadata, AppMetadata>,
  patch: PatchArgument<UserMetadata, AppMetadata, Body>,
  options?: WriteOptions,
): Result<PatchResultUser<Stored, Body>>;
export function applyPatch(user: object, patch: unknown, options: WriteOptions = {}): Result<object> {
  return safely(() => patchUser(user, patch, options));
}

/** @internal {@link applyPatch}, unwrapped: any plain object is a stored user. */
export function patchUser(user: unknown, patch: unknown, options: WriteOptions): Result<object> {
  return isPlainObject(user) ? patchStoredUser(user, patch, options) : fail(storedUserNotObject(user));
}

function patchStoredUser(
  user: Readonly<Record<string, unknown>>,
  patch: unknown,
  options: WriteOptions,
): Result<object> {
  // Every other key is kept as it is: it must be readable as data.
  const unreadable = unreadableRootKey(user);
  if (unreadable !== undefined) return fail(unreadable);
  const sizes: MetadataSizes = new Map();
  const validated = takePatch(patch, sizes);
  if (!validated.success) return validated;
  const body = validated.value;
  const now = timestamp(options);
  const updates = new Map<string, unknown>();
  for (const key of Object.keys(body)) {
    // ATTRIBUTES[key].stored: request-only helpers are not kept (rule 7); other attributes are
    // replaced (rule 7), metadata is merged below (rule 1).
    if (isAttributeName(key) && ATTRIBUTES[key].stored && !isMetadataKey(key)) updates.set(key, getOwn(body, key));
  }
  // TIMESTAMPS.passwordReset (rule 7).
  if (body.password !== undefined) updates.set(TIMESTAMPS.passwordReset, now);
  const issues: Issue[] = [];
  const knownBytes = new Map<string, number>();
  for (const key of METADATA_KEYS) {
    const changes = body[key];
    if (changes === undefined) continue;
    const merged = mergeMetadata(key, getOwn(user, key), changes, sizes.get(key));
    if ('issue' in merged) issues.push(merged.issue);
    else {
      updates.set(key, merged.value ?? null);
      knownBytes.set(key, merged.bytes);
    }
  }
  const [first, ...rest] = issues;
  if (first !== undefined) return fail(first, ...rest);
  // TIMESTAMPS.updated, on every successful PATCH (rule 13).
  updates.set(TIMESTAMPS.updated, now);
  const next = Object.freeze(overlay(user, updates));
  // The profile size (MAX_PROFILE_BYTES, rule 18) is a warning only: a stored user holding, outside
  // what this PATCH reads, something JSON cannot carry (a Date from a database driver, say) or more
  // than STORED_USER_LIMITS, is patched without it.
  const before = measure(user, [], STORED_USER_LIMITS);
  const bytes =
    typeof before === 'number' ? sizeAfter(user, before, updates, knownBytes, [], STORED_USER_LIMITS) : before;
  if (typeof bytes !== 'number') return succeed(next);
  // Remembered by identity: inputs are immutable (docs/library.md#objects-prototypes-and-sizes).
  rememberSize(next, bytes);
  return checkProfileSize(next, bytes);
}

/**
 * A copy of `source` with `updates` applied: a value replaces the key in place (keeping its
 * position), `null` removes it, new keys are appended. Keys are written with `setOwn`, so a key
 * named `__proto__` is data.
 *
 * When only values change, a spread copies the object's shape as it is. When keys come or go and
 * the result has more than {@link SMALL_OBJECT} keys, it is built with `Object.fromEntries`:
 * adding or removing keys one by one would leave V8 with a dictionary-mode object, and every later
 * PATCH of it would pay ten times more for its spread.
 */
function overlay(source: object, updates: ReadonlyMap<string, unknown>): Record<string, unknown> {
  let deletes = 0;
  let appends = 0;
  for (const [name, value] of updates) {
    if (value === null) deletes++;
    else if (!hasOwn(source, name)) appends++;
  }
  if (deletes === 0 && appends === 0) {
    const copy: Record<string, unknown> = { ...source };
    for (const [name, value] of updates) setOwn(copy, name, value);
    return copy;
  }
  const entries: [string, unknown][] = [];
  for (const name of Object.keys(source)) {
    const value = updates.has(name) ? updates.get(name) : getOwn(source, name);
    if (value !== null || !updates.has(name)) entries.push([name, value]);
  }
  for (const [name, value] of updates) {
    if (value !== null && !hasOwn(source, name)) entries.push([name, value]);
  }
  if (entries.length > SMALL_OBJECT) return Object.fromEntries(entries);
  const copy: Record<string, unknown> = {};
  for (const [name, value] of entries) setOwn(copy, name, value);
  return copy;
}

type Merged = { readonly value: object | undefined; readonly bytes: number } | { readonly issue: Issue };

/**
 * First-level merge of one metadata object. Its new size comes from the old one plus the entries
 * that change, so an untouched 16 MB subtree is neither copied nor serialised.
 */
function mergeMetadata(
  key: MetadataKey,
  stored: unknown,
  changes: MetadataPatch,
  known: ReadonlyMap<string, number> | undefined,
): Merged {
  // Absent metadata merges like `{}`; anything else that is not a plain object is the caller's
  // stored data being wrong, and is reported, never replaced.
  if (stored !== undefined && !isPlainObject(stored)) return { issue: storedMetadataNotObject(key, stored) };
  const current = stored;
  // `changes` is the body's checked copy (deep-frozen, data properties only): read by key, without
  // an array of entries.
  const names = Object.keys(changes);
  if (names.length === 0) {
    // `{}` clears the metadata (rule 3); METADATA[key].whenEmpty says what is left (rule 4).
    if (METADATA[key].whenEmpty === 'removed') return { value: undefined, bytes: 2 };
    return { value: current !== undefined && Object.keys(current).length === 0 ? current : EMPTY_OBJECT, bytes: 2 };
  }
  const updates = new Map<string, unknown>();
  // First-level merge (rule 1): a value replaces the key wholesale, `null` deletes it (rule 2).
  for (const name of names) {
    const value = changes[name];
    const exists = current !== undefined && hasOwn(current, name);
    if (value === null || value === undefined) {
      if (exists) updates.set(name, null);
    } else if (!exists || !jsonEqual(getOwn(current, name), value)) updates.set(name, value);
  }
  const limits = metadataLimits(key);
  const currentBytes = current === undefined ? 2 : measure(current, [key], limits);
  if (typeof currentBytes !== 'number') return { issue: storedIssue(currentBytes, 'JSON') };
  if (updates.size === 0) return { value: current, bytes: currentBytes };
  const copy = overlay(current ?? EMPTY_OBJECT, updates);
  const total = sizeAfter(current ?? EMPTY_OBJECT, currentBytes, updates, known, [key], limits);
  if (typeof total !== 'number') return { issue: storedIssue(total, 'JSON') };
  // METADATA[key].maxBytes, of the merged value (rule 18).
  const tooLarge = checkMetadataSize(key, total);
  if (tooLarge !== undefined) return { issue: tooLarge };

  // METADATA[key].whenEmpty, once the last key is deleted (rule 4).
  if (METADATA[key].whenEmpty === 'removed' && Object.keys(copy).length === 0) return { value: undefined, bytes: 2 };
  const frozen = Object.freeze(copy);
  rememberSize(frozen, total);
  return { value: frozen, bytes: total };
}
