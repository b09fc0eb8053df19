import { buildUser, checkCreateUser } from './createUser.js';
import { describeThrown } from './internal/describeThrown.js';
import { guarded } from './internal/guarded.js';
import { getOwn, hasOwn, isPlainObject, typeName } from './internal/object.js';
import {
  signupBodyNotObject,
  signupMissing,
  signupNotString,
  signupRestated,
  signupUnknownKeys,
  signupUnreadableBody,
} from './issueConstructors.js';
import { type Failure, fail, type Issue, type Issues, type Result, succeed } from './issues.js';
import { DATABASE_USER_ID_PREFIX } from './rules/attributes.js';
import { SIGNUP_CLIENT_FIELDS, SIGNUP_PROFILE_FIELDS, SIGNUP_REQUIRED_FIELDS } from './rules/signup.js';
import { SIGNUP_FACTS } from './rules/tenant.js';
import type { CreateUserOptions, User } from './types.js';
import { checkSignupMetadata, type SignupMetadata } from './validateSignupMetadata.js';

/** A validated POST /dbconnections/signup body. */
export interface SignupBody {
  /** The application signing the user up; optional (rule 35). */
  readonly client_id?: string;
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
  /** `false` whenever a `phone_number` was sent (rule 35). */
  readonly phone_verified?: false;
  readonly user_metadata?: SignupMetadata;
}

/** The outcome of a signup: the stored user and the endpoint's response body. */
export interface SignupResult {
  /** The user as the Management API will return it (`user_id` with its `auth0|` prefix). */
  readonly user: User;
  /** The body POST /dbconnections/signup answers with. */
  readonly response: SignupResponse;
}

/** SIGNUP_REQUIRED_FIELDS, SIGNUP_PROFILE_FIELDS and `user_metadata`, as a private set. */
const ALLOWED: ReadonlySet<string> = new Set<string>([
  ...SIGNUP_CLIENT_FIELDS,
  ...SIGNUP_REQUIRED_FIELDS,
  ...SIGNUP_PROFILE_FIELDS,
  'user_metadata',
]);

/** Management API issues in the signup endpoint's wording (the codes stay: they say what went wrong). */
function restated(issues: Issues): Failure {
  const [first, ...rest] = issues;
  return fail(signupRestated(first), ...rest.map(signupRestated));
}

/** The signup issue for a body that threw while being read (a hostile Proxy, a throwing getter). */
function unreadableBody(thrown: unknown): Failure {
  return fail(signupUnreadableBody(describeThrown(thrown)));
}

/**
 * Validates a POST /dbconnections/signup body the way Auth0's Authentication API does, without
 * creating anything.
 *
 * `email`, `password` and `connection` are required strings, `client_id` an optional one (rule 35); `username`, `given_name`,
 * `family_name`, `name`, `nickname`, `picture` and `phone_number` are optional strings checked as on
 * the Management API (lengths, email format, E.164); `user_metadata` must pass
 * {@link validateSignupMetadata} (at most 10 string values). Other properties are rejected. Every
 * issue message is in the signup endpoint's wording: `toAuth0Error(issues, 'authentication')` answers
 * 400 `{name, code, description, statusCode}`.
 *
 * @param body - The parsed JSON body.
 * @returns The validated body (email lower-cased), or the issues in the order found.
 * @example
 * validateSignup({ client_id: 'app', connection: 'db', email: 'Ann@Example.com', password: 'pw' });
 * // => { success: true, warnings: [], value: { client_id: 'app', connection: 'db', email: 'ann@example.com', password: 'pw' } }
 * validateSignup({ client_id: 'app', connection: 'db', email: 'ann@example.com' });
 * // => { success: false, issues: [{ code: 'missing_property', path: ['password'], property: 'password',
 * //      message: 'missing password' }] }
 * @see https://auth0.com/docs/api/authentication/signup/create-a-new-user
 */
export function validateSignup(body: unknown): Result<SignupBody> {
  return guarded(() => checkSignup(body), unreadableBody);
}

