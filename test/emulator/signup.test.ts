import { describe, expect, test } from 'vitest';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { signupUser } from '../../src/index.js';
import { validateSignup } from '../../src/signupUser.js';
import {
  CONNECTION,
  expectedError,
  field,
  type Reply,
  requestToken,
  send,
  sequentialIds,
  testClock,
  testEmulator,
  userPath,
} from './helpers.js';

const SIGNUP = {
  client_id: 'spa-client',
  connection: CONNECTION,
  email: 'Jane.Doe@Example.com',
  password: 'Pw1!surfing',
  user_metadata: { hobby: 'surfing' },
} as const;

/** Auth0's 500 in the signup shape: the emulator's own failure, never the caller's. */
const SIGNUP_INTERNAL_ERROR = {
  status: 500,
  body: { name: 'InternalServerError', code: 'internal_error', description: 'Internal Server Error', statusCode: 500 },
} as const;

function signup(emulator: ReturnType<typeof testEmulator>['emulator'], body: unknown): Promise<Reply> {
  return send(emulator, 'POST', '/dbconnections/signup', { json: body });
}

describe('POST /dbconnections/signup', () => {
  test('answers the signup shape: _id without auth0|, email, email_verified, user_metadata', async () => {
    const { emulator } = testEmulator();
    const reply = await signup(emulator, SIGNUP);
    expect(reply.status).toBe(200);
    expect(reply.body).toStrictEqual({
      _id: '000000000000000000000001',
      email: 'jane.doe@example.com',
      email_verified: false,
      user_metadata: { hobby: 'surfing' },
    });
  });

  test('a signup without client_id is 200, and the user is stored (rule 35)', async () => {
    const { emulator } = testEmulator();
    const { client_id: _client, ...withoutClient } = SIGNUP;
    const reply = await signup(emulator, withoutClient);
    expect(reply.status).toBe(200);
    expect(emulator.snapshot().map((user) => user.email)).toStrictEqual(['jane.doe@example.com']);
  });

  test('a username another user of the connection holds is 400 username_exists', async () => {
    const { emulator } = testEmulator();
    await signup(emulator, { ...SIGNUP, username: 'jane' });
    const reply = await signup(emulator, { ...SIGNUP, email: 'other@example.com', username: 'jane' });
    expect(reply.status).toBe(400);
    expect(reply.body).toStrictEqual({
      name: 'BadRequestError',
      code: 'username_exists',
      description: 'The username provided is in use already.',
      statusCode: 400,
    });
  });

  test('answers exactly what signupUser gives', async () => {
    const { emulator } = testEmulator();
    const body = { ...SIGNUP, given_name: 'Jane', username: 'jane' };
    const reply = await signup(emulator, body);
    const core = signupUser(body, { now: testClock().now, generateId: sequentialIds() });
    expect(reply.body).toStrictEqual(core.success ? core.value.response : undefined);
    expect(emulator.snapshot()).toStrictEqual(core.success ? [core.value.user] : undefined);
  });

  test('the new user can log in with the password grant and be read through the Management API', async () => {
    const { emulator } = testEmulator({ clientId: 'spa-client' });
    await signup(emulator, SIGNUP);
    const login = await requestToken(
      emulator,
      new URLSearchParams({
        grant_type: 'password',
        client_id: 'spa-client',
        username: SIGNUP.email,
        password: SIGNUP.password,
        audience: emulator.audience,
        scope: 'read:current_user',
      }),
    );
    expect(login.status).toBe(200);
    const token = String(field(login.body, 'access_token'));
    const me = await send(emulator, 'GET', `${userPath('auth0|000000000000000000000001')}?fields=user_metadata`, {
      token,
    });
    expect(me.body).toStrictEqual({ user_metadata: { hobby: 'surfing' } });
  });

  test.each([
    ['not an object', 'surfing'],
    ['a non-string value', { age: 42 }],
    ['a nested object', { address: { city: 'Paris' } }],
    ['null', { hobby: null }],
    ['more than 10 properties', Object.fromEntries(Array.from({ length: 11 }, (_, index) => [`k${index}`, 'v']))],
    ['a name over 100 characters', { ['n'.repeat(101)]: 'v' }],
    ['a value over 500 characters', { bio: 'x'.repeat(501) }],
    ['a dotted name', { 'a.b': 'v' }],
    ['a $ name', { $set: 'v' }],
  ])('user_metadata with %s is 400 in the signup shape, from the core', async (_, metadata) => {
    const { emulator } = testEmulator();
    const body = { ...SIGNUP, user_metadata: metadata };
    const reply = await signup(emulator, body);
    expect({ status: reply.status, body: reply.body }).toStrictEqual(
      expectedError(validateSignup(body), 'authentication'),
    );
    expect(field(reply.body, 'name')).toBe('BadRequestError');
    expect(emulator.snapshot()).toStrictEqual([]);
  });

  test('a duplicate email is 400 user_exists', async () => {
    const { emulator } = testEmulator();
    await signup(emulator, SIGNUP);
    const reply = await signup(emulator, { ...SIGNUP, email: 'jane.doe@example.com' });
    expect(reply.body).toStrictEqual({
      name: 'BadRequestError',
      code: 'user_exists',
      description: 'The user already exists.',
      statusCode: 400,
    });
  });

  test.each([
    ['no password', { ...SIGNUP, password: undefined }],
    ['an unknown property', { ...SIGNUP, app_metadata: { plan: 'full' } }],
    ['a bad email', { ...SIGNUP, email: 'not an email' }],
    ['a body that is not an object', [SIGNUP]],
  ])('%s is 400 in the signup shape', async (_, body) => {
    const { emulator } = testEmulator();
    const reply = await signup(emulator, body);
    expect({ status: reply.status, body: reply.body }).toStrictEqual(
      expectedError(validateSignup(body), 'authentication'),
    );
  });

  test("an id source that returns no string is the emulator's own failure: a 500 in the signup shape, nothing is stored", async () => {
    const options: unknown = { passwordHashIterations: 1, generateId: () => 42 };
    const emulator: Emulator = Reflect.apply(createEmulator, undefined, [options]);
    const reply = await signup(emulator, SIGNUP);
    expect({ status: reply.status, body: reply.body }).toStrictEqual(SIGNUP_INTERNAL_ERROR);
    expect(emulator.snapshot()).toStrictEqual([]);
  });

  test('a broken id source is a 500 in the signup shape, not a client error', async () => {
    const { emulator } = testEmulator({
      generateId: () => {
        throw new Error('no ids left');
      },
    });
    const reply = await signup(emulator, SIGNUP);
    expect({ status: reply.status, body: reply.body }).toStrictEqual(SIGNUP_INTERNAL_ERROR);
  });

  test('malformed JSON is 400 in the signup shape', async () => {
    const { emulator } = testEmulator();
    const reply = await send(emulator, 'POST', '/dbconnections/signup', {
      raw: '{"email":',
      headers: { 'content-type': 'application/json' },
    });
    expect(reply.body).toStrictEqual({
      name: 'BadRequestError',
      code: 'invalid_body',
      description: 'Invalid request payload JSON format',
      statusCode: 400,
    });
  });
});

