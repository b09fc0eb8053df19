/**
 * Every issue the core reports about a user or a request, one constructor per kind of issue, each
 * with Auth0's own wording (docs/rules.md#section-2, and the rules each names). The code
 * says what went wrong; which envelope answers it (Management API or signup) is chosen by the
 * caller of `toAuth0Error`.
 */

import { pathText } from './formatPath.js';
import { describeThrown } from './internal/describeThrown.js';
import { nonJsonKind, type WalkIssue } from './internal/values.js';
import type {
  CircularReferenceIssue,
  ConflictingFieldsIssue,
  EmailExistsIssue,
  EmptyBodyIssue,
  ForbiddenCharacterIssue,
  InsufficientScopeIssue,
  InternalErrorIssue,
  InvalidFormatIssue,
  InvalidPagingIssue,
  InvalidQueryIssue,
  InvalidSearchQueryIssue,
  InvalidStoredUserIssue,
  InvalidTokenIssue,
  InvalidTypeIssue,
  Issue,
  KeyTooLongIssue,
  MetadataTooLargeIssue,
  MissingPropertyIssue,
  NotJsonIssue,
  Path,
  PatternMismatchIssue,
  ProfileTooLargeWarning,
  ReservedKeyIssue,
  SearchEngineNotAllowedIssue,
  SearchQueryReason,
  SubjectMismatchIssue,
  TooDeepIssue,
  TooLongIssue,
  TooManyPropertiesIssue,
  TooShortIssue,
  UnknownKeysIssue,
  UnreachableIssue,
  UserBlockedIssue,
  UserExistsIssue,
  UserNotFoundIssue,
  UsernameExistsIssue,
} from './issues.js';
import { MAX_QUERY_CLAUSES, MAX_QUERY_DEPTH, MIN_SUFFIX_WILDCARD_LITERALS } from './rules/search.js';
import { EMAIL_EXISTS, type UniqueAttribute, USERNAME_EXISTS } from './rules/tenant.js';

/** A value of the wrong JSON type (rules 6, 10). */
export function invalidType(path: Path, expected: string, received: string): InvalidTypeIssue {
  return {
    code: 'invalid_type',
    path,
    expected,
    received,
    message: `Expected type ${expected} but found type ${received}`,
  };
}

/** Attributes the endpoint does not know (rule 8). */
export function unknownKeys(keys: readonly string[]): UnknownKeysIssue {
  return { code: 'unknown_keys', path: [], keys, message: `Additional properties not allowed: ${keys.join(',')}` };
}

/** A PATCH with nothing in it (rule 9; rule 31 for an Actions flow, at the key set to `undefined`). */
export function emptyBody(path: Path = []): EmptyBodyIssue {
  return { code: 'empty_body', path, message: 'None of the valid schemas were met' };
}

/** A required attribute absent (rule 23). */
export function missingProperty(property: string): MissingPropertyIssue {
  return { code: 'missing_property', path: [], property, message: `Missing required property: ${property}` };
}

/** A string under its `minLength` (rule 11). */
export function tooShort(path: Path, length: number, minimum: number): TooShortIssue {
  const message = `String is too short (${length} chars), minimum ${minimum}`;
  return { code: 'too_short', path, length, minimum, message };
}

/** A string over its `maxLength` (rule 11). */
export function tooLong(path: Path, length: number, maximum: number): TooLongIssue {
  const message = `String is too long (${length} chars), maximum ${maximum}`;
  return { code: 'too_long', path, length, maximum, message };
}

/** A string that does not match its `pattern` (rule 11). */
export function patternMismatch(path: Path, pattern: string, value: string): PatternMismatchIssue {
  return { code: 'pattern_mismatch', path, pattern, message: `String does not match pattern ${pattern}: ${value}` };
}

/** A string that fails its `format` (the email). */
export function invalidFormat(path: Path, format: string, value: string): InvalidFormatIssue {
  return {
    code: 'invalid_format',
    path,
    format,
    message: `Object didn't pass validation for format ${format}: ${value}`,
  };
}

