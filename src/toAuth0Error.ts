import { pathText } from './formatPath.js';
import { guarded } from './internal/guarded.js';
import type { Issue, IssueCode, Issues, PathSegment } from './issues.js';
import { ATTRIBUTES, isAttributeName } from './rules/attributes.js';
import { authenticationErrorName, type ErrorStatus, INTERNAL_ERROR_BODY, REASON_PHRASES } from './rules/http.js';
import { SEARCH_PARAMETER_DESCRIPTIONS } from './rules/search.js';
import { EMAIL_EXISTS, USERNAME_EXISTS } from './rules/tenant.js';

/** The error body of the Management API (`/api/v2/...`). */
export interface ManagementErrorBody {
  readonly statusCode: number;
  readonly error: string;
  readonly message: string;
  readonly errorCode: string;
}

/** The error body of the Authentication API's signup endpoint (`/dbconnections/signup`). */
export interface AuthenticationErrorBody {
  readonly name: string;
  readonly code: string;
  readonly description: string;
  readonly statusCode: number;
}

/** An HTTP error exactly as Auth0 sends it: status and JSON body. */
export type Auth0Error =
  | { readonly api: 'management'; readonly status: number; readonly body: ManagementErrorBody }
  | { readonly api: 'authentication'; readonly status: number; readonly body: AuthenticationErrorBody };

/** Codes that Auth0's JSON-schema validator reports, wrapped as `Payload validation error: '...'`. */
const SCHEMA_CODES: ReadonlySet<IssueCode> = new Set<IssueCode>([
  'invalid_type',
  'unknown_keys',
  'empty_body',
  'missing_property',
  'too_short',
  'too_long',
  'pattern_mismatch',
  'invalid_format',
  'reserved_key',
  'not_json',
  'circular_reference',
  'too_deep',
  'metadata_too_large',
  'too_many_properties',
  'key_too_long',
]);

/** Status and `errorCode` of the Management API codes that are not schema errors. */
const MANAGEMENT: Readonly<Partial<Record<IssueCode, readonly [ErrorStatus, string]>>> = {
  forbidden_character: [400, 'invalid_body'],
  conflicting_fields: [400, 'invalid_body'],
  unreachable: [400, 'invalid_body'],
  invalid_query: [400, 'invalid_query_string'],
  search_engine_not_allowed: [400, 'operation_not_supported'],
  invalid_paging: [400, 'invalid_paging'],
  user_not_found: [404, 'inexistent_user'],
  user_exists: [409, 'auth0_idp_error'],
  email_exists: [EMAIL_EXISTS.status, EMAIL_EXISTS.errorCode],
  username_exists: [USERNAME_EXISTS.status, USERNAME_EXISTS.errorCode],
  user_blocked: [401, 'unauthorized'],
  insufficient_scope: [403, 'insufficient_scope'],
  subject_mismatch: [403, 'insufficient_scope'],
  invalid_token: [401, 'invalid_token'],
};

/** The description Auth0's validator quotes after a query parameter or an attribute. */
function descriptionOf(key: PathSegment | undefined): string | undefined {
  // ATTRIBUTES[name].description, quoted by Auth0 for a root attribute (section 2).
  if (typeof key === 'string' && isAttributeName(key)) return ATTRIBUTES[key].description;
  return typeof key === 'string' && Object.hasOwn(SEARCH_PARAMETER_DESCRIPTIONS, key)
    ? SEARCH_PARAMETER_DESCRIPTIONS[key]
    : undefined;
}

/** `'<detail>' on property <path> (<description>)` in the format of Auth0's validator. */
function schemaDetail(issue: Issue): string {
  if (issue.path.length === 0) return `'${issue.message}'`;
  const [first] = issue.path;
  const known = issue.path.length === 1 ? descriptionOf(first) : undefined;
  const description = known === undefined ? '' : ` (${known})`;
  return `'${issue.message}' on property ${pathText(issue.path)}${description}`;
}

function management(status: ErrorStatus, message: string, errorCode: string): Auth0Error {
  return {
    api: 'management',
    status,
    // REASON_PHRASES (section 2).
    body: { statusCode: status, error: REASON_PHRASES[status], message, errorCode },
  };
}

