import { compileSteps } from './checks/searchMatch.js';
import { getOwn } from './internal/object.js';
import {
  invalidPaging,
  queryInvalidType,
  queryMissing,
  queryNotInEnum,
  queryOutOfRange,
  queryPatternMismatch,
  searchEngineNotAllowed,
} from './issueConstructors.js';
import { fail, type Issue, type Result, succeed } from './issues.js';
import { parseSteps, type Steps } from './parseSearchQuery.js';
import {
  DEFAULT_PER_PAGE,
  INVALID_PAGING_MESSAGE,
  MAX_PER_PAGE,
  MAX_RESULT_WINDOW,
  SEARCH_ENGINE_REFUSALS,
  SEARCH_ENGINES,
  SEARCH_FIELDS,
  SORT_PATTERN,
} from './rules/search.js';
import { safely } from './safely.js';
import { fieldQueryIssue, projection } from './selectFields.js';
import type { FieldQuery, ProjectedUser } from './types.js';

/** SORT_PATTERN compiled, kept private: an exported RegExp can be recompiled by whoever imports it. */
const SORT = new RegExp(SORT_PATTERN);

/**
 * The query parameters of GET /api/v2/users, raw (as strings from a URL) or typed. Absent, `null`
 * and `''` all mean "not sent".
 */
export interface SearchUsersQuery extends FieldQuery {
  /** Lucene query (S12); empty matches every user. */
  readonly q?: string | null | undefined;
  /** `field:1` or `field:-1` (S29). */
  readonly sort?: string | null | undefined;
  /** Only `v3` (or nothing) is served; `v1` and `v2` are refused (S3). */
  readonly search_engine?: string | null | undefined;
  /** Accepted and ignored: under v3 it filters nothing (S4). */
  readonly connection?: string | null | undefined;
  /** Accepted and ignored: the order is always deterministic (S9). */
  readonly primary_order?: boolean | string | null | undefined;
  /** 0-based page (S5). */
  readonly page?: number | string | null | undefined;
  /** 0 to 100, default 50 (S5). */
  readonly per_page?: number | string | null | undefined;
  /** `true` answers `{start, limit, length, users, total}` instead of an array (S7). */
  readonly include_totals?: boolean | string | null | undefined;
}

/** The body of GET /api/v2/users with `include_totals=true` (S7), keys in Auth0's order. */
export interface SearchUsersPage<Found> {
  readonly start: number;
  readonly limit: number;
  readonly length: number;
  readonly users: readonly Found[];
  /** Every match, not capped at the 1000 reachable ones. */
  readonly total: number;
}

/** The body of GET /api/v2/users: the page of users, or with `include_totals` the page and its totals. */
export type SearchUsersBody<Found> = readonly Found[] | SearchUsersPage<Found>;

function isSent<Value>(value: Value | null | undefined | ''): value is Value {
  return value !== undefined && value !== null && value !== '';
}

function integerParameter(
  name: string,
  raw: number | string | null | undefined,
  fallback: number,
  maximum: number,
): number | Issue {
  if (!isSent(raw)) return fallback;
  const text = String(raw);
  if (!/^-?\d+$/.test(text)) return queryInvalidType(name, 'integer', typeof raw === 'number' ? 'number' : 'string');
  const value = Number(text);
  if (value < 0) return queryOutOfRange(name, text, 'minimum', 0);
  if (value > maximum) return queryOutOfRange(name, text, 'maximum', maximum);
  return value;
}

function booleanParameter(name: string, raw: boolean | string | null | undefined): boolean | Issue {
  if (!isSent(raw) || raw === false || raw === 'false') return false;
  if (raw === true || raw === 'true') return true;
  return queryInvalidType(name, 'boolean', 'string');
}

function engineIssue(raw: string | null | undefined): Issue | undefined {
  if (!isSent(raw)) return undefined;
  if (!SEARCH_ENGINES.includes(raw)) return queryNotInEnum('search_engine', raw);
  const refusal = Object.hasOwn(SEARCH_ENGINE_REFUSALS, raw) ? SEARCH_ENGINE_REFUSALS[raw] : undefined;
  return refusal === undefined ? undefined : searchEngineNotAllowed(raw, refusal);
}