/**
 * A `.` or `$` in a metadata key (rules 16, 21); `path` ends at the offending key, and `example`
 * is the path Auth0's message names (the same, from the root of the body).
 */
export function forbiddenCharacter(path: Path, character: '.' | '$', example: Path = path): ForbiddenCharacterIssue {
  const what = character === '.' ? 'dotted' : '"$"';
  const message = `Fields with "${character}" are not allowed, please remove all ${what} fields. Example: ${pathText(example)}`;
  return { code: 'forbidden_character', path, character, message };
}

/** A reserved first-level `app_metadata` name (rule 17). */
export function reservedKey(path: Path, key: string): ReservedKeyIssue {
  return { code: 'reserved_key', path, key, message: "Data matches schema from 'not'" };
}

/** Metadata over its size limit (rule 18); `atLeast` when only a lower bound of its size is known. */
export function metadataTooLarge(path: Path, bytes: number, maximum: number, atLeast = false): MetadataTooLargeIssue {
  const size = atLeast ? `at least ${bytes}` : `${bytes}`;
  return {
    code: 'metadata_too_large',
    path,
    bytes,
    maximum,
    message: `Metadata is too large (${size} bytes), maximum ${maximum}`,
  };
}

/** Two attributes Auth0 will not change in one PATCH (rule 12). */
export function conflictingFields(first: string, second: string): ConflictingFieldsIssue {
  const message = `Cannot update ${first} and ${second} simultaneously.`;
  return { code: 'conflicting_fields', path: [], fields: [first, second], message };
}

/** A value sent that JSON cannot carry (rule 32). */
export function notJson(path: Path, received: string): NotJsonIssue {
  return { code: 'not_json', path, received, message: `Expected a JSON value but found ${received}` };
}

/** A value sent that threw while being read, e.g. a revoked Proxy (rule 32). */
export function unreadableValue(path: Path, thrown: unknown): NotJsonIssue {
  return notJson(path, `unreadable value (${describeThrown(thrown)})`);
}

/** No user has the id (rule 28). */
export function userNotFound(): UserNotFoundIssue {
  return { code: 'user_not_found', path: [], message: 'The user does not exist.' };
}

/** A user with the email already exists on the connection (rules 22, 24). */
export function userExists(): UserExistsIssue {
  return { code: 'user_exists', path: [], message: 'The user already exists.' };
}

/**
 * A PATCH to an email another user of the same connection holds (rule 33): Auth0's wording,
 * EMAIL_EXISTS in rules/tenant.ts.
 */
export function emailExists(): EmailExistsIssue {
  return { code: 'email_exists', path: [], message: EMAIL_EXISTS.message };
}

/** A username another user of the same connection holds: Auth0's wording, USERNAME_EXISTS in rules/tenant.ts. */
export function usernameExists(): UsernameExistsIssue {
  return { code: 'username_exists', path: [], message: USERNAME_EXISTS.message };
}

/** A token without any of the `expected` scopes (section 2; rule 30). */
export function insufficientScope(expected: readonly string[]): InsufficientScopeIssue {
  return {
    code: 'insufficient_scope',
    path: [],
    expected,
    message: `Insufficient scope, expected any of: ${expected.join(',')}`,
  };
}

/** A current-user token acting on another user (rule 30). */
export function subjectMismatch(): SubjectMismatchIssue {
  return { code: 'subject_mismatch', path: [], message: 'User to be acted on does not match subject in bearer token.' };
}

/** A login whose user is blocked: no token (Auth0's password grant: 401 `unauthorized`). */
export function userBlocked(): UserBlockedIssue {
  return { code: 'user_blocked', path: [], message: 'user is blocked' };
}

/** A missing or unusable bearer token (section 2). */
export function invalidToken(message = 'Invalid token'): InvalidTokenIssue {
  return { code: 'invalid_token', path: [], message };
}

