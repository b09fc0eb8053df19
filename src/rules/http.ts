/**
 * HTTP facts of Auth0's APIs, as data: the statuses answered and their reason phrases, and the
 * status and `errorCode` of each kind of Management API error (section 2 of the behaviour spec).
 */
import { deepFreeze } from '../internal/freeze.js';

/** Every status Auth0's users endpoints, signup and `/oauth/token` answer an error with. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 500;

/** The reason phrase of each status, as the Management API puts it in `error` (RFC 9110 §15). */
export const REASON_PHRASES: Readonly<Record<ErrorStatus, string>> = deepFreeze({
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
