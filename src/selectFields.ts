import { unreadableRootKey } from './checks/profile.js';
import { getOwn, hasOwn, isPlainObject, setOwn } from './internal/object.js';
import {
  invalidFields,
  invalidIncludeFields,
  storedMetadataNotObject,
  storedUserNotObject,
} from './issueConstructors.js';
import { fail, type Issue, type Result, succeed } from './issues.js';
import { isMetadataKey } from './rules/metadata.js';
import { safely } from './safely.js';
import type { FieldQuery, FieldQueryFor, ProjectedUser } from './types.js';

/** The fields a query names: whole first-level fields, and single keys inside object fields. */
interface Selection {
  readonly whole: ReadonlySet<string>;
  /** `user_metadata.hobby` → `user_metadata` → `{hobby}`. */
  readonly nested: ReadonlyMap<string, ReadonlySet<string>>;
}

function parseFields(fields: FieldQuery['fields']): Selection | undefined {
  const names = typeof fields === 'string' ? fields.split(',') : (fields ?? []);
  const whole = new Set<string>();
  const nested = new Map<string, Set<string>>();
  for (const raw of names) {
    const name = raw.trim();
    if (name === '') continue;
    const dot = name.indexOf('.');
    if (dot === -1) {
      whole.add(name);
      continue;
    }
    const parent = name.slice(0, dot);
    const keys = nested.get(parent) ?? new Set<string>();
    keys.add(name.slice(dot + 1));
    nested.set(parent, keys);
  }
  return whole.size === 0 && nested.size === 0 ? undefined : { whole, nested };
}

/** The issue for a `fields` that is neither a string nor an array of strings (a caller's mistake in code). */
function checkFields(fields: unknown): Issue | undefined {
  if (fields === undefined || fields === null || typeof fields === 'string') return undefined;
  const describe = (value: unknown): string =>
    value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  if (!Array.isArray(fields)) {
    return invalidFields(describe(fields));
  }
  for (let index = 0; index < fields.length; index++) {
    const entry: unknown = getOwn(fields, String(index));
    if (typeof entry !== 'string') {
      return invalidFields(describe(entry), index);
    }
  }
  return undefined;
}

function parseInclude(value: FieldQuery['include_fields']): boolean | undefined {
  if (value === undefined || value === null || value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return undefined;
}

/** Copies `source` keeping (or, with `include` false, dropping) the keys in `keys`, in `source`'s order. */
function pick(source: object, keys: (key: string) => boolean, include: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    if (keys(key) === include) setOwn(out, key, getOwn(source, key));
  }
  return out;
}

function isObjectField(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Projects a user the way GET /api/v2/users/{id}?fields=&include_fields= does.
 *
 * `fields` is a comma-separated list (or an array); empty or absent means every field.
 * `include_fields` (default `true`) keeps only the listed fields, or with `false` removes them.
 * `user_id` is not forced in; a listed field the user lacks is simply left out; names are trimmed
 * and unknown names ignored. A dotted entry such as `user_metadata.hobby` selects one first-level
 * key inside an object field. With nothing to select, the same user object is returned.
 *
 * @param user - The stored user.
 * @param query - The raw query-string values (`"a,b"`, `"false"`) or typed ones (`['a', 'b']`, `false`).
 * @returns The projected user, or an `invalid_query` issue for an `include_fields` that is not true or
 *   false, or a `fields` that is not a string or an array of strings.
 * @example
 * const user = { user_id: 'auth0|1', identities: [], created_at: '2026-01-01T00:00:00.000Z',
 *   updated_at: '2026-01-01T00:00:00.000Z', user_metadata: { hobby: 'surfing', lang: 'en' } };
 * selectFields(user, { fields: 'user_metadata', include_fields: 'true' });
 * // => { success: true, warnings: [], value: { user_metadata: { hobby: 'surfing', lang: 'en' } } }
 * selectFields(user, { fields: ['user_metadata.hobby'] });
 * // => { success: true, warnings: [], value: { user_metadata: { hobby: 'surfing' } } }
 * @see https://auth0.com/docs/api/management/v2/users/get-users-by-id
 */
export function selectFields<
  Stored extends object,
  const Fields extends FieldQuery['fields'] = undefined,
  const Include extends FieldQuery['include_fields'] = undefined,
>(user: Stored, query: FieldQueryFor<Stored, Fields, Include>): Result<ProjectedUser<Stored>>;
export function selectFields(user: object, query: FieldQuery): Result<object> {
  return safely(() => projectUser(user, query));
}

/**
 * @internal The issue of a `fields` / `include_fields` query, checked on its own: a query is
 * validated before any user is looked up (rule 27), so no user is needed to check it.
 */
export function fieldQueryIssue(query: FieldQuery): Issue | undefined {
  if (parseInclude(query?.include_fields) === undefined) {
    return invalidIncludeFields(String(query.include_fields));
  }
  return checkFields(query?.fields);
}

/** @internal {@link selectFields} without its guard, for other exports (which are guarded themselves). */
export function projectUser(user: unknown, query: FieldQuery): Result<object> {
  const issue = fieldQueryIssue(query);
  return issue === undefined ? projection(query)(user) : fail(issue);
}

/**
 * @internal The projection of a checked field query ({@link fieldQueryIssue} found nothing), its
 * names parsed once for all the users it is applied to.
 */
export function projection(query: FieldQuery): (user: unknown) => Result<object> {
  const include = parseInclude(query?.include_fields) ?? true;
  const selection = parseFields(query?.fields);
  return (user) => {
    if (!isPlainObject(user)) return fail(storedUserNotObject(user));
    const unreadable = unreadableRootKey(user);
    if (unreadable !== undefined) return fail(unreadable);
    return selection === undefined ? succeed(user) : project(user, selection, include);
  };
}

function project(user: Readonly<Record<string, unknown>>, selection: Selection, include: boolean): Result<object> {
  const { whole, nested } = selection;
  const listed = (key: string): boolean => whole.has(key) || (include && nested.has(key));
  const out = pick(user, listed, include);
  for (const [parent, keys] of nested) {
    if (whole.has(parent) || !hasOwn(out, parent)) continue;
    const value = getOwn(user, parent);
    // Selecting keys inside metadata reads it: stored metadata that is not an object is reported.
    if (isMetadataKey(parent) && !isPlainObject(value)) return fail(storedMetadataNotObject(parent, value));
    const part = isObjectField(value) ? pick(value, (key) => keys.has(key), include) : {};
    if (include && Object.keys(part).length === 0) Reflect.deleteProperty(out, parent);
    else if (isObjectField(value) && Object.keys(part).length < Object.keys(value).length) {
      setOwn(out, parent, Object.freeze(part));
    }
  }
  return succeed(Object.freeze(out));
}

/**
 * Validates the `fields` and `include_fields` query of GET /api/v2/users/{id} (and of the list
 * endpoints) on its own, as Auth0 does before looking any user up (rules 25, 27).
 *
 * @param query - The raw query-string values or typed ones.
 * @returns The query, or its `invalid_query` issue.
 * @example
 * validateFieldQuery({ fields: 'email', include_fields: 'true' }).success;
 * // => true
 * validateFieldQuery({ include_fields: 'maybe' }).success;
 * // => false
 */
export function validateFieldQuery(query: FieldQuery): Result<FieldQuery> {
  return safely(() => {
    const issue = fieldQueryIssue(query);
    return issue === undefined ? succeed(query) : fail(issue);
  });
}
