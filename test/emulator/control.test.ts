/**
 * The control API: the same operations through `emulator.control` and through the HTTP routes
 * under /__emulator/ (answered only for a loopback Host), each able to fail on its own.
 */
import { describe, expect, onTestFinished, test, vi } from 'vitest';
import { TOO_MANY_REQUESTS_BODY } from '../../src/emulator/index.js';
import { field, JANE, send, testEmulator, userPath } from './helpers.js';

const LOCAL = 'http://127.0.0.1:4000';

/** One request to the control API over the emulator's fetch, from a loopback origin. */
async function call(
  emulator: ReturnType<typeof testEmulator>['emulator'],
  method: string,
  path: string,
  body?: unknown,
  origin = LOCAL,
): Promise<{ status: number; body: unknown; headers: Headers; text: string }> {
  const init: RequestInit =
    body === undefined
      ? { method }
      : {
          method,
          headers: { 'content-type': 'application/json' },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        };
  const response = await emulator.fetch(`${origin}/__emulator${path}`, init);
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed, headers: response.headers, text };
}

/** A JSON value as a list (an empty one when it is not an array). */
function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

const seeded = (): ReturnType<typeof testEmulator> => testEmulator({ users: [{ ...JANE, user_id: 'jane' }] });

describe('health, reset, export and import', () => {
  test('health gives the status, version, user count and uptime', async () => {
    const { emulator } = seeded();
    const reply = await call(emulator, 'GET', '/health');
    expect(reply.status).toBe(200);
    expect(reply.body).toStrictEqual({ status: 'ok', version: expect.any(String), users: 1, uptimeSeconds: 0 });
    expect(emulator.control.health().users).toBe(1);
  });

  test('reset goes back to the seeded users, clears the journal and the faults, unfreezes the clock', async () => {
    const { emulator } = seeded();
    const token = await emulator.issueToken();
    await send(emulator, 'DELETE', userPath('auth0|jane'), { token });
    emulator.control.faults.add({ path: '/api/v2/users', status: 503 });
    emulator.control.clock.set('2030-01-01T00:00:00.000Z');
    expect(emulator.snapshot()).toHaveLength(0);
    const reply = await call(emulator, 'POST', '/reset');
    expect(reply).toMatchObject({ status: 200, body: { users: 1 } });
    expect(emulator.control.requests.list()).toStrictEqual([]);
    expect(emulator.control.faults.list()).toStrictEqual([]);
    expect(emulator.control.clock.get().frozen).toBe(false);
  });

  test('users export as a JSON array or NDJSON; import takes any seed form, all or none', async () => {
    const { emulator } = seeded();
    const json = await call(emulator, 'GET', '/users');
    expect(json.body).toStrictEqual(emulator.snapshot());
    const ndjson = await call(emulator, 'GET', '/users?format=ndjson');
    expect(ndjson.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(
      ndjson.text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toStrictEqual(emulator.snapshot());
    expect((await call(emulator, 'GET', '/users?format=csv')).status).toBe(400);

    const lines = [
      JSON.stringify({ ...JANE, email: 'a@example.com', user_id: 'a' }),
      JSON.stringify({ ...JANE, email: 'b@example.com', user_id: 'b' }),
    ].join('\n');
    const imported = await call(emulator, 'POST', '/users', lines);
    expect(imported).toMatchObject({ status: 200, body: { imported: 2 } });
    expect(emulator.snapshot().map((user) => user.user_id)).toStrictEqual(['auth0|jane', 'auth0|a', 'auth0|b']);

    // A duplicate anywhere refuses the whole import.
    const refused = await call(emulator, 'POST', '/users', [
      { ...JANE, email: 'c@example.com', user_id: 'c' },
      { ...JANE, user_id: 'jane2' },
    ]);
    expect(refused.status).toBe(400);
    expect(String(field(refused.body, 'message'))).toMatch(/^Seed user 1 is invalid: The user already exists/);
    expect(emulator.snapshot()).toHaveLength(3);
    expect((await call(emulator, 'POST', '/users', '{not json')).status).toBe(400);
    await expect(emulator.control.users.import([{ ...JANE, email: 'd@example.com' }])).resolves.toStrictEqual({
      imported: 1,
    });
  });
});

describe('the journal', () => {
  test('entries carry time, duration, subject, scopes, the masked body, errorCode and PATCH effects', async () => {
    const { emulator } = seeded();
    const token = await emulator.issueToken({ scopes: ['update:users', 'create:users'] });
    await send(emulator, 'PATCH', userPath('auth0|jane'), {
      token,
      json: { user_metadata: { hobby: null, city: 'Paris' }, password: 'Secret1!secret' },
    });
    await send(emulator, 'POST', '/api/v2/users', { token, json: { ...JANE } });
    const { body } = await call(emulator, 'GET', '/requests');
    const [patch, post] = list(field(body, 'requests'));
    expect(patch).toStrictEqual({
      id: 1,
      time: '2026-01-01T00:00:00.000Z',
      durationMs: expect.any(Number),
      method: 'PATCH',
      path: '/api/v2/users/auth0%7Cjane',
      query: {},
      status: 200,
      subject: 'auth0-metadata-emulator@clients',
      scopes: ['update:users', 'create:users'],
      body: { user_metadata: { hobby: null, city: 'Paris' }, password: '********' },
      effects: [
        { kind: 'delete', path: 'user_metadata.hobby', description: expect.stringContaining('user_metadata.hobby') },
        { kind: 'add', path: 'user_metadata.city', description: expect.stringContaining('user_metadata.city') },
      ],
    });
    expect(post).toMatchObject({ id: 2, status: 409, errorCode: 'auth0_idp_error', body: { password: '********' } });
    expect(post).not.toHaveProperty('effects');
    // The in-process list keeps what was sent.
    expect(field(emulator.requests[0]?.body, 'password')).toBe('Secret1!secret');
  });

  test('filters by method, path template, status, since and limit; DELETE clears it', async () => {
    const { emulator } = seeded();
    const token = await emulator.issueToken();
    await send(emulator, 'GET', userPath('auth0|jane'), { token });
    await send(emulator, 'GET', userPath('auth0|nobody'), { token });
    await send(emulator, 'GET', '/api/v2/users', { token });
    const ids = async (query: string): Promise<unknown> =>
      list(field((await call(emulator, 'GET', `/requests${query}`)).body, 'requests')).map((entry) =>
        field(entry, 'id'),
      );
    expect(await ids('?path=/api/v2/users/{id}')).toStrictEqual([1, 2]);
    expect(await ids('?path=/api/v2/users/auth0|jane')).toStrictEqual([1]);
    expect(await ids('?status=404')).toStrictEqual([2]);
    expect(await ids('?method=get&since=1&limit=1')).toStrictEqual([2]);
    expect(await ids('?since=2026-01-01T00:00:00Z')).toStrictEqual([1, 2, 3]);
    expect(await ids('?since=2027-01-01T00:00:00Z')).toStrictEqual([]);
    expect((await call(emulator, 'GET', '/requests?status=abc')).status).toBe(400);
    expect((await call(emulator, 'GET', '/requests?since=yesterday')).status).toBe(400);
    expect((await call(emulator, 'DELETE', '/requests')).status).toBe(204);
    expect(await ids('')).toStrictEqual([]);
  });

  test('wait answers an entry already there, one arriving, or 408 on timeout', async () => {
    const { emulator } = seeded();
    const token = await emulator.issueToken();
    const arriving = call(emulator, 'GET', '/requests/wait?method=PATCH&timeoutMs=2000');
    await send(emulator, 'GET', '/api/v2/users', { token });
    await send(emulator, 'PATCH', userPath('auth0|jane'), { token, json: { app_metadata: { plan: 'x' } } });
    expect(await arriving).toMatchObject({ status: 200, body: { request: { id: 2, method: 'PATCH' } } });
    expect(await call(emulator, 'GET', '/requests/wait?path=/api/v2/users')).toMatchObject({
      status: 200,
      body: { request: { id: 1 } },
    });
    const late = await call(emulator, 'GET', '/requests/wait?method=DELETE&timeoutMs=10');
    expect(late).toMatchObject({ status: 408, body: { statusCode: 408, error: 'Request Timeout' } });
    await expect(emulator.control.requests.wait({ method: 'DELETE' }, { timeoutMs: 0 })).resolves.toBeUndefined();
    expect((await call(emulator, 'GET', '/requests/wait?timeoutMs=999999')).status).toBe(400);
  });
});

describe('the clock', () => {
  test('read, freeze, advance, back to real time; token expiry and updated_at follow it', async () => {
    const { emulator } = testEmulator({ users: [{ ...JANE, user_id: 'jane' }], now: () => new Date() });
    const token = await emulator.issueToken();
    const frozen = await call(emulator, 'PUT', '/clock', { now: '2031-05-01T00:00:00.000Z' });
    expect(frozen.body).toStrictEqual({ now: '2031-05-01T00:00:00.000Z', frozen: true });
    const advanced = await call(emulator, 'POST', '/clock/advance', { seconds: 60 });
    expect(advanced.body).toStrictEqual({ now: '2031-05-01T00:01:00.000Z', frozen: true });
    // The token was issued now: years before the clock, so it has expired.
    const expired = await send(emulator, 'GET', '/api/v2/users', { token });
    expect(expired).toMatchObject({ status: 401, body: { message: expect.stringMatching(/Expired token/) } });
    const fresh = await emulator.issueToken();
    const patched = await send(emulator, 'PATCH', userPath('auth0|jane'), { token: fresh, json: { name: 'J' } });
    expect(field(patched.body, 'updated_at')).toBe('2031-05-01T00:01:00.000Z');
    const real = await call(emulator, 'PUT', '/clock', { now: null });
    expect(field(real.body, 'frozen')).toBe(false);
    expect(Math.abs(Date.parse(String(field(real.body, 'now'))) - Date.now())).toBeLessThan(5000);
    expect((await call(emulator, 'GET', '/clock')).status).toBe(200);
  });

  test('bad clock bodies are a 400 saying what was expected', async () => {
    const { emulator } = seeded();
    expect(await call(emulator, 'PUT', '/clock', { now: 'soon' })).toMatchObject({
      status: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        message: 'Expected "now" to be an ISO 8601 time or null, found the string "soon"',
      },
    });
    expect((await call(emulator, 'PUT', '/clock', [1])).status).toBe(400);
    expect((await call(emulator, 'PUT', '/clock', { now: null, extra: 1 })).status).toBe(400);
    expect((await call(emulator, 'POST', '/clock/advance', { seconds: '1' })).status).toBe(400);
    expect(() => emulator.control.clock.advance(Number.NaN)).toThrow(/finite number/);
  });
});

describe('faults', () => {
  test('a 429 twice on a route template, with Auth0 body and rate-limit headers, then the real answer', async () => {
    const { emulator } = seeded();
    const token = await emulator.issueToken();
    const added = await call(emulator, 'POST', '/faults', {
      method: 'GET',
      path: '/api/v2/users/{id}',
      status: 429,
      times: 2,
    });
    expect(added).toMatchObject({ status: 201, body: { fault: { id: 1, remaining: 2, status: 429 } } });
    const first = await send(emulator, 'GET', userPath('auth0|jane'), { token });
    expect(first.status).toBe(429);
    expect(first.body).toStrictEqual(TOO_MANY_REQUESTS_BODY);
    for (const name of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after']) {
      expect(first.headers.get(name)).toMatch(/^\d+$/);
    }
    expect(first.headers.get('x-ratelimit-remaining')).toBe('0');
    // Another method on the same path is not matched.
    expect((await send(emulator, 'PATCH', userPath('auth0|jane'), { token, json: { name: 'J' } })).status).toBe(200);
    expect((await send(emulator, 'GET', userPath('auth0|jane'), { token })).status).toBe(429);
    expect((await send(emulator, 'GET', userPath('auth0|jane'), { token })).status).toBe(200);
    expect((await call(emulator, 'GET', '/faults')).body).toStrictEqual({ faults: [] });
  });

  test('5xx with a default or given body, a delay, a drop; listed, removed one by one or all', async () => {
    const { emulator } = seeded();
    const token = await emulator.issueToken();
    emulator.control.faults.add({ path: '/api/v2/users', status: 503, times: 1 });
    expect(await send(emulator, 'GET', '/api/v2/users', { token })).toMatchObject({
      status: 503,
      body: { statusCode: 503, error: 'Service Unavailable', errorCode: 'service_unavailable' },
    });
    emulator.control.faults.add({ path: '/api/v2/users', status: 500, body: { custom: true }, times: 1 });
    expect((await send(emulator, 'GET', '/api/v2/users', { token })).body).toStrictEqual({ custom: true });
    const delay = emulator.control.faults.add({ path: '/api/v2/users', delayMs: 50 });
    const started = performance.now();
    expect((await send(emulator, 'GET', '/api/v2/users', { token })).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(emulator.control.faults.remove(delay.id)).toBe(true);
    emulator.control.faults.add({ path: '/api/v2/users', drop: true });
    await expect(send(emulator, 'GET', '/api/v2/users', { token })).rejects.toThrow(
      expect.objectContaining({ name: 'TypeError', cause: expect.objectContaining({ code: 'ECONNRESET' }) }),
    );
    expect(emulator.control.faults.list()).toHaveLength(1);
    expect((await call(emulator, 'DELETE', '/faults/999')).status).toBe(404);
    expect((await call(emulator, 'DELETE', '/faults')).status).toBe(204);
    expect(emulator.control.faults.list()).toStrictEqual([]);
  });

  test.each([
    [null, 'Expected a JSON object describing a fault, found null'],
    [{ path: 'api' }, 'Expected "path" to be a path starting with /, found string "api"'],
    [{ path: '/a' }, 'Expected at least one of "status", "delayMs" or "drop": a fault must do something'],
    [{ path: '/a', status: 200 }, 'Expected "status" to be an integer from 400 to 599, found number 200'],
    [{ path: '/a', status: 500, times: 0 }, 'Expected "times" to be a positive integer, found number 0'],
    [{ path: '/a', delayMs: 1e9 }, 'Expected "delayMs" to be an integer from 0 to 60000, found number 1000000000'],
    [{ path: '/a', drop: false }, 'Expected "drop" to be true or absent, found boolean false'],
    [
      { path: '/a', drop: true, status: 500 },
      'Expected "status" or "drop", found both: a dropped connection has no status',
    ],
    [
      '{"path":"/a","__proto__":1,"status":500}',
      'Unknown fault field "__proto__": expected method, path, status, times, delayMs, drop, body',
    ],
  ])('a fault body %s is refused: %s', async (body, message) => {
    const { emulator } = seeded();
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const reply = await call(emulator, 'POST', '/faults', raw);
    expect(reply).toMatchObject({ status: 400, body: { statusCode: 400, error: 'Bad Request', message } });
    expect(emulator.control.faults.list()).toStrictEqual([]);
  });
});

describe('rate-limit mode and the search index', () => {
  test('rate-limit mode: headers on every answer, a 429 past the burst, off again', async () => {
    const { emulator } = seeded();
    const token = await emulator.issueToken();
    expect((await send(emulator, 'GET', '/api/v2/users', { token })).headers.get('x-ratelimit-limit')).toBeNull();
    const on = await call(emulator, 'PUT', '/rate-limit', { enabled: true });
    expect(on.body).toMatchObject({
      enabled: true,
      tier: 'free',
      management: { burst: 2, perSecond: 2, remaining: 2 },
    });
    const answers = [];
    for (let index = 0; index < 3; index++) answers.push(await send(emulator, 'GET', '/api/v2/users', { token }));
    expect(answers.map((reply) => [reply.status, reply.headers.get('x-ratelimit-remaining')])).toStrictEqual([
      [200, '1'],
      [200, '0'],
      [429, '0'],
    ]);
    expect(answers[2]?.body).toStrictEqual(TOO_MANY_REQUESTS_BODY);
    expect(answers[2]?.headers.get('retry-after')).toBe('1');
    expect((await call(emulator, 'PUT', '/rate-limit', { enabled: 'yes' })).status).toBe(400);
    expect((await call(emulator, 'PUT', '/rate-limit', { tier: 'gold' })).status).toBe(400);
    expect((await call(emulator, 'PUT', '/rate-limit', { enabled: false })).body).toMatchObject({ enabled: false });
    expect((await send(emulator, 'GET', '/api/v2/users', { token })).status).toBe(200);
  });

  test("rate-limit mode: the JWKS takes from its own bucket and the Authentication API's, /api/v2/* from the Management API's", async () => {
    // Time stands still: no bucket refills between the requests, whatever the machine's speed.
    vi.useFakeTimers({ toFake: ['Date'] });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const { emulator } = seeded();
    const token = await emulator.issueToken();
    emulator.control.rateLimit.set({ enabled: true, tier: 'free' });
    const jwks = [];
    for (let index = 0; index < 3; index++) jwks.push(await send(emulator, 'GET', '/.well-known/jwks.json'));
    // Its own limit (burst 20) is the one that refuses first: its headers are shown.
    expect(
      jwks.map((reply) => [
        reply.status,
        reply.headers.get('x-ratelimit-limit'),
        reply.headers.get('x-ratelimit-remaining'),
      ]),
    ).toStrictEqual([
      [200, '20', '19'],
      [200, '20', '18'],
      [200, '20', '17'],
    ]);
    expect(emulator.control.rateLimit.get().authentication.remaining).toBe(297);
    const users = await send(emulator, 'GET', '/api/v2/users', { token });
    expect([
      users.status,
      users.headers.get('x-ratelimit-limit'),
      users.headers.get('x-ratelimit-remaining'),
    ]).toStrictEqual([200, '2', '1']);
  });

  test('search lag: a new user is missing from q= search until the lag passes or a flush, but found by id and email', async () => {
    const { emulator } = seeded();
    const token = await emulator.issueToken();
    expect((await call(emulator, 'PUT', '/search-index', { lagMs: 60_000 })).body).toStrictEqual({
      lagMs: 60_000,
      pending: 0,
    });
    const created = await send(emulator, 'POST', '/api/v2/users', {
      token,
      json: { ...JANE, email: 'new@example.com' },
    });
    const id = String(field(created.body, 'user_id'));
    const search = async (): Promise<number> =>
      list((await send(emulator, 'GET', '/api/v2/users?q=email:"new@example.com"', { token })).body).length;
    expect(await search()).toBe(0);
    expect((await send(emulator, 'GET', userPath(id), { token })).status).toBe(200);
    expect(
      list((await send(emulator, 'GET', '/api/v2/users-by-email?email=new@example.com', { token })).body).length,
    ).toBe(1);
    expect((await call(emulator, 'GET', '/search-index')).body).toStrictEqual({ lagMs: 60_000, pending: 1 });
    expect((await call(emulator, 'POST', '/search-index/flush')).body).toStrictEqual({ lagMs: 60_000, pending: 0 });
    expect(await search()).toBe(1);
    // A short lag passes on its own.
    emulator.control.searchIndex.set({ lagMs: 20 });
    await send(emulator, 'DELETE', userPath(id), { token });
    expect(await search()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(await search()).toBe(0);
    expect((await call(emulator, 'PUT', '/search-index', { lagMs: -5 })).status).toBe(400);
  });
});

describe('the HTTP door', () => {
  test('answers only loopback Host names: a forged or public Host is refused', async () => {
    const { emulator } = seeded();
    for (const origin of ['http://evil.example', 'https://tenant.auth0.test', 'http://127.0.0.1.evil.example']) {
      const reply = await call(emulator, 'GET', '/health', undefined, origin);
      expect(reply).toMatchObject({ status: 403, body: { statusCode: 403, error: 'Forbidden' } });
    }
    for (const origin of ['http://localhost:1', 'http://[::1]:4000', 'http://app.localhost', 'http://127.1.2.3']) {
      expect((await call(emulator, 'GET', '/health', undefined, origin)).status).toBe(200);
    }
  });

  test('unknown paths are 404, other methods 405 with Allow, the page itself is the dev server’s', async () => {
    const { emulator } = seeded();
    expect((await call(emulator, 'GET', '/nothing')).status).toBe(404);
    expect((await call(emulator, 'GET', '/health/deeper')).status).toBe(404);
    expect((await call(emulator, 'GET', '/constructor')).status).toBe(404);
    const wrong = await call(emulator, 'DELETE', '/health');
    expect([wrong.status, wrong.headers.get('allow')]).toStrictEqual([405, 'GET']);
    expect(await call(emulator, 'GET', '/')).toMatchObject({
      status: 404,
      body: { message: expect.stringMatching(/inspector/) },
    });
    // Control requests are not journaled.
    expect(emulator.control.requests.list()).toStrictEqual([]);
  });

  test('a token for the inspector carries the client scopes', async () => {
    const { emulator } = seeded();
    const reply = await call(emulator, 'POST', '/token');
    expect(reply.body).toMatchObject({ token_type: 'Bearer', expires_in: 86_400 });
    const token = String(field(reply.body, 'access_token'));
    expect((await send(emulator, 'GET', '/api/v2/users', { token })).status).toBe(200);
  });
});

describe('onUsersChange', () => {
  test('is awaited after each acknowledged change of the users; its failure is a 500', async () => {
    const calls: string[] = [];
    let fail = false;
    const { emulator } = testEmulator({
      onUsersChange: async () => {
        calls.push('saved');
        if (fail) throw new Error('disk full');
      },
    });
    const token = await emulator.issueToken();
    await send(emulator, 'GET', '/api/v2/users', { token });
    await send(emulator, 'POST', '/api/v2/users', { token, json: JANE });
    await send(emulator, 'POST', '/api/v2/users', { token, json: JANE });
    await emulator.control.reset();
    expect(calls).toStrictEqual(['saved', 'saved']);
    fail = true;
    const failed = await send(emulator, 'POST', '/api/v2/users', { token, json: JANE });
    expect(failed).toMatchObject({ status: 500, body: { errorCode: 'internal_error' } });
  });
});

describe('aroundRoute', () => {
  test('runs the route of each API request after faults and rate limits, never a control request', async () => {
    const seen: string[] = [];
    const { emulator } = testEmulator({
      aroundRoute: async (request, run) => {
        seen.push(`${request.method} ${new URL(request.url).pathname}`);
        return run();
      },
    });
    const token = await emulator.issueToken();
    emulator.control.faults.add({ path: '/api/v2/users', status: 503, times: 1 });
    expect((await send(emulator, 'GET', '/api/v2/users', { token })).status).toBe(503);
    expect((await send(emulator, 'POST', '/api/v2/users', { token, json: JANE })).status).toBe(201);
    const health = await emulator.handle({
      method: 'GET',
      url: 'http://127.0.0.1/__emulator/health',
      headers: new Headers({ host: '127.0.0.1' }),
      body: null,
    });
    expect(health.status).toBe(200);
    expect(seen).toStrictEqual(['POST /api/v2/users']);
  });

  test('its answer is the client’s; a throw, a rejection or something that is no answer is a 500 that onError hears', async () => {
    const errors: string[] = [];
    let mode: 'replace' | 'throw' | 'reject' | 'junk' = 'replace';
    const { emulator } = testEmulator({
      onError: (error) => errors.push(String(error)),
      aroundRoute: (_request, run) => {
        if (mode === 'throw') throw new Error('thrown');
        if (mode === 'reject') return Promise.reject(new Error('rejected'));
        if (mode === 'junk') return run().then(() => Object.create(null));
        return run().then((answer) => ({ ...answer, status: 299 }));
      },
    });
    const token = await emulator.issueToken();
    expect((await send(emulator, 'GET', '/api/v2/users', { token })).status).toBe(299);
    for (const next of ['throw', 'reject', 'junk'] as const) {
      mode = next;
      const failed = await send(emulator, 'GET', '/api/v2/users', { token });
      expect(failed).toMatchObject({ status: 500, body: { errorCode: 'internal_error' } });
    }
    expect(errors).toStrictEqual([
      'Error: thrown',
      'Error: rejected',
      'TypeError: aroundRoute must resolve to an answer of the emulator',
    ]);
  });
});
