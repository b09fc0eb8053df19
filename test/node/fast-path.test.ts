/**
 * The emulator's two transports over one pipeline: `serve(emulator)` answers through the internal
 * entry (no `Request`/`Response`, no promise when nothing is pending) and `serve(emulator.fetch)`
 * through Web objects. For the same requests they must answer the same bytes. Bounded: a fixed
 * number of draws, each a few requests, on servers bound to 127.0.0.1 with port 0.
 */
import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { afterEach, describe, expect, test } from 'vitest';
import { INTERNAL_ERROR } from '../../src/emulator/http.js';
import { createEmulator, type Emulator, type EmulatorRequest } from '../../src/emulator/index.js';
import { offerRespond, RESPOND, type Respond, respondOf } from '../../src/emulator/respond.js';
import { type RunningServer, serve } from '../../src/node/index.js';
import { INTERNAL_ERROR_BODY } from '../helpers.js';
import { asyncProp } from '../prop.js';

const NOW = new Date('2026-03-01T00:00:00.000Z');
const JANE = {
  connection: 'Username-Password-Authentication',
  email: 'jane@example.com',
  password: 'Passw0rd!xyz',
  user_id: 'jane',
  user_metadata: { hobby: 'surfing', nested: { a: 1 } },
  app_metadata: { plan: 'free' },
};

const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

/** An emulator whose clock and ids are fixed, so two of them answer the same requests alike. */
function fixedEmulator(identity?: Awaited<ReturnType<Emulator['exportIdentity']>>): Emulator {
  let next = 0;
  return createEmulator({
    passwordHashIterations: 1,
    now: () => NOW,
    generateId: () => String(next++).padStart(24, '0'),
    clientSecret: 'secret',
    users: [JANE],
    maxBodyBytes: 2048,
    ...(identity === undefined ? {} : { identity }),
  });
}

/** The entry `serve(emulator)` answers through. */
function respondOfEmulator(emulator: Emulator): Respond {
  expect(typeof Reflect.get(emulator, RESPOND)).toBe('function');
  return respondOf(emulator);
}

/** One HTTP exchange as the client sees it: status, lower-cased headers and the body's bytes. */
interface Exchange {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** Sends one request to 127.0.0.1 with `host` as its Host header. */
function send(server: RunningServer, method: string, path: string, headers: Record<string, string>, body?: string) {
  return new Promise<Exchange>((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: '127.0.0.1',
        port: server.port,
        method,
        path,
        // A body's length is always announced (node:http sends a DELETE's body unframed otherwise).
        headers: {
          host: 'localhost',
          ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
          ...headers,
        },
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          const fields: Record<string, string> = {};
          for (const [name, value] of Object.entries(incoming.headers)) {
            if (typeof value === 'string') fields[name] = value;
          }
          resolve({ status: incoming.statusCode ?? 0, headers: fields, body: Buffer.concat(chunks) });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** The headers both transports must agree on: not the connection's own, nor how the body's length is framed. */
function comparable(headers: Readonly<Record<string, string>>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of Object.keys(headers).sort()) {
    if (['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length'].includes(name)) continue;
    kept[name] = headers[name] ?? '';
  }
  return kept;
}

const TOKENS = ['full', 'read', 'app-metadata', 'current-user', 'expired', 'tampered', 'none', 'malformed'] as const;
type TokenKind = (typeof TOKENS)[number];

const PATHS = [
  '/api/v2/users/auth0%7Cjane',
  '/api/v2/users/auth0%7Cnobody',
  '/api/v2/users/auth0%7Cjane?fields=email,user_metadata&include_fields=true',
  '/api/v2/users/auth0%7Cjane?fields=user_id&include_fields=false',
  '/api/v2/users/auth0%7Cjane?include_fields=maybe',
  '/api/v2/users/%E0%A4%A',
  '/api/v2/users',
  '/api/v2/users?q=user_metadata.hobby%3Asurfing',
  '/api/v2/users-by-email?email=jane%40example.com',
  '/api/v2/unknown',
  '/.well-known/jwks.json',
] as const;

const metadataValue = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }),
);

const BODIES = fc.oneof(
  fc
    .record({ user_metadata: fc.dictionary(fc.string({ maxLength: 6 }), metadataValue, { maxKeys: 3 }) })
    .map((patch) => JSON.stringify(patch)),
  fc.record({ app_metadata: fc.record({ plan: fc.string({ maxLength: 6 }) }) }).map((patch) => JSON.stringify(patch)),
  fc.constantFrom(
    '',
    '{not json',
    '[]',
    '{"email":"jane@example.com"}',
    '{"email":"other@example.com","connection":"Username-Password-Authentication"}',
    '{"password":"N3w!password"}',
    '{"user_metadata":{"__proto__":{"x":1}}}',
    '{"connection":"Username-Password-Authentication","email":"new@example.com","password":"Passw0rd!xyz"}',
    `{"user_metadata":{"big":"${'x'.repeat(3000)}"}}`,
  ),
);

