/** validateSignup and signupUser (src/signupUser.ts) on hostile input: a signup issue, never a throw. */
import { describe, expect, test } from 'vitest';
import { signupUser, validateSignup } from '../src/index.js';
import { revokedProxy, throwing, trapsThrowing } from './arbitraries.js';
import { at, CONNECTION, outcome } from './helpers.js';

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
