import { describe, expect, test } from 'vitest';
import { INTERNAL_ERROR_BODY } from '../helpers.js';
import { BASE, field, JANE, send, testEmulator, userIdOf, userPath } from './helpers.js';

describe('request bodies', () => {
  async function setup(): Promise<{
    emulator: ReturnType<typeof testEmulator>['emulator'];
    token: string;
    path: string;
  }> {
    const { emulator } = testEmulator({ users: [JANE] });
    const token = await emulator.issueToken();
    const [jane] = emulator.snapshot();
    return { emulator, token, path: userPath(jane?.user_id ?? '') };
  }

  test('malformed JSON is 400 invalid_body', async () => {
    const { emulator, token, path } = await setup();
    const reply = await send(emulator, 'PATCH', path, {
      token,
      raw: '{"user_metadata": {',
      headers: { 'content-type': 'application/json' },
    });
    expect(reply.body).toStrictEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Invalid request payload JSON format',
      errorCode: 'invalid_body',
    });
  });

  test('no body at all reads as null: 400 from the core', async () => {
    const { emulator, token, path } = await setup();
    const reply = await send(emulator, 'PATCH', path, { token });
    expect(reply.status).toBe(400);
    expect(field(reply.body, 'message')).toBe("Payload validation error: 'Expected type object but found type null'.");
  });

  test('/oauth/token: malformed JSON is 400 invalid_request; JSON that is not an object has no parameters; a parameter that is not a string is 400 invalid_request', async () => {
    const { emulator } = testEmulator();
    const json = (raw: string) =>
      send(emulator, 'POST', '/oauth/token', { raw, headers: { 'content-type': 'application/json' } });
    expect((await json('{"grant_type":')).body).toStrictEqual({
      error: 'invalid_request',
      error_description: 'Invalid request payload JSON format',
    });
    expect(field((await json('["client_credentials"]')).body, 'error_description')).toBe(
      'Missing required parameter: grant_type',
    );
    const numbers = await json(JSON.stringify({ grant_type: 'client_credentials', client_id: 42 }));
    expect(numbers.body).toStrictEqual({
      error: 'invalid_request',
      error_description: 'Invalid value for parameter client_id: expected a string',
    });
  });

  test('bytes that are not UTF-8 are 400 invalid_body', async () => {
    const { emulator, token, path } = await setup();
    const response = await emulator.fetch(`${BASE}${path}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
    });
    expect(response.status).toBe(400);
  });

  test.each([
    ['text/plain', '{"user_metadata":{"a":1}}'],
    ['application/x-www-form-urlencoded', 'user_metadata=1'],
    ['', '{"user_metadata":{"a":1}}'],
  ])('content type %j is 415', async (type, raw) => {
    const { emulator, token, path } = await setup();
    const request = new Request(`${BASE}${path}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}` },
      body: raw,
    });
    if (type === '') request.headers.delete('content-type');
    else request.headers.set('content-type', type);
    const response = await emulator.fetch(request);
    expect(response.status).toBe(415);
    expect(await response.json()).toStrictEqual({
      statusCode: 415,
      error: 'Unsupported Media Type',
      message: 'Unsupported Media Type',
      errorCode: 'unsupported_media_type',
    });
  });

  test('application/json with a charset is JSON', async () => {
    const { emulator, token, path } = await setup();
    const reply = await send(emulator, 'PATCH', path, {
      token,
      raw: '{"user_metadata":{"a":1}}',
      headers: { 'content-type': 'Application/JSON; charset=utf-8' },
    });
    expect(reply.status).toBe(200);
  });

  test.each([
    ['utf-16', 'utf-16le'],
    ['UTF-16BE', 'utf-16be'],
    ['"utf-16le"', 'utf-16le'],
    ['iso-8859-1', 'latin1'],
  ])('a JSON body declared charset=%s is 415, never misread as UTF-8', async (charset, encoding) => {
    const { emulator, token, path } = await setup();
    const text = '{"user_metadata":{"name":"Zoë"}}';
    const bytes =
      encoding === 'utf-16be'
        ? Buffer.from(text, 'utf16le').swap16()
        : Buffer.from(text, encoding === 'latin1' ? 'latin1' : 'utf16le');
    const response = await emulator.fetch(`${BASE}${path}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': `application/json; charset=${charset}` },
      body: new Uint8Array(bytes),
    });
    expect({ status: response.status, body: await response.json() }).toStrictEqual({
      status: 415,
      body: {
        statusCode: 415,
        error: 'Unsupported Media Type',
        message: 'Unsupported charset: request bodies must be UTF-8',
        errorCode: 'unsupported_media_type',
      },
    });
    expect(emulator.snapshot()[0]?.user_metadata).toStrictEqual({ hobby: 'surfing' });
  });

  test('a form body declared charset=utf-16 on /oauth/token is 415 invalid_request', async () => {
    const { emulator } = testEmulator();
    const form = `grant_type=client_credentials&client_id=${emulator.clientId}&client_secret=${emulator.clientSecret}&audience=${encodeURIComponent(emulator.audience)}`;
    const response = await emulator.fetch(`${BASE}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-16' },
      body: new Uint8Array(Buffer.from(form, 'utf16le')),
    });
    expect({ status: response.status, body: await response.json() }).toStrictEqual({
      status: 415,
      body: { error: 'invalid_request', error_description: 'Unsupported charset: request bodies must be UTF-8' },
    });
  });

  test('charset=us-ascii and utf8 read as UTF-8', async () => {
    const { emulator, token, path } = await setup();
    for (const charset of ['us-ascii', 'UTF8', '"utf-8"']) {
      const reply = await send(emulator, 'PATCH', path, {
        token,
        raw: '{"user_metadata":{"a":1}}',
        headers: { 'content-type': `application/json; charset=${charset}` },
      });
      expect(reply.status, charset).toBe(200);
    }
  });

  test('a body over 1 MiB is 413, declared or streamed', async () => {
    const { emulator, token, path } = await setup();
    const big = JSON.stringify({ user_metadata: { blob: 'x'.repeat(1024 * 1024) } });
    const declared = await send(emulator, 'PATCH', path, {
      token,
      raw: big,
      headers: { 'content-type': 'application/json' },
    });
    expect(declared.body).toStrictEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'Payload content length greater than maximum allowed: 1048576',
      errorCode: 'payload_too_large',
    });
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
      },
    });
    const streamed = await emulator.fetch(
      new Request(`${BASE}${path}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      }),
    );
    expect(streamed.status).toBe(413);
    // An endless body is read only until it passes the limit.
    expect(pulled).toBeLessThan(40);
  });

  test('a body just under the limit is read', async () => {
    const { emulator } = testEmulator({ users: [JANE], maxBodyBytes: 64 });
    const token = await emulator.issueToken();
    const [jane] = emulator.snapshot();
    const body = JSON.stringify({ user_metadata: { a: 'x'.repeat(64 - 26) } });
    expect(new TextEncoder().encode(body).byteLength).toBe(64);
    const reply = await send(emulator, 'PATCH', userPath(jane?.user_id ?? ''), {
      token,
      raw: body,
      headers: { 'content-type': 'application/json' },
    });
    expect(reply.status).toBe(200);
  });

  test('an oversized /oauth/token body is 413 in the OAuth shape', async () => {
    const { emulator } = testEmulator({ maxBodyBytes: 16 });
    const reply = await send(emulator, 'POST', '/oauth/token', {
      raw: 'grant_type=client_credentials',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(reply.status).toBe(413);
    expect(field(reply.body, 'error')).toBe('invalid_request');
  });

  test('a non-form /oauth/token body is 415 in the OAuth shape', async () => {
    const { emulator } = testEmulator();
    const reply = await send(emulator, 'POST', '/oauth/token', { raw: 'x', headers: { 'content-type': 'text/plain' } });
    expect({ status: reply.status, error: field(reply.body, 'error') }).toStrictEqual({
      status: 415,
      error: 'invalid_request',
    });
  });

  test('hostile JSON never crashes: deep nesting, __proto__ keys, huge numbers', async () => {
    const { emulator, token, path } = await setup();
    const bodies = [
      `{"user_metadata":{"deep":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`,
      '{"user_metadata":{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}}',
      '{"user_metadata":{"n":1e400}}',
      '{"__proto__":{"user_metadata":{}}}',
    ];
    for (const raw of bodies) {
      const reply = await send(emulator, 'PATCH', path, {
        token,
        raw,
        headers: { 'content-type': 'application/json' },
      });
      expect([200, 400]).toContain(reply.status);
    }
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
    const stored = emulator.snapshot()[0]?.user_metadata;
    expect(stored === undefined ? [] : Object.keys(stored)).toContain('__proto__');
  });
});

