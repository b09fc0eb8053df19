import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEmulator, type EmulatorRequest } from '../../src/emulator/index.js';
import { type RunningServer, serve } from '../../src/node/index.js';
import { INTERNAL_ERROR_BODY } from '../helpers.js';

// `serve(emulator)` takes the plain path (no Request/Response objects): it must answer exactly as `fetch` does.
describe('serve(emulator): the plain path', () => {
  const emulator = createEmulator({ passwordHashIterations: 1000, maxBodyBytes: 1024 });
  let server: RunningServer;
  let token = '';
  let userId = '';
  beforeAll(async () => {
    server = await serve(emulator, { port: 0 });
    token = await emulator.issueToken();
    const created = await emulator.createUser({
      connection: 'Username-Password-Authentication',
      email: 'plain@example.com',
      password: 'Passw0rd!xyz',
      user_metadata: { hobby: 'surfing' },
    });
    if (!created.success) throw new Error('seed failed');
    userId = created.value.user_id;
  });
  afterAll(async () => {
    await server.close();
  });
  const userUrl = (): string => `${server.url}/api/v2/users/${encodeURIComponent(userId)}`;

  test('the same answers as fetch: PATCH, GET with fields, errors', async () => {
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const patched = await fetch(userUrl(), {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ user_metadata: { addresses: { home: 'Lisbon' } } }),
    });
    expect(patched.status).toBe(200);
    expect(patched.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const read = await fetch(`${userUrl()}?fields=user_metadata`, { headers });
    expect(await read.json()).toStrictEqual({ user_metadata: { hobby: 'surfing', addresses: { home: 'Lisbon' } } });
    const direct = await emulator.fetch(
      `${emulator.baseUrl}/api/v2/users/${encodeURIComponent(userId)}?fields=user_metadata`,
      {
        headers,
      },
    );
    expect(await direct.json()).toStrictEqual({ user_metadata: { hobby: 'surfing', addresses: { home: 'Lisbon' } } });
    const anonymous = await fetch(userUrl());
    expect(anonymous.status).toBe(401);
    const deleted = await fetch(userUrl(), { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect([deleted.status, await deleted.text()]).toStrictEqual([204, '']);
  });

  test('answers carry a Content-Length equal to their UTF-8 bytes, never chunked; a 204 has neither', async () => {
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await emulator.createUser({
      connection: 'Username-Password-Authentication',
      email: 'length@example.com',
      password: 'Passw0rd!xyz',
    });
    if (!created.success) throw new Error('seed failed');
    const url = `${server.url}/api/v2/users/${encodeURIComponent(created.value.user_id)}`;
    const exchange = (
      method: string,
      body?: string,
    ): Promise<{ status: number; headers: Record<string, unknown>; bytes: number }> =>
      new Promise((resolve, reject) => {
        const outgoing = httpRequest(url, { method, headers, agent: false }, (incoming) => {
          let bytes = 0;
          incoming.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
          });
          incoming.on('end', () =>
            resolve({ status: incoming.statusCode ?? 0, headers: { ...incoming.headers }, bytes }),
          );
        });
        outgoing.on('error', reject);
        outgoing.end(body);
      });
    const patched = await exchange('PATCH', JSON.stringify({ user_metadata: { city: 'Zürich ✓' } }));
    expect([patched.status, patched.headers['content-length'], patched.headers['transfer-encoding']]).toStrictEqual([
      200,
      String(patched.bytes),
      undefined,
    ]);
    const gone = await exchange('DELETE');
    expect([gone.status, gone.headers['content-length'], gone.headers['transfer-encoding']]).toStrictEqual([
      204,
      undefined,
      undefined,
    ]);
  });

  test('bodies over the limit get 413, announced or streamed', async () => {
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const big = JSON.stringify({ user_metadata: { text: 'x'.repeat(4096) } });
    const announced = await fetch(userUrl(), { method: 'PATCH', headers, body: big });
    expect(announced.status).toBe(413);
    const streamed = await fetch(userUrl(), {
      method: 'PATCH',
      headers,
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(big));
          controller.close();
        },
      }),
      duplex: 'half',
    });
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toMatchObject({ statusCode: 413, errorCode: 'payload_too_large' });
  });

  test('a body that breaks off mid-way gets an answer and the server keeps serving', async () => {
    await new Promise<void>((resolve) => {
      const outgoing = httpRequest(`${server.url}/dbconnections/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': '1000' },
      });
      outgoing.on('error', () => resolve());
      outgoing.on('close', () => resolve());
      outgoing.write('{"email":');
      outgoing.on('socket', (socket) => socket.on('connect', () => setImmediate(() => outgoing.destroy())));
    });
    expect((await fetch(`${server.url}/.well-known/jwks.json`)).status).toBe(200);
  });

  test('a plain handler that throws is a 500 in the Management envelope', async () => {
    const failing = await serve(
      {
        handle: async (request: EmulatorRequest) => {
          throw new Error(`cannot handle ${request.method}`);
        },
      },
      { port: 0 },
    );
    try {
      const response = await fetch(`${failing.url}/api/v2/users`);
      expect(response.status).toBe(500);
      expect(await response.json()).toStrictEqual(INTERNAL_ERROR_BODY);
    } finally {
      await failing.close();
    }
  });
});