describe('signupUser and validateSignup (core)', () => {
  const options = { now: testClock().now, generateId: () => 'abcdef0123456789abcdef01' };

  test('the stored user is the one createUser makes, with the signup metadata', () => {
    const result = signupUser(SIGNUP, options);
    expect(result.success && result.value.user.user_id).toBe('auth0|abcdef0123456789abcdef01');
    expect(result.success && result.value.user.user_metadata).toStrictEqual({ hobby: 'surfing' });
    expect(result.success && Object.hasOwn(result.value.user, 'password')).toBe(false);
  });

  test('the response echoes only the profile fields sent; a phone number comes back unverified (rule 35)', () => {
    const { user_metadata: _metadata, ...withoutMetadata } = SIGNUP;
    const result = signupUser({ ...withoutMetadata, nickname: 'jd', phone_number: '+15551234567' }, options);
    expect(result.success && result.value.response).toStrictEqual({
      _id: 'abcdef0123456789abcdef01',
      email: 'jane.doe@example.com',
      email_verified: false,
      nickname: 'jd',
      phone_number: '+15551234567',
      phone_verified: false,
    });
    const withoutPhone = signupUser(withoutMetadata, options);
    expect(withoutPhone.success && Object.hasOwn(withoutPhone.value.response, 'phone_verified')).toBe(false);
  });

  test('a signup without client_id is accepted (rule 35, go-auth0 TestDatabaseSignUp 2023)', () => {
    const { client_id: _client, ...withoutClient } = SIGNUP;
    const result = validateSignup(withoutClient);
    expect(result.success && Object.hasOwn(result.value, 'client_id')).toBe(false);
    expect(signupUser(withoutClient, options).success).toBe(true);
  });

  test('reports every missing required field, by path', () => {
    const result = validateSignup({});
    expect(result.success ? [] : result.issues.map((issue) => [issue.code, issue.path])).toStrictEqual([
      ['missing_property', ['email']],
      ['missing_property', ['password']],
      ['missing_property', ['connection']],
    ]);
  });

  test('metadata issues get the user_metadata path prefix', () => {
    const result = validateSignup({ ...SIGNUP, user_metadata: { age: 1 } });
    expect(result.success ? [] : result.issues.map((issue) => issue.path)).toStrictEqual([['user_metadata', 'age']]);
  });

  test('wrong types of optional fields are reported', () => {
    const result = validateSignup({ ...SIGNUP, username: 7, client_id: 1 });
    expect(result.success ? [] : result.issues.map((issue) => issue.message)).toStrictEqual([
      'invalid client_id type (expected string)',
      'invalid username type (expected string)',
    ]);
  });

  test('profile fields follow the Management API limits', () => {
    const result = validateSignup({ ...SIGNUP, given_name: '' });
    expect(result.success ? [] : result.issues.map((issue) => [issue.code, issue.path])).toStrictEqual([
      ['too_short', ['given_name']],
    ]);
  });

  test('signupUser fails as validateSignup does for an invalid body', () => {
    expect(signupUser({ ...SIGNUP, password: 7 }, options)).toStrictEqual(validateSignup({ ...SIGNUP, password: 7 }));
  });

  test('a failure of the injected id source is thrown to the caller as it was', () => {
    const failure = new Error('no ids left');
    const broken = {
      now: options.now,
      generateId: (): string => {
        throw failure;
      },
    };
    expect(() => signupUser(SIGNUP, broken)).toThrow(failure);
  });

  test('a __proto__ key in user_metadata is data, not a prototype', () => {
    const metadata = JSON.parse('{"__proto__":"x"}');
    const result = signupUser({ ...SIGNUP, user_metadata: metadata }, options);
    expect(result.success && Object.getPrototypeOf(result.value.response.user_metadata)).toBe(Object.prototype);
    expect(result.success && Object.keys(result.value.response.user_metadata ?? {})).toStrictEqual(['__proto__']);
  });
});
