import { createUser, validateCreateUser } from './createUser.js';
import { getOwn, isPlainObject, setOwn } from './internal/object.js';
import { failWith, formatPath, type Issue, type Result, type SignupInvalidTypeIssue, succeed } from './issues.js';
import type { CreateUserOptions, User } from './types.js';
import { type SignupMetadata, validateSignupMetadata } from './validateSignupMetadata.js';

/** A validated POST /dbconnections/signup body. */
export interface SignupBody {
  /** The application signing the user up. */
  readonly client_id: string;
  /** Lower-cased, as Auth0 stores it. */
  readonly email: string;
  readonly password: string;
  /** The database connection. */
  readonly connection: string;
  readonly username?: string;
  readonly given_name?: string;
  readonly family_name?: string;
  readonly name?: string;
  readonly nickname?: string;
  readonly picture?: string;
  readonly phone_number?: string;
  readonly user_metadata?: SignupMetadata;
}

/** What POST /dbconnections/signup answers: the bare id, the email, and the profile fields sent. */
export interface SignupResponse {
  /** The 24-hex id **without** the `auth0|` prefix. */
  readonly _id: string;
  readonly email: string;
  readonly email_verified: boolean;
  readonly username?: string;
  readonly given_name?: string;
  readonly family_name?: string;
  readonly name?: string;
  readonly nickname?: string;
  readonly picture?: string;
  readonly phone_number?: string;
  readonly user_metadata?: SignupMetadata;
}

/** The outcome of a signup: the stored user and the endpoint's response body. */
export interface SignupResult {
  /** The user as the Management API will return it (`user_id` with its `auth0|` prefix). */
  readonly user: User;
  /** The body POST /dbconnections/signup answers with. */
  readonly response: SignupResponse;
}

const REQUIRED = ['client_id', 'email', 'password', 'connection'] as const;
/** Profile fields a signup may carry besides the required ones and `user_metadata`, in response order. */
const OPTIONAL = ['username', 'given_name', 'family_name', 'name', 'nickname', 'picture', 'phone_number'] as const;
const ALLOWED: ReadonlySet<string> = new Set<string>([...REQUIRED, ...OPTIONAL, 'user_metadata']);

function signupIssue(path: Issue['path'], message: string): SignupInvalidTypeIssue {
  return { code: 'signup_invalid_type', path, message };
}

function isSignupBody(body: object): body is SignupBody {
  return (
    REQUIRED.every((key) => typeof getOwn(body, key) === 'string') &&
    OPTIONAL.every((key) => getOwn(body, key) === undefined || typeof getOwn(body, key) === 'string')
  );
}

/**
 * Validates a POST /dbconnections/signup body the way Auth0's Authentication API does, without
 * creating anything.
 *
 * `client_id`, `email`, `password` and `connection` are required strings; `username`, `given_name`,
 * `family_name`, `name`, `nickname`, `picture` and `phone_number` are optional strings checked as on
 * the Management API (lengths, email format, E.164); `user_metadata` must pass
 * {@link validateSignupMetadata} (at most 10 string values). Other properties are rejected. Every
 * issue is in the signup shape (`toAuth0Error` answers 400 `{name, code, description, statusCode}`).
 *
 * @param body - The parsed JSON body.
 * @returns The validated body (email lower-cased), or the issues in the order found.
 * @example
 * validateSignup({ client_id: 'app', connection: 'db', email: 'Ann@Example.com', password: 'pw' });
 * // => { success: true, warnings: [], value: { client_id: 'app', connection: 'db', email: 'ann@example.com', password: 'pw' } }
 * validateSignup({ client_id: 'app', connection: 'db', email: 'ann@example.com' });
 * // => { success: false, issues: [{ code: 'signup_invalid_type', path: ['password'], message: 'missing password' }] }
 * @see https://auth0.com/docs/api/authentication/signup/create-a-new-user
 */
