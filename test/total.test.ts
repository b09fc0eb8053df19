/**
 * The exports that used to throw on hostile or unexpected input, each with the input that made it
 * throw: every one now answers with a value.
 */
import { describe, expect, test } from 'vitest';
import {
  type ActionsFlow,
  createActionsFlow,
  describeEffect,
  formatPath,
  type PatchEffect,
  runPostLoginActions,
  signupUser,
  toAuth0Error,
  validateSignup,
} from '../src/index.js';
import { revokedProxy, throwing, trapsThrowing } from './arbitraries.js';
import { at, CONNECTION, JANE } from './helpers.js';

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

/** Calls `run` and says whether it threw, so a failure shows the value rather than an exception. */
function outcome(run: () => unknown): { threw: boolean; value?: unknown } {
  try {
    return { threw: false, value: run() };
  } catch (error) {
    return { threw: true, value: error };
  }
}

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

describe('createActionsFlow and runPostLoginActions on unreadable users', () => {
  test.each<[string, unknown]>([
    ['null', null],
    ['a string', 'auth0|1'],
    ['a revoked Proxy', revokedProxy({})],
    [
      'a Proxy whose every trap throws',
      new Proxy(
        {},
        trapsThrowing(() => new Error('trap')),
      ),
    ],
    [
      'a user with a throwing getter',
      Object.defineProperty({ ...JANE }, 'email', { get: () => throwing(1), enumerable: true }),
    ],
  ])('%s: a flow whose commit is an issue', (_name, user) => {
    expect(outcome(() => Reflect.apply(createActionsFlow, undefined, [user])).threw).toBe(false);
    const flow: ActionsFlow = Reflect.apply(createActionsFlow, undefined, [user]);
    const { event, api, commit, toPatch } = flow;
    expect(event.user.user_metadata).toStrictEqual({});
    api.user.setUserMetadata('a', 1);
    expect(event.user.user_metadata).toStrictEqual({ a: 1 });
    expect(toPatch()).toMatchObject({ success: true, value: { user_metadata: { a: 1 } } });
    expect(outcome(() => commit(at()))).toMatchObject({ threw: false, value: { success: false } });
  });

  test.each<[string, unknown]>([
    ['null', null],
    ['a revoked Proxy', revokedProxy([])],
    ['an array holding a string', ['not an action']],
  ])('runPostLoginActions with actions that are %s: an issue', async (_name, actions) => {
    const result = await Reflect.apply(runPostLoginActions, undefined, [JANE, actions, at()]);
    expect(result).toMatchObject({ success: false, issues: [{ code: expect.any(String) }] });
  });

  test("an Action's own error rejects unchanged", async () => {
    const broken = new Error('the Action broke');
    await expect(runPostLoginActions(JANE, [() => Promise.reject(broken)])).rejects.toBe(broken);
    await expect(runPostLoginActions(JANE, [() => throwing(broken)])).rejects.toBe(broken);
  });
});

describe('the formatting exports on what is not theirs', () => {
  test.each<[string, unknown]>([
    ['[]', []],
    ['null', null],
    ['a revoked Proxy', revokedProxy([])],
    ['an issue without a code', [{ path: [], message: 'x' }]],
    [
      'a Proxy whose every trap throws',
      new Proxy(
        [],
        trapsThrowing(() => new Error('trap')),
      ),
    ],
  ])('toAuth0Error(%s): a 500 internal_error', (_name, issues) => {
    expect(Reflect.apply(toAuth0Error, undefined, [issues])).toStrictEqual({
      api: 'management',
      status: 500,
      body: {
        statusCode: 500,
        error: 'Internal Server Error',
        message: 'Internal Server Error',
        errorCode: 'internal_error',
      },
    });
  });

  test.each<[string, unknown, string]>([
    ['null', null, ''],
    ['a string', 'user_metadata', ''],
    ['a revoked Proxy', revokedProxy([]), ''],
    ['segments that are neither keys nor indexes', ['a', null, { toString: () => throwing(1) }, 0], 'a[0]'],
  ])('formatPath(%s)', (_name, path, text) => {
    expect(Reflect.apply(formatPath, undefined, [path])).toBe(text);
  });

  /** `depth` objects nested through key `a`. */
  function nest(depth: number): unknown {
    let value: unknown = 'bottom';
    for (let level = 0; level < depth; level++) value = { a: value };
    return value;
  }

  test.each<[string, unknown, string]>([
    ['null', null, 'not an effect of analyzePatch'],
    ['an unknown kind', { kind: 'explode', path: ['a'] }, 'not an effect of analyzePatch'],
    ['a revoked Proxy', revokedProxy({}), 'not an effect of analyzePatch'],
    [
      'a BigInt value',
      { kind: 'add', path: ['user_metadata', 'n'], value: 1n },
      'user_metadata.n will be added: (a value that is not JSON)',
    ],
    [
      'a value 100,000 levels deep',
      { kind: 'delete', path: ['user_metadata', 'deep'], before: nest(100_000) },
      'user_metadata.deep will be deleted (was (a value that is not JSON))',
    ],
    [
      'a cycle',
      { kind: 'clear', path: ['app_metadata'], before: cycle() },
      'app_metadata will be cleared entirely (was (a value that is not JSON))',
    ],
  ])('describeEffect(%s)', (_name, effect, text) => {
    expect(Reflect.apply(describeEffect, undefined, [effect])).toBe(text);
  });

  test('describeEffect still shows JSON as JSON', () => {
    const effect: PatchEffect = { kind: 'replace', path: ['user_metadata', 'a'], before: { b: [1] }, value: 'x' };
    expect(describeEffect(effect)).toBe('user_metadata.a will be replaced: {"b":[1]} -> "x"');
  });
});

function cycle(): unknown {
  const value: Record<string, unknown> = {};
  Object.defineProperty(value, 'self', { value, enumerable: true });
  return value;
}
