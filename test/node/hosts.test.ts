/**
 * DNS rebinding and cross-origin calls, with raw sockets sending forged Host and Origin headers to
 * a real server: a Host that is not a loopback name, the tenant domain or an allowed host is
 * refused 403 before routing (nothing is written); an Origin that is not the server's own nor an
 * allowed one likewise; CORS headers only for the allowed origins.
 */
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { createRequestGuard, HOST_REFUSAL } from '../../src/node/hosts.js';
import { type RunningServer, serve } from '../../src/node/index.js';
import { cliSession, listeningUrl } from '../cli/helpers.js';

/** One response read off the wire. */
interface WireResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Sends `raw` on a new connection to 127.0.0.1:port and reads the whole answer (the request says Connection: close). */
function exchange(port: number, raw: string): Promise<WireResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer within 5 s')));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: text.slice(end + 4) });
    });
    socket.write(raw);
  });
}

function request(method: string, path: string, headers: Readonly<Record<string, string>>, body = ''): string {
  const all = { ...headers, connection: 'close', ...(body === '' ? {} : { 'content-length': String(body.length) }) };
  const lines = Object.entries(all).map(([name, value]) => `${name}: ${value}\r\n`);
  return `${method} ${path} HTTP/1.1\r\n${lines.join('')}\r\n${body}`;
}

const SIGNUP = JSON.stringify({
  connection: 'Username-Password-Authentication',
  email: 'x@example.com',
  password: 'Pw1!xxxx',
});

function corsHeaders(response: WireResponse): string[] {
  return Object.keys(response.headers).filter((name) => name.startsWith('access-control-'));
}

let emulator: Emulator;
let server: RunningServer;

beforeAll(async () => {
  emulator = createEmulator({ passwordHashIterations: 1 });
  server = await serve(emulator);
});

afterAll(async () => {
  await server.close();
});

describe('bound to loopback: the Host must be a loopback name or the tenant domain', () => {
  test.each([
    'localhost',
    'LOCALHOST:PORT',
    'localhost.:PORT',
    'app.localhost:PORT',
    '127.0.0.1',
    '127.0.0.1:PORT',
    '[::1]:PORT',
    'tenant.auth0.test',
  ])('Host: %s is routed', async (host) => {
    const got = await exchange(
      server.port,
      request('GET', '/.well-known/jwks.json', { host: host.replace('PORT', String(server.port)) }),
    );
    expect(got.status).toBe(200);
    expect(corsHeaders(got)).toStrictEqual([]);
  });

  test.each([
    'evil.example',
    'evil.example:PORT',
    'localhost.evil.example:PORT',
    'evillocalhost:PORT',
    '127.0.0.1.nip.io:PORT',
    '192.168.1.10:PORT',
    '[::2]:PORT',
    'tenant.auth0.test.evil.example',
  ])('Host: %s is refused 403 before routing, and a signup through it writes nothing', async (forged) => {
    const host = forged.replace('PORT', String(server.port));
    const got = await exchange(
      server.port,
      request('POST', '/dbconnections/signup', { host, 'content-type': 'application/json' }, SIGNUP),
    );
    expect(got.status).toBe(403);
    expect(JSON.parse(got.body)).toMatchObject({ statusCode: 403, error: 'Forbidden', errorCode: 'host_not_allowed' });
    expect(corsHeaders(got)).toStrictEqual([]);
    expect(emulator.snapshot()).toStrictEqual([]);
  });

  test("a malformed Host is still the adapter's 400", async () => {
    const got = await exchange(server.port, request('GET', '/.well-known/jwks.json', { host: 'bad host!' }));
    expect(got.status).toBe(400);
  });

  test('allowedHosts names more hosts: exact, or every name under a leading dot', async () => {
    const other = await serve(emulator.fetch, { allowedHosts: ['dev.example.test', '.corp.test'] });
    try {
      const status = async (host: string): Promise<number> =>
        (await exchange(other.port, request('GET', '/.well-known/jwks.json', { host }))).status;
      expect(await status('dev.example.test')).toBe(200);
      expect(await status('api.corp.test:8443')).toBe(200);
      expect(await status('corp.test')).toBe(200);
      expect(await status('evil.dev.example.test')).toBe(403);
      // A Web handler has no tenant domain of its own: only what allowedHosts names.
      expect(await status('tenant.auth0.test')).toBe(403);
    } finally {
      await other.close();
    }
  });
});