const REQUEST = fc.record({
  method: fc.constantFrom('GET', 'HEAD', 'PATCH', 'DELETE', 'POST', 'PUT'),
  path: fc.constantFrom(...PATHS),
  token: fc.constantFrom(...TOKENS),
  contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', undefined),
  body: BODIES,
});

/** The bearer tokens of each kind, all signed with the key both emulators share. */
async function tokensOf(emulator: Emulator): Promise<Record<TokenKind, string | undefined>> {
  const full = await emulator.issueToken();
  const identity = await emulator.exportIdentity();
  const early = createEmulator({ identity, now: () => new Date(NOW.getTime() - 3 * 86_400_000) });
  const [header, payload, signature] = full.split('.');
  return {
    full,
    read: await emulator.issueToken({ scopes: ['read:users'] }),
    'app-metadata': await emulator.issueToken({ scopes: ['update:users_app_metadata', 'read:users'] }),
    'current-user': await emulator.issueToken({
      subject: 'auth0|jane',
      scopes: ['read:current_user', 'update:current_user_metadata'],
    }),
    expired: await early.issueToken(),
    tampered: `${header}.${payload}.${(signature ?? '').slice(0, -2)}AA`,
    none: undefined,
    malformed: 'Bearer',
  };
}

describe('serve(emulator) and serve(emulator.fetch): one pipeline, two transports', () => {
  asyncProp(
    'any sequence of requests gets the same status, headers and body bytes through both transports',
    [fc.array(REQUEST, { minLength: 1, maxLength: 6 })],
    async (requests) => {
      const fast = fixedEmulator();
      const web = fixedEmulator(await fast.exportIdentity());
      const tokens = await tokensOf(fast);
      const fastServer = await serve(fast, { port: 0 });
      const webServer = await serve(web.fetch, { port: 0 });
      running.push(fastServer, webServer);
      for (const { method, path, token, contentType, body } of requests) {
        const headers: Record<string, string> = {};
        const bearer = tokens[token];
        if (bearer !== undefined) headers.authorization = token === 'malformed' ? bearer : `Bearer ${bearer}`;
        if (contentType !== undefined) headers['content-type'] = contentType;
        const sent = method === 'GET' || method === 'HEAD' ? undefined : body;
        const viaFast = await send(fastServer, method, path, headers, sent);
        const viaWeb = await send(webServer, method, path, headers, sent);
        expect({
          status: viaFast.status,
          headers: comparable(viaFast.headers),
          body: viaFast.body.toString('hex'),
        }).toStrictEqual({
          status: viaWeb.status,
          headers: comparable(viaWeb.headers),
          body: viaWeb.body.toString('hex'),
        });
        // The fast path frames every answer with its length, never chunked (a 204 has neither).
        expect(viaFast.headers['transfer-encoding']).toBeUndefined();
        if (method !== 'HEAD' && viaFast.status !== 204) {
          expect(viaFast.headers['content-length']).toBe(String(viaFast.body.byteLength));
        }
      }
      expect(fast.snapshot()).toStrictEqual(web.snapshot());
      await Promise.all(running.splice(0).map((server) => server.close()));
      return true;
    },
    { numRuns: 25 },
  );
});

/** A plain request for `emulator` (the form the Node adapter builds). */
function plainRequest(
  emulator: Emulator,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: string | null = null,
  origin = emulator.baseUrl,
): EmulatorRequest {
  return {
    method,
    url: `${origin}${path}`,
    headers: { get: (name) => headers[name.toLowerCase()] ?? null },
    body: body === null ? null : new TextEncoder().encode(body),
  };
}