/**
 * A stored user (not a request body), or a value in it that the function had to read, that is not
 * what it must be: the fault of whoever stored it, never of the request, so the API answers 500.
 * `path` is from the root of the stored user.
 */
export function invalidStoredUser(path: Path, expected: string, received: string): InvalidStoredUserIssue {
  const what = path.length === 0 ? 'the stored user' : `the stored ${pathText(path)}`;
  return {
    code: 'invalid_stored_user',
    path,
    expected,
    received,
    message: `Expected ${what} to be ${expected} but found ${received}`,
  };
}

/** A name for what a value is: `null`, `array`, `Map`, `string`, `class instance`, ... */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value !== 'object') return typeof value;
  return nonJsonKind(value) ?? 'object';
}

/** The issue for a stored user that is not a plain object. */
export function storedUserNotObject(user: unknown): InvalidStoredUserIssue {
  return invalidStoredUser([], 'a plain object (the user as JSON, with any attributes)', kindOf(user));
}

/** Stored metadata at `key` that is present but not a plain object: reported, never replaced. */
export function storedMetadataNotObject(key: string, stored: unknown): InvalidStoredUserIssue {
  return invalidStoredUser([key], 'a JSON object (or absent)', kindOf(stored));
}

/** An issue a walk meets while reading stored data; `expected` is what the function needed there. */
export function storedIssue(walked: WalkIssue, expected: string): InvalidStoredUserIssue {
  switch (walked.code) {
    case 'not_json':
      return invalidStoredUser(walked.path, expected, walked.received);
    case 'circular_reference':
      return invalidStoredUser(walked.path, expected, 'a circular reference');
    case 'too_deep':
      return invalidStoredUser(walked.path, `${expected}, nested at most ${walked.maximum} levels`, 'deeper nesting');
    case 'too_large':
      return invalidStoredUser(
        walked.path,
        `${expected} of at most ${walked.maximum} bytes`,
        `at least ${walked.bytes} bytes`,
      );
  }
}

/** A value sent that contains itself (rule 32). */
export function circularReference(path: Path): CircularReferenceIssue {
  return { code: 'circular_reference', path, message: 'Circular reference' };
}

/** A value sent nested deeper than `maximum` levels (rule 32). */
export function tooDeep(path: Path, maximum: number): TooDeepIssue {
  return { code: 'too_deep', path, maximum, message: `Nesting deeper than ${maximum} levels` };
}

/** The issue for what a walk met while copying a value sent (a size issue is worded by the caller, who knows the limit's rule). */
export function copyIssue(walked: Exclude<WalkIssue, { readonly code: 'too_large' }>): Issue {
  switch (walked.code) {
    case 'not_json':
      return notJson(walked.path, walked.received);
    case 'circular_reference':
      return circularReference(walked.path);
    case 'too_deep':
      return tooDeep(walked.path, walked.maximum);
  }
}

/** A check of this library disagreeing with another: a bug here, never the caller's. */
export function internalError(): InternalErrorIssue {
  return { code: 'internal_error', path: [], message: 'Internal validation error' };
}

/** Signup `user_metadata` that is not an object (rule 19). */
export function signupMetadataNotObject(received: string): InvalidTypeIssue {
  return {
    code: 'invalid_type',
    path: [],
    expected: 'object',
    received,
    message: 'invalid user_metadata type (expected object)',
  };
}

/** Signup `user_metadata` with more properties than allowed (rules 20, 21). */
export function signupTooManyProperties(count: number, maximum: number): TooManyPropertiesIssue {
  const message = `invalid user_metadata (more than ${maximum} properties)`;
  return { code: 'too_many_properties', path: [], count, maximum, message };
}

/** A signup `user_metadata` name longer than allowed (rules 20, 21). */
export function signupNameTooLong(name: string, length: number, maximum: number): KeyTooLongIssue {
  const message = `invalid user_metadata.${name} name (longer than ${maximum} characters)`;
  return { code: 'key_too_long', path: [name], length, maximum, message };
}

