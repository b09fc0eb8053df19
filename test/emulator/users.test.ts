import { describe, expect, test } from 'vitest';
import { createEmulator, type Emulator, EmulatorSeedError } from '../../src/emulator/index.js';
import { applyPatch, createUser, selectFields, type User, validateCreateUser, validatePatch } from '../../src/index.js';
import { INTERNAL_ERROR_BODY } from '../helpers.js';
import {
  CONNECTION,
  expectedError,
  field,
  issuesOf,
  JANE,
  type Reply,
  START,
  send,
  sequentialIds,
  testClock,
  testEmulator,
  userIdOf,
  userPath,
} from './helpers.js';

const ALL = ['read:users', 'create:users', 'update:users', 'delete:users'];

async function withJane(): Promise<{
  emulator: ReturnType<typeof testEmulator>['emulator'];
  clock: ReturnType<typeof testEmulator>['clock'];
  token: string;
  jane: User;
}> {
  const { emulator, clock } = testEmulator();
  const token = await emulator.issueToken({ scopes: ALL });
  const created = await send(emulator, 'POST', '/api/v2/users', { token, json: JANE });
  expect(created.status).toBe(201);
  const jane = emulator.getUser(userIdOf(created.body));
  if (jane === undefined) throw new Error('jane was not stored');
  return { emulator, clock, token, jane };
}

function errorCode(reply: Reply): unknown {
  return field(reply.body, 'errorCode');
}

describe('POST /api/v2/users', () => {
  test('answers 201 with exactly the user the core creates', async () => {
    const { emulator } = testEmulator();
    const token = await emulator.issueToken({ scopes: ['create:users'] });
    const reply = await send(emulator, 'POST', '/api/v2/users', { token, json: JANE });
    const core = createUser(JANE, { now: testClock().now, generateId: sequentialIds() });
    expect(reply.status).toBe(201);
    expect(reply.body).toStrictEqual(core.success ? core.value : undefined);
  });

  test('never returns or stores the password', async () => {
    const { emulator, jane } = await withJane();
    expect(Object.hasOwn(jane, 'password')).toBe(false);
    expect(JSON.stringify(emulator.snapshot())).not.toContain(JANE.password);
  });

  test('a duplicate email on the same connection is 409 auth0_idp_error', async () => {
    const { emulator, token } = await withJane();
    const reply = await send(emulator, 'POST', '/api/v2/users', {
      token,
      json: { ...JANE, email: 'Jane.Doe@Example.com' },
    });
    expect(reply.status).toBe(409);
    expect(reply.body).toStrictEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'The user already exists.',
      errorCode: 'auth0_idp_error',
    });
  });

  test('an existing user_id is 409 too, whatever the email', async () => {
    const { emulator, token } = await withJane();
    const first = await send(emulator, 'POST', '/api/v2/users', {
      token,
      json: { ...JANE, email: 'a@example.com', user_id: 'x1' },
    });
    expect(first.status).toBe(201);
    const again = await send(emulator, 'POST', '/api/v2/users', {
      token,
      json: { ...JANE, email: 'b@example.com', user_id: 'x1' },
    });
    expect(again.status).toBe(409);
  });

  test("a broken id source is the emulator's own failure: a 500 internal_error, reported to onError", async () => {
    const failure = new Error('no ids left');
    const reported: unknown[] = [];
    const { emulator } = testEmulator({
      generateId: () => {
        throw failure;
      },
      onError: (error) => {
        reported.push(error);
      },
    });
    const token = await emulator.issueToken({ scopes: ['create:users'] });
    const reply = await send(emulator, 'POST', '/api/v2/users', { token, json: JANE });
    expect({ status: reply.status, body: reply.body, reported }).toStrictEqual({
      status: 500,
      body: INTERNAL_ERROR_BODY,
      reported: [failure],
    });
    expect(emulator.snapshot()).toStrictEqual([]);
  });

  test.each([
    ['a number', 42, 'number'],
    ['null', null, 'null'],
    ['an object', { toString: () => 'auth0|x' }, 'object'],
  ])(
    "an id source that returns %s is the emulator's own failure: Auth0's 500 over HTTP, reported to onError, a TypeError in process; nothing is stored",
    async (_name, id, kind) => {
      const reported: unknown[] = [];
      const options: unknown = {
        passwordHashIterations: 1,
        generateId: () => id,
        onError: (error: unknown) => reported.push(error),
      };
      const emulator: Emulator = Reflect.apply(createEmulator, undefined, [options]);
      const token = await emulator.issueToken({ scopes: ['create:users'] });
      const reply = await send(emulator, 'POST', '/api/v2/users', { token, json: JANE });
      expect({ status: reply.status, body: reply.body }).toStrictEqual({ status: 500, body: INTERNAL_ERROR_BODY });
      expect(reported.map(String)).toStrictEqual([`TypeError: generateId() must return a string, returned ${kind}`]);
      await expect(emulator.createUser(JANE)).rejects.toThrow(`generateId() must return a string, returned ${kind}`);
      expect(emulator.snapshot()).toStrictEqual([]);
    },
  );

  test('the same email on another connection is another user', async () => {
    const { emulator, token } = await withJane();
    const reply = await send(emulator, 'POST', '/api/v2/users', { token, json: { ...JANE, connection: 'other-db' } });
    expect(reply.status).toBe(201);
  });

  test('an invalid body is answered with the core error', async () => {
    const { emulator } = testEmulator();
    const token = await emulator.issueToken({ scopes: ['create:users'] });
    const body = { ...JANE, user_metadata: { 'a.b': 1 }, extra: true };
    const reply = await send(emulator, 'POST', '/api/v2/users', { token, json: body });
    expect({ status: reply.status, body: reply.body }).toStrictEqual(expectedError(validateCreateUser(body)));
    expect(errorCode(reply)).toBe('invalid_body');
  });

  test('without create:users is 403 with the exact scope message', async () => {
    const { emulator } = testEmulator();
    const token = await emulator.issueToken({ scopes: ['read:users'] });
    const reply = await send(emulator, 'POST', '/api/v2/users', { token, json: JANE });
    expect(reply.status).toBe(403);
    expect(reply.body).toStrictEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'Insufficient scope, expected any of: create:users',
      errorCode: 'insufficient_scope',
    });
    expect(emulator.snapshot()).toStrictEqual([]);
  });
});

