/**
 * validateSignup and signupUser (src/signupUser.ts): what POST /dbconnections/signup validates,
 * stores and answers (rule 22), and hostile input, which is a signup issue, never a throw.
 */
import { describe, expect, test } from 'vitest';
import { createUser, signupUser, toAuth0Error } from '../src/index.js';
import { validateSignup } from '../src/signupUser.js';
import { revokedProxy, throwing, trapsThrowing } from './arbitraries.js';
import { at, CONNECTION, deepFreeze, FIXED_ID, issuesOf, outcome, successValue } from './helpers.js';

const SIGNUP = { client_id: 'app', connection: CONNECTION, email: 'jane@example.com', password: 'Pw1!xxxx' };

/** Values that throw as soon as they are read. */
const HOSTILE: Readonly<Record<string, () => unknown>> = {
  'a revoked Proxy': () => revokedProxy({}),
  'a Proxy whose every trap throws': () =>
    new Proxy(
      {},
      trapsThrowing(() => new Error('trap')),
    ),
  'a body with a throwing getter': () =>
    Object.defineProperty({ ...SIGNUP }, 'email', { get: () => throwing(new Error('getter')), enumerable: true }),
  'metadata with a throwing getter': () => ({
    ...SIGNUP,
    user_metadata: Object.defineProperty({}, 'a', { get: () => throwing(new Error('getter')), enumerable: true }),
  }),
  'metadata that is a revoked Proxy': () => ({ ...SIGNUP, user_metadata: revokedProxy({}) }),
};
describe('signup on hostile input', () => {
  test.each(Object.entries(HOSTILE))('validateSignup with %s: a signup issue', (_name, make) => {
    const result = outcome(() => validateSignup(make()));
    expect(result).toMatchObject({
      threw: false,
      value: { success: false, issues: [{ message: expect.stringMatching(/^(invalid|missing) /) }] },
    });
  });

  test.each(Object.entries(HOSTILE))('signupUser with %s: a signup issue', (_name, make) => {
    const result = outcome(() => signupUser(make(), at()));
    expect(result).toMatchObject({
      threw: false,
      value: { success: false, issues: [{ message: expect.stringMatching(/^(invalid|missing) /) }] },
    });
  });

  test('signupUser with hostile options: an issue, not an exception', () => {
    const options = Object.defineProperty({}, 'now', { get: () => throwing(new Error('getter')) });
    expect(outcome(() => signupUser(SIGNUP, options))).toMatchObject({ threw: false, value: { success: false } });
  });
});

describe('signupUser: the stored user and the response (rule 22)', () => {
  const body = deepFreeze({
    client_id: 'app',
    connection: CONNECTION,
    email: 'Jane.Doe@Example.com',
    password: 'Passw0rd!',
    given_name: 'Jane',
    user_metadata: { hobby: 'surfing' },
  });

  test('the response echoes the profile fields and metadata sent, with the bare id and no password', () => {
    const { user, response } = successValue(signupUser(body, at()));
    expect(response).toStrictEqual({
      _id: FIXED_ID,
      email: 'jane.doe@example.com',
      email_verified: false,
      given_name: 'Jane',
      user_metadata: { hobby: 'surfing' },
    });
    expect([user.user_id, user.email, user.user_metadata, 'password' in user]).toStrictEqual([
      `auth0|${FIXED_ID}`,
      'jane.doe@example.com',
      { hobby: 'surfing' },
      false,
    ]);
  });

  test('the stored user is the one createUser makes from the same fields', () => {
    const { user } = successValue(signupUser(body, at()));
    const { client_id: _client, ...createBody } = body;
    expect(user).toStrictEqual(successValue(createUser({ ...createBody, email: 'jane.doe@example.com' }, at())));
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['a missing password', { password: undefined }, 'missing password'],
    ['an unknown property', { app_metadata: { plan: 'full' } }, 'invalid body (unknown properties: app_metadata)'],
    ['a number as email', { email: 42 }, 'invalid email type (expected string)'],
  ])('%s is a 400 in the signup wording', (_name, change, description) => {
    const sent = Object.fromEntries(Object.entries({ ...body, ...change }).filter(([, value]) => value !== undefined));
    const error = toAuth0Error(issuesOf(validateSignup(sent)), 'authentication');
    expect(error).toMatchObject({ status: 400, body: { code: description, description } });
    expect(issuesOf(signupUser(sent, at()))).toStrictEqual(issuesOf(validateSignup(sent)));
  });
});
