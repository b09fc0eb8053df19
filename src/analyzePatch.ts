import { patchUser } from './applyPatch.js';
import { pathText } from './formatPath.js';
import { jsonEqual, pairMemo } from './internal/equality.js';
import { guarded } from './internal/guarded.js';
import { getOwn, hasOwn, isPlainObject } from './internal/object.js';
import { preview } from './internal/preview.js';
import { measure } from './internal/sizes.js';
import { storedUserNotObject } from './issueConstructors.js';
import { fail, type Path, type Result, succeed } from './issues.js';
import { ATTRIBUTES, isAttributeName } from './rules/attributes.js';
import { MAX_METADATA_DEPTH } from './rules/limits.js';
import { isMetadataKey } from './rules/metadata.js';
import { safely } from './safely.js';
import type { JsonObject, Metadata, PatchArgument, UserArgument, UserPatch, WriteOptions } from './types.js';
import { takePatch } from './validatePatch.js';

/** One thing a PATCH will do, at a path of the user. */
export type PatchEffect =
  /** A first-level metadata key, or a root attribute, that the user did not have. */
  | { readonly kind: 'add'; readonly path: Path; readonly value: unknown }
  /** A first-level metadata key or root attribute replaced wholesale by a different value. */
  | { readonly kind: 'replace'; readonly path: Path; readonly before: unknown; readonly value: unknown }
  /** A first-level metadata key deleted with `null`, or a root attribute unset. */
  | { readonly kind: 'delete'; readonly path: Path; readonly before: unknown }
  /** A whole metadata object cleared with `{}`. */
  | { readonly kind: 'clear'; readonly path: Path; readonly before: unknown }
  /**
   * Nested data lost without being named: a first-level object replaced by one that lacks this
   * key. The data loss Auth0's first-level merge makes easy to miss.
   */
  | { readonly kind: 'drop'; readonly path: Path; readonly before: unknown };

/**
 * What a PATCH will do to a user, before it is sent. Frozen, like every result of this library;
 * `before` and `value` are the stored user's and the validated body's own values, by reference.
 */
export interface PatchAnalysis {
  /** Every change, in the order of the body. */
  readonly effects: readonly PatchEffect[];
  /** The `drop` effects alone: nested data the PATCH silently discards. */
  readonly dropped: readonly PatchEffect[];
}

/** Freezes an effect and its path; its values are the user's and the body's own, by reference. */
function effect(made: PatchEffect): PatchEffect {
  Object.freeze(made.path);
  return Object.freeze(made);
}

/**
 * Paths of the keys of `before` that `after` lacks, at every depth where both are objects. A pair
 * of objects met again (shared, or circular on both sides) is not walked twice: its drops are
 * reported once, at the first path.
 */
function droppedPaths(path: Path, before: unknown, after: unknown, effects: PatchEffect[]): void {
  const pending: [Path, unknown, unknown][] = [[path, before, after]];
  const seen = pairMemo();
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [at, old, value] = next;
    if (!isPlainObject(old) || !isPlainObject(value) || seen(old, value)) continue;
    for (const key of Object.keys(old)) {
      const child: Path = [...at, key];
      if (!hasOwn(value, key)) effects.push(effect({ kind: 'drop', path: child, before: getOwn(old, key) }));
      else pending.push([child, getOwn(old, key), getOwn(value, key)]);
    }
  }
}

function metadataEffects(key: string, stored: unknown, changes: object, effects: PatchEffect[]): void {
  const current = isPlainObject(stored) ? stored : {};
  const names = Object.keys(changes);
  if (names.length === 0) {
    if (Object.keys(current).length > 0) effects.push(effect({ kind: 'clear', path: [key], before: stored }));
    return;
  }
  for (const name of names) {
    const value = getOwn(changes, name);
    const path = [key, name];
    const exists = hasOwn(current, name);
    const before = getOwn(current, name);
    if (value === null) {
      if (exists) effects.push(effect({ kind: 'delete', path, before }));
    } else if (!exists) effects.push(effect({ kind: 'add', path, value }));
    else if (!jsonEqual(before, value)) {
      effects.push(effect({ kind: 'replace', path, before, value }));
      droppedPaths(path, before, value, effects);
    }
  }
}

/**
 * Describes what a PATCH /api/v2/users/{id} body will do to a user, before it is sent: first-level
 * keys added, replaced and deleted, metadata cleared, and above all the nested data that will be
 * silently dropped because a first-level object is replaced by one lacking some of its keys.
 *
 * @param user - The stored user.
 * @param patch - The PATCH body (validated as {@link applyPatch} would).
 * @param options - `now`, passed on to the validation.
 * @returns The effects, or the issues that make Auth0 reject the body.
 * @example
 * const user: StoredUser = { user_id: 'auth0|1', user_metadata: { addresses: { home: 'Paris', work: 'Lyon' } } };
 * analyzePatch(user, { user_metadata: { addresses: { work: 'Nice' } } }).value?.dropped;
 * // => [{ kind: 'drop', path: ['user_metadata', 'addresses', 'home'], before: 'Paris' }]
 */
