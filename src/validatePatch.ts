import { checkAttribute } from './checks/attributes.js';
import { checkMetadata } from './checks/metadata.js';
import { conflictingFields, emptyBody, forbiddenCharacter, internalError, invalidType, unknownKeys } from './faults.js';
import { getOwn, isPlainObject, setOwn, typeName } from './internal/object.js';
import { fail, failWith, type Issue, type Result, safely, succeed } from './issues.js';
import { ATTRIBUTES, type AttributeName, CONFLICTING_ATTRIBUTES, PATCHABLE_ATTRIBUTES } from './rules/attributes.js';
import { isMetadataKey } from './rules/metadata.js';
import type { CheckedPatch, UserPatch } from './types.js';

/** PATCHABLE_ATTRIBUTES (rule 7), as a private set. */
const PATCHABLE: ReadonlySet<string> = new Set(PATCHABLE_ATTRIBUTES);

/** @internal The bytes of each first-level value of the metadata of a body, by attribute and key. */
export type MetadataSizes = Map<string, ReadonlyMap<string, number>>;

/** Type-level re-check of a body that passed {@link checkBody}: every value has its schema's JSON type. */
export function hasAttributeTypes(body: object, allowed: ReadonlySet<string>): boolean {
  return Object.keys(body).every((key) => {
    if (!isAllowedAttribute(key, allowed)) return false;
    const value = getOwn(body, key);
    const rule = ATTRIBUTES[key];
    if (value === null) return rule.nullable;
    return rule.type === 'object' ? isPlainObject(value) : typeof value === rule.type;
  });
}

function isUserPatch(body: object): body is UserPatch {
  return hasAttributeTypes(body, PATCHABLE);
}

/* v8 ignore next 4 -- reported only if the validator and the types disagree, which is a bug of this library */
/** @internal Reported only if the validator and the types disagree, which is a bug of this library. */
export function shapeIssue(): Issue {
  return internalError('Internal validation error');
}

function isAllowedAttribute(key: string, allowed: ReadonlySet<string>): key is AttributeName {
  return allowed.has(key);
}

/**
 * The shared body check of create and update: a JSON object of known attributes, each of the right
 * type and length, metadata free of `.`/`$` keys and reserved names. Returns a frozen copy with
 * metadata deep-copied, or the issues in the order Auth0 reports them: schema errors first (all of
 * them), then the first forbidden key.
 */
export function checkBody(body: unknown, allowed: ReadonlySet<string>, sizes?: MetadataSizes): Result<object> {
  if (!isPlainObject(body)) {
    // Rule 10: a body that is not an object.
    return fail(invalidType([], 'object', typeName(body)));
  }
  const issues: Issue[] = [];
  const keys = Object.keys(body);
  const unknown = keys.filter((key) => !allowed.has(key));
  if (unknown.length > 0) {
    // Rule 8: attributes outside `allowed` (PATCHABLE_ATTRIBUTES or CREATABLE_ATTRIBUTES).
    issues.push(unknownKeys(unknown));
  }
  const copy: Record<string, unknown> = {};
  let forbidden: Issue | undefined;
  for (const key of keys) {
    if (!isAllowedAttribute(key, allowed)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(body, key);
    const value: unknown = descriptor !== undefined && 'value' in descriptor ? descriptor.value : undefined;
    if (isMetadataKey(key)) {
      // METADATA[key]: rules 6, 16-18.
      const checked = checkMetadata(key, value);
      for (const issue of checked.issues) issues.push(issue);
      sizes?.set(key, checked.firstLevel);
      if (forbidden === undefined && checked.forbidden !== undefined) {
        forbidden = forbiddenCharacter(checked.forbidden.path, checked.forbidden.character);
      }
      setOwn(copy, key, checked.value);
      continue;
    }
    // ATTRIBUTES[key]: type, nullable, lengths, pattern, format (rules 7, 10, 11).
    const rule = ATTRIBUTES[key];
    const issue = checkAttribute(key, rule, value);
    if (issue !== undefined) issues.push(issue);
    // ATTRIBUTES[key].lowerCased: the email (rule 15).
    setOwn(copy, key, rule.lowerCased && typeof value === 'string' ? value.toLowerCase() : value);
  }
  const failure = failWith(issues) ?? (forbidden === undefined ? undefined : fail(forbidden));
  return failure ?? succeed(Object.freeze(copy));
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
    return isCheckedPatch(checked.value) ? succeed(checked.value) : fail(shapeIssue());
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
  if (!isUserPatch(patch)) return fail(shapeIssue());
  // CONFLICTING_ATTRIBUTES, in Auth0's order (rule 12).
  for (const [first, second] of CONFLICTING_ATTRIBUTES) {
    if (Object.hasOwn(patch, first) && Object.hasOwn(patch, second)) {
      return fail(conflictingFields(first, second));
    }
  }
  return succeed(patch);
}
