import { request as httpRequest } from 'node:http';
import { ManagementClient } from 'auth0';
import { afterEach, describe, expect, test } from 'vitest';
import { INTERNAL_ERROR } from '../../src/emulator/http.js';
import { createRequestListener, type RunningServer, type ServeOptions, serve } from '../../src/node/index.js';
import { BASE, JANE, TENANT, testEmulator } from '../emulator/helpers.js';

const running: RunningServer[] = [];

async function start(
  handler: (request: Request) => Promise<Response>,
  port = 0,
  allowedHosts: readonly string[] = [],
): Promise<RunningServer> {
  const server = await serve(handler, { port, allowedHosts });
  running.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

/** A fetch for the SDK: the same request, sent over loopback to the real server instead of the tenant. */
function loopback(server: RunningServer): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  return (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    return fetch(new Request(`${server.url}${url.pathname}${url.search}`, request));
  };
}

describe('the SDK against the real server over loopback', () => {
  test('ManagementClient gets its own token with clientId/clientSecret, then reads and patches', async () => {
    const { emulator } = testEmulator({ users: [JANE] });
    const server = await start(emulator.fetch);
    expect(server.host).toBe('127.0.0.1');
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
    const seen: string[] = [];
    const send = loopback(server);
    const client = new ManagementClient({
      domain: TENANT,
      clientId: emulator.clientId,
      clientSecret: emulator.clientSecret,
      maxRetries: 0,
      fetch: async (input, init) => {
        const response = await send(input, init);
        seen.push(
          `${new Request(input, init).method} ${new URL(new Request(input, init).url).pathname} ${response.status}`,
        );
        return response;
      },
    });
    const [jane] = emulator.snapshot();
    const id = jane?.user_id ?? '';
    expect(await client.users.get(id, { fields: 'user_metadata' })).toStrictEqual({
      user_metadata: { hobby: 'surfing' },
    });
    const updated = await client.users.update(id, { user_metadata: { addresses: { home: '123 Main Street' } } });
    expect(updated.user_metadata).toStrictEqual({ hobby: 'surfing', addresses: { home: '123 Main Street' } });
    expect(seen).toStrictEqual([
      'POST /oauth/token 200',
      `GET /api/v2/users/${encodeURIComponent(id)} 200`,
      `PATCH /api/v2/users/${encodeURIComponent(id)} 200`,
    ]);
  });

  test('plain fetch with the audience of the server origin works too', async () => {
    const { emulator } = testEmulator({ users: [JANE] });
    const server = await start(emulator.fetch);
    const tokenResponse = await fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: emulator.clientId,
        client_secret: emulator.clientSecret,
        audience: `${server.url}/api/v2/`,
      }),
    });
    const body: unknown = await tokenResponse.json();
    const token = typeof body === 'object' && body !== null && 'access_token' in body ? String(body.access_token) : '';
    const users = await fetch(`${server.url}/api/v2/users?fields=email`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await users.json()).toStrictEqual([{ email: JANE.email }]);
  });
});