describe('GET /api/v2/users/{id}', () => {
  test('fields=user_metadata answers only the user_metadata', async () => {
    const { emulator, token, jane } = await withJane();
    const reply = await send(emulator, 'GET', `${userPath(jane.user_id)}?fields=user_metadata&include_fields=true`, {
      token,
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toStrictEqual({ user_metadata: { hobby: 'surfing' } });
  });

  test('include_fields=false removes the listed fields, as the core does', async () => {
    const { emulator, token, jane } = await withJane();
    const query = { fields: 'identities,picture', include_fields: 'false' };
    const reply = await send(emulator, 'GET', `${userPath(jane.user_id)}?${new URLSearchParams(query)}`, { token });
    const core = selectFields(jane, query);
    expect(reply.body).toStrictEqual(core.success ? core.value : undefined);
  });

  test('the id arrives URL-encoded and is decoded', async () => {
    const { emulator, token, jane } = await withJane();
    expect(jane.user_id.startsWith('auth0|')).toBe(true);
    const reply = await send(emulator, 'GET', `/api/v2/users/auth0%7C${jane.user_id.slice(6)}`, { token });
    expect(reply.status).toBe(200);
    expect(reply.body).toStrictEqual(jane);
  });

  test('an unknown user is 404 inexistent_user', async () => {
    const { emulator } = testEmulator();
    const token = await emulator.issueToken({ scopes: ['read:users'] });
    const reply = await send(emulator, 'GET', userPath('auth0|nobody'), { token });
    expect(reply.body).toStrictEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'The user does not exist.',
      errorCode: 'inexistent_user',
    });
  });

  test('a bad include_fields is 400 invalid_query_string, even before the lookup', async () => {
    const { emulator } = testEmulator();
    const token = await emulator.issueToken({ scopes: ['read:users'] });
    const reply = await send(emulator, 'GET', `${userPath('auth0|nobody')}?include_fields=maybe`, { token });
    expect(reply.status).toBe(400);
    expect(errorCode(reply)).toBe('invalid_query_string');
  });

  test('a broken percent-encoding is 400 invalid_uri', async () => {
    const { emulator } = testEmulator();
    const token = await emulator.issueToken({ scopes: ['read:users'] });
    const reply = await send(emulator, 'GET', '/api/v2/users/auth0%7', { token });
    expect(reply.status).toBe(400);
    expect(errorCode(reply)).toBe('invalid_uri');
  });

  test('read:current_user reads its own user', async () => {
    const { emulator, jane } = await withJane();
    const own = await emulator.issueToken({ scopes: ['read:current_user'], subject: jane.user_id });
    const reply = await send(emulator, 'GET', userPath(jane.user_id), { token: own });
    expect(reply.status).toBe(200);
  });

  test('read:current_user on another user is 403 subject mismatch', async () => {
    const { emulator, jane } = await withJane();
    const other = await emulator.issueToken({ scopes: ['read:current_user'], subject: 'auth0|someone-else' });
    const reply = await send(emulator, 'GET', userPath(jane.user_id), { token: other });
    expect(reply.body).toStrictEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'User to be acted on does not match subject in bearer token.',
      errorCode: 'insufficient_scope',
    });
  });

  test('without a read scope is 403 listing every scope that would do', async () => {
    const { emulator, jane } = await withJane();
    const token = await emulator.issueToken({ scopes: ['update:users'] });
    const reply = await send(emulator, 'GET', userPath(jane.user_id), { token });
    expect(field(reply.body, 'message')).toBe(
      'Insufficient scope, expected any of: read:users,read:user_idp_tokens,read:current_user',
    );
  });
});

