/**
 * The root attributes of Auth0's users endpoints, as data: one row per attribute with its JSON
 * schema facts (type, nullability, lengths, pattern, format), where it may be sent, whether a user
 * keeps it, and Auth0's own description of it. Rule numbers are those of docs/rules.md;
 * the schema facts come from Auth0's Management API OpenAPI document.
 */
import { deepFreeze } from '../internal/freeze.js';
import { DATABASE_PROVIDER, USER_ID_SEPARATOR } from './seeds.js';

/** Every root attribute a create or update body may carry. */
export type AttributeName =
  | 'blocked'
  | 'email_verified'
  | 'email'
  | 'phone_number'
  | 'phone_verified'
  | 'user_metadata'
  | 'app_metadata'
  | 'given_name'
  | 'family_name'
  | 'name'
  | 'nickname'
  | 'picture'
  | 'verify_email'
  | 'verify_phone_number'
  | 'password'
  | 'connection'
  | 'client_id'
  | 'username'
  | 'user_id';

/** What Auth0 knows about one root attribute. */
export interface AttributeRule {
  /** Its JSON type in Auth0's schema. */
  readonly type: 'string' | 'boolean' | 'object';
  /** Whether `null` is accepted (and, on PATCH, unsets the attribute: rule 7). */
  readonly nullable: boolean;
  /** Fewest characters (Unicode code points), as JSON-schema `minLength` counts them. */
  readonly minLength?: number;
  /** Most characters (Unicode code points). */
  readonly maxLength?: number;
  /** The JSON-schema `pattern` the value must match (its source, as Auth0 quotes it). */
  readonly pattern?: string;
  /** The JSON-schema `format` the value must pass. */
  readonly format?: 'email';
  /** Whether Auth0 stores the value lower-cased (rule 15). */
  readonly lowerCased: boolean;
  /** Whether PATCH /api/v2/users/{id} accepts it (rule 7). */
  readonly patchable: boolean;
  /** Whether POST /api/v2/users accepts it (rule 23). */
  readonly creatable: boolean;
  /** Whether a user keeps it as sent; `false` for request-only helpers such as `password` (rules 7, 24). */
  readonly stored: boolean;
  /** Auth0's description, quoted in its validation messages (without a final period, as Auth0 quotes it). */
  readonly description: string;
  /** The rules of docs/rules.md this row restates. */
  readonly spec: string;
}

const flag = { nullable: false, lowerCased: false, patchable: true, creatable: true, stored: true } as const;
const text = (description: string, extra: Partial<AttributeRule> = {}): AttributeRule => ({
  type: 'string',
  ...flag,
  description,
  spec: 'rules 7, 11',
  ...extra,
});
const boolean = (description: string, extra: Partial<AttributeRule> = {}): AttributeRule => ({
  type: 'boolean',
  ...flag,
  description,
  spec: 'rule 7',
  ...extra,
});
/** A helper that steers the request but never becomes part of the user (rule 7). */
const requestOnly = { stored: false } as const;

/**
 * Every root attribute, in the order of Auth0's PATCH schema (`user_id`, which only create
 * accepts, last). The one home of the attribute facts: validation, merging, diffing and error
 * messages all read this table.
 */