describe('serve', () => {
  test('port 0 picks a free port; a busy port rejects with EADDRINUSE', async () => {
    const first = await start(async () => new Response('ok'));
    expect(first.port).toBeGreaterThan(0);
    await expect(serve(async () => new Response('ok'), { port: first.port })).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
  });

  test('streams request bodies in, and a body over the limit gets 413 without being buffered', async () => {
    const { emulator } = testEmulator({ users: [JANE], maxBodyBytes: 1024 });
    const server = await start(emulator.fetch);
    const token = await emulator.issueToken();
    const [jane] = emulator.snapshot();
    const response = await fetch(`${server.url}/api/v2/users/${encodeURIComponent(jane?.user_id ?? '')}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user_metadata: { blob: 'x'.repeat(4096) } }),
    });
    expect(response.status).toBe(413);
    const small = await fetch(`${server.url}/api/v2/users/${encodeURIComponent(jane?.user_id ?? '')}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user_metadata: { ok: true } }),
    });
    expect(small.status).toBe(200);
  });

  test('a handler that throws gets a 500 and the server keeps serving', async () => {
    let calls = 0;
    const server = await start(async () => {
      calls++;
      if (calls === 1) throw new Error('boom');
      return new Response(null, { status: 204 });
    });
    const broken = await fetch(`${server.url}/x`);
    expect(broken.status).toBe(500);
    expect(await broken.json()).toMatchObject({ statusCode: 500, errorCode: 'internal_error' });
    expect((await fetch(`${server.url}/x`)).status).toBe(204);
  });

  test('close() lets a request in flight finish, then resolves', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let arrived: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const server = await serve(async () => {
      arrived();
      await gate;
      return new Response('done');
    });
    const inFlight = fetch(`${server.url}/slow`);
    await started;
    const closed = server.close();
    release();
    const response = await inFlight;
    expect(await response.text()).toBe('done');
    await closed;
    await expect(fetch(`${server.url}/slow`)).rejects.toThrow();
  });

  test('close() and a client that goes away abort the signal of a request in flight, for a Web handler and an emulator', async () => {
    /** A handler (of either kind) that answers only once its request's signal aborts. */
    const waiting = (): {
      readonly seen: AbortSignal[];
      readonly arrived: Promise<void>;
      readonly until: (signal: AbortSignal | undefined) => Promise<number>;
    } => {
      const seen: AbortSignal[] = [];
      let arrive: () => void = () => undefined;
      const arrived = new Promise<void>((resolve) => {
        arrive = resolve;
      });
      const until = (signal: AbortSignal | undefined): Promise<number> => {
        if (signal === undefined) return Promise.resolve(500);
        seen.push(signal);
        arrive();
        return new Promise((resolve) => signal.addEventListener('abort', () => resolve(503), { once: true }));
      };
      return { seen, arrived, until };
    };
    const web = waiting();
    const plain = waiting();
    const webServer = await serve(async (request) => new Response(null, { status: await web.until(request.signal) }), {
      closeTimeout: 60_000,
    });
    const plainServer = await serve(
      { handle: async (request) => ({ status: await plain.until(request.signal), headers: {}, body: null }) },
      { closeTimeout: 60_000 },
    );
    // Closing: both answer 503 at once, so close() resolves long before its 60 s timeout.
    const webAnswer = fetch(`${webServer.url}/wait`);
    const plainAnswer = fetch(`${plainServer.url}/wait`);
    await Promise.all([web.arrived, plain.arrived]);
    await Promise.all([webServer.close(), plainServer.close()]);
    expect([(await webAnswer).status, (await plainAnswer).status]).toStrictEqual([503, 503]);
    // A client that goes away: the signal of its request aborts while the server keeps running.
    const gone = waiting();
    const server = await start(async (request) => new Response(null, { status: await gone.until(request.signal) }));
    const leaving = new AbortController();
    const left = fetch(`${server.url}/wait`, { signal: leaving.signal });
    await gone.arrived;
    leaving.abort();
    await expect(left).rejects.toThrow();
    await new Promise<void>((resolve) => gone.seen[0]?.addEventListener('abort', () => resolve(), { once: true }));
    expect(gone.seen[0]?.aborted).toBe(true);
  });

  test('close() cuts connections still busy after closeTimeout', async () => {
    let arrived: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const server = await serve(
      async () => {
        arrived();
        return new Promise<Response>(() => undefined);
      },
      { closeTimeout: 1 },
    );
    const stuck = fetch(`${server.url}/forever`);
    await started;
    await server.close();
    await expect(stuck).rejects.toThrow();
  });

  test('the Host header sets the origin of request URLs; an absolute-form target cannot', async () => {
    const urls: string[] = [];
    const server = await start(
      async (request) => {
        urls.push(request.url);
        return new Response('ok');
      },
      0,
      ['local.test'],
    );
    await fetch(`${server.url}/a?b=1`);
    await new Promise<void>((resolve, reject) => {
      const outgoing = httpRequest(
        {
          host: '127.0.0.1',
          port: server.port,
          path: 'http://evil.example/steal',
          headers: { host: 'local.test:8080' },
        },
        (incoming) => {
          incoming.resume();
          incoming.on('end', resolve);
        },
      );
      outgoing.on('error', reject);
      outgoing.end();
    });
    expect(urls).toStrictEqual([`${server.url}/a?b=1`, 'http://local.test:8080/steal']);
  });

  test('response headers, several Set-Cookie included, are written back', async () => {
    const server = await start(async () => {
      const headers = new Headers({ 'x-one': '1' });
      headers.append('set-cookie', 'a=1');
      headers.append('set-cookie', 'b=2');
      return new Response('body', { status: 201, headers });
    });
    const response = await fetch(server.url);
    expect(response.status).toBe(201);
    expect(response.headers.get('x-one')).toBe('1');
    expect(response.headers.getSetCookie()).toStrictEqual(['a=1', 'b=2']);
  });
});

