/**
 * How `POST /oauth/token` refuses a token (client credentials and the password-realm grant), as data.
 * Each answers `{ error, error_description }` (RFC 6749 §5.2).
 */
import { deepFreeze } from '../internal/freeze.js';
import type { ErrorStatus } from './http.js';

/** A reason `/oauth/token` refuses a token. */
export type TokenReason =
  | 'unauthorized'
  | 'wrong_credentials'
  | 'missing_parameter'
  | 'not_a_string'
  | 'no_audience'
  | 'unknown_audience'
  | 'scopes_not_granted'
  | 'user_blocked'
  | 'unsupported_grant_type';

/** How `/oauth/token` answers one {@link TokenReason}. */
export interface TokenAnswer {
  readonly status: ErrorStatus;
  /** The `error` of the answer. */
  readonly error: string;
  /**
   * The `error_description`; `{detail}` stands for what the request got wrong (a parameter name,
   * the audience, the refused scopes, the grant type). Absent: the core's issue gives the text.
   */
  readonly description?: string;
  /** `recorded` (an answer Auth0 is seen to give) or `decision` (ours, where none is recorded). */
  readonly source: 'recorded' | 'decision';
}

/**
 * The answer to each {@link TokenReason}. Recorded: `unauthorized` in auth0/node-auth0 issue #582
 * (401 `access_denied` `Unauthorized`), `wrong_credentials` in auth0/react-native-auth0 issue #224
 * (403), `unknown_audience` in auth0/terraform-provider-auth0 issue #951. `wrong_credentials` is the
 * answer for a wrong password and for an unknown user alike, so that neither is told apart.
 */
export const TOKEN_ANSWERS: Readonly<Record<TokenReason, TokenAnswer>> = /* @__PURE__ */ deepFreeze({
  unauthorized: { status: 401, error: 'access_denied', description: 'Unauthorized', source: 'recorded' },
  wrong_credentials: {
    status: 403,
    error: 'invalid_grant',
    description: 'Wrong email or password.',
    source: 'recorded',
  },
  missing_parameter: {
    status: 400,
    error: 'invalid_request',
    description: 'Missing required parameter: {detail}',
    source: 'decision',
  },
  not_a_string: {
    status: 400,
    error: 'invalid_request',
    description: 'Invalid value for parameter {detail}: expected a string',
    source: 'decision',
  },
  no_audience: {
    status: 403,
    error: 'access_denied',
    description: 'No audience parameter was provided, and no default audience has been configured',
    source: 'decision',
  },
  unknown_audience: {
    status: 403,
    error: 'access_denied',
    description: 'Service not enabled within domain: {detail}',
    source: 'recorded',
  },
  scopes_not_granted: {
    status: 403,
    error: 'access_denied',
    description: 'Client has not been granted scopes: {detail}',
    source: 'decision',
  },
  // The description is the core's user_blocked issue (rule 30, checkLogin in src/recordLogin.ts).
  user_blocked: { status: 401, error: 'unauthorized', source: 'decision' },
  unsupported_grant_type: {
    status: 400,
    error: 'unsupported_grant_type',
    description: 'Unsupported grant type: {detail}',
    source: 'decision',
  },
});
