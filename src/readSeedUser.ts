import { MEASURE_LIMITS, timestamp } from './checks/profile.js';
import { buildUser } from './createUser.js';
import { deepFreeze } from './internal/freeze.js';
import { guarded } from './internal/guarded.js';
import { getOwn, hasOwn, isPlainObject, setOwn, typeName } from './internal/object.js';
import { measureJson } from './internal/sizes.js';
import { invalidType, seedMissingIdentities, seedNotJson } from './issueConstructors.js';
import { fail, type Result, succeed } from './issues.js';
import { TIMESTAMPS } from './rules/attributes.js';
import { METADATA_KEYS } from './rules/metadata.js';
import {
  BULK_IMPORT_ONLY_ATTRIBUTES,
  DATABASE_PROVIDER,
  DEFAULT_DATABASE_CONNECTION,
  SEED_FORM_NAMES,
  type SeedForm,
  STORED_USER_ATTRIBUTES,
  USER_ID_SEPARATOR,
} from './rules/seeds.js';
import { BULK_IMPORT_GRAVATAR_HOST } from './rules/tenant.js';
import { safely } from './safely.js';
import type { CreateUserBody, CreateUserOptions, Identity, JsonObject, User } from './types.js';

/** A user of a bulk-import file: a POST body without `connection` or `password`, with password hashes. */
export interface BulkImportUser extends Omit<CreateUserBody, 'connection' | 'password' | 'verify_email'> {
  readonly password_hash?: string;
  readonly custom_password_hash?: JsonObject;
  readonly mfa_factors?: readonly JsonObject[];
}

/** A seed user in any form `readSeedUser` (src/readSeedUser.ts) reads. */
export type SeedEntry = CreateUserBody | User | BulkImportUser;

/** A seed entry read: its form, the user it stores, and the password it can log in with. */
export interface SeedUser {
  /** Which form the entry was read as ({@link SEED_FORM_NAMES} names each). */
  readonly form: SeedForm;
  /** The user as the emulator will store and return it. */
  readonly user: User;
  /** The password of a POST body; `undefined` for stored and bulk-import users (no password, or only a hash). */
  readonly password: string | undefined;
}

/** Options of {@link readSeedUser}. */
export interface ReadSeedOptions extends CreateUserOptions {
  /** The connection of bulk-import users and of stored users without `identities`. Default: `Username-Password-Authentication`. */
  readonly connection?: string;
}

/**
 * Which form {@link readSeedUser} reads a seed entry as (rules/seeds.ts says how each is
 * recognised): `create-body` when it names a `connection`; `stored-user` when it has an attribute
 * only stored users have (`identities`, `created_at`, `logins_count`, ...) or a prefixed
 * `user_id`; `bulk-import` otherwise. `undefined` for anything but an object.
 *
 * @param entry - One parsed seed entry.
 * @returns Its form, or `undefined`.
 * @example
 * seedFormOf({ connection: 'Username-Password-Authentication', email: 'a@example.com', password: 'pw' });
 * // => 'create-body'
 * seedFormOf({ user_id: 'auth0|jane' });
 * // => 'stored-user'
 * seedFormOf({ user_id: 'jane', email: 'jane.doe@example.com' });
 * // => 'bulk-import'
 */
export function seedFormOf(entry: unknown): SeedForm | undefined {
  return guarded(
    () => (isPlainObject(entry) ? formOf(entry) : undefined),
    () => undefined,
  );
}

function formOf(entry: Readonly<Record<string, unknown>>): SeedForm {
  if (hasOwn(entry, 'connection')) return 'create-body';
  const userId = getOwn(entry, 'user_id');
  const prefixed = typeof userId === 'string' && userId.includes(USER_ID_SEPARATOR);
  return prefixed || STORED_USER_ATTRIBUTES.some((key) => hasOwn(entry, key)) ? 'stored-user' : 'bulk-import';
}

function isIdentity(value: unknown): value is Identity {
  return (
    isPlainObject(value) &&
    typeof value.connection === 'string' &&
    typeof value.user_id === 'string' &&
    typeof value.provider === 'string' &&
    typeof value.isSocial === 'boolean'
  );
}

