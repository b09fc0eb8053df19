/**
 * The user formats Auth0 reads and writes outside the users endpoints, as data: what a seed of
 * the emulator may be, and how each form is recognised and stored.
 *
 * - A POST /api/v2/users body names its `connection`; Auth0 prefixes its bare `user_id` with
 *   `auth0|` (https://auth0.com/docs/api/management/v2/users/post-users).
 * - A stored user, as GET /api/v2/users/{id} returns it, or one line of a user export job (NDJSON:
 *   one JSON object per line, with the fields the job asked for; Auth0 notes that its export files
 *   are NDJSON while its import expects a JSON array)
 *   (https://auth0.com/docs/manage-users/user-migration/bulk-user-exports).
 * - A bulk-import user: a JSON array of users without a connection (the import job names it),
 *   whose `user_id` "will be prepended by the connection strategy", and which may carry password
 *   hashes and MFA factors
 *   (https://auth0.com/docs/manage-users/user-migration/bulk-user-import-database-schema-and-examples).
 */

/** The forms a seed user may take. */
export type SeedForm = 'create-body' | 'stored-user' | 'bulk-import';

/** How each form is named in messages and docs/cli.md. */
export const SEED_FORM_NAMES: Readonly<Record<SeedForm, string>> = /* @__PURE__ */ Object.freeze({
  'create-body': 'a POST /api/v2/users body',
  'stored-user': 'a stored user (GET /api/v2/users/{id}, or a line of a user export)',
  'bulk-import': 'a bulk-import user',
});

/**
 * Attributes only a stored user has: a seed holding any of them (or a `user_id` with a provider
 * prefix, `auth0|...`) is kept as it is, its `user_id` and timestamps included.
 */
export const STORED_USER_ATTRIBUTES: readonly string[] = /* @__PURE__ */ Object.freeze([
  'identities',
  'created_at',
  'updated_at',
  'last_login',
  'logins_count',
  'last_ip',
]);

/** Separates the provider from the provider's own id in a stored `user_id` (`auth0|jane`). */
export const USER_ID_SEPARATOR = '|';

/** The strategy prefix of database connections, the only ones a bulk import targets. */
export const DATABASE_PROVIDER = 'auth0';

/** The database connection a tenant is created with, used when a seed names none. */
export const DEFAULT_DATABASE_CONNECTION = 'Username-Password-Authentication';

/**
 * Bulk-import attributes that are not part of the stored user Auth0 returns: password hashes are
 * kept apart (never returned), MFA factors are enrolments.
 */
export const BULK_IMPORT_ONLY_ATTRIBUTES: readonly string[] = /* @__PURE__ */ Object.freeze([
  'password_hash',
  'custom_password_hash',
  'mfa_factors',
]);