/** @internal {@link validateSignup}, unwrapped. */
function checkSignup(body: unknown): Result<SignupBody> {
  if (!isPlainObject(body)) return fail(signupBodyNotObject(typeName(body)));
  const issues: Issue[] = [];
  const unknown = Object.keys(body).filter((key) => !ALLOWED.has(key));
  if (unknown.length > 0) issues.push(signupUnknownKeys(unknown));
  /** The string at `key`; anything else is an issue (and reads as `''`, never used since the body then fails). */
  const text = (key: string): string => {
    const value = getOwn(body, key);
    if (typeof value === 'string') return value;
    issues.push(value === undefined ? signupMissing(key) : signupNotString(key, typeName(value)));
    return '';
  };
  // SIGNUP_FACTS.clientIdRequired is false: `client_id` is checked only when sent.
  const client = SIGNUP_FACTS.clientIdRequired || hasOwn(body, 'client_id') ? { client_id: text('client_id') } : {};
  const required = {
    email: text('email').toLowerCase(),
    password: text('password'),
    connection: text('connection'),
  };
  // SIGNUP_PROFILE_FIELDS, in the order the response echoes them (rule 22).
  const profile: Partial<Record<(typeof SIGNUP_PROFILE_FIELDS)[number], string>> = Object.fromEntries(
    SIGNUP_PROFILE_FIELDS.filter((key) => getOwn(body, key) !== undefined).map((key) => [key, text(key)]),
  );
  let metadata: { readonly user_metadata?: SignupMetadata } = {};
  // Rules 19-21.
  if (Object.hasOwn(body, 'user_metadata')) {
    const checked = checkSignupMetadata(getOwn(body, 'user_metadata'));
    if (checked.success) metadata = { user_metadata: checked.value };
    else issues.push(...checked.issues.map((issue) => ({ ...issue, path: ['user_metadata', ...issue.path] })));
  }
  const [first, ...rest] = issues;
  if (first !== undefined) return fail(first, ...rest);
  // The profile fields follow the Management API's schema; its issues are restated in the signup wording.
  const checked = checkCreateUser({ ...required, ...profile });
  if (!checked.success) return restated(checked.issues);
  return succeed(Object.freeze({ ...client, ...required, ...profile, ...metadata }));
}

/**
 * Signs a user up as POST /dbconnections/signup does: validates the body (see
 * `validateSignup`), creates the user as {@link createUser} would, and builds the endpoint's
 * response, whose `_id` is the bare 24-hex id (no `auth0|` prefix) and which echoes only the profile
 * fields and `user_metadata` that were sent. The password is validated but never part of either.
 *
 * @param body - The parsed JSON body (validated here).
 * @param options - `now`, the clock; `generateId`, the source of the 24-hex id.
 * @returns The stored user and the response body, or the issues (in the signup wording).
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
  return guarded(() => signUp(body, options), unreadableBody);
}

function signUp(body: unknown, options: CreateUserOptions): Result<SignupResult> {
  const validated = checkSignup(body);
  if (!validated.success) return validated;
  const { client_id: _clientId, ...createBody } = validated.value;
  const created = buildUser(createBody, options);
  // The body was validated above; what remains is restated in the signup error format.
  if (!created.success) return restated(created.issues);
  const user = created.value;
  // What remains past the credentials is what was sent of the profile and user_metadata, in order.
  const { client_id: _client, email, password: _password, connection: _connection, ...sent } = validated.value;
  // A phone number sent is answered unverified (SIGNUP_FACTS.phoneVerifiedOnSignup, rule 35), after it.
  const { user_metadata: sentMetadata, ...sentProfile } = sent;
  const phone = sent.phone_number === undefined ? {} : { phone_verified: SIGNUP_FACTS.phoneVerifiedOnSignup };
  const response: SignupResponse = {
    // createUser makes the id DATABASE_USER_ID_PREFIX + the bare id; signup answers with the bare id (rule 22).
    _id: user.user_id.slice(DATABASE_USER_ID_PREFIX.length),
    email,
    email_verified: false,
    ...sentProfile,
    ...phone,
    ...(sentMetadata === undefined ? {} : { user_metadata: sentMetadata }),
  };
  return succeed(Object.freeze({ user, response: Object.freeze(response) }), created.warnings);
}