describe('PATCH /api/v2/users/{id}', () => {
  test('the seed walkthrough: home, home+work, delete a key with null, clear with {}', async () => {
    const { emulator, token, jane } = await withJane();
    const path = userPath(jane.user_id);
    const metadata = async (patch: unknown): Promise<unknown> => {
      const reply = await send(emulator, 'PATCH', path, { token, json: patch });
      expect(reply.status).toBe(200);
      return field(reply.body, 'user_metadata');
    };
    expect(await metadata({ user_metadata: { addresses: { home: '123 Main Street' } } })).toStrictEqual({
      hobby: 'surfing',
      addresses: { home: '123 Main Street' },
    });
    expect(
      await metadata({ user_metadata: { addresses: { home: '123 Main Street', work: '100 Industrial Way' } } }),
    ).toStrictEqual({ hobby: 'surfing', addresses: { home: '123 Main Street', work: '100 Industrial Way' } });
    expect(await metadata({ user_metadata: { hobby: null } })).toStrictEqual({
      addresses: { home: '123 Main Street', work: '100 Industrial Way' },
    });
    expect(await metadata({ user_metadata: {} })).toStrictEqual({});
    expect(emulator.getUser(jane.user_id)?.app_metadata).toStrictEqual({ plan: 'full' });
  });

  test('answers exactly what applyPatch gives, and stores it', async () => {
    const { emulator, clock, token, jane } = await withJane();
    clock.advance(60_000);
    const patch = { app_metadata: { plan: null, roles: ['admin'] }, given_name: 'Jane' };
    const reply = await send(emulator, 'PATCH', userPath(jane.user_id), { token, json: patch });
    const core = applyPatch(jane, patch, { now: clock.now });
    expect(reply.body).toStrictEqual(core.success ? core.value : undefined);
    expect(emulator.getUser(jane.user_id)).toStrictEqual(reply.body);
  });

  test('an invalid patch is the core error and changes nothing', async () => {
    const { emulator, token, jane } = await withJane();
    const patch = { user_metadata: null };
    const reply = await send(emulator, 'PATCH', userPath(jane.user_id), { token, json: patch });
    expect({ status: reply.status, body: reply.body }).toStrictEqual(expectedError(validatePatch(patch)));
    expect(emulator.getUser(jane.user_id)).toBe(jane);
  });

  test('an empty JSON object is 400 None of the valid schemas were met', async () => {
    const { emulator, token, jane } = await withJane();
    const reply = await send(emulator, 'PATCH', userPath(jane.user_id), { token, json: {} });
    expect({ status: reply.status, body: reply.body }).toStrictEqual(expectedError(validatePatch({})));
  });

  test('an empty body reads as null: 400 Expected type object but found type null', async () => {
    const { emulator, token, jane } = await withJane();
    const reply = await send(emulator, 'PATCH', userPath(jane.user_id), {
      token,
      raw: '',
      headers: { 'content-type': 'application/json' },
    });
    expect({ status: reply.status, body: reply.body }).toStrictEqual(expectedError(validatePatch(null)));
  });

  test('update:users_app_metadata may change app_metadata only', async () => {
    const { emulator, jane } = await withJane();
    const token = await emulator.issueToken({ scopes: ['update:users_app_metadata'] });
    const ok = await send(emulator, 'PATCH', userPath(jane.user_id), {
      token,
      json: { app_metadata: { plan: 'free' } },
    });
    expect(ok.status).toBe(200);
    const refused = await send(emulator, 'PATCH', userPath(jane.user_id), {
      token,
      json: { user_metadata: { hobby: 'chess' } },
    });
    expect(refused.body).toStrictEqual({
      statusCode: 403,
      error: 'Forbidden',
      message:
        'Insufficient scope, expected any of: update:users,update:users_app_metadata,update:current_user_metadata',
      errorCode: 'insufficient_scope',
    });
    expect(emulator.getUser(jane.user_id)?.user_metadata).toStrictEqual({ hobby: 'surfing' });
  });

  test('a current-user token patches its own user_metadata, not another user', async () => {
    const { emulator, token, jane } = await withJane();
    const own = await emulator.issueToken({ scopes: ['update:current_user_metadata'], subject: jane.user_id });
    const mine = await send(emulator, 'PATCH', userPath(jane.user_id), {
      token: own,
      json: { user_metadata: { a: 'b' } },
    });
    expect(mine.status).toBe(200);
    const bob = await send(emulator, 'POST', '/api/v2/users', { token, json: { ...JANE, email: 'bob@example.com' } });
    const other = await send(emulator, 'PATCH', userPath(userIdOf(bob.body)), {
      token: own,
      json: { user_metadata: { a: 'b' } },
    });
    expect(other.status).toBe(403);
    expect(field(other.body, 'message')).toBe('User to be acted on does not match subject in bearer token.');
  });

  test('an unknown user is 404', async () => {
    const { emulator, token } = await withJane();
    const reply = await send(emulator, 'PATCH', userPath('auth0|nobody'), { token, json: { user_metadata: { a: 1 } } });
    expect(reply.status).toBe(404);
    expect(errorCode(reply)).toBe('inexistent_user');
  });

  test('a new password replaces the old one for the password grant', async () => {
    const { emulator, token, jane } = await withJane();
    const patched = await send(emulator, 'PATCH', userPath(jane.user_id), { token, json: { password: 'New-pw-2026' } });
    expect(patched.status).toBe(200);
    expect(typeof field(patched.body, 'last_password_reset')).toBe('string');
    const login = (password: string): Promise<Reply> =>
      send(emulator, 'POST', '/oauth/token', {
        json: {
          grant_type: 'password',
          client_id: emulator.clientId,
          username: JANE.email,
          password,
          audience: emulator.audience,
        },
      });
    expect((await login('New-pw-2026')).status).toBe(200);
    expect((await login(JANE.password ?? '')).status).toBe(403);
  });

  test('a profile over 10 KB succeeds and reports the core warning', async () => {
    const warnings: string[] = [];
    const { emulator } = testEmulator({ onWarning: (warning) => warnings.push(warning.code) });
    const token = await emulator.issueToken({ scopes: ALL });
    const created = await send(emulator, 'POST', '/api/v2/users', { token, json: JANE });
    const reply = await send(emulator, 'PATCH', userPath(userIdOf(created.body)), {
      token,
      json: { user_metadata: { notes: 'x'.repeat(11_000) } },
    });
    expect(reply.status).toBe(200);
    expect(warnings).toStrictEqual(['profile_too_large']);
  });
});