describe('the internal entry', () => {
  test('is offered by every emulator, not enumerable, and answers what handle answers', async () => {
    const emulator = fixedEmulator();
    const respond = respondOfEmulator(emulator);
    expect(Object.keys(emulator)).not.toContain(String(Symbol.for('auth0-metadata.respond')));
    expect(Object.getOwnPropertySymbols({ ...emulator })).toStrictEqual([]);
    const token = await emulator.issueToken();
    const request = plainRequest(emulator, 'GET', '/api/v2/users/auth0%7Cjane', { authorization: `Bearer ${token}` });
    const viaHandle = await emulator.handle(request);
    expect(await respond(request)).toStrictEqual(viaHandle);
    expect(viaHandle.status).toBe(200);
  });

  test('answers without a promise when nothing is pending, with one when something is', async () => {
    const emulator = fixedEmulator();
    const respond = respondOfEmulator(emulator);
    const token = await emulator.issueToken();
    const authorization = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const get = plainRequest(emulator, 'GET', '/api/v2/users/auth0%7Cjane', authorization);
    // A token seen for the first time is checked against its signature: a promise.
    const first = respond(get);
    expect(first).toBeInstanceOf(Promise);
    expect((await first).status).toBe(200);
    // Seen before: the GET, a PATCH without a password, a 404 and a 401 are answered at once.
    for (const [request, status] of [
      [get, 200],
      [plainRequest(emulator, 'PATCH', '/api/v2/users/auth0%7Cjane', authorization, '{"user_metadata":{"a":1}}'), 200],
      [plainRequest(emulator, 'GET', '/api/v2/users/auth0%7Cnobody', authorization), 404],
      [plainRequest(emulator, 'GET', '/api/v2/users/auth0%7Cjane', {}), 401],
    ] as const) {
      const answered = respond(request);
      expect(answered).not.toBeInstanceOf(Promise);
      expect(answered instanceof Promise ? 0 : answered.status).toBe(status);
    }
    // A new password is hashed (asynchronous work): a promise, and the same answer as without the wait.
    const password = respond(
      plainRequest(emulator, 'PATCH', '/api/v2/users/auth0%7Cjane', authorization, '{"password":"N3w!password"}'),
    );
    expect(password).toBeInstanceOf(Promise);
    expect((await password).status).toBe(200);
    // An injected delay is waited for: a promise.
    emulator.control.faults.add({ path: '/api/v2/users/{id}', delayMs: 1, times: 1 });
    const delayed = respond(get);
    expect(delayed).toBeInstanceOf(Promise);
    expect((await delayed).status).toBe(200);
  });

  test('a handler without the entry, or one whose entry cannot be read, is answered through its handle', async () => {
    const handle = async (): Promise<typeof INTERNAL_ERROR> => INTERNAL_ERROR;
    const hostile = new Proxy(
      { handle },
      {
        get: (target, key) => {
          if (key === RESPOND) throw new Error('not readable');
          return Reflect.get(target, key);
        },
      },
    );
    const request: EmulatorRequest = {
      method: 'GET',
      url: 'http://localhost/',
      headers: { get: () => null },
      body: null,
    };
    for (const handler of [{ handle }, hostile]) {
      const answered = respondOf(handler)(request);
      expect(answered).toBeInstanceOf(Promise);
      expect(await answered).toBe(INTERNAL_ERROR);
    }
  });

  test('a URL that cannot be parsed throws from the entry, as handle rejects (a server never builds one)', async () => {
    const emulator = createEmulator();
    const request: EmulatorRequest = { method: 'GET', url: 'not a url', headers: { get: () => null }, body: null };
    expect(() => respondOfEmulator(emulator)(request)).toThrow(TypeError);
    await expect(emulator.handle(request)).rejects.toThrow(TypeError);
  });
});

