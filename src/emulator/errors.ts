import type { Issues } from '../issues.js';
import { authenticationErrorName, type ErrorStatus, REASON_PHRASES } from '../rules/http.js';
import { type Auth0Error, toAuth0Error } from '../toAuth0Error.js';
import type { BodyProblem } from './body.js';
import type { EmulatorResponse } from './http.js';

/** The error body of `/oauth/token`, as OAuth 2.0 (RFC 6749 §5.2) and Auth0 write it. */
export interface OAuthErrorBody {
  readonly error: string;
  readonly error_description: string;
}

/** Any error the emulator answers with: an Auth0 error, or an OAuth one from `/oauth/token`. */
export type HttpFailure =
  | Auth0Error
  | { readonly api: 'oauth'; readonly status: number; readonly body: OAuthErrorBody };

/** Which of Auth0's APIs a path belongs to, and so which error envelope it answers with. */
export type Api = HttpFailure['api'];

/**
 * Thrown by route code to answer with an error; the emulator's single top-level catch turns it
 * into the response. Anything else thrown becomes a 500 in the API's envelope.
 */
export class EmulatorHttpError extends Error {
  override readonly name = 'EmulatorHttpError';
  readonly failure: HttpFailure;
  /** Extra response headers, such as `allow` on a 405. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(failure: HttpFailure, headers: Readonly<Record<string, string>> = {}) {
    super(failure.api === 'oauth' ? failure.body.error_description : messageOf(failure));
    this.failure = failure;
    this.headers = headers;
  }
}

function messageOf(failure: Auth0Error): string {
  return failure.api === 'management' ? failure.body.message : failure.body.description;
}

/** The statuses the emulator produces on its own (the core's come with their bodies). */
export type Status = Exclude<ErrorStatus, 409>;

/** The error `toAuth0Error` gives for the issues of a failed core result, in the envelope of `api`. */
export function issuesError(issues: Issues, api: Auth0Error['api'] = 'management'): EmulatorHttpError {
  return new EmulatorHttpError(toAuth0Error(issues, api));
}

/** A Management API error the core has no issue for (routing, transport, query parsing). */
export function managementError(status: Status, message: string, errorCode: string): EmulatorHttpError {
  const error = REASON_PHRASES[status];
  return new EmulatorHttpError({ api: 'management', status, body: { statusCode: status, error, message, errorCode } });
}

/** An Authentication API (signup) error the core has no issue for. */
export function authenticationError(status: Status, code: string, description: string): EmulatorHttpError {
  const name = authenticationErrorName(status);
  return new EmulatorHttpError({
    api: 'authentication',
    status,
    body: { name, code, description, statusCode: status },
  });
}

/** An `/oauth/token` error. */
export function oauthError(status: Status, error: string, description: string): EmulatorHttpError {
  return new EmulatorHttpError({ api: 'oauth', status, body: { error, error_description: description } });
}

/** An error in the envelope of `api`, for problems shared by every route (routing, body, crashes). */
export function apiError(api: Api, status: Status, code: string, message: string): EmulatorHttpError {
  if (api === 'oauth') return oauthError(status, code, message);
  if (api === 'authentication') return authenticationError(status, code, message);
  return managementError(status, message, code);
}

/** The error for a body that could not be read, in the envelope of `api`. */
export function bodyProblemError(api: Api, problem: BodyProblem, limit: number): EmulatorHttpError {
  switch (problem) {
    case 'too_large':
      return apiError(
        api,
        413,
        api === 'oauth' ? 'invalid_request' : 'payload_too_large',
        `Payload content length greater than maximum allowed: ${limit}`,
      );
    case 'unsupported_media_type':
      return apiError(
        api,
        415,
        api === 'oauth' ? 'invalid_request' : 'unsupported_media_type',
        'Unsupported Media Type',
      );
    case 'unsupported_charset':
      return apiError(
        api,
        415,
        api === 'oauth' ? 'invalid_request' : 'unsupported_media_type',
        'Unsupported charset: request bodies must be UTF-8',
      );
    case 'malformed':
      return apiError(
        api,
        400,
        api === 'oauth' ? 'invalid_request' : 'invalid_body',
        'Invalid request payload JSON format',
      );
  }
}

/** The JSON response for a thrown error. */
export function errorResponse(error: EmulatorHttpError): EmulatorResponse {
  return jsonResponse(error.failure.body, error.failure.status, error.headers);
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
