import { patchUser } from './applyPatch.js';
import { unreadableRootKey } from './checks/profile.js';
import { jsonEqual } from './internal/equality.js';
import { getOwn, hasOwn, isPlainObject, setOwn } from './internal/object.js';
import {
  storedMetadataNotObject,
  storedUserNotObject,
  unreachableEmailCase,
  unreachableEmptyMetadata,
  unreachableFirstLevelNull,
  unreachableMetadataType,
  unreachableReadOnly,
  unreachableRemovedMetadata,
  unreachableStoredDifferently,
  unreachableUnset,
} from './issueConstructors.js';
import { fail, type Issue, type Result, succeed } from './issues.js';
import { ATTRIBUTES, PATCHABLE_ATTRIBUTES, TIMESTAMPS } from './rules/attributes.js';
import { isMetadataKey, METADATA, METADATA_KEYS, type MetadataKey } from './rules/metadata.js';
import { safely } from './safely.js';
import type { PatchOf, UserPatch } from './types.js';
import { checkPatch } from './validatePatch.js';

/** Root attributes a PATCH can set and a stored user keeps, metadata aside: ATTRIBUTES patchable and stored (rule 7). */
const STORED_ATTRIBUTES = PATCHABLE_ATTRIBUTES.filter((name) => ATTRIBUTES[name].stored && !isMetadataKey(name));

/** TIMESTAMPS that change on every write, or only through a password change: never compared (rules 7, 13). */
const IGNORED: ReadonlySet<string> = new Set([TIMESTAMPS.updated, TIMESTAMPS.passwordReset]);

const WRITABLE: ReadonlySet<string> = new Set<string>([...STORED_ATTRIBUTES, ...METADATA_KEYS]);

/** The first-level changes that turn one metadata object into another, or `undefined` for none. */
function diffMetadata(key: MetadataKey, before: unknown, after: unknown): Result<object | undefined> {
  // Stored metadata that is present but not an object is reported, never read as `{}`.
  if (before !== undefined && !isPlainObject(before)) return fail(storedMetadataNotObject(key, before));
  const old = before;
  const next = isPlainObject(after) ? after : undefined;
  if (after !== undefined && next === undefined) {
    return fail(unreachableMetadataType(key));
  }
  // METADATA[key].whenEmpty (rule 4): an empty one is never stored, or can never be removed.
  const keptEmpty = METADATA[key].whenEmpty === 'kept';
  if (!keptEmpty && next !== undefined && Object.keys(next).length === 0) {
    return fail(unreachableEmptyMetadata(key));
  }
  if (keptEmpty && old !== undefined && next === undefined) {
    return fail(unreachableRemovedMetadata(key));
  }
  const target = next ?? {};
  const targetKeys = Object.keys(target);
  if (targetKeys.length === 0) {
    const oldKeys = old === undefined ? 0 : Object.keys(old).length;
    // `{}` clears everything at once (rule 3), and is the only way to create an empty user_metadata.
    const needsClear = oldKeys > 0 || (keptEmpty && old === undefined && next !== undefined);
    return succeed(needsClear ? {} : undefined);
  }
  const changes: Record<string, unknown> = {};
  let changed = false;
  for (const name of targetKeys) {
    const value = getOwn(target, name);
    if (old !== undefined && hasOwn(old, name) && jsonEqual(getOwn(old, name), value)) continue;
    // A first-level `null` in a PATCH deletes the key (rule 2): no PATCH stores one.
    if (value === null) return fail(unreachableFirstLevelNull(key, name));
    setOwn(changes, name, value);
    changed = true;
  }
  for (const name of old === undefined ? [] : Object.keys(old)) {
    if (hasOwn(target, name)) continue;
    setOwn(changes, name, null);
    changed = true;
  }
  return succeed(changed ? changes : undefined);
}

