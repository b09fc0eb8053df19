import type { JsonObject, LiteralUnion, ReadonlyDeep, Simplify } from 'type-fest';

// The JSON types are type-fest's (a types-only dependency: nothing of it runs).
export type { JsonArray, JsonObject, JsonPrimitive, JsonValue } from 'type-fest';

/** The shape of `user_metadata` or `app_metadata`: any object type (an interface works too). */
export type Metadata = object;

/**
 * Metadata as a stored user holds it: every first-level key may be absent (any PATCH can delete
 * any key with `null`), and nothing in it may be changed in place.
 *
 * @typeParam Shape - The metadata shape declared by the caller.
 */
export type StoredMetadata<Shape extends Metadata> = ReadonlyDeep<Partial<Shape>>;

/** The two metadata attributes. */
export type MetadataName = 'user_metadata' | 'app_metadata';

/**
 * The metadata shape a user type declares under `Key`: what its stored metadata holds, or any JSON
 * object when the type declares none (or something that is not an object).
 */
export type DeclaredMetadata<Stored, Key extends MetadataName> = Key extends keyof Stored
  ? Exclude<Stored[Key], undefined> extends infer Shape
    ? Shape extends Metadata
      ? Shape
      : JsonObject
    : JsonObject
  : JsonObject;

/**
 * Any stored user: the attributes this library reads (the metadata) typed, every other attribute
 * whatever the caller's users have. Users from GET /api/v2/users/{id}, fixtures and other
 * emulators' shapes all fit, and so does {@link User}.
 *
 * @typeParam UserMetadata - The shape of `user_metadata` (any JSON object by default).
 * @typeParam AppMetadata - The shape of `app_metadata` (any JSON object by default).
 */
export interface StoredUser<UserMetadata extends Metadata = JsonObject, AppMetadata extends Metadata = JsonObject> {
  /** Any other attribute, as the caller's users hold it: kept as it is. */
  readonly [attribute: string]: unknown;
  readonly user_metadata?: StoredMetadata<UserMetadata>;
  readonly app_metadata?: StoredMetadata<AppMetadata>;
}

/** A validated PATCH body for a stored user of type `Stored`, typed by the metadata it declares. */
export type PatchOf<Stored> = UserPatch<
  DeclaredMetadata<Stored, 'user_metadata'>,
  DeclaredMetadata<Stored, 'app_metadata'>
>;

/**
 * The PATCH body a function takes for a stored user of type `Stored`. When the type declares its
 * metadata key by key (an interface, or a literal's inferred type), the body must fit it: a value of
 * another type, or a key the shape lacks, is a compile error. When both metadata are open (any JSON
 * object, the default), any value is taken, as parsed from JSON, and validated at run time.
 */
export type PatchFor<Stored> = [
  // Open shapes take any key (`string extends keyof Shape`, as with `JsonObject`).
  string extends keyof DeclaredMetadata<Stored, 'user_metadata'> ? true : false,
  string extends keyof DeclaredMetadata<Stored, 'app_metadata'> ? true : false,
] extends [true, true]
  ? unknown
  : PatchOf<Stored>;

/**
 * The user {@link applyPatch} returns for a stored user of type `Stored`: every attribute the
 * caller's type has, kept as it was declared, `updated_at` set, and the metadata as stored metadata
 * (partial and deep-readonly).
 */
export type PatchedUser<Stored> = Simplify<
  Omit<Stored, MetadataName | 'updated_at'> & {
    readonly updated_at: string;
    readonly user_metadata?: StoredMetadata<DeclaredMetadata<Stored, 'user_metadata'>>;
    readonly app_metadata?: StoredMetadata<DeclaredMetadata<Stored, 'app_metadata'>>;
  }
>;

/** What {@link selectFields} returns for a stored user of type `Stored`: any of its attributes, metadata partial. */
export type ProjectedUser<Stored> = Simplify<
  Partial<Omit<Stored, MetadataName>> & {
    readonly user_metadata?: StoredMetadata<DeclaredMetadata<Stored, 'user_metadata'>>;
    readonly app_metadata?: StoredMetadata<DeclaredMetadata<Stored, 'app_metadata'>>;
  }
>;

/** One identity linked to a user; users created here have one, on a database connection. */
export interface Identity {
  readonly connection: string;
  /** The id without the provider prefix (`auth0|` is not part of it). */
  readonly user_id: string;
  readonly provider: string;
  readonly isSocial: boolean;
}

/**
 * A stored Auth0 user, as the Management API returns it (and as this library makes them). A type
 * alias, not an interface, so that every `User` is also a {@link StoredUser}.
 *
 * @typeParam UserMetadata - The shape of `user_metadata` (any JSON object by default).
 * @typeParam AppMetadata - The shape of `app_metadata` (any JSON object by default).
 */