/** A stored user, kept as it is: its `user_id`, timestamps and every other attribute. */
function storedUser(entry: Readonly<Record<string, unknown>>, options: ReadSeedOptions): Result<User> {
  if (measureJson(entry, MEASURE_LIMITS) === undefined) {
    return fail(seedNotJson());
  }
  const userId = getOwn(entry, 'user_id');
  if (typeof userId !== 'string' || userId === '') return fail(invalidType(['user_id'], 'string', typeName(userId)));
  // METADATA_KEYS are objects (rule 6); TIMESTAMPS are strings (rule 13).
  for (const key of METADATA_KEYS) {
    if (hasOwn(entry, key) && !isPlainObject(getOwn(entry, key))) {
      return fail(invalidType([key], 'object', typeName(getOwn(entry, key))));
    }
  }
  for (const key of [TIMESTAMPS.created, TIMESTAMPS.updated]) {
    if (hasOwn(entry, key) && typeof getOwn(entry, key) !== 'string') {
      return fail(invalidType([key], 'string', typeName(getOwn(entry, key))));
    }
  }
  const copy: Record<string, unknown> = JSON.parse(JSON.stringify(entry));
  const identities = getOwn(entry, 'identities');
  if (identities === undefined) {
    const separator = userId.indexOf(USER_ID_SEPARATOR);
    const provider = userId.slice(0, separator);
    if (separator < 0 || provider !== DATABASE_PROVIDER) {
      return fail(seedMissingIdentities(`${DATABASE_PROVIDER}${USER_ID_SEPARATOR}`));
    }
    const connection = options.connection ?? DEFAULT_DATABASE_CONNECTION;
    setOwn(copy, 'identities', [{ connection, user_id: userId.slice(separator + 1), provider, isSocial: false }]);
  } else if (!Array.isArray(identities) || !identities.every(isIdentity)) {
    return fail(invalidType(['identities'], 'array of identities', typeName(identities)));
  }
  const createdAt = getOwn(copy, 'created_at');
  const created = typeof createdAt === 'string' ? createdAt : timestamp(options);
  if (createdAt === undefined) setOwn(copy, 'created_at', created);
  if (getOwn(copy, 'updated_at') === undefined) setOwn(copy, 'updated_at', created);
  const user: unknown = deepFreeze(copy);
  return isStored(user) ? succeed(user) : fail(invalidType([], 'object', typeName(user)));
}

function isStored(value: unknown): value is User {
  return (
    isPlainObject(value) &&
    typeof value.user_id === 'string' &&
    Array.isArray(value.identities) &&
    typeof value.created_at === 'string' &&
    typeof value.updated_at === 'string'
  );
}

/** A bulk-import user: created as POST would on its connection, its hashes and MFA factors left out. */
function bulkImportUser(entry: Readonly<Record<string, unknown>>, options: ReadSeedOptions): Result<User> {
  const body: Record<string, unknown> = { connection: options.connection ?? DEFAULT_DATABASE_CONNECTION };
  for (const [key, value] of Object.entries(entry)) {
    if (!BULK_IMPORT_ONLY_ATTRIBUTES.includes(key)) setOwn(body, key, value);
  }
  // An import carries a hash, not a password: POST's password check does not apply, and a
  // password is never part of the created user, so any valid one stands in for the check.
  setOwn(body, 'password', 'imported');
  const built = buildUser(body, options);
  if (!built.success || hasOwn(entry, 'picture')) return built;
  return succeed(importedPicture(built.value), built.warnings);
}

/**
 * The default picture of an imported user: the Gravatar URL of POST /api/v2/users on the host an
 * import gives (BULK_IMPORT_GRAVATAR_HOST, rule 36, go-auth0 TestJobManager_ImportUsers).
 */
function importedPicture(user: User): User {
  if (typeof user.picture !== 'string') return user;
  const url = new URL(user.picture);
  url.host = BULK_IMPORT_GRAVATAR_HOST;
  return Object.freeze({ ...user, picture: url.href });
}

/**
 * Reads one seed user in any of the forms Auth0 uses for users (rules/seeds.ts):
 *
 * - a POST /api/v2/users body (it names a `connection`): created as POST creates it, so a bare
 *   `user_id: 'jane'` becomes `auth0|jane`;
 * - a stored user, as GET /api/v2/users/{id} returns it or as a user export writes it (it has
 *   `identities`, `created_at`, `logins_count`, ... or a prefixed `user_id`): kept as it is, its
 *   `user_id` and timestamps exactly, `identities` derived for an `auth0|` user without them;
 * - a bulk-import user (neither): created on `options.connection`, its `user_id` prefixed with
 *   `auth0|` as an import does, its password hashes and MFA factors left out.
 *
 * @param entry - One parsed seed entry.
 * @param options - `now` and `generateId` for created users; `connection` for imported ones.
 * @returns The form it was read as, the user, and the password of a POST body; or the issues.
 * @example
 * const stored = readSeedUser({
 *   user_id: 'auth0|jane', email: 'jane.doe@example.com', logins_count: 3,
 *   created_at: '2025-05-01T10:00:00.000Z', user_metadata: { hobby: 'surfing' },
 * });
 * stored.success && [stored.value.form, stored.value.user.user_id, stored.value.user.updated_at];
 * // => ['stored-user', 'auth0|jane', '2025-05-01T10:00:00.000Z']
 * const imported = readSeedUser({ user_id: 'jane', email: 'jane.doe@example.com', password_hash: '$2b$10$...' });
 * imported.success && [imported.value.form, imported.value.user.user_id];
 * // => ['bulk-import', 'auth0|jane']
 * @see https://auth0.com/docs/manage-users/user-migration/bulk-user-exports
 * @see https://auth0.com/docs/manage-users/user-migration/bulk-user-import-database-schema-and-examples
 */
export function readSeedUser(entry: unknown, options: ReadSeedOptions = {}): Result<SeedUser> {
  return safely(() => {
    if (!isPlainObject(entry)) return fail(invalidType([], 'object', typeName(entry)));
    const form = formOf(entry);
    const read =
      form === 'create-body'
        ? buildUser(entry, options)
        : form === 'stored-user'
          ? storedUser(entry, options)
          : bulkImportUser(entry, options);
    if (!read.success) return read;
    const password = form === 'create-body' ? getOwn(entry, 'password') : undefined;
    return succeed(
      Object.freeze({ form, user: read.value, password: typeof password === 'string' ? password : undefined }),
      read.warnings,
    );
  });
}
