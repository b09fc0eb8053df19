/**
 * The Management API scopes of the users endpoints and what each grants, as data. Rule numbers
 * are those of docs/rules.md (docs/rules.md#section-6).
 */
import { deepFreeze } from '../internal/freeze.js';
import type { AttributeName } from './attributes.js';

/** What a request on the users endpoints does, as far as scopes care. */
export type UserAction = 'get' | 'list' | 'create' | 'delete' | 'update';

/** One thing a scope allows. */
export interface ScopeGrant {
  readonly scope: string;
  readonly action: UserAction;
  /** `any` user, or only the token's own user (its `sub`): `self`. */
  readonly subject: 'any' | 'self';
  /** For `update`: the only attributes it may change; absent, every attribute. */
  readonly attributes?: readonly AttributeName[];
}

/**
 * Every grant of every scope the users endpoints check (rule 29). A request is allowed when one
 * grant covers it; an update when every attribute of its body is covered by some grant.
 */
export const SCOPE_GRANTS: readonly ScopeGrant[] = /* @__PURE__ */ deepFreeze([
  { scope: 'read:users', action: 'get', subject: 'any' },
  { scope: 'read:users', action: 'list', subject: 'any' },
  { scope: 'read:user_idp_tokens', action: 'get', subject: 'any' },
  { scope: 'read:current_user', action: 'get', subject: 'self' },
  { scope: 'create:users', action: 'create', subject: 'any' },
  { scope: 'delete:users', action: 'delete', subject: 'any' },
  { scope: 'update:users', action: 'update', subject: 'any' },
  { scope: 'update:users_app_metadata', action: 'update', subject: 'any', attributes: ['app_metadata'] },
  // Deleting the token's own keys with `null` included: a decision (rule 29).
  { scope: 'update:current_user_metadata', action: 'update', subject: 'self', attributes: ['user_metadata'] },
  { scope: 'create:current_user_metadata', action: 'update', subject: 'self', attributes: ['user_metadata'] },
]);

/**
 * The scopes Auth0 names in its `Insufficient scope, expected any of: ...` message, by action
 * (docs/rules.md#section-2; Auth0 leaves `create:current_user_metadata` out of the update list).
 */
export const EXPECTED_SCOPES: Readonly<Record<UserAction, readonly string[]>> = /* @__PURE__ */ deepFreeze({
  get: ['read:users', 'read:user_idp_tokens', 'read:current_user'],
  list: ['read:users'],
  create: ['create:users'],
  delete: ['delete:users'],
  update: ['update:users', 'update:users_app_metadata', 'update:current_user_metadata'],
});

/**
 * The Management API scopes a user's own token may carry (Auth0's list for single-page apps);
 * other scopes requested with a password grant are left out of the token.
 */
export const CURRENT_USER_SCOPES: readonly string[] = /* @__PURE__ */ Object.freeze([
  'read:current_user',
  'update:current_user_identities',
  'create:current_user_metadata',
  'update:current_user_metadata',
  'delete:current_user_metadata',
  'create:current_user_device_credentials',
  'delete:current_user_device_credentials',
]);
