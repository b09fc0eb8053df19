import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { describe, expect, test, vi } from 'vitest';
import { DEFAULT_CLIENT_SCOPES } from '../../src/emulator/index.js';
import {
  AUDIENCE,
  BASE,
  clientCredentials,
  field,
  JANE,
  type Reply,
  requestToken,
  send,
  TENANT,
  testEmulator,
  userPath,
} from './helpers.js';

function accessToken(reply: Reply): string {
  const token = field(reply.body, 'access_token');
  if (typeof token !== 'string') throw new Error(`No access_token in ${JSON.stringify(reply.body)}`);
  return token;
}

describe('client_credentials', () => {
  test('answers a signed JWT with scope, sub, aud, iss and exp', async () => {
    const { emulator, clock } = testEmulator();
    const reply = await requestToken(emulator, clientCredentials(emulator));
    expect(reply.status).toBe(200);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    expect(field(reply.body, 'token_type')).toBe('Bearer');
    expect(field(reply.body, 'expires_in')).toBe(86_400);
    expect(field(reply.body, 'scope')).toBe(DEFAULT_CLIENT_SCOPES.join(' '));
    const claims = decodeJwt(accessToken(reply));
    const issuedAt = clock.now().getTime() / 1000;
    expect(claims).toMatchObject({
      iss: `https://${TENANT}/`,
      sub: `${emulator.clientId}@clients`,
      aud: AUDIENCE,
      scope: DEFAULT_CLIENT_SCOPES.join(' '),
      iat: issuedAt,
      exp: issuedAt + 86_400,
    });
  });

  test('the token verifies against /.well-known/jwks.json', async () => {
    const { emulator, clock } = testEmulator();
    const token = accessToken(await requestToken(emulator, clientCredentials(emulator)));
    const jwks = await send(emulator, 'GET', '/.well-known/jwks.json');
    const keys = field(jwks.body, 'keys');
    if (!Array.isArray(keys)) throw new Error('no keys');
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet({ keys }), {
      issuer: `https://${TENANT}/`,
      audience: AUDIENCE,
      currentDate: clock.now(),
    });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload.sub).toBe(`${emulator.clientId}@clients`);
  });

  test('accepts JSON bodies and HTTP Basic client authentication', async () => {
    const { emulator } = testEmulator();
    const json = await send(emulator, 'POST', '/oauth/token', {
      json: Object.fromEntries(clientCredentials(emulator)),
    });
    expect(json.status).toBe(200);
    const form = new URLSearchParams({ grant_type: 'client_credentials', audience: AUDIENCE });
    const basic = btoa(`${emulator.clientId}:${emulator.clientSecret}`);
    const reply = await requestToken(emulator, form, { authorization: `Basic ${basic}` });
    expect(reply.status).toBe(200);
  });

  test('scope narrows the token', async () => {
    const { emulator } = testEmulator();
    const reply = await requestToken(emulator, clientCredentials(emulator, { scope: 'read:users' }));
    expect(field(reply.body, 'scope')).toBe('read:users');
    const token = accessToken(reply);
    const created = await send(emulator, 'POST', '/api/v2/users', { token, json: JANE });
    expect(created.status).toBe(403);
  });

  test.each<[string, unknown]>([
    ['an array', ['read:users']],
    ['an empty array', []],
    ['an object', { 'read:users': true }],
    ['a number', 1],
    ['null', null],
    ['true', true],
  ])('a JSON scope that is %s is 400 invalid_request, never every scope of the client', async (_name, scope) => {
    const { emulator } = testEmulator();
    const json = { ...Object.fromEntries(clientCredentials(emulator)), scope };
    const reply = await send(emulator, 'POST', '/oauth/token', { json });
    expect({ status: reply.status, body: reply.body }).toStrictEqual({
      status: 400,
      body: { error: 'invalid_request', error_description: 'Invalid value for parameter scope: expected a string' },
    });
  });

  test.each(['grant_type', 'client_id', 'client_secret', 'audience'])(
    'any JSON parameter that is not a string (%s) is 400 invalid_request',
    async (name) => {
      const { emulator } = testEmulator();
      const json = { ...Object.fromEntries(clientCredentials(emulator)), [name]: [emulator.clientId] };
      const reply = await send(emulator, 'POST', '/oauth/token', { json });
      expect(reply.status).toBe(400);
      expect(field(reply.body, 'error')).toBe('invalid_request');
    },
  );

  test('a JSON password grant with an array scope is refused too', async () => {
    const { emulator } = testEmulator({ users: [JANE] });
    const json = {
      grant_type: 'password',
      client_id: emulator.clientId,
      username: JANE.email,
      password: JANE.password,
      audience: emulator.audience,
      scope: ['read:current_user'],
    };
    const reply = await send(emulator, 'POST', '/oauth/token', { json });
    expect(reply.status).toBe(400);
  });

  test('a scope the client was not granted is 403 access_denied', async () => {
    const { emulator } = testEmulator();
    const reply = await requestToken(emulator, clientCredentials(emulator, { scope: 'read:users read:logs' }));
    expect(reply.status).toBe(403);
    expect(reply.body).toStrictEqual({
      error: 'access_denied',
      error_description: 'Client has not been granted scopes: read:logs',
    });
  });

  test('the audience of the origin the request reached is accepted too', async () => {
    const { emulator } = testEmulator();
    const local = 'http://127.0.0.1:4000';
    const form = clientCredentials(emulator, { audience: `${local}/api/v2/` });
    const response = await emulator.fetch(`${local}/oauth/token`, { method: 'POST', body: form });
    expect(response.status).toBe(200);
    const token = String(field(await response.json(), 'access_token'));
    const users = await emulator.fetch(`${local}/api/v2/users`, { headers: { authorization: `Bearer ${token}` } });
    expect(users.status).toBe(200);
    const elsewhere = await emulator.fetch(`${BASE}/api/v2/users`, { headers: { authorization: `Bearer ${token}` } });
    expect(elsewhere.status).toBe(401);
  });

  test.each([
    ['a wrong secret', { client_secret: 'wrong' }, 401, { error: 'access_denied', error_description: 'Unauthorized' }],
    ['an unknown client', { client_id: 'someone' }, 401, { error: 'access_denied', error_description: 'Unauthorized' }],
    [
      'no client_id',
      { client_id: '' },
      400,
      { error: 'invalid_request', error_description: 'Missing required parameter: client_id' },
    ],
    [
      'no audience',
      { audience: '' },
      403,
      {
        error: 'access_denied',
        error_description: 'No audience parameter was provided, and no default audience has been configured',
      },
    ],
    [
      'another audience',
      { audience: 'https://api.example.com/' },
      403,
      { error: 'access_denied', error_description: 'Service not enabled within domain: https://api.example.com/' },
    ],
    [
      'an unknown grant type',
      { grant_type: 'authorization_code' },
      400,
      { error: 'unsupported_grant_type', error_description: 'Unsupported grant type: authorization_code' },
    ],
    [
      'no grant type',
      { grant_type: '' },
      400,
      { error: 'invalid_request', error_description: 'Missing required parameter: grant_type' },
    ],
  ])('%s: Auth0 error body', async (_, change, status, body) => {
    const { emulator } = testEmulator();
    const reply = await requestToken(emulator, clientCredentials(emulator, change));
    expect({ status: reply.status, body: reply.body }).toStrictEqual({ status, body });
  });

  test('a missing secret and a bad Basic header are 401', async () => {
    const { emulator } = testEmulator();
    const form = clientCredentials(emulator);
    form.delete('client_secret');
    expect((await requestToken(emulator, form)).status).toBe(401);
    const reply = await requestToken(emulator, form, { authorization: 'Basic !!!' });
    expect(reply.status).toBe(401);
    const garbled = await requestToken(emulator, form, { authorization: `Basic ${btoa('no-colon')}` });
    expect(garbled.status).toBe(401);
  });
});