/** A sort key of one user: comparable, or `undefined` for a user lacking the field (sorted last, S30). */
type SortKey = number | string | undefined;

interface Sort {
  readonly key: (user: unknown) => SortKey;
  readonly descending: boolean;
  readonly caseInsensitive: boolean;
}

/** The sort, `null` for one that is accepted and ignored (metadata and unknown fields, S31), or the issue. */
function parseSort(raw: string | null | undefined): Sort | null | Issue {
  if (!isSent(raw)) return null;
  if (!SORT.test(raw)) return queryPatternMismatch('sort', SORT_PATTERN);
  const colon = raw.lastIndexOf(':');
  const name = raw.slice(0, colon);
  const definition = Object.hasOwn(SEARCH_FIELDS, name) ? SEARCH_FIELDS[name] : undefined;
  if (definition === undefined || !definition.sortable) return null;
  const key = (user: unknown): SortKey => {
    const value: unknown = isObject(user) && Object.hasOwn(user, name) ? Reflect.get(user, name) : undefined;
    if (definition.type === 'date')
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? Date.parse(value) : undefined;
    if (definition.type === 'number') return typeof value === 'number' ? value : undefined;
    if (definition.type === 'boolean') return typeof value === 'boolean' ? Number(value) : undefined;
    return typeof value === 'string' ? value : undefined;
  };
  return { key, descending: raw.slice(colon + 1) === '-1', caseInsensitive: definition.caseInsensitive };
}

function compareKeys(left: SortKey, right: SortKey, caseInsensitive: boolean): number {
  if (left === right) return 0;
  if (left === undefined) return 1;
  if (right === undefined) return -1;
  if (typeof left === 'string' && typeof right === 'string' && caseInsensitive) {
    const folded = compareKeys(left.toLowerCase(), right.toLowerCase(), false);
    if (folded !== 0) return folded;
  }
  return left < right ? -1 : 1;
}

