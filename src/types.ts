// The JSON types and the two type helpers below are this project's own, a few lines each, so that
// the published declarations import nothing: a consumer's compiler reads only this package's files.

/** Any JSON primitive. */
export type JsonPrimitive = string | number | boolean | null;

/** Any JSON object: string keys, JSON values. */
export type JsonObject = { [key: string]: JsonValue };

/** Any JSON array, mutable or readonly. */
export type JsonArray = JsonValue[] | readonly JsonValue[];

/** Any JSON value. */
export type JsonValue = JsonPrimitive | JsonObject | JsonArray;

/**
 * `Value` with every property and array element readonly, at every depth; primitives and
 * functions are left as they are.
 */
export type DeepReadonly<Value> = Value extends (...args: never[]) => unknown
  ? Value
  : Value extends readonly (infer Item)[]
    ? number extends Value['length']
      ? readonly DeepReadonly<Item>[]
      : { readonly [Index in keyof Value]: DeepReadonly<Value[Index]> }
    : Value extends object
      ? { readonly [Key in keyof Value]: DeepReadonly<Value[Key]> }
      : Value;

/** Flattens an intersection into one object type, so that hovers and errors show its properties. */
export type Simplify<Value> = { [Key in keyof Value]: Value[Key] } & {};

/** The shape of `user_metadata` or `app_metadata`: any object type (an interface works too). */
export type Metadata = object;

/**
 * Metadata as a stored user holds it: every first-level key may be absent (any PATCH can delete
 * any key with `null`), and nothing in it may be changed in place.
 *
 * @typeParam Shape - The metadata shape declared by the caller.
 */
export type StoredMetadata<Shape extends Metadata> = { readonly [Key in keyof Shape]?: DeepReadonly<Shape[Key]> };

/**
 * The stored metadata a user type declares under `Key`, as a PATCH leaves it: partial and
 * deep-readonly ({@link StoredMetadata}). A type already in that form (a {@link User}'s or a
 * {@link StoredUser}'s metadata) is kept as it is, so that hovers read `StoredMetadata<Preferences>`.
 */
export type StoredMetadataOf<Stored, Key extends MetadataName> =
  (<Probe>() => Probe extends StoredMetadata<DeclaredMetadata<Stored, Key>> ? 1 : 2) extends <
    Probe,
  >() => Probe extends DeclaredMetadata<Stored, Key> ? 1 : 2
    ? DeclaredMetadata<Stored, Key>
    : StoredMetadata<DeclaredMetadata<Stored, Key>>;

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
 * Where {@link applyPatch} and {@link analyzePatch} read the metadata shapes of their `user`
 * argument: `UserMetadata` and `AppMetadata` are inferred from the user's `user_metadata` and
 * `app_metadata` (any JSON object when it declares none). A generic helper's
 * `U extends StoredUser<Meta>` is read through its constraint, so the patch it builds is checked
 * against `Meta`.
 */
export interface MetadataHolder<UserMetadata extends Metadata, AppMetadata extends Metadata> {
  readonly user_metadata?: StoredMetadata<UserMetadata> | null;
  readonly app_metadata?: StoredMetadata<AppMetadata> | null;
}

/**
 * The `user` argument of {@link applyPatch} and {@link analyzePatch}: any object. When its type
 * declares its metadata as objects, they are read as a {@link MetadataHolder}; a type whose
 * metadata is something else (`unknown`, say: stored data not looked at yet) is taken as it is,
 * its metadata open, and checked at run time.
 */
export type UserArgument<Stored, UserMetadata extends Metadata, AppMetadata extends Metadata> = Stored &
  (Stored extends { readonly user_metadata?: object | null; readonly app_metadata?: object | null }
    ? MetadataHolder<UserMetadata, AppMetadata>
    : unknown);

/**
 * Whether a metadata shape is open (takes any key, as {@link JsonObject} does): `true` or `false`.
 */
export type IsOpenMetadata<Shape> = string extends keyof Shape ? true : false;

/**
 * The PATCH body {@link applyPatch} and {@link analyzePatch} take for a user whose metadata shapes
 * are `UserMetadata` and `AppMetadata`: always a {@link UserPatch} of those shapes (root attributes
 * checked by name and type, metadata by its shape). A body typed `unknown` (parsed JSON, not looked
 * at yet) is taken too when both shapes are open, and validated at run time; a typed user's body
 * must be a `UserPatch` of its shapes.
 *
 * @typeParam Body - The type of the body passed (inferred); only `unknown` matters.
 */
export type PatchArgument<UserMetadata extends Metadata, AppMetadata extends Metadata, Body> =
  | ([Body] extends [CheckedPatch] ? CheckedPatch : NoInfer<UserPatch<UserMetadata, AppMetadata>>)
  | (unknown extends Body
      ? [IsOpenMetadata<UserMetadata>, IsOpenMetadata<AppMetadata>] extends [true, true]
        ? Body
        : never
      : never);

/**
 * The user {@link applyPatch} returns for a stored user of type `Stored`: every attribute the
 * caller's type has, kept as it was declared, `updated_at` set, and the metadata as stored metadata
 * (partial and deep-readonly).
 */
export type PatchedUser<Stored> = Simplify<
  Omit<Stored, MetadataName | 'updated_at'> & {
    readonly updated_at: string;
    readonly user_metadata?: StoredMetadataOf<Stored, 'user_metadata'>;
    readonly app_metadata?: StoredMetadataOf<Stored, 'app_metadata'>;
  }