describe('password grant', () => {
  async function withJane(): Promise<ReturnType<typeof testEmulator>> {
    const setup = testEmulator({ users: [JANE] });
    return setup;
  }

  function passwordForm(
    emulator: ReturnType<typeof testEmulator>['emulator'],
    extra: Record<string, string> = {},
  ): URLSearchParams {
    return new URLSearchParams({
      grant_type: 'password',
      client_id: emulator.clientId,
      username: JANE.email ?? '',
      password: JANE.password ?? '',
      audience: emulator.audience,
      scope: 'openid read:current_user update:current_user_metadata read:users',
      ...extra,
    });
  }

  test('an unknown user costs the same PBKDF2 work as a wrong password: timing tells no one exists', async () => {
    const { emulator } = await withJane();
    const wrong = passwordForm(emulator, { password: 'not-the-password' });
    const unknown = passwordForm(emulator, { username: 'nobody@example.com' });
    // Once each first: the seeded hash and the decoy are made once, on first use.
    await requestToken(emulator, wrong);
    await requestToken(emulator, unknown);
    const derive = vi.spyOn(crypto.subtle, 'deriveBits');
    try {
      const iterationsOf = async (form: URLSearchParams): Promise<unknown[]> => {
        derive.mockClear();
        const reply = await requestToken(emulator, form);
        expect(reply.status).toBe(403);
        return derive.mock.calls.map(([algorithm]) =>
          typeof algorithm === 'object' ? Reflect.get(algorithm, 'iterations') : algorithm,
        );
      };
      const forWrong = await iterationsOf(wrong);
      expect(forWrong).toHaveLength(1);
      expect(await iterationsOf(unknown)).toStrictEqual(forWrong);
    } finally {
      derive.mockRestore();
    }
  });

  test('gives the user a token for its own id with only current-user scopes', async () => {
    const { emulator } = await withJane();
    const [jane] = emulator.snapshot();
    const reply = await requestToken(emulator, passwordForm(emulator));
    expect(reply.status).toBe(200);
    expect(field(reply.body, 'scope')).toBe('read:current_user update:current_user_metadata');
    const claims = decodeJwt(accessToken(reply));
    expect(claims.sub).toBe(jane?.user_id);
    const token = accessToken(reply);
    const own = await send(emulator, 'PATCH', userPath(jane?.user_id ?? ''), {
      token,
      json: { user_metadata: { theme: 'dark' } },
    });
    expect(own.status).toBe(200);
    const list = await send(emulator, 'GET', '/api/v2/users', { token });
    expect(list.status).toBe(403);
  });

  test('the password-realm grant checks the connection', async () => {
    const { emulator } = await withJane();
    const realm = 'http://auth0.com/oauth/grant-type/password-realm';
    const ok = await requestToken(emulator, passwordForm(emulator, { grant_type: realm, realm: JANE.connection }));
    expect(ok.status).toBe(200);
    const other = await requestToken(emulator, passwordForm(emulator, { grant_type: realm, realm: 'other-db' }));
    expect(other.status).toBe(403);
    const missing = await requestToken(emulator, passwordForm(emulator, { grant_type: realm }));
    expect(missing.body).toStrictEqual({
      error: 'invalid_request',
      error_description: 'Missing required parameter: realm',
    });
  });

  test('the username is matched case-insensitively against the stored email', async () => {
    const { emulator } = await withJane();
    const reply = await requestToken(emulator, passwordForm(emulator, { username: 'Jane.Doe@Example.com' }));
    expect(reply.status).toBe(200);
  });

  test.each([
    ['a wrong password', { password: 'wrong' }],
    ['an unknown user', { username: 'nobody@example.com' }],
  ])('%s is 403 invalid_grant', async (_, change) => {
    const { emulator } = await withJane();
    const reply = await requestToken(emulator, passwordForm(emulator, change));
    expect({ status: reply.status, body: reply.body }).toStrictEqual({
      status: 403,
      body: { error: 'invalid_grant', error_description: 'Wrong email or password.' },
    });
  });

  test('a wrong client secret is 401, a missing username 400', async () => {
    const { emulator } = await withJane();
    expect((await requestToken(emulator, passwordForm(emulator, { client_secret: 'nope' }))).status).toBe(401);
    expect((await requestToken(emulator, passwordForm(emulator, { username: '' }))).status).toBe(400);
  });

  test('a blocked user is 401 unauthorized', async () => {
    const { emulator } = await withJane();
    const [jane] = emulator.snapshot();
    const token = await emulator.issueToken({ scopes: ['update:users'] });
    await send(emulator, 'PATCH', userPath(jane?.user_id ?? ''), { token, json: { blocked: true } });
    const reply = await requestToken(emulator, passwordForm(emulator));
    expect(reply.body).toStrictEqual({ error: 'unauthorized', error_description: 'user is blocked' });
  });

  test('a user deleted while its password is being checked cannot log in', async () => {
    const { emulator } = await withJane();
    const [jane] = emulator.snapshot();
    const token = await emulator.issueToken({ scopes: ['delete:users'] });
    await requestToken(emulator, passwordForm(emulator)); // the seeded hash is ready now
    const original = crypto.subtle.deriveBits.bind(crypto.subtle);
    let reached: () => void = () => undefined;
    const hashing = new Promise<void>((resolve) => {
      reached = resolve;
    });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const spy = vi.spyOn(crypto.subtle, 'deriveBits').mockImplementation(async (...args) => {
      reached();
      await gate;
      return original(...args);
    });
    try {
      const login = requestToken(emulator, passwordForm(emulator));
      await hashing;
      await send(emulator, 'DELETE', userPath(jane?.user_id ?? ''), { token });
      release();
      expect((await login).body).toStrictEqual({
        error: 'invalid_grant',
        error_description: 'Wrong email or password.',
      });
    } finally {
      spy.mockRestore();
    }
  });

  test('a seeded password whose hashing failed answers 500 on login, without an unhandled rejection', async () => {
    const spy = vi.spyOn(crypto.subtle, 'deriveBits').mockRejectedValueOnce(new Error('no entropy'));
    try {
      const { emulator } = await withJane();
      const reply = await requestToken(emulator, passwordForm(emulator));
      expect({ status: reply.status, body: reply.body }).toStrictEqual({
        status: 500,
        body: { error: 'internal_error', error_description: 'Internal Server Error' },
      });
    } finally {
      spy.mockRestore();
    }
  });

  test('a deleted user can no longer log in', async () => {
    const { emulator } = await withJane();
    const [jane] = emulator.snapshot();
    const token = await emulator.issueToken({ scopes: ['delete:users'] });
    await send(emulator, 'DELETE', userPath(jane?.user_id ?? ''), { token });
    expect((await requestToken(emulator, passwordForm(emulator))).status).toBe(403);
  });
});