function sortUsers<Found>(users: readonly Found[], sort: Sort): Found[] {
  const keyed = users.map((user) => ({ user, key: sort.key(user) }));
  keyed.sort((left, right) => {
    // Users lacking the field stay last in both directions (Elasticsearch's `missing: _last`).
    if (left.key === undefined || right.key === undefined) return compareKeys(left.key, right.key, false);
    const order = compareKeys(left.key, right.key, sort.caseInsensitive);
    return sort.descending ? -order : order;
  });
  return keyed.map((entry) => entry.user);
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function isIssue(value: unknown): value is Issue {
  return isObject(value) && 'code' in value;
}

/**
 * Searches users the way GET /api/v2/users does with search engine v3: checks the parameters in
 * Auth0's order (`search_engine`, paging, fields, `sort`, the 1000-result window, then `q`), then
 * matches, sorts, takes the page and projects each user with `fields` / `include_fields`.
 *
 * Any iterable of users works, in any shape Auth0 returns them; users come back in the iterable's
 * order unless `sort` names a sortable field. Matching and sorting read the whole user.
 *
 * @param users - The users to search, in their default order.
 * @param query - The query parameters (`q`, `sort`, `page`, `per_page`, `include_totals`, …).
 * @returns The response body: the page of users, or with `include_totals` `{start, limit, length, users, total}`;
 *   or the issue Auth0 answers with a 400.
 * @example
 * const base = { identities: [], created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' };
 * const users = [
 *   { ...base, user_id: 'auth0|1', app_metadata: { plan: 'gold', roles: ['admin', 'billing'] } },
 *   { ...base, user_id: 'auth0|2', app_metadata: { plan: 'free' } },
 * ];
 * searchUsers(users, { q: 'app_metadata.roles:"admin"', fields: 'user_id' });
 * // => { success: true, warnings: [], value: [{ user_id: 'auth0|1' }] }
 * searchUsers(users, { q: 'NOT app_metadata.plan:gold', include_totals: true, fields: 'user_id' });
 * // => { success: true, warnings: [], value: { start: 0, limit: 50, length: 1, users: [{ user_id: 'auth0|2' }], total: 1 } }
 * @see https://auth0.com/docs/manage-users/user-search/user-search-query-syntax
 */
export function searchUsers<Stored extends object>(
  users: Iterable<Stored>,
  query: SearchUsersQuery,
): Result<SearchUsersBody<ProjectedUser<Stored>>>;
export function searchUsers(users: Iterable<object>, query: SearchUsersQuery): Result<SearchUsersBody<object>> {
  // Every step is guarded inside `searchSteps`; this guard only covers driving them.
  return safely((): Result<SearchUsersBody<object>> => {
    const steps = searchSteps(users, query, Number.POSITIVE_INFINITY);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  });
}

/** A checked search: how to sort, which page, which fields. */
interface SearchPlan {
  readonly sort: Sort | null;
  readonly page: number;
  readonly perPage: number;
  readonly includeTotals: boolean;
  readonly fields: FieldQuery;
}

function planOf(query: SearchUsersQuery): Result<SearchPlan> {
  return safely((): Result<SearchPlan> => {
    const engine = engineIssue(query.search_engine);
    if (engine !== undefined) return fail(engine);
    const page = integerParameter('page', query.page, 0, Number.MAX_SAFE_INTEGER);
    if (isIssue(page)) return fail(page);
    const perPage = integerParameter('per_page', query.per_page, DEFAULT_PER_PAGE, MAX_PER_PAGE);
    if (isIssue(perPage)) return fail(perPage);
    const includeTotals = booleanParameter('include_totals', query.include_totals);
    if (isIssue(includeTotals)) return fail(includeTotals);
    const fields: FieldQuery = { fields: query.fields, include_fields: query.include_fields };
    // A bad `fields` is refused before any matching, even when no user would be projected.
    const fieldsIssue = fieldQueryIssue(fields);
    if (fieldsIssue !== undefined) return fail(fieldsIssue);
    const sort = parseSort(query.sort);
    if (isIssue(sort)) return fail(sort);
    if (perPage > 0 && (page + 1) * perPage > MAX_RESULT_WINDOW) {
      return fail(invalidPaging(INVALID_PAGING_MESSAGE));
    }
    return succeed({ sort, page, perPage, includeTotals, fields });
  });
}

/** Runs `steps` to their end a step at a time, each step guarded as {@link safely} guards a computation. */
function* guardedSteps<Value>(steps: Steps<Value>): Steps<Result<Value>> {
  for (;;) {
    const step = safely(() => succeed(steps.next()));
    if (!step.success) return step;
    if (step.value.done === true) return succeed(step.value.value);
    yield;
  }
}

/**
 * @internal {@link searchUsers} one step at a time: the query is checked, then the users are
 * matched `usersPerStep` at a time, a step each, and the generator returns what
 * `searchUsers` returns. A server drives it to keep answering other requests during a long search,
 * and to give up on one over its time budget.
 */
export function* searchSteps(
  users: Iterable<object>,
  query: SearchUsersQuery,
  usersPerStep: number,
): Generator<undefined, Result<SearchUsersBody<object>>, undefined> {
  const planned = planOf(query);
  if (!planned.success) return planned;
  const plan = planned.value;
  // The query is parsed and compiled in steps too: a long one takes milliseconds.
  const parsing = yield* guardedSteps(parseSteps(isSent(query.q) ? query.q : ''));
  if (!parsing.success) return parsing;
  const parsed = parsing.value;
  if (!parsed.success) return parsed;
  const compiled = yield* guardedSteps(compileSteps(parsed.value));
  if (!compiled.success) return compiled;
  const matches = compiled.value;
  const matched: unknown[] = [];
  const next = safely(() => succeed(nextUsers(users)));
  if (!next.success) return next;
  for (;;) {
    const slice = safely(() => succeed(next.value(usersPerStep, matches, matched)));
    if (!slice.success) return slice;
    if (slice.value) break;
    yield;
  }
  return safely(() => pageOf(matched, plan));
}

/** `Array.prototype[Symbol.iterator]`, captured before any caller could replace it. */
const ARRAY_VALUES = Array.prototype[Symbol.iterator];

/**
 * A reader of the next `count` users of `users` into `matched`, returning whether the users are
 * done. An array iterated the standard way is read by index (the same elements, holes read as
 * `undefined`, without an iterator result object per user); any other iterable through its iterator.
 */
function nextUsers(
  users: Iterable<object>,
): (count: number, matches: (user: unknown) => boolean, matched: unknown[]) => boolean {
  if (Array.isArray(users) && users[Symbol.iterator] === ARRAY_VALUES) {
    const array: readonly unknown[] = users;
    let index = 0;
    // The position is kept in a local while the loop runs (a captured variable is a store per user).
    return (count, matches, matched) => {
      const { length } = array;
      const until = Math.min(index + count, length);
      let at = index;
      for (; at < until; at++) {
        const user = array[at];
        if (matches(user)) matched.push(user);
      }
      index = at;
      return at >= array.length;
    };
  }
  const iterator = users[Symbol.iterator]();
  return (count, matches, matched) => {
    for (let read = 0; read < count; read++) {
      const step = iterator.next();
      if (step.done === true) return true;
      if (matches(step.value)) matched.push(step.value);
    }
    return false;
  };
}

function pageOf(matched: readonly unknown[], plan: SearchPlan): Result<SearchUsersBody<object>> {
  const { sort, page, perPage, includeTotals, fields } = plan;
  const found = sort === null ? matched : sortUsers(matched, sort);
  const start = page * perPage;
  const selected = projectPage(found.slice(start, start + perPage), fields);
  if (!selected.success || !includeTotals) return selected;
  const { value } = selected;
  return succeed({ start, limit: perPage, length: value.length, users: value, total: found.length });
}

/** Projects each user with a checked field query, parsed once for all of them. */
function projectPage(users: readonly unknown[], fields: FieldQuery): Result<readonly object[]> {
  const project = projection(fields);
  const selected: object[] = [];
  for (const user of users) {
    const projected = project(user);
    if (!projected.success) return projected;
    selected.push(projected.value);
  }
  return succeed(selected);
}

/** The query parameters of GET /api/v2/users-by-email. */
export interface FindUsersByEmailQuery extends FieldQuery {
  /** Compared as stored, case-sensitively (Auth0 stores database emails lower-cased). */
  readonly email?: string | null | undefined;
}

/**
 * Finds the users with an email, the way GET /api/v2/users-by-email does: an exact, case-sensitive
 * comparison with the stored email (one user per connection may share it), then `fields` /
 * `include_fields` on each.
 *
 * @param users - The users to look through.
 * @param query - `email`, and optionally `fields` and `include_fields`.
 * @returns The users with that email, in the iterable's order; or an `invalid_query` issue when
 *   `email` is missing or a field query is invalid.
 * @example
 * const base = { identities: [], created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' };
 * findUsersByEmail([{ ...base, user_id: 'auth0|1', email: 'jane@example.com' }], { email: 'jane@example.com', fields: 'user_id' });
 * // => { success: true, warnings: [], value: [{ user_id: 'auth0|1' }] }
 * findUsersByEmail([], {}).success;
 * // => false
 * @see https://auth0.com/docs/manage-users/user-search/retrieve-users-with-get-users-by-email-endpoint
 */
export function findUsersByEmail<Stored extends object>(
  users: Iterable<Stored>,
  query: FindUsersByEmailQuery,
): Result<readonly ProjectedUser<Stored>[]>;
export function findUsersByEmail(users: Iterable<object>, query: FindUsersByEmailQuery): Result<readonly object[]> {
  return safely((): Result<readonly object[]> => {
    const { email } = query;
    if (typeof email !== 'string') return fail(queryMissing('email'));
    const fields: FieldQuery = { fields: query.fields, include_fields: query.include_fields };
    const fieldsIssue = fieldQueryIssue(fields);
    if (fieldsIssue !== undefined) return fail(fieldsIssue);
    const found: object[] = [];
    for (const user of users) if (getOwn(user, 'email') === email) found.push(user);
    return projectPage(found, fields);
  });
}