export function analyzePatch<
  Stored extends object,
  UserMetadata extends Metadata = JsonObject,
  AppMetadata extends Metadata = JsonObject,
  Body = UserPatch<UserMetadata, AppMetadata>,
>(
  user: UserArgument<Stored, UserMetadata, AppMetadata>,
  patch: PatchArgument<UserMetadata, AppMetadata, Body>,
  options?: WriteOptions,
): Result<PatchAnalysis>;
export function analyzePatch(user: object, patch: unknown, options: WriteOptions = {}): Result<PatchAnalysis> {
  return safely(() => {
    if (!isPlainObject(user)) return fail(storedUserNotObject(user));
    const validated = takePatch(patch);
    if (!validated.success) return validated;
    const body = validated.value;
    const applied = patchUser(user, body, options);
    if (!applied.success) return applied;
    const effects: PatchEffect[] = [];
    for (const key of Object.keys(body)) {
      const value = getOwn(body, key);
      const before = getOwn(user, key);
      // ATTRIBUTES[key].stored: a request-only helper has no effect on the user (rule 7).
      if (isAttributeName(key) && !ATTRIBUTES[key].stored) continue;
      if (isMetadataKey(key) && isPlainObject(value)) {
        metadataEffects(key, before, value, effects);
      } else if (!hasOwn(applied.value, key)) {
        if (before !== undefined) effects.push(effect({ kind: 'delete', path: [key], before }));
      } else if (before === undefined) {
        effects.push(effect({ kind: 'add', path: [key], value: getOwn(applied.value, key) }));
      } else if (!jsonEqual(before, getOwn(applied.value, key))) {
        effects.push(effect({ kind: 'replace', path: [key], before, value: getOwn(applied.value, key) }));
      }
    }
    const dropped = Object.freeze(effects.filter((one) => one.kind === 'drop'));
    return succeed(Object.freeze({ effects: Object.freeze(effects), dropped }));
  });
}

/**
 * Says what one effect of a PATCH does, in plain words. A value longer than 2,000 characters as
 * JSON is cut there, with `…`; one JSON cannot carry is named `(a value that is not JSON)`.
 *
 * @param effect - One effect from {@link analyzePatch}.
 * @returns A sentence.
 * @example
 * describeEffect({ kind: 'drop', path: ['user_metadata', 'addresses', 'home'], before: 'Paris' });
 * // => 'user_metadata.addresses.home will be lost: its parent is replaced by an object without it (was "Paris")'
 */
export function describeEffect(effect: PatchEffect): string {
  return guarded(
    () => describe(effect),
    () => NOT_AN_EFFECT,
  );
}

/** What {@link describeEffect} says of anything that is not an effect of {@link analyzePatch}. */
const NOT_AN_EFFECT = 'not an effect of analyzePatch';

/** The most characters of a value a description shows. */
const MAX_SHOWN = 2000;

/** The walk bounds of a shown value: as deep as a stored value can be, and what is shown whole. */
const SHOWN_LIMITS = /* @__PURE__ */ Object.freeze({ maxDepth: MAX_METADATA_DEPTH + 2, maxBytes: MAX_SHOWN });

/**
 * A value as JSON text, when it is JSON: `measure` walks it iteratively first, and refuses a
 * BigInt, a cycle, an accessor or a nesting deeper than a stored value can be, so `JSON.stringify`
 * then can neither throw nor overflow the stack. A value over 2,000 characters (however it is
 * built: a DAG stops the walk as soon as its running total passes) is cut there, with `…`.
 */
function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  const bytes = measure(value, [], SHOWN_LIMITS);
  if (typeof bytes === 'number') return String(JSON.stringify(value));
  return bytes.code === 'too_large' ? preview(value, MAX_SHOWN) : '(a value that is not JSON)';
}

function describe(effect: PatchEffect): string {
  if (!isPlainObject(effect)) return NOT_AN_EFFECT;
  const at = pathText(getOwn(effect, 'path'));
  const before = (): string => show(getOwn(effect, 'before'));
  const value = (): string => show(getOwn(effect, 'value'));
  switch (getOwn(effect, 'kind')) {
    case 'add':
      return `${at} will be added: ${value()}`;
    case 'replace':
      return `${at} will be replaced: ${before()} -> ${value()}`;
    case 'delete':
      return `${at} will be deleted (was ${before()})`;
    case 'clear':
      return `${at} will be cleared entirely (was ${before()})`;
    case 'drop':
      return `${at} will be lost: its parent is replaced by an object without it (was ${before()})`;
    default:
      return NOT_AN_EFFECT;
  }
}