describe('bearer tokens on the Management API', () => {
  test.each([
    ['no Authorization header', undefined, 'Missing authentication'],
    ['another scheme', 'Basic abc', 'Bad HTTP authentication header format'],
    ['a malformed token', 'Bearer not-a-jwt', 'Invalid token'],
  ])('%s is 401 invalid_token', async (_, authorization, message) => {
    const { emulator } = testEmulator();
    const reply = await send(emulator, 'GET', '/api/v2/users', {
      headers: authorization === undefined ? {} : { authorization },
    });
    expect(reply.body).toStrictEqual({ statusCode: 401, error: 'Unauthorized', message, errorCode: 'invalid_token' });
  });

  test('a token signed by another key is 401', async () => {
    const { emulator } = testEmulator();
    const stranger = testEmulator().emulator;
    const token = await stranger.issueToken();
    const reply = await send(emulator, 'GET', '/api/v2/users', { token });
    expect(field(reply.body, 'errorCode')).toBe('invalid_token');
  });

  test('a token with a tampered payload is 401', async () => {
    const { emulator } = testEmulator();
    const [header, , signature] = (await emulator.issueToken({ scopes: ['read:current_user'] })).split('.');
    const payload = btoa(
      JSON.stringify({ sub: 'x', scope: 'read:users', aud: AUDIENCE, iss: `https://${TENANT}/`, exp: 4e9 }),
    )
      .replaceAll('=', '')
      .replaceAll('+', '-')
      .replaceAll('/', '_');
    const reply = await send(emulator, 'GET', '/api/v2/users', { token: `${header}.${payload}.${signature}` });
    expect(reply.status).toBe(401);
  });

  test('an expired token is 401, judged by the emulator clock', async () => {
    const { emulator, clock } = testEmulator({ tokenLifetime: 60 });
    const token = await emulator.issueToken({ scopes: ['read:users'] });
    expect((await send(emulator, 'GET', '/api/v2/users', { token })).status).toBe(200);
    clock.advance(61_000);
    const reply = await send(emulator, 'GET', '/api/v2/users', { token });
    expect(reply.body).toStrictEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'Expired token received for JSON Web Token validation',
      errorCode: 'invalid_token',
    });
  });

  test('a token for another audience is 401', async () => {
    const { emulator } = testEmulator();
    const token = await emulator.issueToken({ audience: 'https://api.example.com/' });
    const reply = await send(emulator, 'GET', '/api/v2/users', { token });
    expect(reply.body).toStrictEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'Bad audience',
      errorCode: 'invalid_token',
    });
  });
});