describe('DELETE /api/v2/users/{id}', () => {
  test('answers 204 with no body, and the user is gone', async () => {
    const { emulator, token, jane } = await withJane();
    const reply = await send(emulator, 'DELETE', userPath(jane.user_id), { token });
    expect(reply.status).toBe(204);
    expect(reply.body).toBeUndefined();
    expect((await send(emulator, 'GET', userPath(jane.user_id), { token })).status).toBe(404);
  });

  test('deleting an unknown user is 204 too', async () => {
    const { emulator, token } = await withJane();
    expect((await send(emulator, 'DELETE', userPath('auth0|nobody'), { token })).status).toBe(204);
  });

  test('needs delete:users', async () => {
    const { emulator, jane } = await withJane();
    const token = await emulator.issueToken({ scopes: ['update:users'] });
    const reply = await send(emulator, 'DELETE', userPath(jane.user_id), { token });
    expect(field(reply.body, 'message')).toBe('Insufficient scope, expected any of: delete:users');
    expect(emulator.getUser(jane.user_id)).toBe(jane);
  });
});

describe('GET /api/v2/users', () => {
  async function withUsers(
    count: number,
  ): Promise<{ emulator: ReturnType<typeof testEmulator>['emulator']; token: string }> {
    const { emulator } = testEmulator();
    const token = await emulator.issueToken({ scopes: ALL });
    for (let index = 0; index < count; index++) {
      await send(emulator, 'POST', '/api/v2/users', { token, json: { ...JANE, email: `user${index}@example.com` } });
    }
    return { emulator, token };
  }

  test('lists users in creation order, 50 per page by default', async () => {
    const { emulator, token } = await withUsers(3);
    const reply = await send(emulator, 'GET', '/api/v2/users', { token });
    expect(reply.body).toStrictEqual(emulator.snapshot());
  });

  test('page, per_page and include_totals', async () => {
    const { emulator, token } = await withUsers(5);
    const reply = await send(emulator, 'GET', '/api/v2/users?page=1&per_page=2&include_totals=true&fields=email', {
      token,
    });
    expect(reply.body).toStrictEqual({
      start: 2,
      limit: 2,
      length: 2,
      users: [{ email: 'user2@example.com' }, { email: 'user3@example.com' }],
      total: 5,
    });
  });

  test.each([
    ['per_page=101', 'per_page'],
    ['per_page=abc', 'per_page'],
    ['page=-1', 'page'],
    ['include_totals=yes', 'include_totals'],
    ['include_fields=maybe', 'include_fields'],
    ['q=email:"jane', 'q'],
    ['sort=email', 'sort'],
    ['search_engine=v4', 'search_engine'],
  ])('%s is 400 invalid_query_string', async (query, parameter) => {
    const { emulator, token } = await withUsers(1);
    const reply = await send(emulator, 'GET', `/api/v2/users?${query}`, { token });
    expect(reply.status).toBe(400);
    expect(errorCode(reply)).toBe('invalid_query_string');
    expect(String(field(reply.body, 'message'))).toContain(`on property ${parameter}`);
  });

  test('needs read:users', async () => {
    const { emulator } = await withUsers(0);
    const token = await emulator.issueToken({ scopes: ['read:current_user'] });
    const reply = await send(emulator, 'GET', '/api/v2/users', { token });
    expect(field(reply.body, 'message')).toBe('Insufficient scope, expected any of: read:users');
  });
});

