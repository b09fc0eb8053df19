import type { Issues, Result } from '../issues.js';
import {
  authenticationErrorName,
  type ErrorStatus,
  REASON_PHRASES,
  TRANSPORT_ANSWERS,
  type TransportReason,
} from '../rules/http.js';
import { TOKEN_ANSWERS, type TokenReason } from '../rules/oauth.js';
import { type Auth0Error, toAuth0Error } from '../toAuth0Error.js';
import type { BodyReason } from './body.js';
import type { EmulatorResponse } from './http.js';

/** The error body of `/oauth/token`, as OAuth 2.0 (RFC 6749 §5.2) and Auth0 write it. */
export interface OAuthErrorBody {
  readonly error: string;
  readonly error_description: string;
}

/** Any error the emulator answers with: an Auth0 error, or an OAuth one from `/oauth/token`. */
export type WireError = Auth0Error | { readonly api: 'oauth'; readonly status: number; readonly body: OAuthErrorBody };

/** Which of Auth0's APIs a path belongs to, and so which error envelope it answers with. */
export type Api = WireError['api'];

/**
 * Thrown by route code to answer with an error; the emulator's single top-level catch turns it
 * into the response. Anything else thrown becomes a 500 in the API's envelope.
 */
export class EmulatorHttpError extends Error {
  override readonly name = 'EmulatorHttpError';
  readonly answer: WireError;
  /** Extra response headers, such as `allow` on a 405. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(answer: WireError, headers: Readonly<Record<string, string>> = {}) {
    super(answer.api === 'oauth' ? answer.body.error_description : errorMessageOf(answer));
    this.answer = answer;
    this.headers = headers;
  }
}

function errorMessageOf(answer: Auth0Error): string {
  return answer.api === 'management' ? answer.body.message : answer.body.description;
}

/** The error `toAuth0Error` gives for the issues of a failed core result, in the envelope of `api`. */
export function issuesError(issues: Issues, api: Auth0Error['api'] = 'management'): EmulatorHttpError {
  return new EmulatorHttpError(toAuth0Error(issues, api));
}

/** The value of a successful core result; the issues of a failed one are thrown as Auth0's error. */
export function unwrap<Value>(result: Result<Value>): Value {
  if (!result.success) throw issuesError(result.issues);
  return result.value;
}

/** A Management API error the core has no issue for (routing, transport, query parsing). */
function managementError(status: ErrorStatus, message: string, errorCode: string): EmulatorHttpError {
  const error = REASON_PHRASES[status];
  return new EmulatorHttpError({ api: 'management', status, body: { statusCode: status, error, message, errorCode } });
}

/** An Authentication API (signup) error the core has no issue for. */
function authenticationHttpError(status: ErrorStatus, code: string, description: string): EmulatorHttpError {
  const name = authenticationErrorName(status);
  return new EmulatorHttpError({
    api: 'authentication',
    status,
    body: { name, code, description, statusCode: status },
  });
}

/** An `/oauth/token` error. */
export function oauthError(status: ErrorStatus, error: string, description: string): EmulatorHttpError {
  return new EmulatorHttpError({ api: 'oauth', status, body: { error, error_description: description } });
}

/** An error in the envelope of `api`, for what every route shares (routing, body, crashes). */
export function apiError(api: Api, status: ErrorStatus, code: string, message: string): EmulatorHttpError {
  if (api === 'oauth') return oauthError(status, code, message);
  if (api === 'authentication') return authenticationHttpError(status, code, message);
  return managementError(status, message, code);
}

/** The transport reason of each reason a body could not be read. */
const TRANSPORT_REASON_OF_BODY: Readonly<Record<BodyReason, TransportReason>> = /* @__PURE__ */ Object.freeze({
  too_large: 'payload_too_large',
  unsupported_media_type: 'unsupported_media_type',
  unsupported_charset: 'unsupported_charset',
  malformed: 'malformed_json',
});

/**
 * What an earlier check of `CHECK_ORDER` (src/rules/http.ts) found: the grant of `token`, the patch
 * of `body`. Absent only if that order and the checks disagree, a bug here: a 500 `internal_error`.
 */
export function foundByCheck<Value>(value: Value | undefined): Value {
  if (value === undefined) throw transportError('management', 'internal_error');
  return value;
}

/**
 * The error for a transport reason in the envelope of `api`, as `TRANSPORT_ANSWERS` (src/rules/http.ts)
 * words it; `limit` is the body limit the 413 names.
 */
export function transportError(api: Api, reason: TransportReason, limit = 0): EmulatorHttpError {
  const rule = TRANSPORT_ANSWERS[reason];
  return apiError(
    api,
    rule.status,
    api === 'oauth' ? rule.oauthCode : rule.code,
    rule.message.replace('{limit}', `${limit}`),
  );
}

/** The error for a body that could not be read, in the envelope of `api`. */
export function bodyError(api: Api, reason: BodyReason, limit: number): EmulatorHttpError {
  return transportError(api, TRANSPORT_REASON_OF_BODY[reason], limit);
}

/**
 * The `/oauth/token` error for `reason`, as `TOKEN_ANSWERS` (src/rules/oauth.ts) words it: `detail`
 * fills its `{detail}`, or is the whole description where the rule leaves it to the core's issue.
 */
export function tokenError(reason: TokenReason, detail = ''): EmulatorHttpError {
  const rule = TOKEN_ANSWERS[reason];
  return oauthError(rule.status, rule.error, rule.description?.replace('{detail}', detail) ?? detail);
}

/** The JSON response for a thrown error. */
export function errorResponse(error: EmulatorHttpError): EmulatorResponse {
  return jsonResponse(error.answer.body, error.answer.status, error.headers);
}

/** A JSON response, as Auth0 sends them. */
export function jsonResponse(
  body: unknown,
  status: number,
  headers: Readonly<Record<string, string>> = {},
): EmulatorResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}
