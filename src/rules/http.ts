/**
 * HTTP facts of Auth0's APIs, as data: the statuses answered and their reason phrases, and the
 * status and `errorCode` of each kind of Management API error (docs/rules.md#section-2).
 */
import { deepFreeze } from '../internal/freeze.js';
import type { UserAction } from './scopes.js';

/** Every status Auth0's users endpoints, signup and `/oauth/token` answer an error with. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 500;

/** The reason phrase of each status, as the Management API puts it in `error` (RFC 9110 §15). */
export const REASON_PHRASES: Readonly<Record<ErrorStatus, string>> = /* @__PURE__ */ deepFreeze({
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
});

/**
 * The `name` of a signup error body: the reason phrase without spaces, ending in `Error`
 * (`BadRequestError`, `NotFoundError`, `InternalServerError`): section 2.
 */
export function authenticationErrorName(status: ErrorStatus): string {
  return REASON_PHRASES[status].replaceAll(' ', '').replace(/(Error)?$/, 'Error');
}

/** Why a request is refused before any rule of its endpoint applies, by every API alike. */
export type TransportReason =
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unsupported_charset'
  | 'malformed_json'
  | 'invalid_uri'
  | 'not_found'
  | 'method_not_allowed'
  | 'internal_error';

/** How Auth0 answers one {@link TransportReason}, in the envelope of whichever API was called. */
export interface TransportAnswer {
  readonly status: ErrorStatus;
  /** The Management API's `errorCode`, also the signup body's `code`. */
  readonly code: string;
  /** The `error` of an `/oauth/token` answer (RFC 6749 §5.2: `invalid_request` for a body it cannot read). */
  readonly oauthCode: string;
  /** The message (`message`, `description` or `error_description`); `{limit}` stands for the body limit in bytes. */
  readonly message: string;
  /** Where the fact comes from: `recorded` (an answer of a live tenant) or `decision` (ours, where none is recorded). */
  readonly source: 'recorded' | 'decision';
}

/**
 * The answer to each transport reason, which comes before the endpoint's own rules (docs/security.md#request-bodies).
 * Recorded: the 413 message with Auth0's 1 MiB limit, in auth0/auth0.js issue #1133. The
 * `invalid_uri` code and its `Path validation error` context are docs/rules.md#section-2; the detail
 * after them is ours.
 */
export const TRANSPORT_ANSWERS: Readonly<Record<TransportReason, TransportAnswer>> = /* @__PURE__ */ deepFreeze({
  payload_too_large: {
    status: 413,
    code: 'payload_too_large',
    oauthCode: 'invalid_request',
    message: 'Payload content length greater than maximum allowed: {limit}',
    source: 'recorded',
  },
  unsupported_media_type: {
    status: 415,
    code: 'unsupported_media_type',
    oauthCode: 'invalid_request',
    message: 'Unsupported Media Type',
    source: 'decision',
  },
  unsupported_charset: {
    status: 415,
    code: 'unsupported_media_type',
    oauthCode: 'invalid_request',
    message: 'Unsupported charset: request bodies must be UTF-8',
    source: 'decision',
  },
  malformed_json: {
    status: 400,
    code: 'invalid_body',
    oauthCode: 'invalid_request',
    message: 'Invalid request payload JSON format',
    source: 'decision',
  },
  invalid_uri: {
    status: 400,
    code: 'invalid_uri',
    oauthCode: 'invalid_request',
    message: "Path validation error: 'Invalid URI encoding' on property id.",
    source: 'decision',
  },
  not_found: { status: 404, code: 'not_found', oauthCode: 'not_found', message: 'Not Found', source: 'decision' },
  method_not_allowed: {
    status: 405,
    code: 'method_not_allowed',
    oauthCode: 'method_not_allowed',
    message: 'Method Not Allowed',
    source: 'decision',
  },
  internal_error: {
    status: 500,
    code: 'internal_error',
    oauthCode: 'internal_error',
    message: 'Internal Server Error',
    source: 'decision',
  },
});

/**
 * The Management API's body for a 500, from `TRANSPORT_ANSWERS.internal_error`: the one value that
 * `toAuth0Error`, the emulator's Node adapter and its command line answer an unexpected failure with.
 */
export const INTERNAL_ERROR_BODY: {
  readonly statusCode: 500;
  readonly error: string;
  readonly message: string;
  readonly errorCode: string;
} = /* @__PURE__ */ deepFreeze({
  statusCode: 500,
  error: REASON_PHRASES[500],
  message: TRANSPORT_ANSWERS.internal_error.message,
  errorCode: TRANSPORT_ANSWERS.internal_error.code,
});

/**
 * One check of a request on the users endpoints: the `{id}` of the path (400 `invalid_uri`), the
 * bearer token (401), the body (413, 415, 400 `invalid_body`), the scopes (403), the query
 * (400 `invalid_query_string`), the stored user (404 `inexistent_user`, or 409 for a duplicate).
 */
export type RequestCheck = 'path' | 'token' | 'body' | 'scopes' | 'query' | 'user';

/**
 * The order of the checks of each action: the first that fails answers (docs/assumptions.md, emulator 8, our
 * decision where Auth0 records none). A PATCH's body comes before its scopes, because which scopes
 * it needs depends on the fields it sends; every other body comes after them. A query is checked
 * before the user is looked up. `delete` has no `user` check: an unknown id answers 204 like any
 * other (docs/assumptions.md, emulator 9).
 */
export const CHECK_ORDER: Readonly<Record<UserAction, readonly RequestCheck[]>> = /* @__PURE__ */ deepFreeze({
  get: ['path', 'token', 'scopes', 'query', 'user'],
  list: ['token', 'scopes', 'query'],
  create: ['token', 'scopes', 'body', 'user'],
  update: ['path', 'token', 'body', 'scopes', 'user'],
  delete: ['path', 'token', 'scopes'],
});

/**
 * The reason phrase an injected fault's default body names in `error` for a status Auth0's users
 * endpoints never answer on their own (RFC 9110 §15; our decision to use its phrases). A status
 * not here is named `Error`.
 */
export const INJECTED_FAULT_REASON_PHRASES: Readonly<Record<number, string>> = /* @__PURE__ */ deepFreeze({
  ...REASON_PHRASES,
  408: 'Request Timeout',
  429: 'Too Many Requests',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
});