describe('the verified-token cache never widens a permission', () => {
  test('a token verified before is refused once it expires', async () => {
    const emulator = createEmulator({ tokenLifetime: 60 });
    const token = await emulator.issueToken();
    const get = plainRequest(emulator, 'GET', '/api/v2/users', { authorization: `Bearer ${token}` });
    expect((await emulator.handle(get)).status).toBe(200);
    expect((await emulator.handle(get)).status).toBe(200);
    emulator.control.clock.advance(61);
    const expired = await emulator.handle(get);
    expect([expired.status, JSON.parse(expired.body ?? '{}').message]).toStrictEqual([
      401,
      'Expired token received for JSON Web Token validation',
    ]);
  });

  test('a tampered copy of a verified token is refused, whichever part was changed', async () => {
    const emulator = createEmulator();
    const token = await emulator.issueToken({ scopes: ['read:users'] });
    const get = (bearer: string): EmulatorRequest =>
      plainRequest(emulator, 'GET', '/api/v2/users', { authorization: `Bearer ${bearer}` });
    expect((await emulator.handle(get(token))).status).toBe(200);
    const [header, payload, signature] = token.split('.');
    const widened = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()), scope: 'delete:users' }),
    ).toString('base64url');
    for (const tampered of [
      `${header}.${widened}.${signature}`,
      `${header}.${payload}.${(signature ?? '').slice(0, -3)}AAA`,
      `${token}x`,
    ]) {
      const answer = await emulator.handle(get(tampered));
      expect([answer.status, JSON.parse(answer.body ?? '{}').message]).toStrictEqual([401, 'Invalid token']);
    }
    // The original still verifies.
    expect((await emulator.handle(get(token))).status).toBe(200);
  });

  test("a token's scopes and decisions are never another token's, for the same subject", async () => {
    const emulator = createEmulator({ users: [JANE], passwordHashIterations: 1 });
    const reader = await emulator.issueToken({ scopes: ['read:users'] });
    const writer = await emulator.issueToken({ scopes: ['update:users'] });
    const appOnly = await emulator.issueToken({ scopes: ['update:users_app_metadata'] });
    const call = async (bearer: string, method: string, body: string | null = null): Promise<number> => {
      const headers = { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' };
      return (await emulator.handle(plainRequest(emulator, method, '/api/v2/users/auth0%7Cjane', headers, body)))
        .status;
    };
    const patchUser = '{"user_metadata":{"x":1}}';
    const patchApp = '{"app_metadata":{"plan":"gold"}}';
    // Twice each, so the second answer is the remembered one.
    for (let round = 0; round < 2; round++) {
      expect(await call(reader, 'GET')).toBe(200);
      expect(await call(writer, 'GET')).toBe(403);
      expect(await call(writer, 'PATCH', patchUser)).toBe(200);
      expect(await call(reader, 'PATCH', patchUser)).toBe(403);
      expect(await call(appOnly, 'PATCH', patchApp)).toBe(200);
      expect(await call(appOnly, 'PATCH', patchUser)).toBe(403);
    }
  });

  test('more decisions for one token than are remembered: each still decided by its own scopes', async () => {
    const emulator = createEmulator({ users: [JANE], passwordHashIterations: 1 });
    const writer = await emulator.issueToken({ scopes: ['update:users'] });
    const appOnly = await emulator.issueToken({ scopes: ['update:users_app_metadata'] });
    const attributes = ['given_name', 'family_name', 'name', 'nickname', 'blocked', 'user_metadata', 'app_metadata'];
    const values: Record<string, unknown> = { blocked: false, user_metadata: { a: 1 }, app_metadata: { b: 2 } };
    // Every non-empty set of these attributes: 127 distinct decisions for each token.
    for (let mask = 1; mask < 2 ** attributes.length; mask++) {
      const patch = Object.fromEntries(
        attributes.filter((_, bit) => (mask >> bit) & 1).map((name) => [name, values[name] ?? `v${mask}`]),
      );
      const onlyApp = Object.keys(patch).every((name) => name === 'app_metadata');
      for (const [bearer, allowed] of [
        [writer, true],
        [appOnly, onlyApp],
      ] as const) {
        const headers = { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' };
        const answer = await emulator.handle(
          plainRequest(emulator, 'PATCH', '/api/v2/users/auth0%7Cjane', headers, JSON.stringify(patch)),
        );
        expect([mask, answer.status]).toStrictEqual([mask, allowed ? 200 : 403]);
      }
    }
  });

  test("a current-user token's decision is per user: its own, never another's", async () => {
    const emulator = createEmulator({
      users: [JANE, { ...JANE, user_id: 'ann', email: 'ann@example.com' }],
      passwordHashIterations: 1,
    });
    const token = await emulator.issueToken({ subject: 'auth0|jane', scopes: ['read:current_user'] });
    const get = async (id: string): Promise<number> =>
      (
        await emulator.handle(
          plainRequest(emulator, 'GET', `/api/v2/users/${encodeURIComponent(id)}`, {
            authorization: `Bearer ${token}`,
          }),
        )
      ).status;
    for (let round = 0; round < 2; round++) {
      expect(await get('auth0|jane')).toBe(200);
      expect(await get('auth0|ann')).toBe(403);
    }
  });

  test('a token verified through one origin is refused for an audience it does not name', async () => {
    const emulator = createEmulator();
    const origin = 'http://127.0.0.1:4000';
    const token = await emulator.issueToken({ audience: `${origin}/api/v2/` });
    const through = (base: string): EmulatorRequest =>
      plainRequest(emulator, 'GET', '/api/v2/users', { authorization: `Bearer ${token}` }, null, base);
    expect((await emulator.handle(through(origin))).status).toBe(200);
    // A loopback alias of the same port: the same audiences are accepted.
    expect((await emulator.handle(through('http://localhost:4000'))).status).toBe(200);
    for (const base of [emulator.baseUrl, 'http://127.0.0.1:4001']) {
      const answer = await emulator.handle(through(base));
      expect([answer.status, JSON.parse(answer.body ?? '{}').message]).toStrictEqual([401, 'Bad audience']);
    }
  });

  test('many origins and Host names: each is decided on its own, whatever was remembered before', async () => {
    const emulator = createEmulator();
    const token = await emulator.issueToken();
    const server = await serve(emulator, { port: 0 });
    running.push(server);
    const headers = { authorization: `Bearer ${token}` };
    // More distinct Host values than the adapter, the guard and the audiences remember.
    for (let index = 0; index < 70; index++) {
      const allowed = await send(server, 'GET', '/api/v2/users', { ...headers, host: `h${index}.localhost` });
      expect(allowed.status).toBe(200);
    }
    for (let round = 0; round < 2; round++) {
      const refused = await send(server, 'GET', '/api/v2/users', { ...headers, host: 'rebound.example' });
      expect(refused.status).toBe(403);
    }
    // An opaque origin (not http) is not remembered: its audiences are the tenant's alone, each time.
    for (let round = 0; round < 2; round++) {
      const opaque = await emulator.handle(plainRequest(emulator, 'GET', '/api/v2/users', headers, null, 'app://h'));
      expect(opaque.status).toBe(200);
    }
    const other = await emulator.issueToken({ audience: 'app://h/api/v2/' });
    const refused = await emulator.handle(
      plainRequest(emulator, 'GET', '/api/v2/users', { authorization: `Bearer ${other}` }, null, 'app://h'),
    );
    expect(refused.status).toBe(401);
  });
});