/** A signup `user_metadata` value that is not a string (rule 20). */
export function signupValueNotString(name: string, received: string): InvalidTypeIssue {
  const message = `invalid user_metadata.${name} type (only strings are allowed)`;
  return { code: 'invalid_type', path: [name], expected: 'string', received, message };
}

/** A signup `user_metadata` value longer than allowed (rules 20, 21). */
export function signupValueTooLong(name: string, length: number, maximum: number): TooLongIssue {
  const message = `invalid user_metadata.${name} value (longer than ${maximum} characters)`;
  return { code: 'too_long', path: [name], length, maximum, message };
}

/** A signup body that is not an object. */
export function signupBodyNotObject(received: string): InvalidTypeIssue {
  return {
    code: 'invalid_type',
    path: [],
    expected: 'object',
    received,
    message: 'invalid body type (expected object)',
  };
}

/** Signup body properties the endpoint does not know. */
export function signupUnknownKeys(keys: readonly string[]): UnknownKeysIssue {
  return { code: 'unknown_keys', path: [], keys, message: `invalid body (unknown properties: ${keys.join(',')})` };
}

/** A required signup field absent. */
export function signupMissing(property: string): MissingPropertyIssue {
  return { code: 'missing_property', path: [property], property, message: `missing ${property}` };
}

/** A signup field that is not a string. */
export function signupNotString(property: string, received: string): InvalidTypeIssue {
  const message = `invalid ${property} type (expected string)`;
  return { code: 'invalid_type', path: [property], expected: 'string', received, message };
}

/** A Management API issue of a signup profile field, in the signup endpoint's wording (same code). */
export function signupRestated(issue: Issue): Issue {
  return { ...issue, message: `invalid ${pathText(issue.path) || 'body'} (${issue.message})` };
}

/** A signup body that threw while being read (a hostile Proxy, a throwing getter). */
export function signupUnreadableBody(reason: string): NotJsonIssue {
  const received = `unreadable value (${reason})`;
  return { code: 'not_json', path: [], received, message: `invalid body (unreadable value: ${reason})` };
}

/** A profile over MAX_PROFILE_BYTES: the write happens, with this warning (rule 18). */
export function profileTooLarge(bytes: number, limit: number): ProfileTooLargeWarning {
  return {
    code: 'profile_too_large',
    path: [],
    bytes,
    limit,
    message: `The user profile is ${bytes} bytes of JSON, over Auth0's ${limit}-byte limit; Auth0 accepts the write but logs it`,
  };
}

/** A query parameter Auth0's validator refuses, with the validator's detail (S3.4, rule 27). */
function invalidQuery(parameter: string, message: string, path: Path = [parameter]): InvalidQueryIssue {
  return { code: 'invalid_query', path, parameter, message };
}

/** A query parameter of the wrong type: `integer` for `page`, `boolean` for `include_totals` (S3.4). */
export function queryInvalidType(parameter: string, expected: string, received: string): InvalidQueryIssue {
  return invalidQuery(parameter, `Expected type ${expected} but found type ${received}`);
}

/** An integer query parameter below its minimum or above its maximum (`per_page` over 100, S3.4). */
export function queryOutOfRange(
  parameter: string,
  value: string,
  bound: 'minimum' | 'maximum',
  limit: number,
): InvalidQueryIssue {
  const relation = bound === 'minimum' ? 'less than' : 'greater than';
  return invalidQuery(parameter, `Value ${value} is ${relation} ${bound} ${limit}`);
}

/** A query parameter outside its enum (`search_engine`, S3.4). */
export function queryNotInEnum(parameter: string, value: string): InvalidQueryIssue {
  return invalidQuery(parameter, `No enum match for: ${JSON.stringify(value)}`);
}

/** A query parameter that does not match its pattern (`sort`, S3.4). */
export function queryPatternMismatch(parameter: string, pattern: string): InvalidQueryIssue {
  return invalidQuery(parameter, `String does not match pattern ${pattern}`);
}

