import { ManagementClient, ManagementError } from 'auth0';
import { AuthenticationClient } from 'auth0/legacy';
import { describe, expect, test } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { validateSignup } from '../../src/signupUser.js';
import { CONNECTION, expectedError, field, JANE, TENANT, testEmulator } from './helpers.js';

/** The SDKs call `fetch(url, init)`; the emulator's handler takes exactly that. */
function management(emulator: Emulator, token: string): ManagementClient {
  return new ManagementClient({ domain: TENANT, token, fetch: emulator.fetch, maxRetries: 0 });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the call to fail');
}

describe('ManagementClient (auth0 v7) against the handler', () => {
  test('runs the seed walkthrough end to end', async () => {
    const { emulator } = testEmulator();
    const client = management(emulator, await emulator.issueToken());

    const created = await client.users.create({
      connection: CONNECTION,
      email: 'jane.doe@example.com',
      password: 'Pw1!surfing',
      user_metadata: { hobby: 'surfing' },
      app_metadata: { plan: 'full' },
    });
    const id = created.user_id ?? '';
    expect(id).toMatch(/^auth0\|[0-9a-f]{24}$/);

    expect(await client.users.get(id, { fields: 'user_metadata', include_fields: true })).toStrictEqual({
      user_metadata: { hobby: 'surfing' },
    });

    const home = await client.users.update(id, { user_metadata: { addresses: { home: '123 Main Street' } } });
    expect(home.user_metadata).toStrictEqual({ hobby: 'surfing', addresses: { home: '123 Main Street' } });

    const both = await client.users.update(id, {
      user_metadata: { addresses: { home: '123 Main Street', work: '100 Industrial Way' } },
    });
    expect(both.user_metadata).toStrictEqual({
      hobby: 'surfing',
      addresses: { home: '123 Main Street', work: '100 Industrial Way' },
    });

    const deleted = await client.users.update(id, { user_metadata: { hobby: null } });
    expect(deleted.user_metadata).toStrictEqual({ addresses: { home: '123 Main Street', work: '100 Industrial Way' } });

    const cleared = await client.users.update(id, { user_metadata: {} });
    expect(cleared.user_metadata).toStrictEqual({});
    expect(cleared.app_metadata).toStrictEqual({ plan: 'full' });

    const page = await client.users.list({ fields: 'email', include_fields: true });
    expect(page.data).toStrictEqual([{ email: 'jane.doe@example.com' }]);

    await client.users.delete(id);
    const missing = await rejection(client.users.get(id));
    expect(missing).toBeInstanceOf(ManagementError);
    expect(missing instanceof ManagementError && missing.statusCode).toBe(404);
    expect(missing instanceof ManagementError && missing.body).toStrictEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'The user does not exist.',
      errorCode: 'inexistent_user',
    });
  });

  test('surfaces Auth0 errors: 400 invalid_body, 403 insufficient_scope, 409 duplicate', async () => {
    const { emulator } = testEmulator({ users: [JANE] });
    const [jane] = emulator.snapshot();
    const admin = management(emulator, await emulator.issueToken());

    const invalid = await rejection(admin.users.update(jane?.user_id ?? '', { user_metadata: { 'a.b': 1 } }));
    expect(invalid instanceof ManagementError && [invalid.statusCode, invalid.body]).toStrictEqual([
      400,
      {
        statusCode: 400,
        error: 'Bad Request',
        message: 'Fields with "." are not allowed, please remove all dotted fields. Example: user_metadata.a.b',
        errorCode: 'invalid_body',
      },
    ]);

    const appOnly = management(emulator, await emulator.issueToken({ scopes: ['update:users_app_metadata'] }));
    const forbidden = await rejection(appOnly.users.update(jane?.user_id ?? '', { user_metadata: { a: 1 } }));
    expect(forbidden instanceof ManagementError && forbidden.statusCode).toBe(403);

    const duplicate = await rejection(admin.users.create({ ...JANE, connection: CONNECTION }));
    expect(duplicate instanceof ManagementError && duplicate.statusCode).toBe(409);
  });

  test('fetches its own token with clientId and clientSecret', async () => {
    const { emulator } = testEmulator({ users: [JANE] });
    const client = new ManagementClient({
      domain: TENANT,
      clientId: emulator.clientId,
      clientSecret: emulator.clientSecret,
      fetch: emulator.fetch,
      maxRetries: 0,
    });
    const [jane] = emulator.snapshot();
    expect(await client.users.get(jane?.user_id ?? '', { fields: 'app_metadata' })).toStrictEqual({
      app_metadata: { plan: 'full' },
    });
  });

  test('a wrong client secret surfaces the /oauth/token error', async () => {
    const { emulator } = testEmulator();
    const client = new ManagementClient({
      domain: TENANT,
      clientId: emulator.clientId,
      clientSecret: 'wrong',
      fetch: emulator.fetch,
      maxRetries: 0,
    });
    const error = await rejection(client.users.get('auth0|1'));
    expect(error instanceof ManagementError && [error.statusCode, error.body]).toStrictEqual([
      401,
      { error: 'access_denied', error_description: 'Unauthorized' },
    ]);
  });
});