describe("the adapter's path for the emulator's entry", () => {
  test('an entry that throws is answered the 500 and the server keeps serving', async () => {
    let calls = 0;
    const handler = offerRespond({ handle: async () => INTERNAL_ERROR }, () => {
      calls++;
      if (calls === 1) throw new Error('boom');
      return { status: 204, headers: {}, body: null };
    });
    const server = await serve(handler, { port: 0 });
    running.push(server);
    const failed = await send(server, 'GET', '/x', {});
    expect([failed.status, JSON.parse(failed.body.toString())]).toStrictEqual([500, INTERNAL_ERROR_BODY]);
    expect((await send(server, 'GET', '/x', {})).status).toBe(204);
  });

  test.each([
    ['a header Node refuses', { status: 200, headers: { 'x-broken': 'a\nb' }, body: '{}' }],
    ['a status out of range', { status: 42, headers: {}, body: '{}' }],
  ])('an answer that cannot be written (%s) is answered 500, and the server keeps serving', async (_, broken) => {
    let calls = 0;
    const handler = offerRespond({ handle: async () => INTERNAL_ERROR }, () => {
      calls++;
      return calls === 1 ? broken : { status: 200, headers: { 'content-type': 'application/json' }, body: '{}' };
    });
    const server = await serve(handler, { port: 0 });
    running.push(server);
    const failed = await send(server, 'GET', '/x', {});
    expect([failed.status, JSON.parse(failed.body.toString())]).toStrictEqual([500, INTERNAL_ERROR_BODY]);
    expect((await send(server, 'GET', '/x', {})).status).toBe(200);
  });

  test('a signal first read after the server began closing, or after the client left, is aborted at once', async () => {
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const seen: boolean[] = [];
    const handler = offerRespond({ handle: async () => INTERNAL_ERROR }, async (request) => {
      await released;
      seen.push(request.signal?.aborted ?? false);
      return { status: 204, headers: {}, body: null };
    });
    // Closing: the handler reads the signal only after close() began.
    const closing = await serve(handler, { port: 0, closeTimeout: 60_000 });
    const answered = send(closing, 'GET', '/x', {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = closing.close();
    release();
    expect((await answered).status).toBe(204);
    await closed;
    // A client that left: the handler reads the signal only once the connection is gone.
    release = () => undefined;
    const later = new Promise<void>((resolve) => {
      release = resolve;
    });
    const leaving = offerRespond({ handle: async () => INTERNAL_ERROR }, async (request) => {
      await later;
      seen.push(request.signal?.aborted ?? false);
      return { status: 204, headers: {}, body: null };
    });
    const server = await serve(leaving, { port: 0 });
    running.push(server);
    const gone = new AbortController();
    const left = fetch(`${server.url}/x`, { signal: gone.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    gone.abort();
    await expect(left).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toStrictEqual([true, true]);
  });
});