/**
 * Turns a desired user into the smallest valid PATCH /api/v2/users/{id} body that produces it.
 *
 * Auth0 only merges metadata at the first level, so deleting a nested key means resending its
 * whole first-level parent, and a forgotten `null` leaves stale data behind. `diffToPatch` never
 * resends an unchanged first-level key, deletes with `null`, and sends `{}` when clearing is what
 * the target is. `updated_at` and `last_password_reset` are ignored. The result is checked by
 * applying it: `applyPatch(before, patch)` gives `after` (up to those two timestamps).
 *
 * @param before - The stored user.
 * @param after - The user wanted.
 * @returns The PATCH body, or `null` when there is nothing to do (Auth0 rejects an empty body);
 *   `unreachable` issues when no PATCH can produce `after` (a read-only attribute changed, an
 *   attribute that cannot be unset removed, an empty `app_metadata`), or the validation issues of
 *   the body (`after` holds a reserved `app_metadata` name, a dotted key, ...).
 * @example
 * const stamp = { user_id: 'auth0|1', identities: [], created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' };
 * const before = { ...stamp, user_metadata: { addresses: { home: 'Paris', work: 'Lyon' }, theme: 'dark' } };
 * const after = { ...stamp, user_metadata: { addresses: { work: 'Lyon' }, lang: 'fr' } };
 * diffToPatch(before, after).value;
 * // => { user_metadata: { addresses: { work: 'Lyon' }, lang: 'fr', theme: null } }
 * diffToPatch(before, before).value;
 * // => null
 */
export function diffToPatch<Before extends object, After extends object>(
  before: Before,
  after: After,
): Result<PatchOf<After> | null>;
export function diffToPatch(before: object, after: object): Result<UserPatch | null> {
  return safely(() => {
    if (!isPlainObject(before)) return fail(storedUserNotObject(before));
    if (!isPlainObject(after)) return fail(storedUserNotObject(after));
    const unreadable = unreadableRootKey(before) ?? unreadableRootKey(after);
    if (unreadable !== undefined) return fail(unreadable);
    return diff(before, after);
  });
}

function diff(before: Readonly<Record<string, unknown>>, after: object): Result<UserPatch | null> {
  const issues: Issue[] = [];
  const body: Record<string, unknown> = {};
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const name of names) {
    if (IGNORED.has(name) || WRITABLE.has(name)) continue;
    if (!jsonEqual(getOwn(before, name), getOwn(after, name))) {
      issues.push(unreachableReadOnly(name));
    }
  }
  for (const name of STORED_ATTRIBUTES) {
    const old = getOwn(before, name);
    const next = getOwn(after, name);
    if (jsonEqual(old, next)) continue;
    if (next !== undefined) setOwn(body, name, next);
    // ATTRIBUTES[name].nullable: only `null` unsets an attribute (rule 7).
    else if (ATTRIBUTES[name].nullable) setOwn(body, name, null);
    else issues.push(unreachableUnset(name));
  }
  for (const key of METADATA_KEYS) {
    const changes = diffMetadata(key, getOwn(before, key), getOwn(after, key));
    if (!changes.success) issues.push(...changes.issues);
    else if (changes.value !== undefined) setOwn(body, key, changes.value);
  }
  const [first, ...rest] = issues;
  if (first !== undefined) return fail(first, ...rest);
  if (Object.keys(body).length === 0) return succeed(null);
  const validated = checkPatch(body);
  if (!validated.success) return validated;
  // The check: `applyPatch(before, body)` must give `after`, up to the write timestamps. A stored
  // user the PATCH cannot be applied to answers with that issue.
  const applied = patchUser(before, validated.value, {});
  if (!applied.success) return applied;
  const differs = firstDifference(applied.value, after);
  if (differs !== undefined) {
    // The email is the one attribute the check above lets through and Auth0 stores otherwise (rule 15).
    const email = getOwn(after, 'email');
    const lowerCased = differs === 'email' && typeof email === 'string' && email !== email.toLowerCase();
    return fail(lowerCased ? unreachableEmailCase(email) : unreachableStoredDifferently([differs]));
  }
  return succeed(validated.value);
}

/** The first root attribute, write timestamps aside, where two users differ; `undefined` when none does. */
function firstDifference(left: object, right: object): string | undefined {
  const names = new Set([...Object.keys(left), ...Object.keys(right)]);
  for (const name of names) {
    if (IGNORED.has(name)) continue;
    if (hasOwn(left, name) !== hasOwn(right, name) || !jsonEqual(getOwn(left, name), getOwn(right, name))) return name;
  }
  return undefined;
}