export function validateSignup(body: unknown): Result<SignupBody> {
  if (!isPlainObject(body)) return { success: false, issues: [signupIssue([], 'invalid body type (expected object)')] };
  const issues: Issue[] = [];
  const unknown = Object.keys(body).filter((key) => !ALLOWED.has(key));
  if (unknown.length > 0) issues.push(signupIssue([], `invalid body (unknown properties: ${unknown.join(',')})`));
  for (const key of REQUIRED) {
    const value = getOwn(body, key);
    if (value === undefined) issues.push(signupIssue([key], `missing ${key}`));
    else if (typeof value !== 'string') issues.push(signupIssue([key], `invalid ${key} type (expected string)`));
  }
  for (const key of OPTIONAL) {
    const value = getOwn(body, key);
    if (value !== undefined && typeof value !== 'string') {
      issues.push(signupIssue([key], `invalid ${key} type (expected string)`));
    }
  }
  const copy: Record<string, unknown> = {};
  for (const key of [...REQUIRED, ...OPTIONAL]) {
    const value = getOwn(body, key);
    if (typeof value === 'string') setOwn(copy, key, value);
  }
  if (Object.hasOwn(body, 'user_metadata')) {
    const metadata = validateSignupMetadata(getOwn(body, 'user_metadata'));
    if (metadata.success) setOwn(copy, 'user_metadata', metadata.value);
    else issues.push(...metadata.issues.map((issue) => ({ ...issue, path: ['user_metadata', ...issue.path] })));
  }
  const failed = failWith(issues);
  if (failed !== undefined) return failed;
  // The profile fields follow the Management API's schema; its issues are restated in the signup shape.
  const { client_id: _clientId, user_metadata: _metadata, ...attributes } = copy;
  const checked = validateCreateUser(attributes);
  if (!checked.success) {
    const restate = (issue: Issue): Issue =>
      signupIssue(issue.path, `invalid ${formatPath(issue.path) || 'body'} (${issue.message})`);
    const [first, ...rest] = checked.issues;
    return { success: false, issues: [restate(first), ...rest.map(restate)] };
  }
  const email = checked.value.email;
  if (email !== undefined) setOwn(copy, 'email', email);
  const validated = Object.freeze(copy);
  return isSignupBody(validated) ? succeed(validated) : { success: false, issues: [signupIssue([], 'invalid body')] };
}

/**
 * Signs a user up as POST /dbconnections/signup does: validates the body (see
 * {@link validateSignup}), creates the user as {@link createUser} would, and builds the endpoint's
 * response, whose `_id` is the bare 24-hex id (no `auth0|` prefix) and which echoes only the profile
 * fields and `user_metadata` that were sent. The password is validated but never part of either.
 *
 * @param body - The parsed JSON body (validated here).
 * @param options - `now`, the clock; `generateId`, the source of the 24-hex id.
 * @returns The stored user and the response body, or the issues (signup shape).
 * @example
 * const result = signupUser(
 *   { client_id: 'app', connection: 'Username-Password-Authentication', email: 'jane.doe@example.com',
 *     password: 'Pw1!xxxx', user_metadata: { hobby: 'surfing' } },
 *   { now: () => new Date('2026-01-01T00:00:00.000Z'), generateId: () => '0123456789abcdef01234567' },
 * );
 * result.success && result.value.response;
 * // => { _id: '0123456789abcdef01234567', email: 'jane.doe@example.com', email_verified: false,
 * //      user_metadata: { hobby: 'surfing' } }
 * result.success && result.value.user.user_id;
 * // => 'auth0|0123456789abcdef01234567'
 * @see https://auth0.com/docs/api/authentication/signup/create-a-new-user
 */
export function signupUser(body: unknown, options: CreateUserOptions = {}): Result<SignupResult> {
  const validated = validateSignup(body);
  if (!validated.success) return validated;
  const { client_id: _clientId, ...createBody } = validated.value;
  const created = createUser(createBody, options);
  if (!created.success) return created;
  const user = created.value;
  const sent = validated.value;
  const profile: Partial<Record<(typeof OPTIONAL)[number], string>> = Object.fromEntries(
    OPTIONAL.flatMap((key) => {
      const value = sent[key];
      return value === undefined ? [] : [[key, value]];
    }),
  );
  const response: SignupResponse = {
    _id: user.identities[0]?.user_id ?? user.user_id,
    email: sent.email,
    email_verified: user.email_verified ?? false,
    ...profile,
    ...(sent.user_metadata === undefined ? {} : { user_metadata: sent.user_metadata }),
  };
  return succeed(Object.freeze({ user, response: Object.freeze(response) }), created.warnings);
}
