/**
 * POST /dbconnections/signup, as data: the fields its body may carry (section 3 of the behaviour
 * spec, and Auth0's Authentication API reference for the endpoint). Its `user_metadata` limits are
 * in `limits.ts`.
 */

/** Fields a signup body must carry, as strings. */
export const SIGNUP_REQUIRED_FIELDS: readonly ('email' | 'password' | 'connection')[] = /* @__PURE__ */ Object.freeze([
  'email',
  'password',
  'connection',
]);

/**
 * Fields a signup body may carry, as strings, that are not part of the user: the application
 * signing the user up. Optional: a signup without it is accepted (SIGNUP_FACTS in tenant.ts, rule 35).
 */
export const SIGNUP_CLIENT_FIELDS: readonly 'client_id'[] = /* @__PURE__ */ Object.freeze(['client_id']);

/**
 * Profile fields a signup may carry besides the required ones and `user_metadata`, in the order
 * the response echoes them (rule 22).
 */
export const SIGNUP_PROFILE_FIELDS: readonly (
  | 'username'
  | 'given_name'
  | 'family_name'
  | 'name'
  | 'nickname'
  | 'picture'
  | 'phone_number'
)[] = Object.freeze(['username', 'given_name', 'family_name', 'name', 'nickname', 'picture', 'phone_number']);
