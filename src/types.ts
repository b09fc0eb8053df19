/** A JSON primitive. */
export type JsonPrimitive = string | number | boolean | null;

/** A JSON object: string keys, JSON values (a key may also be declared optional). */
export type JsonObject = { [Key in string]: JsonValue } & { [Key in string]?: JsonValue | undefined };

/** A JSON array, mutable or readonly. */
export type JsonArray = JsonValue[] | readonly JsonValue[];

/** Any JSON value. */
export type JsonValue = JsonPrimitive | JsonObject | JsonArray;

/** The shape of `user_metadata` or `app_metadata`: any object type (an interface works too). */
export type Metadata = object;

/** One identity linked to a user; users created here have one, on a database connection. */
export interface Identity {
  readonly connection: string;
  /** The id without the provider prefix (`auth0|` is not part of it). */
  readonly user_id: string;
  readonly provider: string;
  readonly isSocial: boolean;
}

/**
 * A stored Auth0 user, as the Management API returns it.
 *
 * @typeParam UserMetadata - The shape of `user_metadata` (any JSON object by default).
 * @typeParam AppMetadata - The shape of `app_metadata` (any JSON object by default).
 */
export interface User<UserMetadata extends Metadata = JsonObject, AppMetadata extends Metadata = JsonObject> {
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
  /** Absent until first set; `{}` once cleared. */
  readonly user_metadata?: Readonly<UserMetadata>;
  /** Absent until first set, and absent again once empty. */
  readonly app_metadata?: Readonly<AppMetadata>;
}

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
  readonly include_fields?: boolean | 'true' | 'false' | string | null | undefined;
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