describe('bound to another interface: the bound address and the allowed hosts', () => {
  async function guarded(boundHost: string, allowedHosts: readonly string[]): Promise<Server> {
    const guard = createRequestGuard({ boundHost, allowedHosts, allowedOrigins: [] });
    const plain = createServer((incoming, outgoing) => {
      if (guard(incoming, outgoing)) return;
      outgoing.end('routed');
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    return plain;
  }

  function portOf(plain: Server): number {
    const address = plain.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  test('0.0.0.0: loopback names and the allowed hosts; any other name or address is refused', async () => {
    const plain = await guarded('0.0.0.0', ['devbox.lan']);
    try {
      const status = async (host: string): Promise<number> =>
        (await exchange(portOf(plain), request('GET', '/', { host }))).status;
      expect(await status('localhost:4000')).toBe(200);
      expect(await status('devbox.lan:4000')).toBe(200);
      expect(await status('192.168.1.10:4000')).toBe(HOST_REFUSAL.status);
      expect(await status('evil.example')).toBe(HOST_REFUSAL.status);
    } finally {
      plain.close();
    }
  });

  test('a given address: that address is allowed as a Host', async () => {
    const plain = await guarded('192.0.2.10', []);
    try {
      expect((await exchange(portOf(plain), request('GET', '/', { host: '192.0.2.10:4000' }))).status).toBe(200);
      expect((await exchange(portOf(plain), request('GET', '/', { host: '192.0.2.11:4000' }))).status).toBe(403);
    } finally {
      plain.close();
    }
  });
});

describe('origins: no CORS unless allowed; pages of other origins are refused', () => {
  test('without allowedOrigins, a request from another origin is refused 403 and nothing gets CORS headers', async () => {
    const host = `localhost:${server.port}`;
    const foreign = await exchange(
      server.port,
      request(
        'POST',
        '/dbconnections/signup',
        { host, origin: 'http://evil.example', 'content-type': 'text/plain' },
        SIGNUP,
      ),
    );
    expect(foreign.status).toBe(403);
    expect(corsHeaders(foreign)).toStrictEqual([]);
    const preflight = await exchange(
      server.port,
      request('OPTIONS', '/api/v2/users', {
        host,
        origin: 'http://evil.example',
        'access-control-request-method': 'PATCH',
      }),
    );
    expect(preflight.status).toBe(403);
    expect(corsHeaders(preflight)).toStrictEqual([]);
    // The server's own origin is no cross-origin call.
    const own = await exchange(
      server.port,
      request('GET', '/.well-known/jwks.json', { host, origin: `http://${host}` }),
    );
    expect(own.status).toBe(200);
    expect(corsHeaders(own)).toStrictEqual([]);
    expect(emulator.snapshot()).toStrictEqual([]);
  });

  test('an allowed origin gets its preflight answered 204 and CORS headers on its answers; others are refused', async () => {
    const open = await serve(emulator, { allowedOrigins: ['http://localhost:3000'] });
    try {
      const host = `127.0.0.1:${open.port}`;
      const preflight = await exchange(
        open.port,
        request('OPTIONS', '/api/v2/users/auth0%7C1', {
          host,
          origin: 'http://localhost:3000',
          'access-control-request-method': 'PATCH',
          'access-control-request-headers': 'authorization, content-type',
        }),
      );
      expect(preflight.status).toBe(204);
      expect(preflight.headers).toMatchObject({
        'access-control-allow-origin': 'http://localhost:3000',
        'access-control-allow-headers': 'authorization, content-type',
        vary: 'Origin',
      });
      expect(preflight.headers['access-control-allow-methods']).toContain('PATCH');
      const call = await exchange(
        open.port,
        request('GET', '/api/v2/users', { host, origin: 'http://localhost:3000' }),
      );
      expect(call.status).toBe(401);
      expect(call.headers['access-control-allow-origin']).toBe('http://localhost:3000');
      const other = await exchange(
        open.port,
        request('GET', '/api/v2/users', { host, origin: 'http://localhost:3001' }),
      );
      expect(other.status).toBe(403);
      expect(corsHeaders(other)).toStrictEqual([]);
    } finally {
      await open.close();
    }
  });

  test('serve rejects allowedHosts or allowedOrigins that are not lists of strings', async () => {
    const attempts: unknown[] = [
      Reflect.apply(serve, undefined, [emulator, { allowedHosts: 'localhost' }]),
      Reflect.apply(serve, undefined, [emulator, { allowedOrigins: [3000] }]),
    ];
    for (const attempt of attempts) await expect(attempt).rejects.toThrow(TypeError);
  });
});

describe('createRequestGuard refuses options it cannot use', () => {
  test.each([
    [{ boundHost: 1, allowedHosts: [], allowedOrigins: [] }, 'createRequestGuard: boundHost must be a string'],
    [
      { boundHost: '127.0.0.1', allowedHosts: ['a', 1], allowedOrigins: [] },
      'createRequestGuard: allowedHosts must be an array of strings',
    ],
    [
      { boundHost: '127.0.0.1', allowedHosts: [], allowedOrigins: 'http://localhost:3000' },
      'createRequestGuard: allowedOrigins must be an array of strings',
    ],
  ])('%j', (options, message) => {
    expect(() => Reflect.apply(createRequestGuard, undefined, [options])).toThrow(new TypeError(message));
  });

  test('options that throw when read', () => {
    const options = {
      get boundHost(): string {
        throw new Error('unreadable');
      },
      allowedHosts: [],
      allowedOrigins: [],
    };
    expect(() => createRequestGuard(options)).toThrow(new TypeError('createRequestGuard: the options cannot be read'));
  });
});

describe('the CLI passes --allowed-host and --allowed-origin', () => {
  test('serve --allowed-host and --allowed-origin (repeatable) reach the Host and origin checks', async () => {
    const { io, out, stop, ready } = cliSession();
    const exit = runCli(
      [
        'serve',
        '--port',
        '0',
        '--allowed-host',
        'dev.example.test',
        '--allowed-host',
        'other.example.test',
        '--allowed-origin',
        'http://localhost:3000',
      ],
      io,
    );
    await Promise.race([ready, exit]);
    try {
      const port = Number(new URL(listeningUrl(out) ?? 'http://127.0.0.1:0').port);
      const status = async (headers: Readonly<Record<string, string>>): Promise<number> =>
        (await exchange(port, request('GET', '/.well-known/jwks.json', headers))).status;
      expect(await status({ host: 'dev.example.test' })).toBe(200);
      expect(await status({ host: 'other.example.test' })).toBe(200);
      expect(await status({ host: 'tenant.auth0.test' })).toBe(200);
      expect(await status({ host: 'evil.example' })).toBe(403);
      expect(await status({ host: `localhost:${port}`, origin: 'http://localhost:3000' })).toBe(200);
      expect(await status({ host: `localhost:${port}`, origin: 'http://evil.example' })).toBe(403);
    } finally {
      stop();
    }
    expect(await exit).toBe(0);
  });
});
