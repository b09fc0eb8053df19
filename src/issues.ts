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
  /** Auth0's own wording for this problem (without the `Payload validation error` wrapper). */
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

/** Nesting deeper than {@link MAX_METADATA_DEPTH} levels inside a metadata value. */
export interface TooDeepIssue extends IssueBase<'too_deep'> {
  readonly maximum: number;
}

/** A query-string parameter with a value the endpoint does not accept (`include_fields=maybe`). */
export interface InvalidQueryIssue extends IssueBase<'invalid_query'> {
  readonly parameter: string;
}

/** What makes a search query (`q`) unusable. */
export type SearchQueryProblem =
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
  readonly problem: SearchQueryProblem;
  /** Where in `q` the problem is: a 0-based offset in UTF-16 code units. */
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

/**
 * Most levels of nested arrays and objects inside one metadata value: MongoDB's document limit,
 * which Auth0 stores users in (rule 32; the number is a decision). Defined here, with the issue
 * vocabulary, because the JSON walks of `internal/` bound their depth with it; `rules/limits.ts`
 * re-exports it with the other limits.
 */
export const MAX_METADATA_DEPTH = 100;

/**
 * A printable reason for anything thrown. A thrown value can itself be hostile (a revoked Proxy
 * makes `instanceof` throw, a null-prototype object makes `String()` throw): this never throws.
 */
export function describeThrown(error: unknown): string {
  try {
    if (error instanceof Error) return error.message;
    return String(error);
  } catch {
    return 'an unprintable value was thrown';
  }
}

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

/**
 * Renders a path the way Auth0 writes it in messages: keys joined with `.`, array indexes as `[i]`.
 *
 * @param path - The path of an issue.
 * @returns The dotted path, or `''` for the root (and for anything that is not a path).
 * @example
 * formatPath(['user_metadata', 'addresses', 0, 'city']);
 * // => 'user_metadata.addresses[0].city'
 */
export function formatPath(path: Path): string {
  return guarded(
    () => pathText(path),
    () => '',
  );
}

/** @internal {@link formatPath}: segments that are neither keys nor indexes are left out. */
export function pathText(path: unknown): string {
  if (!Array.isArray(path)) return '';
  let text = '';
  for (let index = 0; index < path.length; index++) {
    const segment: unknown = Object.getOwnPropertyDescriptor(path, index)?.value;
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (typeof segment === 'string') text += text === '' ? segment : `.${segment}`;
  }
  return text;
}

/**
 * @internal What a caller's own callback (`now`, `generateId`) threw, carried through
 * {@link guarded} so that it reaches the caller unchanged instead of reading as bad input.
 */
class CallbackFailure {
  constructor(readonly thrown: unknown) {
    callbackFailures.add(this);
  }
}

/**
 * The failures {@link callback} made. Looked up here rather than with `instanceof`, which reads the
 * prototype of what was thrown: a revoked Proxy thrown by hostile input would make that throw.
 */
const callbackFailures = new WeakSet<object>();

function isCallbackFailure(error: unknown): error is CallbackFailure {
  return typeof error === 'object' && error !== null && callbackFailures.has(error);
}

/**
 * @internal Calls one of the caller's own callbacks. If it throws, {@link guarded} rethrows that
 * error as it was: a broken clock is the caller's bug, not an issue with the data.
 */
export function callback<Value>(run: () => Value): Value {
  try {
    return run();
  } catch (error) {
    throw new CallbackFailure(error);
  }
}

/**
 * @internal The one wrapper of every export: runs `compute` and turns anything it throws into
 * `fallback(thrown)`, so hostile input (a Proxy whose traps throw, a throwing getter) gives a value,
 * never an exception. What the caller's own callbacks threw (see {@link callback}) is rethrown
 * unchanged. Exports call internal implementations only, never one another, so a wrapper never
 * runs inside another: the marker of a callback failure is always unwrapped by the export the
 * caller called, and a library call made inside a callback throws the caller's own error too.
 */
export function guarded<Value>(compute: () => Value, fallback: (thrown: unknown) => Value): Value {
  try {
    return compute();
  } catch (error) {
    if (isCallbackFailure(error)) throw error.thrown;
    return fallback(error);
  }
}

/** @internal The issue for input that threw while being read. */
export function unreadable(thrown: unknown): Failure {
  const received = `unreadable value (${describeThrown(thrown)})`;
  return fail({ code: 'not_json', path: [], received, message: `Expected a JSON value but found ${received}` });
}

/** @internal {@link guarded} for the exports that return a {@link Result}: what throws is a `not_json` issue. */
export function safely<Value>(compute: () => Result<Value>): Result<Value> {
  return guarded(compute, unreadable);
}
