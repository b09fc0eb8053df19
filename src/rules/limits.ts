/**
 * Auth0's numeric limits, each written once. The length limits of single attributes are in the
 * attribute table (`ATTRIBUTES`). Rule numbers are those of docs/rules.md.
 */

/** Each metadata attribute may hold at most 16 MB of JSON (rule 18). */
export const MAX_METADATA_BYTES: number = 16 * 1024 * 1024;

/**
 * Most levels of nested arrays and objects inside one metadata value, the value itself included:
 * MongoDB's document limit, which Auth0 stores users in. Our decision (rule 32 says only that such
 * values are JSON; docs/assumptions.md, library 13): deeper metadata is a `too_deep` issue.
 */
export const MAX_METADATA_DEPTH = 100;

/** Auth0 logs profiles over 10 KB of JSON, a limit it announced in 2026; writes still succeed (rule 18). */
export const MAX_PROFILE_BYTES: number = 10 * 1024;

/** Most properties signup `user_metadata` may have (rules 20, 21). */
export const MAX_SIGNUP_PROPERTIES = 10;
/** Longest signup `user_metadata` property name, in characters (code points): rules 20, 21. */
export const MAX_SIGNUP_NAME_LENGTH = 100;
/** Longest signup `user_metadata` value, in characters (code points): rules 20, 21. */
export const MAX_SIGNUP_VALUE_LENGTH = 500;

/** Each Actions flow may persist at most 32 kB of `user_metadata` and 32 kB of `app_metadata` (rule 31). */
export const MAX_ACTIONS_METADATA_BYTES: number = 32 * 1024;
