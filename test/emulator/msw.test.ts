import { ManagementClient } from 'auth0';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createEmulator } from '../../src/emulator/index.js';
import { CONNECTION, JANE } from './helpers.js';

// The recipe of docs/recipes.md: every request to the tenant goes to the emulator; the application under test
// keeps calling global fetch (or the SDK without a custom fetch) and never knows.
const emulator = createEmulator({
  domain: 'my-tenant.eu.auth0.com',
  users: [JANE],
  passwordHashIterations: 1,
});
const server = setupServer(
  http.all('https://my-tenant.eu.auth0.com/*', ({ request }) => emulator.fetch(request)),
  // Anything else the application calls is answered here, not by the emulator.
  http.get('https://api.example.com/status', () => HttpResponse.json({ ok: true })),
);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => emulator.reset());
afterAll(() => server.close());

/** Application code: plain global fetch, no knowledge of the emulator. */
async function managementToken(): Promise<string> {
  const response = await fetch('https://my-tenant.eu.auth0.com/oauth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'client_credentials',
      client_id: emulator.clientId,
      client_secret: emulator.clientSecret,
      audience: 'https://my-tenant.eu.auth0.com/api/v2/',
    }),
  });
  const body: unknown = await response.json();
  if (typeof body !== 'object' || body === null || !('access_token' in body) || typeof body.access_token !== 'string') {
    throw new Error(`no token: ${JSON.stringify(body)}`);
  }
  return body.access_token;
}

async function setHomeAddress(userId: string, home: string): Promise<Response> {
  return fetch(`https://my-tenant.eu.auth0.com/api/v2/users/${encodeURIComponent(userId)}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${await managementToken()}`, 'content-type': 'application/json' },
    body: JSON.stringify({ user_metadata: { addresses: { home } } }),
  });
}

describe('msw forwarding https://<tenant>/* to the emulator', () => {
  test('application code with global fetch patches metadata', async () => {
    const [jane] = emulator.snapshot();
    const response = await setHomeAddress(jane?.user_id ?? '', '123 Main Street');
    expect(response.status).toBe(200);
    expect(emulator.getUser(jane?.user_id ?? '')?.user_metadata).toStrictEqual({
      hobby: 'surfing',
      addresses: { home: '123 Main Street' },
    });
  });

  test('Auth0 errors come through unchanged', async () => {
    const response = await setHomeAddress('auth0|nobody', 'nowhere');
    expect(response.status).toBe(404);
    expect(await response.json()).toStrictEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'The user does not exist.',
      errorCode: 'inexistent_user',
    });
  });

  test('the auth0 SDK with no custom fetch is intercepted too', async () => {
    const client = new ManagementClient({
      domain: 'my-tenant.eu.auth0.com',
      clientId: emulator.clientId,
      clientSecret: emulator.clientSecret,
      maxRetries: 0,
    });
    const created = await client.users.create({ connection: CONNECTION, email: 'bob@example.com', password: 'pw' });
    expect(created.email).toBe('bob@example.com');
    expect(emulator.snapshot()).toHaveLength(2);
  });

  test('other hosts keep their own handlers', async () => {
    const response = await fetch('https://api.example.com/status');
    expect(await response.json()).toStrictEqual({ ok: true });
  });

  test('reset() between tests: the previous test created bob, this one does not see him', () => {
    expect(emulator.snapshot().map((user) => user.email)).toStrictEqual([JANE.email]);
  });
});