describe('a login is recorded on the user (rule 34)', () => {
  function loginForm(
    emulator: ReturnType<typeof testEmulator>['emulator'],
    password = JANE.password ?? '',
  ): URLSearchParams {
    return new URLSearchParams({
      grant_type: 'password',
      client_id: emulator.clientId,
      username: JANE.email ?? '',
      password,
      audience: emulator.audience,
    });
  }

  test('a successful login sets last_login and last_ip and adds 1 to logins_count; updated_at stays', async () => {
    const { emulator, clock } = testEmulator({ users: [JANE] });
    const [before] = emulator.snapshot();
    expect(before).not.toHaveProperty('logins_count');
    clock.advance(60_000);
    expect((await requestToken(emulator, loginForm(emulator))).status).toBe(200);
    clock.advance(60_000);
    expect((await requestToken(emulator, loginForm(emulator))).status).toBe(200);
    const [after] = emulator.snapshot();
    expect(after).toMatchObject({
      last_login: '2026-01-01T00:02:00.000Z',
      last_ip: '127.0.0.1',
      logins_count: 2,
      updated_at: before?.updated_at,
    });
  });

  test('a wrong password, a blocked user and a client-credentials token record nothing', async () => {
    const { emulator } = testEmulator({ users: [{ ...JANE, blocked: true }] });
    expect((await requestToken(emulator, loginForm(emulator, 'wrong'))).status).toBe(403);
    expect((await requestToken(emulator, loginForm(emulator))).status).toBe(401);
    expect((await requestToken(emulator, clientCredentials(emulator))).status).toBe(200);
    expect(emulator.snapshot()[0]).not.toHaveProperty('last_login');
  });

  test('the address a server saw is the last_ip, an IPv4-mapped one written as IPv4', async () => {
    const { emulator } = testEmulator({ users: [JANE] });
    const body = new TextEncoder().encode(loginForm(emulator).toString());
    const headers = new Headers({ 'content-type': 'application/x-www-form-urlencoded' });
    const answer = await emulator.handle({
      method: 'POST',
      url: `${BASE}/oauth/token`,
      headers,
      body,
      remoteAddress: '::ffff:192.0.2.7',
    });
    expect(answer.status).toBe(200);
    expect(emulator.snapshot()[0]?.last_ip).toBe('192.0.2.7');
  });
});

