/**
 * Auth0's user search (GET /api/v2/users, search engine v3), as data. The rule ids (S1 …) are those
 * of docs/search-rules.md (docs/search-rules.md#s1); each entry cites its rule.
 *
 * @see https://auth0.com/docs/manage-users/user-search/user-search-query-syntax
 */

/** How a searchable root field's values are indexed. */
export type SearchFieldType =
  /** A string, matched whole (v3 fields are not tokenized, S15). */
  | 'text'
  /** A number: terms compare by value, ranges numerically. */
  | 'number'
  | 'boolean'
  /** An ISO-8601 timestamp: terms and range bounds may be partial dates (S28). */
  | 'date'
  /** Searched by sub-path (`identities.connection`), any array element matching (S20). */
  | 'object'
  /** Accepted and never matching (`organization_id`: the emulator has no organizations, S20). */
  | 'never';

/** One searchable root field. */
export interface SearchField {
  readonly type: SearchFieldType;
  /** Terms, phrases, wildcards, ranges and sorting ignore case (S22). */
  readonly caseInsensitive: boolean;
  /** `sort=<field>:1` orders by it (S30); other well-formed sorts are accepted and ignored (S31). */
  readonly sortable: boolean;
  /** A value without a field name is searched here (DOC-QS: "A term without a field name will not match text in the user metadata fields"). */
  readonly defaultField: boolean;
  /** Wildcards are refused with a 400 (`user_metadata`, S27). */
  readonly noWildcards: boolean;
  /** Ranges are refused with a 400 (`user_metadata`, S28). */
  readonly noRanges: boolean;
}

/** One field's row; a call has no side effect, so a bundler drops the table when nothing reads it. */
/* @__NO_SIDE_EFFECTS__ */
function field(type: SearchFieldType, options: Partial<Omit<SearchField, 'type'>> = {}): SearchField {
  return Object.freeze({
    type,
    caseInsensitive: false,
    sortable: false,
    defaultField: false,
    noWildcards: false,
    noRanges: false,
    ...options,
  });
}

const normalized = /* @__PURE__ */ field('text', { caseInsensitive: true, sortable: true, defaultField: true });
const sortableText = /* @__PURE__ */ field('text', { sortable: true, defaultField: true });

/**
 * The searchable root fields: the attributes DOC-PROFILE flags "search", plus `email.domain` and
 * `organization_id` from DOC-QS (S20). Case-insensitive ones are DOC-QS's "normalized user profile
 * fields" (S22); sortable ones are S30. Anything else is 400 "unknown field" (S21).
 */
export const SEARCH_FIELDS: Readonly<Record<string, SearchField>> = /* @__PURE__ */ Object.freeze({
  email: normalized,
  name: normalized,
  given_name: normalized,
  family_name: normalized,
  nickname: normalized,
  'email.domain': field('text', { caseInsensitive: true, defaultField: true }),
  username: sortableText,
  user_id: sortableText,
  phone_number: sortableText,
  last_ip: sortableText,
  email_verified: field('boolean', { sortable: true, defaultField: true }),
  blocked: field('boolean', { sortable: true, defaultField: true }),
  phone_verified: field('boolean', { defaultField: true }),
  logins_count: field('number', { sortable: true, defaultField: true }),
  created_at: field('date', { sortable: true, defaultField: true }),
  updated_at: field('date', { sortable: true, defaultField: true }),
  last_login: field('date', { sortable: true, defaultField: true }),
  identities: field('object'),
  app_metadata: field('object'),
  user_metadata: field('object', { noWildcards: true, noRanges: true }),
  organization_id: field('never'),
});

/** The pseudo-field of `_exists_:field` (S26). */
export const EXISTS_FIELD = '_exists_';

/** Boolean operators, upper case only (S13); the symbols are Lucene's synonyms. */
export const SEARCH_OPERATORS: Readonly<Record<string, 'AND' | 'OR' | 'NOT'>> = /* @__PURE__ */ Object.freeze({
  AND: 'AND',
  '&&': 'AND',
  OR: 'OR',
  '||': 'OR',
  NOT: 'NOT',
});

/** A pattern that starts with `*` needs this many literal characters (S27, DOC-QS "3 characters or more"). */
export const MIN_SUFFIX_WILDCARD_LITERALS = 3;

/** Deepest nesting of parentheses a query may have; deeper is a 400, never a stack overflow ([decision]). */
export const MAX_QUERY_DEPTH = 100;

/** Most terms one query may hold: Lucene 2.9's `BooleanQuery.maxClauseCount` default ([decision]). */
export const MAX_QUERY_CLAUSES = 1024;

/** The search engines Auth0's OAS lists for `search_engine` (S3); only v3 is served. */
export const SEARCH_ENGINES: readonly string[] = /* @__PURE__ */ Object.freeze(['v1', 'v2', 'v3']);

/** What Auth0 answers to a refused engine (S3.2 JAVA-EX, OBS-PH0; S3.3 OAS `x-description-3`). */
export const SEARCH_ENGINE_REFUSALS: Readonly<Record<string, string>> = /* @__PURE__ */ Object.freeze({
  v1: 'You are not allowed to use search_engine=v1.',
  v2: 'You are not allowed to use search_engine=v2. Use search_engine=v3 instead.',
});

/** The `sort` syntax (S29, OAS): `field:1` or `field:-1`, as a pattern source (a RegExp is never exported). */
export const SORT_PATTERN = '^[A-Za-z0-9_.]+:(1|-1)$';

/** Users per page by default and at most (S5, OAS `per_page` `maximum: 100`; DOC-PAGE default 50). */
export const DEFAULT_PER_PAGE = 50;
export const MAX_PER_PAGE = 100;

/**
 * How long a search may take before Auth0 gives up with a 503 (S11: documented, OAS and DOC-LIST,
 * "a 2-second timeout"). The body is our decision: no source shows it; it is the Management API's
 * error envelope with the reason phrase of 503.
 */
export const SEARCH_TIMEOUT: {
  readonly milliseconds: number;
  readonly status: 503;
  readonly errorCode: string;
  readonly message: string;
  readonly source: { readonly limit: 'documented'; readonly body: 'decision' };
} = /* @__PURE__ */ Object.freeze({
  milliseconds: 2000,
  status: 503,
  errorCode: 'query_timeout',
  message: 'The search took longer than 2 seconds. Narrow the query (fewer terms, a field, a connection) and retry.',
  source: /* @__PURE__ */ Object.freeze({ limit: 'documented', body: 'decision' }),
});

/** Only the first 1000 results of a search can be paged to (S6, OAS `x-description-5`). */
export const MAX_RESULT_WINDOW = 1000;

/** Auth0's 400 body message past the window, verbatim (S6, ISSUE-NET979). */
export const INVALID_PAGING_MESSAGE =
  'You can only page through the first 1000 records. See https://auth0.com/docs/users/search/v3/view-search-results-by-page#limitation';

/** The OAS descriptions Auth0's validator quotes after `on property <name>` (S3.4, S17, S29). */
export const SEARCH_PARAMETER_DESCRIPTIONS: Readonly<Record<string, string>> = /* @__PURE__ */ Object.freeze({
  q: 'Query in Lucene query string syntax',
  sort: 'Field to sort by. Use field:order where order is 1 for ascending and -1 for descending. e.g. created_at:1',
  search_engine: 'The version of the search engine',
});