/** One request by node:http: the status, the raw header list and the body, or the error the client met. */
function rawExchange(
  url: string,
  method: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number | undefined; rawHeaders: string[]; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const sent = httpRequest(`${url}/x`, { method, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode, rawHeaders: response.rawHeaders, body: text }));
    });
    sent.on('error', (error) => resolve({ error: error.message }));
    sent.end(body);
  });
}

/** The values of one header in a raw header list, its name in any case. */
function headerValues(rawHeaders: readonly string[], name: string): string[] {
  return rawHeaders.filter((_, index) => index % 2 === 1 && rawHeaders[index - 1]?.toLowerCase() === name);
}

describe('serve: what a plain handler answers', () => {
  async function plain(answer: unknown): Promise<RunningServer> {
    // A hand-made handler may answer anything at run time: the adapter must still answer the client.
    const handler = Object.defineProperty({ handle: async () => INTERNAL_ERROR }, 'handle', {
      value: async (): Promise<unknown> => answer,
    });
    const server = await serve(handler, { port: 0 });
    running.push(server);
    return server;
  }

  test('the body length and Connection: close are the adapter’s, whatever the case of the handler’s header names', async () => {
    const server = await plain({
      status: 200,
      headers: { 'Content-Length': '999', Connection: 'keep-alive', 'Transfer-Encoding': 'chunked', 'X-Kept': 'yes' },
      body: '{"a":1}',
    });
    const got = await rawExchange(server.url, 'GET');
    if ('error' in got) throw new Error(got.error);
    expect(got.body).toBe('{"a":1}');
    expect(headerValues(got.rawHeaders, 'content-length')).toStrictEqual(['7']);
    expect(headerValues(got.rawHeaders, 'transfer-encoding')).toStrictEqual([]);
    expect(headerValues(got.rawHeaders, 'x-kept')).toStrictEqual(['yes']);
    // A GET whose body the handler never reads: the connection closes after the answer.
    const unread = await rawExchange(server.url, 'GET', { 'content-length': '5' }, 'xxxxx');
    if ('error' in unread) throw new Error(unread.error);
    expect(headerValues(unread.rawHeaders, 'connection')).toStrictEqual(['close']);
  });
});

describe('createRequestListener', () => {
  test('is a node:http listener that answers through the handler', () => {
    const listener = createRequestListener(async () => new Response('ok'), BASE);
    expect(typeof listener).toBe('function');
  });
});

describe('serve: options from JavaScript', () => {
  const ok = async (): Promise<Response> => new Response('ok');
  /** Options holding `value` at `name`, as plain JavaScript could pass them. */
  function withOption(name: string, value: unknown): ServeOptions {
    const options: ServeOptions = {};
    Reflect.set(options, name, value);
    return options;
  }

  test('each malformed option is refused with what was expected, before anything listens', async () => {
    await expect(serve(ok, withOption('port', 1.5))).rejects.toThrow(/port must be an integer from 0 to 65535/);
    await expect(serve(ok, withOption('port', 70_000))).rejects.toThrow(RangeError);
    await expect(serve(ok, withOption('host', 127))).rejects.toThrow(/host must be a string/);
    await expect(serve(ok, withOption('closeTimeout', -1))).rejects.toThrow(/closeTimeout must be a number/);
    await expect(serve(ok, withOption('closeTimeout', 'soon'))).rejects.toThrow(RangeError);
    await expect(serve(ok, withOption('tls', null))).rejects.toThrow(/tls must be an object with a PEM key and cert/);
    await expect(serve(ok, withOption('tls', { key: 'k' }))).rejects.toThrow(/PEM key and cert/);
    const notServable: unknown = Reflect.apply(serve, undefined, [42, {}]);
    await expect(notServable).rejects.toThrow(/handler must be a function or an object with a handle function/);
  });

  test('an IPv6 host is bracketed in the url, and the server answers there', async () => {
    const server = await serve(ok, { port: 0, host: '::1' }).catch(() => undefined);
    // A machine without IPv6 loopback cannot listen there; the url form is then not observable.
    if (server === undefined) return;
    running.push(server);
    expect(server.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
    expect(await (await fetch(server.url)).text()).toBe('ok');
  });
});