/** A required query parameter absent (`email` of GET /api/v2/users-by-email). */
export function queryMissing(parameter: string): InvalidQueryIssue {
  return invalidQuery(parameter, `Missing required property: ${parameter}`);
}

/** An `include_fields` that is neither true nor false (rule 27). */
export function invalidIncludeFields(value: string): InvalidQueryIssue {
  return invalidQuery('include_fields', `Invalid value for include_fields: ${value} (expected true or false)`);
}

/**
 * A `fields` that is neither a comma-separated string nor an array of strings, or an entry of it
 * that is not a string (`index`): a caller's mistake in code, which a query string cannot make.
 */
export function invalidFields(received: string, index?: number): InvalidQueryIssue {
  return index === undefined
    ? invalidQuery(
        'fields',
        `Invalid value for fields: expected a comma-separated string or an array of strings, found ${received}`,
      )
    : invalidQuery('fields', `Invalid value for fields[${index}]: expected a string, found ${received}`, [
        'fields',
        index,
      ]);
}

/** `search_engine=v1` or `v2`, with Auth0's refusal for that engine (S3.2, S3.3). */
export function searchEngineNotAllowed(engine: string, refusal: string): SearchEngineNotAllowedIssue {
  return { code: 'search_engine_not_allowed', path: ['search_engine'], engine, message: refusal };
}

/** A page that ends past the first 1000 results, with Auth0's message (S6). */
export function invalidPaging(message: string): InvalidPagingIssue {
  return { code: 'invalid_paging', path: ['page'], message };
}

/** What each reason of a malformed `q` is called in the message (S17). */
const SEARCH_QUERY_REASON_WORDS: Readonly<Record<SearchQueryReason, string>> = {
  unbalanced_quote: 'unbalanced quote',
  unbalanced_parenthesis: 'unbalanced parenthesis',
  missing_operand: 'operator without an operand',
  missing_value: 'field without a value',
  invalid_range: 'a range is [lower TO upper] or {lower TO upper}',
  trailing_escape: 'escape character at the end',
  unsupported_syntax: 'unsupported syntax',
  short_suffix_wildcard: `a leading wildcard needs at least ${MIN_SUFFIX_WILDCARD_LITERALS} characters`,
  wildcard_not_allowed: 'wildcards are not allowed here',
  range_not_allowed: 'ranges are not allowed here',
  unknown_field: 'unknown field',
  too_deep: `more than ${MAX_QUERY_DEPTH} levels of parentheses`,
  too_many_clauses: `more than ${MAX_QUERY_CLAUSES} clauses`,
  unexpected_character: 'unexpected character',
};

/**
 * A malformed or refused `q` (S17, S21, S27, S28): the reason, where it is in `q`, and a message
 * (`Invalid query: <reason> at position <n>` unless the rule gives Auth0's own).
 */
export function invalidSearchQuery(
  reason: SearchQueryReason,
  position: number,
  message = `Invalid query: ${SEARCH_QUERY_REASON_WORDS[reason]} at position ${position}`,
): InvalidSearchQueryIssue {
  return { code: 'invalid_search_query', path: ['q'], parameter: 'q', reason, position, message };
}

/** An Actions `setUserMetadata` / `setAppMetadata` name that is not a string (an untyped caller). */
export function actionsNameNotString(key: string, received: string): InvalidTypeIssue {
  const message = `Expected a ${key} name (a string) but found ${received}`;
  return { code: 'invalid_type', path: [key], expected: 'string', received, message };
}

/** More of one metadata attribute than an Actions flow may persist (rule 31). */
export function actionsMetadataTooLarge(key: string, bytes: number, maximum: number): MetadataTooLargeIssue {
  const message = `An Actions flow may persist at most ${maximum} bytes of ${key} (this one: ${bytes})`;
  return { code: 'metadata_too_large', path: [key], bytes, maximum, message };
}

/** The Actions given to a flow are not an array. */
export function actionsNotArray(received: string): InvalidTypeIssue {
  const message = `Expected an array of Actions but found ${received}`;
  return { code: 'invalid_type', path: [], expected: 'array', received, message };
}

