/** One step of a path into a value: an object key or an array index. */
export type PathSegment = string | number;

/** Where in the input an issue was found, from the root of the request body (empty for the body itself). */
export type Path = readonly PathSegment[];

/** The fields every issue has; each issue type adds its own. */
export interface IssueBase<Code extends string> {
  /** What went wrong, as a stable snake_case literal. */
  readonly code: Code;
  /** Where it went wrong, from the root of the input. */
  readonly path: Path;
  /** Auth0's own wording for this issue (without the `Payload validation error` wrapper). */
  readonly message: string;
}

/** A value has the wrong JSON type, e.g. `user_metadata` is a string. */
export interface InvalidTypeIssue extends IssueBase<'invalid_type'> {
  /** The accepted types, joined with `,` as Auth0 writes them (`string,null`). */
  readonly expected: string;
  /** The type found: `null`, `string`, `number`, `integer`, `boolean`, `array`, `object`, ... */
  readonly received: string;
}

/** The body has attributes the endpoint does not know. */
export interface UnknownKeysIssue extends IssueBase<'unknown_keys'> {
  readonly keys: readonly string[];
}

/** A PATCH body with no attribute at all (`{}`). */
export type EmptyBodyIssue = IssueBase<'empty_body'>;

/** A required attribute is missing. */
export interface MissingPropertyIssue extends IssueBase<'missing_property'> {
  readonly property: string;
}

/** A string is shorter than its schema allows. */
export interface TooShortIssue extends IssueBase<'too_short'> {
  readonly length: number;
  readonly minimum: number;
}

/** A string is longer than its schema allows. */
export interface TooLongIssue extends IssueBase<'too_long'> {
  readonly length: number;
  readonly maximum: number;
}

/** A string does not match its schema's pattern (`phone_number`). */
export interface PatternMismatchIssue extends IssueBase<'pattern_mismatch'> {
  readonly pattern: string;
}

/** A string does not match its schema's format (`email`). */
export interface InvalidFormatIssue extends IssueBase<'invalid_format'> {
  readonly format: string;
}

/** A metadata key contains `.` or `$`, at any depth. */
export interface ForbiddenCharacterIssue extends IssueBase<'forbidden_character'> {
  readonly character: '.' | '$';
}

/** A first-level `app_metadata` key that Auth0 reserves (`email`, `user_id`, ...). */
export interface ReservedKeyIssue extends IssueBase<'reserved_key'> {
  readonly key: string;
}

/** `user_metadata` or `app_metadata` would exceed 16 MB of JSON. */
export interface MetadataTooLargeIssue extends IssueBase<'metadata_too_large'> {
  readonly bytes: number;
  readonly maximum: number;
}

/** Two attributes that Auth0 will not change in the same request. */
export interface ConflictingFieldsIssue extends IssueBase<'conflicting_fields'> {
  readonly fields: readonly [string, string];
}

/** A value JSON cannot carry: `undefined`, a function, a symbol, a bigint, `NaN`, a Date, a Map, ... */
export interface NotJsonIssue extends IssueBase<'not_json'> {
  /** What was found instead, e.g. `undefined`, `function`, `NaN`, `Date`, `accessor property`. */
  readonly received: string;
}

/** An object that contains itself. */
export type CircularReferenceIssue = IssueBase<'circular_reference'>;

/** Nesting deeper than `MAX_METADATA_DEPTH` (src/rules/limits.ts) levels inside a metadata value. */
export interface TooDeepIssue extends IssueBase<'too_deep'> {
  readonly maximum: number;
}

/** A query-string parameter with a value the endpoint does not accept (`include_fields=maybe`). */
export interface InvalidQueryIssue extends IssueBase<'invalid_query'> {
  readonly parameter: string;
}

/** What makes a search query (`q`) unusable. */
export type SearchQueryReason =
  | 'unbalanced_quote'
  | 'unbalanced_parenthesis'
  | 'missing_operand'
  | 'missing_value'
  | 'invalid_range'
  | 'trailing_escape'
  | 'unsupported_syntax'
  | 'short_suffix_wildcard'
  | 'wildcard_not_allowed'
  | 'range_not_allowed'
  | 'unknown_field'
  | 'too_deep'
  | 'too_many_clauses'
  | 'unexpected_character';

/** A `q` that does not parse, or names a field or a query kind Auth0 refuses (400 `invalid_query_string`). */
export interface InvalidSearchQueryIssue extends IssueBase<'invalid_search_query'> {
  readonly parameter: 'q';
  readonly reason: SearchQueryReason;
  /** Where in `q` it went wrong: a 0-based offset in UTF-16 code units. */
  readonly position: number;
}

/** `search_engine=v1` or `v2`: only v3 is served (400 `operation_not_supported`). */
export interface SearchEngineNotAllowedIssue extends IssueBase<'search_engine_not_allowed'> {
  readonly engine: string;
}

/** A page that ends past the first 1000 results (400 `invalid_paging`). */
export type InvalidPagingIssue = IssueBase<'invalid_paging'>;

