/**
 * POST /dbconnections/signup, as data: the fields its body may carry (section 3 of the behaviour
 * spec, and Auth0's Authentication API reference for the endpoint). Its `user_metadata` limits are
 * in `limits.ts`.
 */

/** Fields a signup body must carry, as strings. */
export const SIGNUP_REQUIRED_FIELDS: readonly ('client_id' | 'email' | 'password' | 'connection')[] =
  /* @__PURE__ */ Object.freeze(['client_id', 'email', 'password', 'connection']);

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