describe('loopback audiences (a token minted through one loopback name is good through another)', () => {
  test('a token for http://127.0.0.1:PORT/api/v2/ is accepted through localhost and [::1], not through another host', async () => {
    const { emulator } = testEmulator({ users: [JANE] });
    const minted = await emulator.fetch('http://127.0.0.1:4123/oauth/token', {
      method: 'POST',
      body: clientCredentials(emulator, { audience: 'http://127.0.0.1:4123/api/v2/' }),
    });
    expect(minted.status).toBe(200);
    const token = accessToken({ status: minted.status, body: await minted.json(), headers: minted.headers });
    const through = async (origin: string): Promise<unknown> => {
      const response = await emulator.fetch(`${origin}/api/v2/users`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return response.status === 200 ? 200 : field(await response.json(), 'message');
    };
    expect(await through('http://localhost:4123')).toBe(200);
    expect(await through('http://[::1]:4123')).toBe(200);
    expect(await through('http://127.0.0.1:4123')).toBe(200);
    expect(await through('http://localhost:4124')).toBe('Bad audience');
    expect(await through('http://192.0.2.1:4123')).toBe('Bad audience');
  });

  test('the tenant audience is good through any origin', async () => {
    const { emulator } = testEmulator();
    const token = await emulator.issueToken();
    const response = await emulator.fetch('http://localhost:4123/api/v2/users', {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
  });
});
