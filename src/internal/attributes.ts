import type { Issue } from '../issues.js';
import { typeName } from './object.js';

/** The JSON-schema facts Auth0 validates a root attribute against. */
export interface AttributeSchema {
  readonly type: 'string' | 'boolean' | 'object';
  readonly nullable: boolean;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: RegExp;
  readonly format?: 'email';
  /** Auth0's description, quoted in its validation messages. */
  readonly description: string;
}

const string = (description: string, extra: Partial<AttributeSchema> = {}): AttributeSchema => ({
  type: 'string',
  nullable: false,
  description,
  ...extra,
});
const boolean = (description: string): AttributeSchema => ({ type: 'boolean', nullable: false, description });

/** Phone numbers follow E.164. */
export const PHONE_NUMBER_PATTERN: RegExp = /^\+[0-9]{1,15}$/;

/** Loose email check: something, `@`, something, no white space. Auth0's own format check is not public. */
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+$/;

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

/**
 * Auth0's descriptions of the attributes, quoted in its validation messages. As in Auth0's own
 * messages (`... on property connection (The connection name. ... or password).`), they carry no
 * final period.
 */
export const ATTRIBUTES: Readonly<Record<AttributeName, AttributeSchema>> = {
  blocked: boolean('Whether this user was blocked by an administrator (true) or not (false)'),
  email_verified: boolean(
    'Whether this email address is verified (true) or unverified (false). If set to false the user will not receive a verification email unless `verify_email` is set to true',
  ),
  email: string('Email address of this user', { format: 'email' }),
  phone_number: string("The user's phone number (following the E.164 recommendation)", {
    nullable: true,
    pattern: PHONE_NUMBER_PATTERN,
  }),
  phone_verified: boolean('Whether this phone number has been verified (true) or not (false)'),
  user_metadata: {
    type: 'object',
    nullable: false,
    description: 'User metadata to which this user has read/write access',
  },
  app_metadata: {
    type: 'object',
    nullable: false,
    description: 'User metadata to which this user has read-only access',
  },
  given_name: string('Given name/first name/forename of this user', { nullable: true, minLength: 1, maxLength: 150 }),
  family_name: string('Family name/last name/surname of this user', { nullable: true, minLength: 1, maxLength: 150 }),
  name: string('Name of this user', { nullable: true, minLength: 1, maxLength: 300 }),
  nickname: string('Preferred nickname or alias of this user', { nullable: true, minLength: 1, maxLength: 300 }),
  picture: string('URL to picture, photo, or avatar of this user', { nullable: true }),
  verify_email: boolean(
    'Whether this user will receive a verification email after creation (true) or no email (false). Overrides behavior of `email_verified` parameter',
  ),
  verify_phone_number: boolean(
    'Whether this user will receive a text after changing the phone number (true) or no text (false). Only valid when changing phone number for SMS connections',
  ),
  password: string('New password for this user. Only valid for database connections', { minLength: 1 }),
  connection: string(
    'The connection name. This field is not itself updateable but is needed when updating email, email_verified, username or password',
    { minLength: 1 },
  ),
  client_id: string('Auth0 client ID. Only valid when updating email address'),
  username: string("The user's username. Only valid if the connection requires a username", {
    nullable: true,
    minLength: 1,
    maxLength: 128,
  }),
  user_id: string('The id of the user, without the `auth0|` prefix', { minLength: 1, maxLength: 255 }),
};

/** Attributes that steer a request but are never stored on the user. */
export const REQUEST_ONLY_ATTRIBUTES: ReadonlySet<string> = new Set([
  'password',
  'verify_email',
  'verify_phone_number',
  'connection',
  'client_id',
]);

/** Counts Unicode code points, as JSON-schema `minLength`/`maxLength` do. */
export function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}

/** Checks one root attribute value against its schema; `object` attributes are only type-checked here. */
export function checkAttribute(key: string, schema: AttributeSchema, value: unknown): Issue | undefined {
  const path = [key];
  const received = typeName(value);
  if (value === null && schema.nullable) return undefined;
  const typeMatches =
    schema.type === 'object'
      ? received === 'object'
      : schema.type === 'boolean'
        ? received === 'boolean'
        : received === 'string';
  if (!typeMatches) {
    const expected = schema.nullable ? `${schema.type},null` : schema.type;
    return {
      code: 'invalid_type',
      path,
      expected,
      received,
      message: `Expected type ${expected} but found type ${received}`,
    };
  }
  if (typeof value !== 'string') return undefined;
  const length = codePointLength(value);
  if (schema.minLength !== undefined && length < schema.minLength) {
    const message = `String is too short (${length} chars), minimum ${schema.minLength}`;
    return { code: 'too_short', path, length, minimum: schema.minLength, message };
  }
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    const message = `String is too long (${length} chars), maximum ${schema.maxLength}`;
    return { code: 'too_long', path, length, maximum: schema.maxLength, message };
  }
  if (schema.pattern !== undefined && !schema.pattern.test(value)) {
    const pattern = schema.pattern.source;
    return { code: 'pattern_mismatch', path, pattern, message: `String does not match pattern ${pattern}: ${value}` };
  }
  if (schema.format === 'email' && !EMAIL_PATTERN.test(value)) {
    return {
      code: 'invalid_format',
      path,
      format: 'email',
      message: `Object didn't pass validation for format email: ${value}`,
    };
  }
  return undefined;
}