export const ATTRIBUTES: Readonly<Record<AttributeName, AttributeRule>> = /* @__PURE__ */ deepFreeze({
  blocked: boolean('Whether this user was blocked by an administrator (true) or not (false)'),
  email_verified: boolean(
    'Whether this email address is verified (true) or unverified (false). If set to false the user will not receive a verification email unless `verify_email` is set to true',
  ),
  email: text('Email address of this user', { format: 'email', lowerCased: true, spec: 'rules 7, 15' }),
  phone_number: text("The user's phone number (following the E.164 recommendation)", {
    nullable: true,
    pattern: '^\\+[0-9]{1,15}$',
  }),
  phone_verified: boolean('Whether this phone number has been verified (true) or not (false)'),
  user_metadata: {
    type: 'object',
    ...flag,
    description: 'User metadata to which this user has read/write access',
    spec: 'rules 1-6, 16, 18',
  },
  app_metadata: {
    type: 'object',
    ...flag,
    description: 'User metadata to which this user has read-only access',
    spec: 'rules 1-6, 16-18',
  },
  given_name: text('Given name/first name/forename of this user', { nullable: true, minLength: 1, maxLength: 150 }),
  family_name: text('Family name/last name/surname of this user', { nullable: true, minLength: 1, maxLength: 150 }),
  name: text('Name of this user', { nullable: true, minLength: 1, maxLength: 300 }),
  nickname: text('Preferred nickname or alias of this user', { nullable: true, minLength: 1, maxLength: 300 }),
  picture: text('URL to picture, photo, or avatar of this user', { nullable: true }),
  verify_email: boolean(
    'Whether this user will receive a verification email after creation (true) or no email (false). Overrides behavior of `email_verified` parameter',
    requestOnly,
  ),
  verify_phone_number: boolean(
    'Whether this user will receive a text after changing the phone number (true) or no text (false). Only valid when changing phone number for SMS connections',
    { ...requestOnly, creatable: false },
  ),
  password: text('New password for this user. Only valid for database connections', {
    ...requestOnly,
    minLength: 1,
    spec: 'rules 7, 23',
  }),
  connection: text(
    'The connection name. This field is not itself updateable but is needed when updating email, email_verified, username or password',
    { ...requestOnly, minLength: 1 },
  ),
  client_id: text('Auth0 client ID. Only valid when updating email address', { ...requestOnly, creatable: false }),
  username: text("The user's username. Only valid if the connection requires a username", {
    nullable: true,
    minLength: 1,
    maxLength: 128,
  }),
  // Create only: the id without its `auth0|` prefix, which the stored `user_id` gets (rule 24).
  user_id: text('The id of the user, without the `auth0|` prefix', {
    ...requestOnly,
    patchable: false,
    minLength: 1,
    maxLength: 255,
    spec: 'rule 24',
  }),
});

/** Whether `key` is a row of {@link ATTRIBUTES}. */
export function isAttributeName(key: string): key is AttributeName {
  return Object.hasOwn(ATTRIBUTES, key);
}

function attributesWhere(test: (rule: AttributeRule) => boolean): readonly AttributeName[] {
  return Object.freeze(
    Object.keys(ATTRIBUTES)
      .filter(isAttributeName)
      .filter((name) => test(ATTRIBUTES[name])),
  );
}

/** Attributes a PATCH /api/v2/users/{id} body may carry, in Auth0's schema order (rule 7). */
export const PATCHABLE_ATTRIBUTES: readonly AttributeName[] = /* @__PURE__ */ attributesWhere((rule) => rule.patchable);

/** Attributes a POST /api/v2/users body may carry (rule 23). */
export const CREATABLE_ATTRIBUTES: readonly AttributeName[] = /* @__PURE__ */ attributesWhere((rule) => rule.creatable);

/** Attributes that steer a request but are never stored on the user as sent (rules 7, 24). */
export const REQUEST_ONLY_ATTRIBUTES: readonly AttributeName[] = /* @__PURE__ */ attributesWhere(
  (rule) => !rule.stored,
);

/**
 * Attributes POST /api/v2/users requires, in the order their absence is reported: `connection`
 * by the schema, `email` and `password` because every connection here is a database one (rule 23).
 */
export const CREATE_REQUIRED_ATTRIBUTES: readonly AttributeName[] = /* @__PURE__ */ Object.freeze([
  'connection',
  'email',
  'password',
]);

/** Pairs of attributes Auth0 refuses to change in one PATCH, in the order it checks them (rule 12). */
export const CONFLICTING_ATTRIBUTES: readonly (readonly [AttributeName, AttributeName])[] = /* @__PURE__ */ deepFreeze([
  ['password', 'email'],
  ['password', 'email_verified'],
  ['username', 'email'],
  ['username', 'email_verified'],
  ['username', 'password'],
]);

/** The timestamps Auth0 writes itself, never taken from a body (rules 13, 24). */
export const TIMESTAMPS: {
  /** Set once, on create; equal to `updated_at` then (rule 24). */
  readonly created: 'created_at';
  /** Set by every successful write (rule 13). */
  readonly updated: 'updated_at';
  /** Set by a PATCH that changes the password (rule 7). */
  readonly passwordReset: 'last_password_reset';
} = Object.freeze({ created: 'created_at', updated: 'updated_at', passwordReset: 'last_password_reset' });

/** The prefix of the `user_id` of a database user; the identity's own `user_id` lacks it (rules 22, 24). */
export const DATABASE_USER_ID_PREFIX: string = `${DATABASE_PROVIDER}${USER_ID_SEPARATOR}`;