describe('GET /api/v2/users-by-email', () => {
  test('finds the users with that email, with fields', async () => {
    const { emulator, token, jane } = await withJane();
    const reply = await send(
      emulator,
      'GET',
      `/api/v2/users-by-email?email=${encodeURIComponent(JANE.email ?? '')}&fields=user_id`,
      {
        token,
      },
    );
    expect(reply.body).toStrictEqual([{ user_id: jane.user_id }]);
  });

  test('answers [] when nobody has it', async () => {
    const { emulator, token } = await withJane();
    const reply = await send(emulator, 'GET', '/api/v2/users-by-email?email=nobody%40example.com', { token });
    expect(reply.body).toStrictEqual([]);
  });

  test('without email is 400 invalid_query_string', async () => {
    const { emulator, token } = await withJane();
    const reply = await send(emulator, 'GET', '/api/v2/users-by-email', { token });
    expect(reply.status).toBe(400);
    expect(errorCode(reply)).toBe('invalid_query_string');
  });
});

describe('emulator methods', () => {
  test('seeded users are created by the core, in order, and reset() returns to them', async () => {
    const seed = [JANE, { connection: CONNECTION, email: 'bob@example.com', password: 'pw' }];
    const { emulator } = testEmulator({ users: seed });
    const ids = sequentialIds();
    const expected = seed.map((body) => {
      const result = createUser(body, { now: () => new Date(START), generateId: ids });
      return result.success ? result.value : undefined;
    });
    expect(emulator.snapshot()).toStrictEqual(expected);
    const token = await emulator.issueToken({ scopes: ALL });
    const [jane] = emulator.snapshot();
    await send(emulator, 'DELETE', userPath(jane?.user_id ?? ''), { token });
    await send(emulator, 'POST', '/api/v2/users', { token, json: { ...JANE, email: 'carol@example.com' } });
    expect(emulator.snapshot()).toHaveLength(2);
    emulator.reset();
    expect(emulator.snapshot()).toStrictEqual(expected);
  });

  test('an invalid seed user throws EmulatorSeedError with its index and the core issues', () => {
    const invalid = { connection: CONNECTION, email: 'x@example.com' };
    const error = (() => {
      try {
        testEmulator({ users: [JANE, invalid] });
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(EmulatorSeedError);
    expect(error instanceof EmulatorSeedError && [error.index, error.issues]).toStrictEqual([
      1,
      issuesOf(validateCreateUser(invalid)),
    ]);
  });

  test('a seed the core cannot create, or a duplicate seed, throws EmulatorSeedError; a broken id source throws its own error', () => {
    const broken = (): string => {
      throw new Error('no ids left');
    };
    // A throwing id source is the caller's own error, thrown as it was.
    expect(() => testEmulator({ users: [JANE], generateId: broken })).toThrow('no ids left');
    expect(() => testEmulator({ users: [{ ...JANE, email: 'not an email' }] })).toThrow(EmulatorSeedError);
    expect(() => testEmulator({ users: [JANE, JANE] })).toThrow('Seed user 1 is invalid: The user already exists.');
  });

  test('createUser() validates and refuses duplicates like POST', async () => {
    const { emulator } = testEmulator();
    expect((await emulator.createUser(JANE)).success).toBe(true);
    const duplicate = await emulator.createUser(JANE);
    expect(duplicate.success ? [] : duplicate.issues.map((issue) => issue.code)).toStrictEqual(['user_exists']);
  });

  test('two emulators share nothing: users, keys or secrets', async () => {
    const first = testEmulator({ clientSecret: 'one' }).emulator;
    const second = testEmulator({ clientSecret: 'two' }).emulator;
    await first.createUser(JANE);
    expect(second.snapshot()).toStrictEqual([]);
    const token = await first.issueToken({ scopes: ALL });
    expect((await send(second, 'GET', '/api/v2/users', { token })).status).toBe(401);
  });
});