/** A target state that no PATCH can produce (see `diffToPatch`). */
export type UnreachableIssue = IssueBase<'unreachable'>;

/** No user has the requested id. */
export type UserNotFoundIssue = IssueBase<'user_not_found'>;

/** A user with this email already exists on the connection (Management API, 409). */
export type UserExistsIssue = IssueBase<'user_exists'>;

/** A PATCH to an email another user of the same connection holds (Management API, 400: rule 33). */
export type EmailExistsIssue = IssueBase<'email_exists'>;

/** A username another user of the same connection holds (400; signup `username_exists`). */
export type UsernameExistsIssue = IssueBase<'username_exists'>;

/** A login whose user is blocked: the password grant gives no token. */
export type UserBlockedIssue = IssueBase<'user_blocked'>;

/** The token lacks every scope that would allow the request. */
export interface InsufficientScopeIssue extends IssueBase<'insufficient_scope'> {
  readonly expected: readonly string[];
}

/** A current-user token acting on another user. */
export type SubjectMismatchIssue = IssueBase<'subject_mismatch'>;

/** The bearer token is missing, malformed, badly signed, expired or for another audience. */
export type InvalidTokenIssue = IssueBase<'invalid_token'>;

/** An object with more properties than allowed (signup `user_metadata`: more than 10). */
export interface TooManyPropertiesIssue extends IssueBase<'too_many_properties'> {
  readonly count: number;
  readonly maximum: number;
}

/** An object key longer than allowed (a signup `user_metadata` name over 100 characters). */
export interface KeyTooLongIssue extends IssueBase<'key_too_long'> {
  readonly length: number;
  readonly maximum: number;
}

/**
 * A stored user (not a request body) that is not a JSON object, or holds metadata that is not
 * JSON: the fault of whoever stored it, not of the request (the API answers 500).
 */
export interface InvalidStoredUserIssue extends IssueBase<'invalid_stored_user'> {
  /** What the function needed there: `a plain object`, `a JSON object (or absent)`, ... */
  readonly expected: string;
  /** What was found instead: `null`, `array`, `Map`, `accessor property`, `a circular reference`, ... */
  readonly received: string;
}

/** Two checks of this library disagree: a bug here, never the caller's (500). */
export type InternalErrorIssue = IssueBase<'internal_error'>;

/** Everything that can be wrong with a request, discriminated on `code`. */
export type Issue =
  | InvalidTypeIssue
  | UnknownKeysIssue
  | EmptyBodyIssue
  | MissingPropertyIssue
  | TooShortIssue
  | TooLongIssue
  | PatternMismatchIssue
  | InvalidFormatIssue
  | ForbiddenCharacterIssue
  | ReservedKeyIssue
  | MetadataTooLargeIssue
  | ConflictingFieldsIssue
  | NotJsonIssue
  | CircularReferenceIssue
  | TooDeepIssue
  | InvalidQueryIssue
  | InvalidSearchQueryIssue
  | SearchEngineNotAllowedIssue
  | InvalidPagingIssue
  | UnreachableIssue
  | UserNotFoundIssue
  | UserExistsIssue
  | EmailExistsIssue
  | UsernameExistsIssue
  | UserBlockedIssue
  | InsufficientScopeIssue
  | SubjectMismatchIssue
  | InvalidTokenIssue
  | TooManyPropertiesIssue
  | KeyTooLongIssue
  | InvalidStoredUserIssue
  | InternalErrorIssue;

/** Every issue code. */
export type IssueCode = Issue['code'];

/** A non-empty list of issues. */
export type Issues = readonly [Issue, ...Issue[]];

/** Something worth knowing about a successful write that Auth0 would only log. */
export interface ProfileTooLargeWarning {
  readonly code: 'profile_too_large';
  readonly path: Path;
  readonly message: string;
  readonly bytes: number;
  readonly limit: number;
}

/** A warning attached to a successful result. */
export type Warning = ProfileTooLargeWarning;

/** A successful result: the value, plus warnings about what Auth0 would accept but log. */
export interface Success<Value> {
  readonly success: true;
  readonly value: Value;
  readonly warnings: readonly Warning[];
}

/** A failed result: at least one issue. */
export interface Failure {
  readonly success: false;
  readonly issues: Issues;
  /** Never set: present in the type so that `result.value` reads as `Value | undefined` before narrowing. */
  readonly value?: never;
}

/** The outcome of every function of this library: failures are values, never exceptions. */
export type Result<Value> = Success<Value> | Failure;

/** @internal */
export function succeed<Value>(value: Value, warnings: readonly Warning[] = []): Success<Value> {
  return { success: true, value, warnings };
}

/** @internal */
export function fail(first: Issue, ...rest: Issue[]): Failure {
  return { success: false, issues: [first, ...rest] };
}

/** @internal */
export function failWith(issues: readonly Issue[]): Failure | undefined {
  const first = issues[0];
  return first === undefined ? undefined : fail(first, ...issues.slice(1));
}
