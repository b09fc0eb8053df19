import { checkBody, hasAttributeTypes } from './checks/body.js';
import { checkMetadataSize } from './checks/metadata.js';
import { checkProfileSize, MEASURE_LIMITS, timestamp } from './checks/profile.js';
import { callback } from './internal/guarded.js';
import { md5Hex } from './internal/md5.js';
import { getOwn, setOwn } from './internal/object.js';
import { measureJson } from './internal/sizes.js';
import { firstCharacters, toWellFormed } from './internal/text.js';
import { internalError, missingProperty } from './issueConstructors.js';
import { fail, type Result, succeed } from './issues.js';
import {
  ATTRIBUTES,
  CREATABLE_ATTRIBUTES,
  CREATE_REQUIRED_ATTRIBUTES,
  DATABASE_USER_ID_PREFIX,
  isAttributeName,
  TIMESTAMPS,
} from './rules/attributes.js';
import { isMetadataKey, METADATA, METADATA_KEYS } from './rules/metadata.js';
import { DATABASE_PROVIDER } from './rules/seeds.js';
import { safely } from './safely.js';
import type { CreateUserBody, CreateUserOptions, Identity, JsonObject, Metadata, User } from './types.js';

/** CREATABLE_ATTRIBUTES (rule 23), as a private set. */
const CREATABLE: ReadonlySet<string> = new Set(CREATABLE_ATTRIBUTES);

/** A body that passed validation: a database connection needs `email` and `password` (rule 23). */
export type ValidCreateUserBody = CreateUserBody & { readonly email: string; readonly password: string };

function isCreateUserBody(body: object): body is ValidCreateUserBody {
  return (
    hasAttributeTypes(body, CREATABLE) &&
    typeof getOwn(body, 'connection') === 'string' &&
    typeof getOwn(body, 'email') === 'string' &&
    typeof getOwn(body, 'password') === 'string'
  );
}

/**
 * Validates a POST /api/v2/users body the way Auth0 does, without creating anything.
 *
 * `connection` is required, and (every connection here being a database connection) so are `email`
 * and `password`. Unknown attributes, wrong types and lengths, and metadata with `.`/`$` keys or
 * reserved `app_metadata` names are rejected as on PATCH.
 *
 * @param body - The parsed JSON body.
 * @returns The validated body (a deep-frozen copy, email lower-cased), or the issues.
 * @example
 * validateCreateUser({ connection: 'Username-Password-Authentication', email: 'Ann@Example.com', password: 'pw' });
 * // => { success: true, warnings: [],
 * //      value: { connection: 'Username-Password-Authentication', email: 'ann@example.com', password: 'pw' } }
 */
export function validateCreateUser(body: unknown): Result<ValidCreateUserBody> {
  return safely(() => checkCreateUser(body));
}

/** @internal {@link validateCreateUser}, unwrapped. */
export function checkCreateUser(body: unknown): Result<ValidCreateUserBody> {
  const checked = checkBody(body, CREATABLE);
  if (!checked.success) return checked;
  const value = checked.value;
  // CREATE_REQUIRED_ATTRIBUTES (rule 23); METADATA[key].maxBytes (rule 18).
  const absent = CREATE_REQUIRED_ATTRIBUTES.filter((key) => !Object.hasOwn(value, key));
  const sizes = METADATA_KEYS.map((key) =>
    checkMetadataSize(key, measureJson(getOwn(value, key), MEASURE_LIMITS) ?? 0),
  );
  const issues = [...absent.map(missingProperty), ...sizes.filter((issue) => issue !== undefined)];
  const [first, ...rest] = issues;
  if (first !== undefined) return fail(first, ...rest);
  /* v8 ignore next -- checkBody has validated every attribute; the guard only restates it for the types */
  return isCreateUserBody(value) ? succeed(value) : fail(internalError());
}

/** 24 lower-case hex digits, like the MongoDB ObjectIds Auth0 uses. */
function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** A new bare id from the caller's `generateId` (or a random one): a string, or refused. */
function generatedId(options: CreateUserOptions): string {
  const id: unknown = callback(options.generateId ?? randomId);
  if (typeof id !== 'string') throw new TypeError('generateId() must return a string');
  return id;
}

/** Auth0's default picture: a Gravatar URL falling back to an avatar with the name's first two letters. */
export function gravatarUrl(email: string, name: string): string {
  // Two characters, not two UTF-16 units: half an emoji would make `encodeURIComponent` throw.
  const letters = toWellFormed(firstCharacters(name, 2)).toLowerCase();
  const initials = encodeURIComponent(`https://cdn.auth0.com/avatars/${letters}.png`);
  return `https://s.gravatar.com/avatar/${md5Hex(email.trim().toLowerCase())}?s=480&r=pg&d=${initials}`;
}

