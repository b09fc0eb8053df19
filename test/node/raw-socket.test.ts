/**
 * Both Node adapters (`serve(emulator)`, which skips Web Request/Response objects, and
 * `serve(emulator.fetch)`) under requests only a raw socket sends: malformed Host headers,
 * absolute-form targets, every method name node:http parses, and requests pipelined after an error.
 * Both must answer alike, with the client's 4xx for the client's mistakes.
 */
import { METHODS } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { type RunningServer, serve } from '../../src/node/index.js';

/** One HTTP response read off the wire. */
interface WireResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What a connection gave back: every response in order, and whether the server closed it. */
interface Exchange {
  readonly responses: readonly WireResponse[];
  readonly closedByServer: boolean;
}

/**
 * Parses the responses in `raw` (Content-Length or chunked bodies; none for a HEAD). `methods` are
 * the methods of the requests, in order, so a HEAD answer is read without a body.
 */
function parseResponses(raw: Buffer, methods: readonly string[]): WireResponse[] {
  const responses: WireResponse[] = [];
  let offset = 0;
  while (offset < raw.length) {
    const end = raw.indexOf('\r\n\r\n', offset);
    if (end === -1) break;
    const [statusLine = '', ...lines] = raw.subarray(offset, end).toString('latin1').split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    offset = end + 4;
    let body: Buffer = Buffer.alloc(0);
    if (methods[responses.length] !== 'HEAD') {
      if (headers['transfer-encoding'] === 'chunked') {
        const chunks: Buffer[] = [];
        for (;;) {
          const lineEnd = raw.indexOf('\r\n', offset);
          const size = Number.parseInt(raw.subarray(offset, lineEnd).toString('latin1'), 16);
          offset = lineEnd + 2;
          if (size === 0 || Number.isNaN(size)) {
            offset += 2;
            break;
          }
          chunks.push(raw.subarray(offset, offset + size));
          offset += size + 2;
        }
        body = Buffer.concat(chunks);
      } else {
        const length = Number(headers['content-length'] ?? 0);
        body = raw.subarray(offset, offset + length);
        offset += length;
      }
    }
    responses.push({ status: Number(statusLine.split(' ')[1]), headers, body: body.toString('utf8') });
  }
  return responses;
}

/**
 * Writes `parts` on one connection and reads until every response expected is in (or, with
 * `untilClose`, until the server closes the connection), or `waitMs` passes.
 */
function exchange(
  port: number,
  parts: readonly (string | Buffer)[],
  methods: readonly string[],
  waitMs = 1500,
  untilClose = false,
) {
  return new Promise<Exchange>((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (closedByServer: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ responses: parseResponses(Buffer.concat(chunks), methods), closedByServer });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      // Every response expected is in: no need to wait for the timer.
      if (!untilClose && parseResponses(Buffer.concat(chunks), methods).length === methods.length) finish(false);
    });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', (error) => (settled ? undefined : reject(error)));
    socket.on('connect', () => {
      for (const part of parts) socket.write(part);
    });
  });
}

function request(method: string, target: string, headers: Readonly<Record<string, string>> = {}, body = ''): string {
  const lines = Object.entries({ host: '127.0.0.1', ...headers }).map(([name, value]) => `${name}: ${value}\r\n`);
  const length = body === '' && (method === 'GET' || method === 'HEAD') ? '' : `content-length: ${body.length}\r\n`;
  return `${method} ${target} HTTP/1.1\r\n${lines.join('')}${length}\r\n${body}`;
}

/** The two adapters, each serving its own emulator, with the errors `onError` reported. */
interface Adapter {
  readonly name: string;
  server: RunningServer;
  emulator: Emulator;
  token: string;
  readonly reported: unknown[];
}

const LIMIT = 1024;

const ADAPTERS: Adapter[] = ['serve(emulator)', 'serve(emulator.fetch)'].map((name) => ({
  name,
  reported: [],
  server: undefined as never,
  emulator: undefined as never,
  token: '',
}));

beforeAll(async () => {
  for (const adapter of ADAPTERS) {
    adapter.emulator = createEmulator({
      passwordHashIterations: 1,
      maxBodyBytes: LIMIT,
      onError: (error) => adapter.reported.push(error),
    });
    adapter.token = await adapter.emulator.issueToken({ scopes: ['read:users', 'update:users'] });
    adapter.server = await serve(adapter.name === 'serve(emulator)' ? adapter.emulator : adapter.emulator.fetch);
  }
});

afterAll(async () => {
  await Promise.all(ADAPTERS.map((adapter) => adapter.server.close()));
});

const BAD_REQUEST = {
  statusCode: 400,
  error: 'Bad Request',
  message: 'Invalid Host header or request target',
  errorCode: 'bad_request',
};

const MALFORMED_HOSTS = ['a:99999', '[:::]', 'bad host!', 'a@b', 'a/b', '[::1', 'a:', ':80', 'a:-1'];
const MALFORMED_TARGETS = ['http://a:99999/api/v2/users', 'http://[:::]/api/v2/users', 'http://a b/api/v2/users'];

