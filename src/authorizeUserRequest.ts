import { getOwn } from './internal/object.js';
import { insufficientScope, subjectMismatch } from './issueConstructors.js';
import { fail, type Result, succeed } from './issues.js';
import { EXPECTED_SCOPES, SCOPE_GRANTS, type ScopeGrant, type UserAction } from './rules/scopes.js';
import { safely } from './safely.js';
import type { UserPatch } from './types.js';

/** What a Management API access token grants: its scopes and its subject (`sub`). */
export interface TokenGrant {
  /**
   * The scopes of the token: its `scope` claim as it is (space-separated), or already split. Each
   * scope is matched exactly: `update:users_app_metadata` never grants `update:users`.
   */
  readonly scopes: readonly string[] | string;
  /** The `sub` claim: a user id for a user's token, `<client_id>@clients` for a machine's. */
  readonly subject: string;
}

/** A request on the users endpoints, as far as authorization cares. */
export type UserRequest =
  | { readonly action: 'get'; readonly userId: string }
  | { readonly action: 'list' }
  | { readonly action: 'create' }
  | { readonly action: 'delete'; readonly userId: string }
  | { readonly action: 'update'; readonly userId: string; readonly patch: UserPatch };

/**
 * The scopes a token grants, as exact names. A `scope` claim is a list of names separated by
 * spaces (RFC 6749 §3.3, RFC 8693 §4.2); an array holds one name per entry. A name is never
 * matched as part of another (`xxread:usersxx` grants nothing), and anything but a string or an
 * array of strings grants nothing.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.3
 */
function grantedScopes(scopes: unknown): ReadonlySet<string> {
  const granted = new Set<string>();
  if (typeof scopes === 'string') {
    for (const name of scopes.split(' ')) if (name !== '') granted.add(name);
  } else if (Array.isArray(scopes)) {
    for (let index = 0; index < scopes.length; index++) {
      const name = getOwn(scopes, String(index));
      if (typeof name === 'string') granted.add(name);
    }
  }
  return granted;
}

/**
 * Decides whether a token may make a request, by Auth0's scope rules for the users endpoints.
 *
 * - Scopes match exactly, from the `scope` claim (space-separated) or an array of names.
 * - `read:users` reads any user; `read:current_user` only the token's own user (`sub`).
 * - `create:users` creates, `delete:users` deletes; listing needs `read:users`.
 * - `update:users` updates anything; `update:users_app_metadata` only `app_metadata`, of any user;
 *   `update:current_user_metadata` or `create:current_user_metadata` only `user_metadata` of the
 *   token's own user (deleting its keys with `null` included). Each attribute of the patch must be
 *   covered by one of the token's scopes.
 *
 * @param token - The token's scopes and subject.
 * @param request - What the request does.
 * @returns Success, or `insufficient_scope` / `subject_mismatch` (both 403).
 * @example
 * const token = { scopes: ['update:current_user_metadata'], subject: 'auth0|1' };
 * authorizeUserRequest(token, { action: 'update', userId: 'auth0|1', patch: { user_metadata: { theme: 'dark' } } }).success;
 * // => true
 * authorizeUserRequest(token, { action: 'update', userId: 'auth0|2', patch: { user_metadata: { theme: 'dark' } } });
 * // => { success: false, issues: [{ code: 'subject_mismatch', path: [],
 * //      message: 'User to be acted on does not match subject in bearer token.' }] }
 * authorizeUserRequest({ scopes: 'read:users_app_metadata update:users', subject: 'app@clients' }, { action: 'list' }).success;
 * // => false
 * @see https://auth0.com/docs/secure/tokens/access-tokens/management-api-access-tokens/get-management-api-tokens-for-single-page-applications
 */
export function authorizeUserRequest(token: TokenGrant, request: UserRequest): Result<UserRequest> {
  return safely(() => authorize(token, request));
}

/** The SCOPE_GRANTS of the granted scopes for `action`; `attribute` keeps those that may change it. */
function grantsOf(granted: ReadonlySet<string>, action: UserAction, attribute?: string): readonly ScopeGrant[] {
  return SCOPE_GRANTS.filter(
    (grant) =>
      grant.action === action &&
      granted.has(grant.scope) &&
      (attribute === undefined ||
        grant.attributes === undefined ||
        grant.attributes.some((name) => name === attribute)),
  );
}

/** `allowed` when a grant covers any user, or the token's own user; `mismatch` when only another's (rule 30). */
function decide(grants: readonly ScopeGrant[], self: boolean): 'allowed' | 'mismatch' | 'refused' {
  if (grants.some((grant) => grant.subject === 'any' || self)) return 'allowed';
  return grants.length > 0 ? 'mismatch' : 'refused';
}

function authorize(token: TokenGrant, request: UserRequest): Result<UserRequest> {
  const granted = grantedScopes(getOwn(token, 'scopes'));
  const self = 'userId' in request && request.userId === token.subject;
  const refused = (): Result<UserRequest> => fail(insufficientScope(EXPECTED_SCOPES[request.action]));
  // SCOPE_GRANTS (rule 29); another user's with a current-user scope is a mismatch (rule 30).
  if (request.action !== 'update') {
    const outcome = decide(grantsOf(granted, request.action), self);
    if (outcome === 'allowed') return succeed(request);
    return outcome === 'mismatch' ? fail(subjectMismatch()) : refused();
  }
  // An update: allowed by a grant of every attribute, or else attribute by attribute.
  const everything = grantsOf(granted, 'update').filter((grant) => grant.attributes === undefined);
  if (decide(everything, self) === 'allowed') return succeed(request);
  let mismatch = false;
  for (const key of Object.keys(request.patch)) {
    const outcome = decide(grantsOf(granted, 'update', key), self);
    if (outcome === 'refused') return refused();
    if (outcome === 'mismatch') mismatch = true;
  }
  return mismatch ? fail(subjectMismatch()) : succeed(request);
}