/**
 * Creates a user from a POST /api/v2/users body, exactly as Auth0 stores it.
 *
 * `user_id` is `auth0|` plus 24 hex digits (or plus the `user_id` sent); `identities` holds the
 * database identity; `created_at` equals `updated_at`; `name` defaults to the email, `nickname` to
 * its local part, `picture` to a Gravatar URL, `email_verified` to `false`. Metadata is stored as
 * sent (no merge); `user_metadata: {}` is kept, `app_metadata: {}` is not. The password is
 * validated but never part of the user.
 *
 * @param body - The parsed JSON body (validated here). The metadata types of the user are the ones
 *   you name (`createUser<Preferences>(...)`), never inferred from the body: a user made from
 *   `{ user_metadata: { a: 1 } }` can be patched with any key.
 * @param options - `now`, the clock; `generateId`, the source of the 24-hex id.
 * @returns The new user, or the issues that make Auth0 reject the body.
 * @example
 * const result = createUser(
 *   { connection: 'Username-Password-Authentication', email: 'jane.doe@example.com', password: 'Pw1!xxxx',
 *     user_metadata: { hobby: 'surfing' } },
 *   { now: () => new Date('2026-01-01T00:00:00.000Z'), generateId: () => '0123456789abcdef01234567' },
 * );
 * result.success && result.value.user_id;
 * // => 'auth0|0123456789abcdef01234567'
 * result.success && result.value.nickname;
 * // => 'jane.doe'
 * @see https://auth0.com/docs/api/management/v2/users/post-users
 */
export function createUser<UserMetadata extends Metadata = JsonObject, AppMetadata extends Metadata = JsonObject>(
  body: CreateUserBody<NoInfer<UserMetadata>, NoInfer<AppMetadata>>,
  options?: CreateUserOptions,
): Result<User<UserMetadata, AppMetadata>>;
export function createUser(body: unknown, options?: CreateUserOptions): Result<User>;
export function createUser(body: unknown, options: CreateUserOptions = {}): Result<User<Metadata, Metadata>> {
  return safely(() => buildUser(body, options));
}

/** @internal {@link createUser}, unwrapped (the stored metadata is the body's, hence the same overload). */
export function buildUser(body: unknown, options: CreateUserOptions): Result<User>;
export function buildUser(body: unknown, options: CreateUserOptions): Result<User<Metadata, Metadata>> {
  const validated = checkCreateUser(body);
  if (!validated.success) return validated;
  const input = validated.value;
  const now = timestamp(options);
  // Rule 24: the id, the identity, the defaults.
  const bareId = input.user_id ?? generatedId(options);
  const email = input.email;
  const name = input.name ?? email;
  const identity: Identity = Object.freeze({
    connection: input.connection,
    user_id: bareId,
    provider: DATABASE_PROVIDER,
    isSocial: false,
  });
  const defaults = {
    email_verified: false,
    name,
    nickname: email.slice(0, Math.max(email.indexOf('@'), 0)),
    picture: gravatarUrl(email, name),
  };
  const fields: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(input)) {
    // ATTRIBUTES[key].stored (rule 24); metadata as sent, an empty one per METADATA[key].whenEmpty (rule 23).
    if (!isAttributeName(key) || !ATTRIBUTES[key].stored) continue;
    if (isMetadataKey(key) && METADATA[key].whenEmpty === 'removed' && Object.keys(value).length === 0) continue;
    setOwn(fields, key, value);
  }
  const identities = Object.freeze([identity]);
  setOwn(fields, 'identities', identities);
  // TIMESTAMPS.created equals TIMESTAMPS.updated (rule 24).
  setOwn(fields, TIMESTAMPS.created, now);
  setOwn(fields, TIMESTAMPS.updated, now);
  // Auth0 answers with `user_id` first, the rest alphabetical, METADATA[key].lastOnCreate last (rule 24).
  const ordered: Record<string, unknown> = {};
  const order = Object.keys(fields).sort((left, right) => rank(left) - rank(right) || (left < right ? -1 : 1));
  for (const key of order) setOwn(ordered, key, getOwn(fields, key));
  // The typed keys below already exist in `ordered`, so they keep its order.
  const user: User<Metadata, Metadata> = {
    user_id: `${DATABASE_USER_ID_PREFIX}${bareId}`,
    ...ordered,
    identities,
    created_at: now,
    updated_at: now,
  };
  return checkProfileSize(Object.freeze(user));
}

function rank(key: string): number {
  return isMetadataKey(key) && METADATA[key].lastOnCreate ? 1 : 0;
}
