/**
 * The rules of a tenant's set of users, as data: what makes two users one too many, what a login
 * records, what a signup answers beyond rule 22, and what a bulk import stores. Each entry says
 * where it comes from: `documented` (Auth0's documents), `recorded` (an exchange with a live
 * tenant in the SDKs' cassettes, or Auth0's answer quoted in a public thread) or `decision` (ours,
 * where no source settles it). Rule numbers are those of docs/rules.md.
 */
import { deepFreeze } from '../internal/freeze.js';
import type { ErrorStatus } from './http.js';

/** Where a fact comes from. */
export type FactSource = 'documented' | 'recorded' | 'decision';

/** How the Management API refuses a write that would duplicate a stored user. */
export interface DuplicateRefusal {
  readonly status: ErrorStatus;
  readonly errorCode: string;
  readonly message: string;
  /** Where the message comes from. */
  readonly messageSource: FactSource;
  /** Where the status and `errorCode` come from. */
  readonly statusSource: FactSource;
}

/**
 * A PATCH /api/v2/users/{id} to an email another user of the same connection holds (rule 33).
 * - Message, recorded: the dashboard's and the Management API's answer quoted in
 *   community.auth0.com thread 7413 ("The specified new email already exists"), and matched as
 *   such by applications calling the API.
 * - Status 400 and errorCode `auth0_idp_error`, our decision: no recorded body carries this
 *   message. Applications calling the API handle it under a 400; an email change Auth0 refused was
 *   answered 400 `auth0_idp_error` in auth0/node-auth0 issue #139 (2016); the 409 of a duplicate
 *   create uses the same code (section 2).
 */
export const EMAIL_EXISTS: DuplicateRefusal = /* @__PURE__ */ deepFreeze({
  status: 400,
  errorCode: 'auth0_idp_error',
  message: 'The specified new email already exists',
  messageSource: 'recorded',
  statusSource: 'decision',
});

/**
 * A create, signup or PATCH giving a user a username another user of the same connection holds.
 * - Message, documented: Auth0's login-page error list gives "The username provided is in use
 *   already." (`username-taken`); signup's error code list names `username_exists`
 *   (https://auth0.com/docs/libraries/common-auth0-library-authentication-errors).
 * - Status 400 and errorCode `auth0_idp_error`, our decision: applications calling POST
 *   /api/v2/users handle this message under a 400; no recorded body carries it.
 */
export const USERNAME_EXISTS: DuplicateRefusal = /* @__PURE__ */ deepFreeze({
  status: 400,
  errorCode: 'auth0_idp_error',
  message: 'The username provided is in use already.',
  messageSource: 'documented',
  statusSource: 'decision',
});

/**
 * What no two stored users of a tenant share (`uniqueKeysOf` in tenant.ts builds the keys):
 * - `user_id`: documented (a user id is the user's identity; POST with a used `user_id` is 409).
 * - `email` on one connection: documented and recorded (rules 22, 24, 33); compared lower-cased,
 *   as Auth0 stores database emails (rule 15).
 * - `username` on one connection: documented (`username_exists`, above); compared as stored, as
 *   a password-grant login names it: our decision.
 */
export const UNIQUE_USER_ATTRIBUTES: readonly UniqueAttribute[] = /* @__PURE__ */ Object.freeze([
  'user_id',
  'email',
  'username',
]);

/** What makes two stored users of a tenant one too many: the same id, or the same email or username on one connection. */
export type UniqueAttribute = 'user_id' | 'email' | 'username';

/**
 * What a successful password-grant login writes on the user (rule 34), documented in Auth0's
 * "User profile structure" (https://auth0.com/docs/manage-users/user-accounts/user-profiles/user-profile-structure):
 * `last_login` (when the user last logged in), `last_ip` (the address of that login) and
 * `logins_count` (how many times the user has logged in); a PATCH sets none of them (a conformance
 * case of the create rules). All three are absent before the first login (rule 24). `updated_at` is left
 * as it is: a login is not a profile update (our decision).
 */
export const LOGIN_ATTRIBUTES: readonly ('last_login' | 'last_ip' | 'logins_count')[] = /* @__PURE__ */ Object.freeze([
  'last_login',
  'last_ip',
  'logins_count',
]);

/**
 * POST /dbconnections/signup, beyond rule 22 (rule 35), recorded in auth0/go-auth0:
 * - `client_id` may be absent: `test/data/recordings/authentication/TestDatabaseSignUp.yaml`
 *   (2023-06-09, interaction 0) sends none and gets 200.
 * - A `phone_number` sent comes back with `phone_verified: false`:
 *   `TestDatabaseSignUp_WithUsernameEmailAndPhoneNumberIdentifiers.yaml` (2024-07-11, interaction 0).
 */
export const SIGNUP_FACTS: {
  readonly clientIdRequired: false;
  readonly phoneVerifiedOnSignup: false;
} = /* @__PURE__ */ deepFreeze({ clientIdRequired: false, phoneVerifiedOnSignup: false });

/**
 * The host of the Gravatar pictures Auth0 gives users created by a bulk import (rule 36), recorded
 * in auth0/go-auth0 `test/data/recordings/TestJobManager_ImportUsers.yaml` (2023-01-25, interaction
 * 3: `https://secure.gravatar.com/avatar/<md5>?s=480&r=pg&d=...`), where POST /api/v2/users gives
 * `s.gravatar.com` (rule 24). The rest of the URL is the same.
 */
export const BULK_IMPORT_GRAVATAR_HOST = 'secure.gravatar.com';