/**
 * Turns issues into the HTTP error Auth0 would answer with: the status, and the body in the
 * envelope of the API the caller answers for: the Management API's
 * `{statusCode, error, message, errorCode}` (the default), or with `'authentication'` the signup
 * endpoint's `{name, code, description, statusCode}`. The issue codes say what went wrong; the
 * envelope is the caller's choice. Corrupt stored data (`invalid_stored_user`) is a 500, not the
 * client's 400.
 *
 * Schema errors are all reported, joined with ` (also) ` as Auth0 does; any other code is reported
 * alone, from the first issue.
 *
 * @param issues - The issues of a failed result.
 * @param api - The envelope: `management` (default) or `authentication` (POST /dbconnections/signup).
 * @returns The status and body to send; a 500 `internal_error` for anything that is not a list of issues.
 * @example
 * const body: unknown = JSON.parse('{ "user_metadata": "dark" }');
 * const result = applyPatch({ user_id: 'auth0|1', identities: [], created_at: '', updated_at: '' }, body);
 * result.success || toAuth0Error(result.issues);
 * // => { api: 'management', status: 400, body: { statusCode: 400, error: 'Bad Request',
 * //      message: "Payload validation error: 'Expected type object but found type string' on property user_metadata (User metadata to which this user has read/write access).",
 * //      errorCode: 'invalid_body' } }
 * const signup = validateSignupMetadata({ age: 42 });
 * signup.success || toAuth0Error(signup.issues, 'authentication').body;
 * // => { name: 'BadRequestError', code: 'invalid user_metadata.age type (only strings are allowed)',
 * //      description: 'invalid user_metadata.age type (only strings are allowed)', statusCode: 400 }
 */
export function toAuth0Error(issues: Issues, api: Auth0Error['api'] = 'management'): Auth0Error {
  return guarded(
    () => (api === 'authentication' ? authenticationError(issues) : errorFor(issues)),
    () => INTERNAL_ERROR,
  );
}

/** Codes whose fault is not the client's: the API answers 500 (corrupt stored data, a bug here). */
const SERVER_CODES: ReadonlySet<IssueCode> = new Set<IssueCode>(['invalid_stored_user', 'internal_error']);

/** Codes the signup envelope answers as themselves: a duplicate email (rule 22) or username (rules/tenant.ts USERNAME_EXISTS). */
const DUPLICATE_CODES: ReadonlySet<IssueCode> = new Set<IssueCode>(['user_exists', 'username_exists']);

/**
 * The signup endpoint's envelope (section 2, rule 22): `code` is `user_exists` for a duplicate
 * and the message itself otherwise (rule 21); a fault that is not the client's is a 500.
 */
function authenticationError(issues: Issues): Auth0Error {
  const [first] = issues;
  if (first === undefined || typeof first.code !== 'string' || typeof first.message !== 'string') {
    return INTERNAL_ERROR;
  }
  const status: ErrorStatus = SERVER_CODES.has(first.code) ? 500 : 400;
  const code = DUPLICATE_CODES.has(first.code) ? first.code : status === 500 ? 'internal_error' : first.message;
  return {
    api: 'authentication',
    status,
    body: { name: authenticationErrorName(status), code, description: first.message, statusCode: status },
  };
}

/**
 * What {@link toAuth0Error} answers for anything that is not a list of issues (`[]`, `null`, a
 * hostile value): the issues of a failed result are never that, so the fault is not the client's.
 */
const INTERNAL_ERROR: Auth0Error = /* @__PURE__ */ Object.freeze({
  api: 'management',
  status: 500,
  body: INTERNAL_ERROR_BODY,
});

function errorFor(issues: Issues): Auth0Error {
  const [first] = issues;
  if (first === undefined || typeof first.code !== 'string' || typeof first.message !== 'string') {
    return INTERNAL_ERROR;
  }
  if (first.code === 'invalid_query' || first.code === 'invalid_search_query') {
    return management(400, `Query validation error: ${schemaDetail(first)}.`, 'invalid_query_string');
  }
  const known = MANAGEMENT[first.code];
  if (known !== undefined) return management(known[0], first.message, known[1]);
  if (SCHEMA_CODES.has(first.code)) {
    const details = issues.filter((issue) => SCHEMA_CODES.has(issue.code)).map(schemaDetail);
    const message = details.map((detail) => `Payload validation error: ${detail}.`).join(' (also) ');
    return management(400, message, 'invalid_body');
  }
  return management(500, first.message, 'internal_error');
}