describe('AuthenticationClient (auth0/legacy) database.signUp against the handler', () => {
  function authentication(emulator: Emulator): AuthenticationClient {
    return new AuthenticationClient({ domain: TENANT, clientId: 'spa-client', fetch: emulator.fetch });
  }

  const signUp = {
    connection: CONNECTION,
    email: 'jane.doe@example.com',
    password: 'Pw1!surfing',
  };

  test('signs a user up with valid metadata; the Management API then reads it', async () => {
    const { emulator } = testEmulator();
    const response = await authentication(emulator).database.signUp({
      ...signUp,
      user_metadata: { hobby: 'surfing', plan: 'full' },
    });
    expect(response.status).toBe(200);
    expect(response.data).toMatchObject({
      _id: '000000000000000000000001',
      email: 'jane.doe@example.com',
      email_verified: false,
      user_metadata: { hobby: 'surfing', plan: 'full' },
    });
    const client = management(emulator, await emulator.issueToken());
    expect(await client.users.get('auth0|000000000000000000000001', { fields: 'user_metadata' })).toStrictEqual({
      user_metadata: { hobby: 'surfing', plan: 'full' },
    });
  });

  test.each([
    ['a number', { age: 42 }],
    ['an object', { address: { city: 'Paris' } }],
    ['a boolean', { vip: true }],
    ['null', { hobby: null }],
    ['11 properties', Object.fromEntries(Array.from({ length: 11 }, (_, index) => [`key${index}`, 'v']))],
    ['a 101-character name', { ['n'.repeat(101)]: 'v' }],
    ['a 501-character value', { bio: 'x'.repeat(501) }],
    ['a dotted name', { 'a.b': 'v' }],
    ['a $ name', { $where: 'v' }],
  ])('surfaces Auth0 signup error for metadata with %s', async (_, metadata) => {
    const { emulator } = testEmulator();
    const body = { ...signUp, user_metadata: metadata };
    const expected = expectedError(validateSignup({ client_id: 'spa-client', ...body }), 'authentication');
    const error = await rejection(authentication(emulator).database.signUp(body));
    expect(error).toMatchObject({
      name: 'AuthApiError',
      statusCode: 400,
      error: field(expected.body, 'code'),
      error_description: field(expected.body, 'description'),
    });
    expect(emulator.snapshot()).toStrictEqual([]);
  });

  test('surfaces user_exists for a second signup with the same email', async () => {
    const { emulator } = testEmulator();
    await authentication(emulator).database.signUp(signUp);
    const error = await rejection(authentication(emulator).database.signUp(signUp));
    expect(error).toMatchObject({
      statusCode: 400,
      error: 'user_exists',
      error_description: 'The user already exists.',
    });
  });
});
