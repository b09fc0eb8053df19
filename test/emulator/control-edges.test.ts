/** The edges of the control API: every refusal says what it expected, and the odd paths and methods. */
import { describe, expect, test } from 'vitest';
import { createEmulator } from '../../src/emulator/index.js';
import {
  emulatorPerTest,
  expectRequest,
  managementClientOptions,
  routeFetchToEmulator,
  waitForRequest,
} from '../../src/testing/index.js';

const LOCAL = 'http://localhost:4000/__emulator';

async function call(
  emulator: ReturnType<typeof createEmulator>,
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; message: unknown }> {
  const response = await emulator.fetch(`${LOCAL}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  const parsed: unknown = text === '' ? undefined : JSON.parse(text);
  return { status: response.status, message: Reflect.get(Object(parsed), 'message') };
}

describe('refusals name what was expected and what was found', () => {
  test.each([
    ['PUT', '/clock', '', 'Expected "now" to be an ISO 8601 time or null, found nothing'],
    ['PUT', '/clock', '{"now":{}}', 'Expected "now" to be an ISO 8601 time or null, found an object'],
    ['PUT', '/clock', 'null', 'Expected a JSON object such as {"now": "2030-01-01T00:00:00Z"}, found null'],
    ['PUT', '/clock', '{', 'Expected a JSON body, found text that is not JSON: "{"'],
    ['PUT', '/rate-limit', '{"enabled":true,"x":1}', 'Unknown field "x": expected "enabled", "tier"'],
    ['PUT', '/search-index', '{"lagMs":"1"}', 'Expected "lagMs" to be a number of milliseconds, found the string "1"'],
    ['PUT', '/search-index', '{"lagMs":1.5}', 'Expected "lagMs" to be an integer from 0 to 3600000, found number 1.5'],
    ['GET', '/requests?method=G-T', '', 'Expected "method" to be an HTTP method, found the string "G-T"'],
    ['GET', '/requests?path=api', '', 'Expected "path" to start with /, found the string "api"'],
    ['GET', '/requests?status=999', '', 'Expected "status" to be an HTTP status, found number 999'],
    ['GET', '/requests?limit=0', '', 'Expected "limit" to be a positive integer, found number 0'],
    [
      'GET',
      '/requests/wait?timeoutMs=soon',
      '',
      'Expected "timeoutMs" to be a non-negative integer, found the string "soon"',
    ],
    ['POST', '/users', '{"nothing":true}', expect.stringContaining('must hold a JSON array of users')],
    [
      'POST',
      '/faults',
      '{"path":"/x","status":500,"method":5}',
      'Expected "method" to be an HTTP method such as GET, found number 5',
    ],
    [
      'POST',
      '/faults',
      '{"path":"/x","status":500,"method":"G T"}',
      'Expected "method" to be an HTTP method such as GET, found string "G T"',
    ],
    [
      'POST',
      '/faults',
      '{"path":"/x","delayMs":1,"body":{}}',
      'Expected "status" with "body": a body is the body of the status answered',
    ],
  ])('%s %s %s', async (method, path, body, message) => {
    const emulator = createEmulator();
    const reply = await call(emulator, method, path, body === '' ? undefined : body);
    expect(reply).toStrictEqual({ status: 400, message });
  });

  test('a fault under /__emulator is refused at both doors, none is kept, and the control API keeps answering', async () => {
    const emulator = createEmulator();
    for (const path of ['/__emulator', '/__emulator/faults', '/__emulator/{name}', '/__emulator/']) {
      const reply = await call(emulator, 'POST', '/faults', JSON.stringify({ path, drop: true }));
      expect(reply).toStrictEqual({
        status: 400,
        message: `Expected "path" to be an Auth0 path such as /api/v2/users/{id}, not one under /__emulator (the control API and the inspector page take no faults), found the string ${JSON.stringify(path)}`,
      });
      expect(() => emulator.control.faults.add({ path, status: 500 })).toThrow(
        `found the string ${JSON.stringify(path)}`,
      );
    }
    expect(emulator.control.faults.list()).toStrictEqual([]);
    // A path that only starts with the same letters is not the control API's: it takes the fault.
    expect((await call(emulator, 'POST', '/faults', '{"path":"/__emulatorx","status":503}')).status).toBe(201);
    expect((await emulator.fetch('http://localhost:4000/__emulatorx')).status).toBe(503);
    expect((await call(emulator, 'DELETE', '/faults')).status).toBe(204);
  });

  test('at most 100 faults are in place at once: the 101st is refused at both doors until one is removed', async () => {
    const emulator = createEmulator();
    for (let index = 0; index < 100; index++)
      emulator.control.faults.add({ path: `/api/v2/users/${index}`, status: 500 });
    const message =
      'Expected at most 100 faults in place at once, found 100 already: remove some first (DELETE /__emulator/faults)';
    expect(await call(emulator, 'POST', '/faults', '{"path":"/api/v2/users","status":503}')).toStrictEqual({
      status: 400,
      message,
    });
    expect(() => emulator.control.faults.add({ path: '/api/v2/users', status: 503 })).toThrow(message);
    expect(emulator.control.faults.remove(1)).toBe(true);
    expect((await call(emulator, 'POST', '/faults', '{"path":"/api/v2/users","status":503}')).status).toBe(201);
  });

  test('a body over the limit, or not UTF-8, is refused before it is read', async () => {
    const emulator = createEmulator({ maxBodyBytes: 10 });
    expect(await call(emulator, 'POST', '/faults', '{"path":"/aaaaaaaaaaaa","status":500}')).toStrictEqual({
      status: 400,
      message: 'Expected a body of at most 10 bytes, found a larger one',
    });
    const latin = await call(createEmulator(), 'POST', '/faults', '{}', {
      'content-type': 'application/json; charset=latin1',
    });
    expect(latin.message).toBe(
      'Expected a UTF-8 body (JSON, or NDJSON for users), found one that cannot be read as such',
    );
  });

  test('in process, the same checks throw TypeErrors', async () => {
    const { control } = createEmulator();
    // @ts-expect-error: not a list
    await expect(control.users.import(5)).rejects.toThrow('Expected an array of users, found number 5');
    expect(() => control.clock.set(new Date(Number.NaN))).toThrow(TypeError);
    expect(control.clock.set(new Date('2030-01-01T00:00:00Z')).frozen).toBe(true);
    expect(() => control.requests.list({ since: -1 })).toThrow('Expected "since" to be an entry id or an ISO time');
    expect(() => control.requests.wait({}, { timeoutMs: -1 })).toThrow(/timeoutMs/);
    // @ts-expect-error: not an object
    expect(() => control.rateLimit.set(null)).toThrow('Expected a JSON object such as {"enabled": true}, found null');
    expect(control.rateLimit.set({ tier: 'enterprise' })).toMatchObject({ enabled: false, tier: 'enterprise' });
  });
});

describe('the long poll and its signal', () => {
  test('in process, an aborted signal ends the wait with its reason; over HTTP, the aborted request gets a 503', async () => {
    const emulator = createEmulator();
    const stop = new AbortController();
    const waiting = emulator.control.requests.wait({ path: '/never' }, { timeoutMs: 60_000, signal: stop.signal });
    stop.abort(new Error('stopped'));
    await expect(waiting).rejects.toThrow('stopped');
    const aborted = new AbortController();
    aborted.abort();
    await expect(emulator.control.requests.wait({}, { timeoutMs: 60_000, signal: aborted.signal })).rejects.toThrow();
    // An entry already there wins over an aborted signal.
    await emulator.fetch(`${emulator.baseUrl}/api/v2/users`);
    expect(await emulator.control.requests.wait({}, { timeoutMs: 0, signal: aborted.signal })).toMatchObject({
      path: '/api/v2/users',
    });
    const closing = new AbortController();
    const polled = emulator.handle({
      method: 'GET',
      url: `${LOCAL}/requests/wait?path=/never&timeoutMs=60000`,
      headers: { get: () => null },
      body: null,
      signal: closing.signal,
    });
    closing.abort();
    const answer = await polled;
    expect([answer.status, JSON.parse(String(answer.body)).message]).toStrictEqual([
      503,
      'The wait ended before a matching request arrived: the server is stopping or the client went away',
    ]);
  });
});

describe('a delay fault and the request signal', () => {
  test("a delay ends when the request signal aborts: Auth0's 503 at once, not the endpoint's answer after the delay", async () => {
    const emulator = createEmulator();
    emulator.control.faults.add({ path: '/api/v2/users', delayMs: 60_000 });
    const gone = new AbortController();
    const answer = emulator.handle({
      method: 'GET',
      url: `${emulator.baseUrl}/api/v2/users`,
      headers: { get: () => null },
      body: null,
      signal: gone.signal,
    });
    gone.abort();
    const { status, body } = await answer;
    expect([status, JSON.parse(String(body))]).toStrictEqual([
      503,
      {
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'Service Unavailable',
        errorCode: 'service_unavailable',
      },
    ]);
  });
});

describe('paths and methods', () => {
  test('HEAD reads like GET; unknown sub-paths are 404; a fault matches HEAD as GET', async () => {
    const emulator = createEmulator();
    expect((await emulator.fetch(`${LOCAL}/health`, { method: 'HEAD' })).status).toBe(200);
    expect((await call(emulator, 'POST', '/clock/back')).status).toBe(404);
    expect((await call(emulator, 'POST', '/search-index/empty')).status).toBe(404);
    expect((await call(emulator, 'GET', '/requests/all')).status).toBe(404);
    expect((await call(emulator, 'DELETE', '/faults/abc')).status).toBe(404);
    emulator.control.faults.add({ method: 'GET', path: '/api/v2/users', status: 500, times: 1 });
    expect((await emulator.fetch(`${emulator.baseUrl}/api/v2/users`, { method: 'HEAD' })).status).toBe(500);
  });

  test('an advance past the dates JavaScript can hold is refused, and the clock keeps working', async () => {
    const emulator = createEmulator();
    const reply = await call(emulator, 'POST', '/clock/advance', '{"seconds":1e300}');
    expect(reply).toStrictEqual({
      status: 400,
      message: 'Expected "seconds" to keep the clock within the dates JavaScript can hold, found number 1e+300',
    });
    expect((await call(emulator, 'GET', '/clock')).status).toBe(200);
    expect(() => emulator.control.clock.advance(-1e300)).toThrow(TypeError);
    expect(Number.isNaN(Date.parse(emulator.control.clock.get().now))).toBe(false);
  });

  test('the clock advances from real time when not frozen; a lag of 0 shows pending changes at once', async () => {
    const emulator = createEmulator({ passwordHashIterations: 1 });
    const before = Date.parse(emulator.control.clock.get().now);
    const after = Date.parse(emulator.control.clock.advance(3600).now);
    expect(after - before).toBeGreaterThanOrEqual(3_600_000);
    emulator.control.searchIndex.set({ lagMs: 60_000 });
    await emulator.createUser({ connection: 'db', email: 'a@example.com', password: 'Pw1!xxxxxx' });
    const token = await emulator.issueToken();
    const list = async (): Promise<unknown> =>
      (
        await emulator.fetch(`${emulator.baseUrl}/api/v2/users`, { headers: { authorization: `Bearer ${token}` } })
      ).json();
    expect(await list()).toStrictEqual([]);
    emulator.control.searchIndex.set({ lagMs: 0 });
    expect(await list()).toHaveLength(1);
    // Deleting a user that is not there changes nothing, even under a lag.
    emulator.control.searchIndex.set({ lagMs: 60_000 });
    await emulator.fetch(`${emulator.baseUrl}/api/v2/users/nobody`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(emulator.control.searchIndex.get().pending).toBe(0);
  });
});

describe('the request log path filter', () => {
  test('an exact filter matches a path decoded; a path that cannot be decoded matches only as sent', async () => {
    const emulator = createEmulator();
    await emulator.fetch(`${emulator.baseUrl}/api/v2/users/a%20b`);
    await emulator.fetch(`${emulator.baseUrl}/api/v2/users/%E0%A4`);
    const paths = (path: string): string[] => emulator.control.requests.list({ path }).map((entry) => entry.path);
    expect(paths('/api/v2/users/a b')).toStrictEqual(['/api/v2/users/a%20b']);
    expect(paths('/api/v2/users/%E0%A4')).toStrictEqual(['/api/v2/users/%E0%A4']);
    expect(paths('/api/v2/users/\uFFFD')).toStrictEqual([]);
  });
});

describe('the testing helpers refuse what they cannot use', () => {
  test.each([
    // @ts-expect-error: options must be an object
    ['emulatorPerTest', () => emulatorPerTest({ beforeEach: () => undefined }, null)],
    // @ts-expect-error: not an emulator
    ['managementClientOptions', () => managementClientOptions(null)],
    // @ts-expect-error: no request to look for
    ['expectRequest', () => expectRequest(createEmulator(), null)],
    ['expectRequest', () => expectRequest(createEmulator(), { method: 'G T' })],
    // @ts-expect-error: not an emulator
    ['routeFetchToEmulator', () => routeFetchToEmulator(5)],
  ])('%s', (name, run) => {
    expect(run).toThrow(new RegExp(`^${name}: `));
  });

  test('a revoked proxy as hooks is the helper’s TypeError', async () => {
    const { proxy, revoke } = Proxy.revocable({ beforeEach: () => undefined }, {});
    revoke();
    const hooks = proxy;
    expect(() => emulatorPerTest(hooks)).toThrow('emulatorPerTest: beforeEach cannot be read');
    // @ts-expect-error: not an emulator
    await expect(waitForRequest({}, {})).rejects.toThrow('waitForRequest: expected an emulator');
  });
});