describe.each(ADAPTERS)('$name', (adapter) => {
  test.each(MALFORMED_HOSTS)('Host: %s is 400, onError is not called, the connection serves on', async (host) => {
    const reported = adapter.reported.length;
    const got = await exchange(
      adapter.server.port,
      [request('GET', '/.well-known/jwks.json', { host }), request('GET', '/.well-known/jwks.json')],
      ['GET', 'GET'],
    );
    const [first, second] = got.responses;
    expect({ status: first?.status, body: JSON.parse(first?.body ?? 'null') }).toStrictEqual({
      status: 400,
      body: BAD_REQUEST,
    });
    expect(second?.status).toBe(200);
    expect(adapter.reported.length).toBe(reported);
  });

  test.each(MALFORMED_TARGETS)('the absolute-form target %s is 400', async (target) => {
    const got = await exchange(adapter.server.port, [request('GET', target)], ['GET']);
    expect(got.responses.map((response) => response.status)).toStrictEqual([400]);
  });

  test('a well-formed absolute-form target is served by its path only', async () => {
    const got = await exchange(
      adapter.server.port,
      [request('GET', 'http://evil.example/.well-known/jwks.json')],
      ['GET'],
    );
    expect(got.responses.map((response) => response.status)).toStrictEqual([200]);
  });

  test('TRACE and TRACK are 405, as the other adapter answers them', async () => {
    for (const method of ['TRACE', 'TRACK']) {
      const got = await exchange(adapter.server.port, [request(method, '/api/v2/users')], [method]);
      expect(
        got.responses.map((response) => response.status),
        method,
      ).toStrictEqual(method === 'TRACE' ? [405] : [400]);
    }
  });

  test('HEAD on a GET route: the status and headers of GET, no body', async () => {
    const authorization = `Bearer ${adapter.token}`;
    const got = await exchange(
      adapter.server.port,
      [request('GET', '/api/v2/users', { authorization }), request('HEAD', '/api/v2/users', { authorization })],
      ['GET', 'HEAD'],
    );
    const [get, head] = got.responses;
    expect(head?.status).toBe(get?.status);
    expect(head?.headers['content-type']).toBe(get?.headers['content-type']);
    expect(head?.headers['content-length']).toBe(String(Buffer.byteLength(get?.body ?? '')));
  });

  test('a request pipelined after a 413 whose body arrived whole is answered, or the connection closed cleanly', async () => {
    const oversized = request(
      'PATCH',
      '/api/v2/users/auth0%7C1',
      { 'content-type': 'application/json', authorization: `Bearer ${adapter.token}` },
      'x'.repeat(4 * LIMIT),
    );
    const got = await exchange(
      adapter.server.port,
      [oversized, request('GET', '/.well-known/jwks.json')],
      ['PATCH', 'GET'],
    );
    const [first, second] = got.responses;
    expect(first?.status).toBe(413);
    if (second === undefined) expect([first?.headers.connection, got.closedByServer]).toStrictEqual(['close', true]);
    else expect(second.status).toBe(200);
  });

  test('a 413 while the body is still coming says Connection: close, and the server closes (no hang)', async () => {
    const head = `PATCH /api/v2/users/auth0%7C1 HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\nauthorization: Bearer ${adapter.token}\r\ncontent-length: ${100 * LIMIT}\r\n\r\n`;
    const got = await exchange(adapter.server.port, [head, 'x'.repeat(LIMIT / 2)], ['PATCH'], 3000, true);
    expect(got.responses.map((response) => [response.status, response.headers.connection])).toStrictEqual([
      [413, 'close'],
    ]);
    expect(got.closedByServer).toBe(true);
  });

  test('a 413 for a chunked body over the limit, still coming: Connection: close, then closed', async () => {
    const chunk = 'x'.repeat(2 * LIMIT);
    const chunked = `PATCH /api/v2/users/auth0%7C1 HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\nauthorization: Bearer ${adapter.token}\r\ntransfer-encoding: chunked\r\n\r\n${chunk.length.toString(16)}\r\n${chunk}\r\n`;
    const got = await exchange(adapter.server.port, [chunked], ['PATCH'], 3000, true);
    expect(got.responses.map((response) => [response.status, response.headers.connection])).toStrictEqual([
      [413, 'close'],
    ]);
    expect(got.closedByServer).toBe(true);
  });

  test('a request pipelined after a 400 whose body was read whole is answered', async () => {
    const malformed = request(
      'PATCH',
      '/api/v2/users/auth0%7C1',
      { 'content-type': 'application/json', authorization: `Bearer ${adapter.token}` },
      '{"user_metadata":',
    );
    const got = await exchange(
      adapter.server.port,
      [malformed, request('GET', '/.well-known/jwks.json')],
      ['PATCH', 'GET'],
    );
    expect(got.responses.map((response) => response.status)).toStrictEqual([400, 200]);
  });
});

describe('both adapters alike', () => {
  /** Status, body and Allow of one request on each adapter (no token: the answers are errors). */
  async function answers(method: string, target: string): Promise<unknown[]> {
    return Promise.all(
      ADAPTERS.map(async (adapter) => {
        const got = await exchange(adapter.server.port, [request(method, target)], [method], 800);
        return got.responses.map((response) => ({
          status: response.status,
          body: response.body,
          allow: response.headers.allow,
          type: response.headers['content-type'],
        }));
      }),
    );
  }

  test.each(
    METHODS.flatMap((method) =>
      ['/api/v2/users', '/api/v2/users/auth0%7C1', '/nowhere'].map((target) => [method, target]),
    ),
  )('%s %s', async (method = '', target = '') => {
    const [plain, web] = await answers(method, target);
    expect(web).toStrictEqual(plain);
    if (method === 'TRACE') expect(plain).toMatchObject([{ status: 405 }]);
  });
});