export type User<UserMetadata extends Metadata = JsonObject, AppMetadata extends Metadata = JsonObject> = {
  /** `auth0|` followed by 24 hex digits, or by the id given on create. */
  readonly user_id: string;
  readonly email?: string;
  readonly email_verified?: boolean;
  readonly username?: string;
  readonly phone_number?: string;
  readonly phone_verified?: boolean;
  readonly given_name?: string;
  readonly family_name?: string;
  readonly name?: string;
  readonly nickname?: string;
  readonly picture?: string;
  /** Present only once set. */
  readonly blocked?: boolean;
  readonly identities: readonly Identity[];
  /** ISO-8601 UTC with milliseconds. */
  readonly created_at: string;
  /** ISO-8601 UTC with milliseconds; set by every successful PATCH. */
  readonly updated_at: string;
  /** Set when a PATCH changes the password. */
  readonly last_password_reset?: string;
  /** ISO-8601 UTC: the last successful login; absent before the first (rule 34). */
  readonly last_login?: string;
  /** The address the last successful login came from; absent before the first (rule 34). */
  readonly last_ip?: string;
  /** How many times the user logged in; absent before the first login (rule 34). */
  readonly logins_count?: number;
  /** Absent until first set; `{}` once cleared. */
  readonly user_metadata?: StoredMetadata<UserMetadata>;
  /** Absent until first set, and absent again once empty. */
  readonly app_metadata?: StoredMetadata<AppMetadata>;
};

/**
 * First-level changes to one metadata object: a value replaces the stored key wholesale, `null`
 * deletes it. An empty object `{}` clears the whole metadata.
 */
export type MetadataPatch<Shape extends Metadata = JsonObject> = {
  readonly [Key in keyof Shape]?: Shape[Key] | null;
};

/**
 * A validated PATCH /api/v2/users/{id} body.
 *
 * @typeParam UserMetadata - The shape of `user_metadata`.
 * @typeParam AppMetadata - The shape of `app_metadata`.
 */
export interface UserPatch<UserMetadata extends Metadata = JsonObject, AppMetadata extends Metadata = JsonObject> {
  readonly blocked?: boolean;
  readonly email?: string;
  readonly email_verified?: boolean;
  readonly phone_number?: string | null;
  readonly phone_verified?: boolean;
  readonly user_metadata?: MetadataPatch<UserMetadata>;
  readonly app_metadata?: MetadataPatch<AppMetadata>;
  readonly given_name?: string | null;
  readonly family_name?: string | null;
  readonly name?: string | null;
  readonly nickname?: string | null;
  readonly picture?: string | null;
  readonly verify_email?: boolean;
  readonly verify_phone_number?: boolean;
  readonly password?: string;
  readonly connection?: string;
  readonly client_id?: string;
  readonly username?: string | null;
}

/**
 * A validated POST /api/v2/users body.
 *
 * @typeParam UserMetadata - The shape of `user_metadata`.
 * @typeParam AppMetadata - The shape of `app_metadata`.
 */
export interface CreateUserBody<UserMetadata extends Metadata = JsonObject, AppMetadata extends Metadata = JsonObject> {
  readonly connection: string;
  readonly email?: string;
  readonly password?: string;
  readonly user_id?: string;
  readonly username?: string;
  readonly phone_number?: string;
  readonly phone_verified?: boolean;
  readonly email_verified?: boolean;
  readonly verify_email?: boolean;
  readonly blocked?: boolean;
  readonly given_name?: string;
  readonly family_name?: string;
  readonly name?: string;
  readonly nickname?: string;
  readonly picture?: string;
  readonly user_metadata?: Readonly<UserMetadata>;
  readonly app_metadata?: Readonly<AppMetadata>;
}

/** The `fields` and `include_fields` query parameters of GET /api/v2/users/{id}, raw or typed. */
export interface FieldQuery {
  /** Comma-separated names (`"email,user_metadata"`) or a list of names. Empty or absent: all fields. */
  readonly fields?: string | readonly string[] | null | undefined;
  /** `true` keeps only the listed fields, `false` removes them; `"true"`/`"false"` as sent in a URL. Default `true`. */
  readonly include_fields?: boolean | LiteralUnion<'true' | 'false', string> | null | undefined;
}

/**
 * The clock and id source a write uses; both injectable for tests. They are your code, not input:
 * whatever they throw is thrown to you unchanged, never turned into an issue.
 */
export interface WriteOptions {
  /** The current time. Default: `new Date()`. */
  readonly now?: () => Date;
}

/** Options of {@link createUser}. */
export interface CreateUserOptions extends WriteOptions {
  /** A fresh id: 24 lower-case hex digits. Default: random from `crypto.getRandomValues`. */
  readonly generateId?: () => string;
}