/** An element of the Actions given to a flow that is not a function. */
export function actionNotFunction(index: number, received: string): InvalidTypeIssue {
  const message = `Expected an Action (a function) but found ${received}`;
  return { code: 'invalid_type', path: [index], expected: 'function', received, message };
}

/** A seed user that JSON cannot carry. */
export function seedNotJson(): NotJsonIssue {
  return { code: 'not_json', path: [], received: 'a non-JSON value', message: 'Expected the seed user to be JSON' };
}

/** A stored seed user without `identities` whose id does not name the database provider that can do without. */
export function seedMissingIdentities(provider: string): MissingPropertyIssue {
  const message = `Missing required property: identities (only a ${provider} user can do without)`;
  return { code: 'missing_property', path: [], property: 'identities', message };
}

/** A target `diffToPatch` cannot reach, with the reason no PATCH can (see the constructors below). */
function unreachable(path: Path, reason: string): UnreachableIssue {
  return { code: 'unreachable', path, message: reason };
}

/** A target whose read-only root attribute differs from the stored user's. */
export function unreachableReadOnly(name: string): UnreachableIssue {
  return unreachable([name], `${name} is read-only: no PATCH can change it`);
}

/** A target without an attribute the stored user has and that `null` cannot unset (rule 7). */
export function unreachableUnset(name: string): UnreachableIssue {
  return unreachable([name], `${name} cannot be unset: a PATCH can only change it`);
}

/** A target whose metadata is not an object (rule 6). */
export function unreachableMetadataType(key: string): UnreachableIssue {
  return unreachable([key], `${key} must be an object`);
}

/** A target with an empty metadata that Auth0 never stores (`app_metadata`, rule 4). */
export function unreachableEmptyMetadata(key: string): UnreachableIssue {
  return unreachable([key], `Auth0 never stores an empty ${key}: leave the key out instead`);
}

/** A target without a metadata that, once stored, stays (`user_metadata`, rule 4). */
export function unreachableRemovedMetadata(key: string): UnreachableIssue {
  return unreachable([key], `A PATCH cannot remove ${key}; \`{}\` leaves it as {}`);
}

/**
 * A target whose metadata holds a first-level `null` the stored user does not: a first-level
 * `null` in a PATCH deletes the key (rule 2), so no PATCH stores one there.
 */
export function unreachableFirstLevelNull(key: string, name: string): UnreachableIssue {
  const path = pathText([key, name]);
  return unreachable(
    [key, name],
    `No PATCH stores a first-level null: ${path} is null in the target, and a first-level null in a PATCH deletes the key (rule 2)`,
  );
}

/** A target email that is not lower-case: Auth0 stores emails lower-cased (rule 15). */
export function unreachableEmailCase(email: string): UnreachableIssue {
  return unreachable(
    ['email'],
    `No PATCH produces this user: email is ${JSON.stringify(email)} in the target, and Auth0 stores an email lower-cased (rule 15)`,
  );
}

/** A target the PATCH that comes closest still stores differently, at `path`, a bug if ever reached. */
export function unreachableStoredDifferently(path: Path): UnreachableIssue {
  return unreachable(path, `No PATCH produces this user: the closest PATCH stores ${pathText(path)} differently`);
}

/**
 * The issue for a write refused because it would duplicate a stored user on `attribute`: a create
 * or signup gets `user_exists` for an id or email (rules 22, 24) and `username_exists` for a
 * username; a PATCH gets `email_exists` or `username_exists` (rule 33, UNIQUE_USER_ATTRIBUTES).
 *
 * @param attribute - The attribute the two users would share.
 * @param write - `create` (POST /api/v2/users, signup, a seed) or `update` (PATCH).
 * @returns The issue to answer with.
 */
export function duplicateIssue(attribute: UniqueAttribute, write: 'create' | 'update'): Issue {
  if (attribute === 'username') return usernameExists();
  return write === 'update' && attribute === 'email' ? emailExists() : userExists();
}
