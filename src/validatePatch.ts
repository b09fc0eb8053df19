import { checkBody, hasAttributeTypes, type MetadataSizes } from './checks/body.js';
import { isPlainObject } from './internal/object.js';
import { conflictingFields, emptyBody, internalError } from './issueConstructors.js';
import { fail, type Result, succeed } from './issues.js';
import { CONFLICTING_ATTRIBUTES, PATCHABLE_ATTRIBUTES } from './rules/attributes.js';
import { safely } from './safely.js';
import type { CheckedPatch, UserPatch } from './types.js';

/** PATCHABLE_ATTRIBUTES (rule 7), as a private set. */
const PATCHABLE: ReadonlySet<string> = new Set(PATCHABLE_ATTRIBUTES);

function isUserPatch(body: object): body is UserPatch {
  return hasAttributeTypes(body, PATCHABLE);
}

/**
 * Validates a PATCH /api/v2/users/{id} body the way Auth0 does, without applying it.
 *
 * Checks, in Auth0's order: the body is a JSON object with at least one known attribute; every
 * attribute has its type, length and format; metadata is an object whose keys hold no `.` or `$`
 * at any depth and whose first level uses no reserved `app_metadata` name; no two attributes that
 * cannot change together. The result is a deep-frozen copy (emails lower-cased), safe to keep: a
 * {@link CheckedPatch}, which {@link applyPatch} and {@link analyzePatch} take without checking it
 * again.
 *
 * @param body - The parsed JSON body, as received.
 * @returns The validated patch, or the issues Auth0 would report.
 * @example
 * validatePatch({ user_metadata: { theme: 'dark' } });
 * // => { success: true, value: { user_metadata: { theme: 'dark' } }, warnings: [] }
 * validatePatch({}).success;
 * // => false
 * @see https://auth0.com/docs/api/management/v2/users/patch-users-by-id
 */
export function validatePatch(body: unknown): Result<CheckedPatch> {
  return safely(() => {
    const sizes: MetadataSizes = new Map();
    const checked = checkPatch(body, sizes);
    if (!checked.success) return checked;
    CHECKED.set(checked.value, { patch: checked.value, sizes });
    /* v8 ignore next -- just registered; the guard only restates it for the types */
    return isCheckedPatch(checked.value) ? succeed(checked.value) : fail(internalError());
  });
}

/**
 * The bodies {@link validatePatch} made (deep-frozen, so they stay valid), with the bytes of each
 * first-level value of their metadata: the one place a {@link CheckedPatch} comes from.
 */
const CHECKED = new WeakMap<object, { readonly patch: UserPatch; readonly sizes: MetadataSizes }>();

function isCheckedPatch(patch: UserPatch): patch is CheckedPatch {
  return CHECKED.has(patch);
}

/**
 * @internal {@link checkPatch} for the functions that take a body: a {@link CheckedPatch} is taken
 * as it is (with its sizes copied into `sizes`), any other body is checked.
 */
export function takePatch(body: unknown, sizes?: MetadataSizes): Result<UserPatch> {
  const checked = typeof body === 'object' && body !== null ? CHECKED.get(body) : undefined;
  if (checked === undefined) return checkPatch(body, sizes);
  for (const [key, bytes] of checked.sizes) sizes?.set(key, bytes);
  return succeed(checked.patch);
}

/**
 * @internal {@link validatePatch}, unwrapped; with `sizes`, also fills it with the bytes of each
 * first-level value of the metadata sent: what `applyPatch` needs to size the merge without
 * measuring them again.
 */
export function checkPatch(body: unknown, sizes?: MetadataSizes): Result<UserPatch> {
  if (isPlainObject(body) && Object.keys(body).length === 0) {
    // Rule 9: an empty body.
    return fail(emptyBody());
  }
  const checked = checkBody(body, PATCHABLE, sizes);
  if (!checked.success) return checked;
  const patch = checked.value;
  /* v8 ignore next -- checkBody has validated every attribute; the guard only restates it for the types */
  if (!isUserPatch(patch)) return fail(internalError());
  // CONFLICTING_ATTRIBUTES, in Auth0's order (rule 12).
  for (const [first, second] of CONFLICTING_ATTRIBUTES) {
    if (Object.hasOwn(patch, first) && Object.hasOwn(patch, second)) {
      return fail(conflictingFields(first, second));
    }
  }
  return succeed(patch);
}