describe('routing', () => {
  test('an unknown route is 404 in the Management envelope', async () => {
    const { emulator } = testEmulator();
    const reply = await send(emulator, 'GET', '/api/v2/clients');
    expect(reply.body).toStrictEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Not Found',
      errorCode: 'not_found',
    });
  });

  test('an unknown method is 405 with Allow', async () => {
    const { emulator } = testEmulator();
    const reply = await send(emulator, 'PUT', userPath('auth0|1'));
    expect(reply.status).toBe(405);
    expect(reply.headers.get('allow')).toBe('GET, PATCH, DELETE, HEAD');
    expect(field(reply.body, 'errorCode')).toBe('method_not_allowed');
  });

  test.each([
    '/api/v2/users',
    '/api/v2/users/auth0%7C1',
    '/.well-known/jwks.json',
    '/api/v2/users-by-email?email=a@b.c',
  ])('HEAD %s answers as GET does, without the body', async (path) => {
    const { emulator } = testEmulator({ users: [JANE] });
    const token = await emulator.issueToken({ scopes: ['read:users'] });
    const request = (method: string) =>
      emulator.fetch(`${BASE}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
    const get = await request('GET');
    const head = await request('HEAD');
    const body = new Uint8Array(await get.arrayBuffer());
    expect({ status: head.status, type: head.headers.get('content-type'), body: await head.text() }).toStrictEqual({
      status: get.status,
      type: get.headers.get('content-type'),
      body: '',
    });
    expect(head.headers.get('content-length')).toBe(String(body.byteLength));
  });

  test('HEAD where GET is not allowed is 405 with Allow, without a body', async () => {
    const { emulator } = testEmulator();
    const head = await emulator.fetch(`${BASE}/oauth/token`, { method: 'HEAD' });
    expect({ status: head.status, allow: head.headers.get('allow'), body: await head.text() }).toStrictEqual({
      status: 405,
      allow: 'POST',
      body: '',
    });
  });

  test('a wrong method on /oauth/token and on signup answers in their envelopes', async () => {
    const { emulator } = testEmulator();
    const token = await send(emulator, 'GET', '/oauth/token');
    expect(token.body).toStrictEqual({ error: 'method_not_allowed', error_description: 'Method Not Allowed' });
    const signup = await send(emulator, 'GET', '/dbconnections/signup');
    expect(field(signup.body, 'name')).toBe('MethodNotAllowedError');
    const unknown = await send(emulator, 'POST', '/dbconnections/change_password');
    expect(field(unknown.body, 'statusCode')).toBe(404);
  });

  test('the trailing slash of /api/v2/users/ lists users', async () => {
    const { emulator } = testEmulator();
    const token = await emulator.issueToken();
    expect((await send(emulator, 'GET', '/api/v2/users/', { token })).status).toBe(200);
  });

  test('the handler takes fetch arguments as well as a Request', async () => {
    const { emulator } = testEmulator();
    const response = await emulator.fetch(`${BASE}/.well-known/jwks.json`);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    await expect(emulator.fetch('not a url')).rejects.toThrow(TypeError);
  });
});

/** A request body that fails while being read, like a client that vanishes mid-upload. */
function brokenBody(): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.error(new Error('connection reset'));
    },
  });
}

describe('unexpected errors', () => {
  test('anything unexpected is a 500 in the envelope, reported, and the emulator keeps serving', async () => {
    const reported: unknown[] = [];
    const { emulator } = testEmulator({
      onError: (error) => {
        reported.push(error);
        throw new Error('the reporter breaks too');
      },
    });
    const token = await emulator.issueToken();
    const broken = await emulator.fetch(
      new Request(`${BASE}/api/v2/users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: brokenBody(),
        duplex: 'half',
      }),
    );
    expect(broken.status).toBe(500);
    expect(await broken.json()).toStrictEqual(INTERNAL_ERROR_BODY);
    expect(reported).toHaveLength(1);
    const created = await send(emulator, 'POST', '/api/v2/users', { token, json: JANE });
    expect(created.status).toBe(201);
    expect(userIdOf(created.body)).toBe('auth0|000000000000000000000001');
  });

  test('a crash on signup answers a 500 in the signup envelope, on /oauth/token in the OAuth one', async () => {
    const { emulator } = testEmulator();
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, duplex: 'half' } as const;
    const signup = await emulator.fetch(new Request(`${BASE}/dbconnections/signup`, { ...init, body: brokenBody() }));
    expect(await signup.json()).toStrictEqual({
      name: 'InternalServerError',
      code: 'internal_error',
      description: 'Internal Server Error',
      statusCode: 500,
    });
    const token = await emulator.fetch(new Request(`${BASE}/oauth/token`, { ...init, body: brokenBody() }));
    expect(await token.json()).toStrictEqual({ error: 'internal_error', error_description: 'Internal Server Error' });
  });

  test('a clock that throws while signing a token is a 500 too', async () => {
    let broken = false;
    const { emulator } = testEmulator({
      now: () => {
        if (broken) throw new Error('clock broke');
        return new Date('2026-01-01T00:00:00.000Z');
      },
    });
    await emulator.issueToken();
    broken = true;
    const reply = await send(emulator, 'POST', '/oauth/token', {
      raw: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: emulator.clientId,
        client_secret: emulator.clientSecret,
        audience: emulator.audience,
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(reply.status).toBe(500);
  });
});

describe('options', () => {
  test.each([
    ['passwordHashIterations', { passwordHashIterations: 0 }],
    ['maxBodyBytes', { maxBodyBytes: -1 }],
    ['tokenLifetime', { tokenLifetime: Number.NaN }],
  ])('a bad %s throws a RangeError at once', (_, options) => {
    expect(() => testEmulator(options)).toThrow(RangeError);
  });
});
