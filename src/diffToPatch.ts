import { patchUser } from './applyPatch.js';
import { storedUserNotObject } from './faults.js';
import { jsonEqual } from './internal/json.js';
import { getOwn, hasOwn, isPlainObject, setOwn } from './internal/object.js';
import { fail, type Issue, type Result, safely, succeed } from './issues.js';
import { ATTRIBUTES, PATCHABLE_ATTRIBUTES, TIMESTAMPS } from './rules/attributes.js';
import { isMetadataKey, METADATA, METADATA_KEYS, type MetadataKey } from './rules/metadata.js';
import type { JsonObject, Metadata, User, UserPatch } from './types.js';
import { checkPatch } from './validatePatch.js';

/** Root attributes a PATCH can set and a stored user keeps, metadata aside: ATTRIBUTES patchable and stored (rule 7). */
const STORED_ATTRIBUTES = PATCHABLE_ATTRIBUTES.filter((name) => ATTRIBUTES[name].stored && !isMetadataKey(name));

/** TIMESTAMPS that change on every write, or only through a password change: never compared (rules 7, 13). */
const IGNORED: ReadonlySet<string> = new Set([TIMESTAMPS.updated, TIMESTAMPS.passwordReset]);

const WRITABLE: ReadonlySet<string> = new Set<string>([...STORED_ATTRIBUTES, ...METADATA_KEYS]);

function unreachable(path: readonly (string | number)[], message: string): Issue {
  return { code: 'unreachable', path, message };
}

/** The first-level changes that turn one metadata object into another, or `undefined` for none. */
function diffMetadata(key: MetadataKey, before: unknown, after: unknown): Result<object | undefined> {
  const old = isPlainObject(before) ? before : undefined;
  const next = isPlainObject(after) ? after : undefined;
  if (after !== undefined && next === undefined) {
    return fail(unreachable([key], `${key} must be an object`));
  }
  // METADATA[key].whenEmpty (rule 4): an empty one is never stored, or can never be removed.
  const keptEmpty = METADATA[key].whenEmpty === 'kept';
  if (!keptEmpty && next !== undefined && Object.keys(next).length === 0) {
    return fail(unreachable([key], `Auth0 never stores an empty ${key}: leave the key out instead`));
  }
  if (keptEmpty && old !== undefined && next === undefined) {
    return fail(unreachable([key], `A PATCH cannot remove ${key}; \`{}\` leaves it as {}`));
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
export function diffToPatch<UserMetadata extends Metadata = JsonObject, AppMetadata extends Metadata = JsonObject>(
  before: User<UserMetadata, AppMetadata>,
  after: User<UserMetadata, AppMetadata>,
): Result<UserPatch | null> {
  return safely(() => {
    if (!isPlainObject(before)) return fail(storedUserNotObject(before));
    if (!isPlainObject(after)) return fail(storedUserNotObject(after));
    return diff(before, after);
  });
}

function diff(before: User<Metadata, Metadata>, after: object): Result<UserPatch | null> {
  const issues: Issue[] = [];
  const body: Record<string, unknown> = {};
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const name of names) {
    if (IGNORED.has(name) || WRITABLE.has(name)) continue;
    if (!jsonEqual(getOwn(before, name), getOwn(after, name))) {
      issues.push(unreachable([name], `${name} is read-only: no PATCH can change it`));
    }
  }
  for (const name of STORED_ATTRIBUTES) {
    const old = getOwn(before, name);
    const next = getOwn(after, name);
    if (jsonEqual(old, next)) continue;
    if (next !== undefined) setOwn(body, name, next);
    // ATTRIBUTES[name].nullable: only `null` unsets an attribute (rule 7).
    else if (ATTRIBUTES[name].nullable) setOwn(body, name, null);
    else issues.push(unreachable([name], `${name} cannot be unset: a PATCH can only change it`));
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
  if (!reaches(before, validated.value, after)) {
    return fail(unreachable([], 'No PATCH produces this user (an email must be lower-case, for one)'));
  }
  return succeed(validated.value);
}

/** Whether `applyPatch(before, patch)` gives `after`, up to the write timestamps. */
function reaches(before: User<Metadata, Metadata>, patch: UserPatch, after: object): boolean {
  const applied = patchUser(before, patch, {});
  return applied.success && sameUser(applied.value, after);
}

function sameUser(left: object, right: object): boolean {
  const strip = (user: object): Record<string, unknown> => {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(user)) if (!IGNORED.has(key)) setOwn(copy, key, getOwn(user, key));
    return copy;
  };
  return jsonEqual(strip(left), strip(right));
}