>;

/** What {@link selectFields} returns for a stored user of type `Stored`: any of its attributes, metadata partial. */
export type ProjectedUser<Stored> = Simplify<
  Partial<Omit<Stored, MetadataName>> & {
    readonly user_metadata?: StoredMetadataOf<Stored, 'user_metadata'>;
    readonly app_metadata?: StoredMetadataOf<Stored, 'app_metadata'>;
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

/** The brand of a {@link CheckedPatch}: a type only, nothing of it runs. */
declare const checkedPatch: unique symbol;

/**
 * A PATCH body {@link validatePatch} has checked: made there and only there (no cast makes one),
 * deep-frozen, and taken by {@link applyPatch} and {@link analyzePatch} without walking it again.
 * It claims nothing about the metadata's shape (any JSON object was accepted), so a typed user
 * patched with it comes back with open metadata ({@link PatchedUser} of {@link OpenedUser}).
 */
export interface CheckedPatch extends UserPatch {
  readonly [checkedPatch]: true;
}

/** `Stored` with open metadata: what a {@link CheckedPatch} leaves of a typed user's metadata type. */
export type OpenedUser<Stored> = Simplify<
  Omit<Stored, MetadataName> & {
    readonly user_metadata?: StoredMetadata<JsonObject>;
    readonly app_metadata?: StoredMetadata<JsonObject>;
  }
>;

/**
 * The user {@link applyPatch} returns for a user of type `Stored` patched with a body of type
 * `Body`: {@link PatchedUser} of the user, or of its {@link OpenedUser} for a {@link CheckedPatch}.
 */
export type PatchResultUser<Stored, Body> = [Body] extends [CheckedPatch]
  ? PatchedUser<OpenedUser<Stored>>
  : PatchedUser<Stored>;

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
  readonly include_fields?: boolean | string | null | undefined;
}

/**
 * The names {@link selectFields} can select on a stored user of type `Stored`: its root attributes,
 * and `user_metadata.<key>` / `app_metadata.<key>` for the keys its metadata declares (any key when
 * the metadata is open, or when the type takes any attribute).
 */
export type FieldName<Stored> =
  | (keyof Stored & string)
  | `user_metadata.${keyof DeclaredMetadata<Stored, 'user_metadata'> & string}`
  | `app_metadata.${keyof DeclaredMetadata<Stored, 'app_metadata'> & string}`;

/** Whitespace {@link selectFields} trims around a name. */
export type FieldNameBlank = ' ' | '\t' | '\n' | '\r';

/** `Name` without the whitespace around it. */
export type TrimmedFieldName<Name extends string> = Name extends `${FieldNameBlank}${infer Rest}`
  ? TrimmedFieldName<Rest>
  : Name extends `${infer Rest}${FieldNameBlank}`
    ? TrimmedFieldName<Rest>
    : Name;

/** The trimmed names of a comma-separated list. */
export type ListedFieldNames<
  List extends string,
  Names extends string = never,
> = List extends `${infer Head},${infer Rest}`
  ? ListedFieldNames<Rest, Names | TrimmedFieldName<Head>>
  : Names | TrimmedFieldName<List>;

/** The names of a literal list that are not fields of `Stored` (`never` when all are). */
export type UnknownFieldNames<Stored, Names extends string> = Exclude<Names, FieldName<Stored> | ''>;

/**
 * A comma-separated list of names, checked: a literal must name fields of `Stored` (see
 * {@link FieldName}); a `string` that is not a literal is taken as it is, as a URL carries it.
 */
export type CheckedFieldList<Stored, List extends string> = string extends List
  ? List
  : [UnknownFieldNames<Stored, ListedFieldNames<List>>] extends [never]
    ? List
    : `${UnknownFieldNames<Stored, ListedFieldNames<List>>} is not a field of this user`;

/** A literal array of names (`as const`), each checked as {@link CheckedFieldList} checks a list. */
export type ListedFields<Stored, Fields extends readonly string[]> = {
  readonly [Index in keyof Fields]: CheckedFieldList<Stored, Fields[Index]>;
};

/**
 * The `fields` {@link selectFields} takes for a stored user of type `Stored`: a literal string, or
 * an array written `as const`, must name its fields (see {@link FieldName}); a `string` or
 * `string[]` that is not a literal is taken as it is.
 */
export type FieldsFor<Stored, Fields> = Fields extends string
  ? CheckedFieldList<Stored, Fields>
  : Fields extends readonly string[]
    ? NoInfer<ListedFields<Stored, Fields>>
    : Fields;

/** The `include_fields` {@link selectFields} takes: a literal must be `true`/`false` or `"true"`/`"false"`. */
export type IncludeFieldsFor<Include> = Include extends string
  ? string extends Include
    ? Include
    : Include extends 'true' | 'false'
      ? Include
      : 'true' | 'false'
  : Include;

/** The query {@link selectFields} takes for a stored user of type `Stored`: a {@link FieldQuery} whose literals are checked. */
export interface FieldQueryFor<Stored, Fields, Include> {
  /** See {@link FieldQuery.fields}; a literal list must name fields of the user ({@link FieldsFor}). */
  readonly fields?: FieldsFor<Stored, Fields>;
  /** See {@link FieldQuery.include_fields}. */
  readonly include_fields?: IncludeFieldsFor<Include>;
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
