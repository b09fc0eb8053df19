/**
 * The emulator under hostile requests: broken bodies, wrong media types, oversized bodies and
 * headers, odd ids and query strings, forged tokens, and failures inside the emulator itself.
 * Every one gets Auth0's status and envelope (never a 500 unless something inside broke), and a
 * follow-up request shows the emulator still serves. Through `emulator.fetch` (no ports), except
 * where only a socket can send the request (huge or malformed headers).
 */
import { connect } from 'node:net';
import {
  base64url,
  calculateJwkThumbprint,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  SignJWT,
} from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { type RunningServer, serve } from '../../src/node/index.js';
import {
  AUDIENCE,
  BASE,
  CONNECTION,
  field,
  JANE,
  type Reply,
  send,
  TENANT,
  testEmulator,
  userIdOf,
  userPath,
} from '../emulator/helpers.js';

const LIMIT = 1024 * 1024;

function managementError(status: number, error: string, message: string, errorCode: string): unknown {
  return { statusCode: status, error, message, errorCode };
}

const INVALID_JSON = managementError(400, 'Bad Request', 'Invalid request payload JSON format', 'invalid_body');
const UNSUPPORTED = managementError(415, 'Unsupported Media Type', 'Unsupported Media Type', 'unsupported_media_type');
const TOO_LARGE = managementError(
  413,
  'Payload Too Large',
  `Payload content length greater than maximum allowed: ${LIMIT}`,
  'payload_too_large',
);
const INEXISTENT = managementError(404, 'Not Found', 'The user does not exist.', 'inexistent_user');
const NOT_FOUND = managementError(404, 'Not Found', 'Not Found', 'not_found');
const INVALID_URI = managementError(
  400,
  'Bad Request',
  "Path validation error: 'Invalid URI encoding' on property id.",
  'invalid_uri',
);
const INVALID_TOKEN = managementError(401, 'Unauthorized', 'Invalid token', 'invalid_token');
const EXPIRED = managementError(
  401,
  'Unauthorized',
  'Expired token received for JSON Web Token validation',
  'invalid_token',
);
const BAD_AUDIENCE = managementError(401, 'Unauthorized', 'Bad audience', 'invalid_token');
const SUBJECT_MISMATCH = managementError(
  403,
  'Forbidden',
  'User to be acted on does not match subject in bearer token.',
  'insufficient_scope',
);
const INTERNAL = managementError(500, 'Internal Server Error', 'Internal Server Error', 'internal_error');

/** Status and body of a reply, for one `toStrictEqual`. */
function answer(reply: Reply): { status: number; body: unknown } {
  return { status: reply.status, body: reply.body };
}

/** Status and JSON body of a Response. */
async function answerOf(response: Response): Promise<{ status: number; body: unknown }> {
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

interface Tenant {
  readonly emulator: Emulator;
  readonly token: string;
  readonly janeId: string;
  readonly janePath: string;
  /** Moves the emulator's clock. */
  readonly advance: (milliseconds: number) => void;
}

async function tenant(options: Parameters<typeof testEmulator>[0] = {}): Promise<Tenant> {
  const { emulator, clock } = testEmulator({ users: [JANE], ...options });
  const token = await emulator.issueToken();
  const janeId = emulator.snapshot()[0]?.user_id ?? '';
  return { emulator, token, janeId, janePath: userPath(janeId), advance: clock.advance };
}

/** The emulator still serves: a GET with a good token reads Jane, a PATCH writes. */
async function expectStillServes({ emulator, token, janePath }: Tenant): Promise<void> {
  const read = await send(emulator, 'GET', `${janePath}?fields=email`, { token });
  expect(answer(read)).toStrictEqual({ status: 200, body: { email: JANE.email } });
  const write = await send(emulator, 'PATCH', janePath, { token, json: { user_metadata: { alive: true } } });
  expect(write.status).toBe(200);
}

async function sendBytes(
  { emulator, token }: Tenant,
  method: string,
  path: string,
  body: Uint8Array | string | ReadableStream<Uint8Array>,
  headers: Readonly<Record<string, string>> = { 'content-type': 'application/json' },
): Promise<{ status: number; body: unknown }> {
  return answerOf(
    await emulator.fetch(
      new Request(`${BASE}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...headers },
        body,
        duplex: 'half',
      }),
    ),
  );
}

describe('malformed, truncated and invalid UTF-8 bodies', () => {
  const MALFORMED = [
    '{',
    '{"user_metadata":}',
    "{'user_metadata':{}}",
    '{"user_metadata":{"a":1}}}',
    '{"user_metadata":{"a":1},}',
    '{"user_metadata":{"a":NaN}}',
    '{"user_metadata":{"a":"\u0001"}}',
    '{"user_metadata":{"a":01}}',
    'undefined',
    '\u0000',
  ];

  test.each(MALFORMED)('PATCH with %j is 400 invalid_body, and nothing is written', async (raw) => {
    const state = await tenant();
    const before = state.emulator.getUser(state.janeId);
    expect(await sendBytes(state, 'PATCH', state.janePath, raw)).toStrictEqual({ status: 400, body: INVALID_JSON });
    expect(state.emulator.getUser(state.janeId)).toBe(before);
    await expectStillServes(state);
  });

  test('every truncation of a valid body is a 400, never a partial write', async () => {
    const state = await tenant();
    const before = state.emulator.getUser(state.janeId);
    const valid = JSON.stringify({ user_metadata: { addresses: { home: 'Lisbon' }, list: [1, 'two', null] } });
    const answers = new Set<string>();
    for (let length = 0; length < valid.length; length++) {
      const reply = await sendBytes(state, 'PATCH', state.janePath, valid.slice(0, length));
      expect(reply.status).toBe(400);
      answers.add(String(field(reply.body, 'errorCode')));
    }
    expect([...answers]).toStrictEqual(['invalid_body']);
    expect(state.emulator.getUser(state.janeId)).toBe(before);
    await expectStillServes(state);
  });

  const INVALID_UTF8: Readonly<Record<string, readonly number[]>> = {
    'a lone continuation byte': [0x80],
    'the byte 0xff': [0xff],
    'an overlong "/"': [0xc0, 0xaf],
    'a UTF-16 surrogate encoded as UTF-8': [0xed, 0xa0, 0x80],
    'a code point past U+10FFFF': [0xf4, 0x90, 0x80, 0x80],
    'a truncated three-byte sequence': [0xe2, 0x82],
  };

  test.each(Object.keys(INVALID_UTF8))('%s inside a metadata value or key is 400 invalid_body', async (name) => {
    const state = await tenant();
    const bad = INVALID_UTF8[name] ?? [];
    const encoder = new TextEncoder();
    const inValue = [...encoder.encode('{"user_metadata":{"a":"'), ...bad, ...encoder.encode('"}}')];
    const inKey = [...encoder.encode('{"user_metadata":{"'), ...bad, ...encoder.encode('":1}}')];
    for (const bytes of [inValue, inKey]) {
      expect(await sendBytes(state, 'PATCH', state.janePath, new Uint8Array(bytes))).toStrictEqual({
        status: 400,
        body: INVALID_JSON,
      });
    }
    const signup = await sendBytes(state, 'POST', '/dbconnections/signup', new Uint8Array(inValue));
    expect(signup).toStrictEqual({
      status: 400,
      body: {
        name: 'BadRequestError',
        code: 'invalid_body',
        description: 'Invalid request payload JSON format',
        statusCode: 400,
      },
    });
    await expectStillServes(state);
  });
});

describe('wrong content types', () => {
  const WRONG = [
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
    'application/json-patch+json',
    'application/merge-patch+json',
    'application/jsonx',
    'json',
    'text/json',
  ];

  test.each(WRONG)('PATCH and POST /api/v2/users with %j are 415 in the Management envelope', async (type) => {
    const state = await tenant();
    const body = JSON.stringify({ user_metadata: { a: 1 } });
    expect(await sendBytes(state, 'PATCH', state.janePath, body, { 'content-type': type })).toStrictEqual({
      status: 415,
      body: UNSUPPORTED,
    });
    const created = await sendBytes(state, 'POST', '/api/v2/users', JSON.stringify(JANE), { 'content-type': type });
    expect(created).toStrictEqual({ status: 415, body: UNSUPPORTED });
    await expectStillServes(state);
  });

  test('a JSON body without any content type is 415', async () => {
    const state = await tenant();
    const body = new TextEncoder().encode(JSON.stringify({ user_metadata: { a: 1 } }));
    expect(await sendBytes(state, 'PATCH', state.janePath, body, {})).toStrictEqual({ status: 415, body: UNSUPPORTED });
  });

  test('signup and /oauth/token answer a wrong type in their own envelopes', async () => {
    const state = await tenant();
    const signup = await sendBytes(state, 'POST', '/dbconnections/signup', '{}', { 'content-type': 'text/plain' });
    expect(signup).toStrictEqual({
      status: 415,
      body: {
        name: 'UnsupportedMediaTypeError',
        code: 'unsupported_media_type',
        description: 'Unsupported Media Type',
        statusCode: 415,
      },
    });
    const token = await sendBytes(state, 'POST', '/oauth/token', '{}', { 'content-type': 'text/plain' });
    expect(token).toStrictEqual({
      status: 415,
      body: { error: 'invalid_request', error_description: 'Unsupported Media Type' },
    });
    await expectStillServes(state);
  });

  test('the media type is case-insensitive and may carry parameters', async () => {
    const state = await tenant();
    const reply = await sendBytes(state, 'PATCH', state.janePath, '{"user_metadata":{"a":1}}', {
      'content-type': 'Application/JSON ; charset=UTF-8',
    });
    expect(reply.status).toBe(200);
  });
});

describe('a 10 MB body', () => {
  const TEN_MB = 10 * 1024 * 1024;

  /** A stream of `total` bytes of JSON-ish text that counts how much of it was pulled. */
  function countingStream(total: number): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
    const chunk = new TextEncoder().encode(`{"user_metadata":{"a":"${'x'.repeat(64 * 1024 - 30)}`);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= total) {
          controller.close();
          return;
        }
        controller.enqueue(chunk);
        sent += chunk.byteLength;
      },
    });
    return { stream, pulled: () => sent };
  }

  test('streamed without a length: 413, and the emulator stops reading soon after the limit', async () => {
    const state = await tenant();
    const { stream, pulled } = countingStream(TEN_MB);
    expect(await sendBytes(state, 'PATCH', state.janePath, stream)).toStrictEqual({ status: 413, body: TOO_LARGE });
    expect(pulled()).toBeLessThan(2 * LIMIT);
    await expectStillServes(state);
  });

  test('sent whole: 413 on every route that reads a body, in that route’s envelope', async () => {
    const state = await tenant();
    const body = `{"user_metadata":{"a":"${'x'.repeat(TEN_MB)}"}}`;
    expect(await sendBytes(state, 'PATCH', state.janePath, body)).toStrictEqual({ status: 413, body: TOO_LARGE });
    expect(await sendBytes(state, 'POST', '/api/v2/users', body)).toStrictEqual({ status: 413, body: TOO_LARGE });
    expect(await sendBytes(state, 'POST', '/dbconnections/signup', body)).toStrictEqual({
      status: 413,
      body: {
        name: 'PayloadTooLargeError',
        code: 'payload_too_large',
        description: `Payload content length greater than maximum allowed: ${LIMIT}`,
        statusCode: 413,
      },
    });
    expect(await sendBytes(state, 'POST', '/oauth/token', body)).toStrictEqual({
      status: 413,
      body: {
        error: 'invalid_request',
        error_description: `Payload content length greater than maximum allowed: ${LIMIT}`,
      },
    });
    await expectStillServes(state);
  });

  test('a Content-Length over the limit is refused without reading the body', async () => {
    const state = await tenant();
    const { stream, pulled } = countingStream(TEN_MB);
    const reply = await sendBytes(state, 'PATCH', state.janePath, stream, {
      'content-type': 'application/json',
      'content-length': String(TEN_MB),
    });
    expect(reply).toStrictEqual({ status: 413, body: TOO_LARGE });
    expect(pulled()).toBeLessThan(2 * LIMIT);
    await expectStillServes(state);
  });
});

describe('ids in the path', () => {
  test('a path with more segments, "..", or "%2e%2e" is not a user route: 404 not_found', async () => {
    const state = await tenant();
    for (const path of ['/api/v2/users/a/b', '/api/v2/users/..', '/api/v2/users/%2e%2e', '/api/v2/users/x/../../..']) {
      expect(answer(await send(state.emulator, 'GET', path, { token: state.token })), path).toStrictEqual({
        status: 404,
        body: NOT_FOUND,
      });
    }
    await expectStillServes(state);
  });

  test('"%2F", "%00", "..%2F..", tricky names and a 100 kB id are ids no user has: 404 inexistent_user', async () => {
    const state = await tenant();
    const ids = [
      'auth0%7Ca%2Fb',
      '%00',
      'auth0%7C%00',
      '..%2F..%2Fetc%2Fpasswd',
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      `auth0%7C${'a'.repeat(100_000)}`,
    ];
    for (const id of ids) {
      for (const method of ['GET', 'PATCH']) {
        const reply = await send(state.emulator, method, `/api/v2/users/${id}`, {
          token: state.token,
          ...(method === 'PATCH' ? { json: { user_metadata: { a: 1 } } } : {}),
        });
        expect(answer(reply), `${method} ${id.slice(0, 40)}`).toStrictEqual({ status: 404, body: INEXISTENT });
      }
      expect((await send(state.emulator, 'DELETE', `/api/v2/users/${id}`, { token: state.token })).status).toBe(204);
    }
    expect(state.emulator.snapshot()).toHaveLength(1);
    await expectStillServes(state);
  });

  test('broken percent-encoding is 400 invalid_uri', async () => {
    const state = await tenant();
    for (const id of ['%', '%E0%A4%A', '%ED%A0%80', '%FF', 'auth0%7C%C0%AF']) {
      expect(
        answer(await send(state.emulator, 'GET', `/api/v2/users/${id}`, { token: state.token })),
        id,
      ).toStrictEqual({
        status: 400,
        body: INVALID_URI,
      });
    }
    await expectStillServes(state);
  });

  test('users whose ids hold "/", "..", NUL, "__proto__" and astral characters are reached by their encoded ids', async () => {
    const state = await tenant();
    for (const [index, id] of ['a/b', '..', 'a\u0000b', '__proto__', 'ü✓😀'].entries()) {
      const created = await send(state.emulator, 'POST', '/api/v2/users', {
        token: state.token,
        json: { connection: CONNECTION, email: `user${index}@example.com`, password: 'Passw0rd!', user_id: id },
      });
      expect(created.status).toBe(201);
      const userId = userIdOf(created.body);
      expect(userId).toBe(`auth0|${id}`);
      const read = await send(state.emulator, 'GET', `${userPath(userId)}?fields=user_id`, { token: state.token });
      expect(answer(read)).toStrictEqual({ status: 200, body: { user_id: userId } });
      const patched = await send(state.emulator, 'PATCH', userPath(userId), {
        token: state.token,
        json: { user_metadata: { seen: index } },
      });
      expect(field(patched.body, 'user_metadata')).toStrictEqual({ seen: index });
      expect((await send(state.emulator, 'DELETE', userPath(userId), { token: state.token })).status).toBe(204);
      expect(state.emulator.getUser(userId)).toBeUndefined();
    }
    expect(state.emulator.snapshot().map((user) => user.user_id)).toStrictEqual([state.janeId]);
    await expectStillServes(state);
  });
});

describe('query strings', () => {
  test('a repeated fields parameter answers 200 with only listed fields', async () => {
    const state = await tenant();
    const reply = await send(state.emulator, 'GET', `${state.janePath}?fields=email&fields=user_id&fields=name`, {
      token: state.token,
    });
    expect(reply.status).toBe(200);
    for (const key of Object.keys(Object(reply.body))) expect(['email', 'user_id', 'name']).toContain(key);
  });

  test('10,000 repeated fields parameters and a 1 MB field list answer 200', async () => {
    const state = await tenant();
    const repeated = Array.from({ length: 10_000 }, () => 'fields=email').join('&');
    expect(
      answer(await send(state.emulator, 'GET', `${state.janePath}?${repeated}`, { token: state.token })),
    ).toStrictEqual({
      status: 200,
      body: { email: JANE.email },
    });
    const huge = `fields=${'email,'.repeat(200_000)}`;
    expect(
      answer(await send(state.emulator, 'GET', `${state.janePath}?${huge}`, { token: state.token })),
    ).toStrictEqual({
      status: 200,
      body: { email: JANE.email },
    });
    const listed = await send(state.emulator, 'GET', `/api/v2/users?${huge}`, { token: state.token });
    expect(answer(listed)).toStrictEqual({ status: 200, body: [{ email: JANE.email }] });
  });

  test('field names that are prototype members select nothing', async () => {
    const state = await tenant();
    const fields = encodeURIComponent('__proto__,constructor,toString,user_metadata.__proto__,hasOwnProperty');
    const reply = await send(state.emulator, 'GET', `${state.janePath}?fields=${fields}`, { token: state.token });
    expect(answer(reply)).toStrictEqual({ status: 200, body: {} });
  });

  test('a bogus or huge include_fields and bad paging are 400 invalid_query_string', async () => {
    const state = await tenant();
    const queries = [
      `${state.janePath}?fields=email&include_fields=maybe`,
      `${state.janePath}?fields=email&include_fields=${'x'.repeat(100_000)}`,
      '/api/v2/users?per_page=1e308',
      '/api/v2/users?page=-1',
      '/api/v2/users?per_page=101',
      '/api/v2/users?include_totals=yes',
    ];
    for (const query of queries) {
      const reply = await send(state.emulator, 'GET', query, { token: state.token });
      expect(reply.status, query.slice(0, 60)).toBe(400);
      expect(field(reply.body, 'errorCode')).toBe('invalid_query_string');
    }
    await expectStillServes(state);
  });
});

/** A JWT's three parts, and a way to put one together again. */
function parts(token: string): [string, string, string] {
  const [header = '', payload = '', signature = ''] = token.split('.');
  return [header, payload, signature];
}

function encodeJson(value: unknown): string {
  return base64url.encode(JSON.stringify(value));
}

describe('forged tokens', () => {
  let state: Tenant;
  let otherId = '';
  const farFuture = (): number => Math.floor(new Date('2026-01-01T00:00:00.000Z').getTime() / 1000) + 3600;
  const issuedAt = (): number => Math.floor(new Date('2026-01-01T00:00:00.000Z').getTime() / 1000);

  beforeAll(async () => {
    state = await tenant();
    const other = await state.emulator.createUser({
      connection: CONNECTION,
      email: 'other@example.com',
      password: 'Passw0rd!',
    });
    if (!other.success) throw new Error('seed failed');
    otherId = other.value.user_id;
  });

  /** GET and PATCH Jane with `token`: both must answer `expected`, and nothing may change. */
  async function expectRefused(token: string, expected: unknown): Promise<void> {
    const before = state.emulator.getUser(state.janeId);
    const read = await send(state.emulator, 'GET', state.janePath, { token });
    expect(answer(read)).toStrictEqual(expected);
    const write = await send(state.emulator, 'PATCH', state.janePath, {
      token,
      json: { app_metadata: { plan: 'stolen' } },
    });
    expect(answer(write)).toStrictEqual(expected);
    expect(state.emulator.getUser(state.janeId)).toBe(before);
    await expectStillServes(state);
  }

  /** The claims of a good token, for a forger to copy. */
  function goodClaims(): Record<string, unknown> {
    return { ...decodeJwt(state.token) };
  }

  async function signWithOwnKey(
    claims: Record<string, unknown>,
    header: Record<string, unknown> = {},
  ): Promise<string> {
    const { privateKey } = await generateKeyPair('ES256');
    return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'JWT', ...header }).sign(privateKey);
  }

  test('alg "none", with and without the original signature', async () => {
    const [, payload, signature] = parts(state.token);
    const header = encodeJson({ alg: 'none', typ: 'JWT' });
    for (const token of [`${header}.${payload}.`, `${header}.${payload}.${signature}`, `${header}.${payload}`]) {
      await expectRefused(token, { status: 401, body: INVALID_TOKEN });
    }
  });

  test('HS256 with the emulator’s public key as the HMAC secret (algorithm confusion)', async () => {
    const jwks = await send(state.emulator, 'GET', '/.well-known/jwks.json');
    const keys = field(jwks.body, 'keys');
    const secret = new TextEncoder().encode(JSON.stringify(Array.isArray(keys) ? keys[0] : keys));
    const token = await new SignJWT(goodClaims())
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: decodeProtectedHeader(state.token).kid ?? '' })
      .sign(secret);
    await expectRefused(token, { status: 401, body: INVALID_TOKEN });
  });

  test('a key the emulator did not issue: same claims, same kid, or the key embedded in the header', async () => {
    const kid = decodeProtectedHeader(state.token).kid ?? '';
    await expectRefused(await signWithOwnKey(goodClaims()), { status: 401, body: INVALID_TOKEN });
    await expectRefused(await signWithOwnKey(goodClaims(), { kid }), { status: 401, body: INVALID_TOKEN });
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = await exportJWK(publicKey);
    const embedded = await new SignJWT(goodClaims())
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', jwk, kid: await calculateJwkThumbprint(jwk) })
      .sign(privateKey);
    await expectRefused(embedded, { status: 401, body: INVALID_TOKEN });
  });

  test('expired: the emulator’s own token after its lifetime, and a forged one', async () => {
    const short = await tenant({ tokenLifetime: 60 });
    const used = await short.emulator.issueToken();
    expect((await send(short.emulator, 'GET', short.janePath, { token: used })).status).toBe(200);
    const unused = await short.emulator.issueToken();
    short.advance(61_000);
    for (const token of [used, unused]) {
      expect(answer(await send(short.emulator, 'GET', short.janePath, { token }))).toStrictEqual({
        status: 401,
        body: EXPIRED,
      });
    }
    const fresh = await short.emulator.issueToken();
    expect((await send(short.emulator, 'GET', short.janePath, { token: fresh })).status).toBe(200);
    await expectRefused(await signWithOwnKey({ ...goodClaims(), exp: issuedAt() - 10 }), {
      status: 401,
      body: INVALID_TOKEN,
    });
  });

  test('not yet valid: nbf in the future (the emulator never issues nbf, so only a forger can)', async () => {
    await expectRefused(await signWithOwnKey({ ...goodClaims(), nbf: farFuture() }), {
      status: 401,
      body: INVALID_TOKEN,
    });
  });

  test('wrong audience: the emulator’s own token for another API is "Bad audience"', async () => {
    for (const audience of ['https://evil.example/api/v2/', `https://${TENANT}/`, `${AUDIENCE}x`]) {
      await expectRefused(await state.emulator.issueToken({ audience }), { status: 401, body: BAD_AUDIENCE });
    }
  });

  test('wrong issuer: a token from another tenant, and a forged one naming another issuer', async () => {
    const elsewhere = createEmulator({ domain: 'other.auth0.test', passwordHashIterations: 1 });
    await expectRefused(await elsewhere.issueToken({ audience: AUDIENCE }), { status: 401, body: INVALID_TOKEN });
    await expectRefused(await signWithOwnKey({ ...goodClaims(), iss: 'https://evil.example/' }), {
      status: 401,
      body: INVALID_TOKEN,
    });
  });

  test('scopes edited after signing: the payload changed, the signature kept', async () => {
    const weak = await state.emulator.issueToken({ scopes: ['read:users'] });
    expect((await send(state.emulator, 'GET', state.janePath, { token: weak })).status).toBe(200);
    const [header, , signature] = parts(weak);
    const claims = { ...decodeJwt(weak), scope: 'read:users update:users update:users_app_metadata' };
    await expectRefused(`${header}.${encodeJson(claims)}.${signature}`, { status: 401, body: INVALID_TOKEN });
    const [, payload] = parts(weak);
    const flipped = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('A') ? 'B' : 'A'}${signature.slice(-1)}`;
    await expectRefused(flipped, { status: 401, body: INVALID_TOKEN });
  });

  test('garbage tokens and headers', async () => {
    for (const token of ['a.b.c', 'a.b', '...', `${state.token}.extra`, state.token.slice(0, -10), 'ey']) {
      await expectRefused(token, { status: 401, body: INVALID_TOKEN });
    }
    const missing = managementError(401, 'Unauthorized', 'Bad HTTP authentication header format', 'invalid_token');
    for (const authorization of ['Bearer', 'Basic abc', `Token ${state.token}`, `Bearer ${state.token} extra`]) {
      const reply = await send(state.emulator, 'GET', state.janePath, { headers: { authorization } });
      expect(answer(reply), authorization.slice(0, 20)).toStrictEqual({ status: 401, body: missing });
    }
    await expectStillServes(state);
  });

  test('a current-user token used on another user is 403; on its own user it works', async () => {
    const token = await state.emulator.issueToken({
      subject: state.janeId,
      scopes: ['read:current_user', 'update:current_user_metadata'],
    });
    const other = userPath(otherId);
    const before = state.emulator.getUser(otherId);
    expect(answer(await send(state.emulator, 'GET', other, { token }))).toStrictEqual({
      status: 403,
      body: SUBJECT_MISMATCH,
    });
    const patched = await send(state.emulator, 'PATCH', other, { token, json: { user_metadata: { hijacked: true } } });
    expect(answer(patched)).toStrictEqual({ status: 403, body: SUBJECT_MISMATCH });
    expect(state.emulator.getUser(otherId)).toBe(before);
    const own = await send(state.emulator, 'PATCH', state.janePath, { token, json: { user_metadata: { mine: true } } });
    expect(own.status).toBe(200);
    const escalate = await send(state.emulator, 'PATCH', state.janePath, {
      token,
      json: { app_metadata: { role: 'admin' } },
    });
    expect(escalate.status).toBe(403);
    expect(field(escalate.body, 'errorCode')).toBe('insufficient_scope');
    await expectStillServes(state);
  });
});

describe('failures inside the emulator', () => {
  test('an onError callback that throws: the 500 still comes in the envelope, and the next request works', async () => {
    const reported: unknown[] = [];
    const state = await tenant({
      onError: (error) => {
        reported.push(error);
        throw new Error('the reporter breaks too');
      },
    });
    const broken = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.error(new Error('the client went away')),
    });
    expect(await sendBytes(state, 'PATCH', state.janePath, broken)).toStrictEqual({ status: 500, body: INTERNAL });
    expect(reported).toHaveLength(1);
    await expectStillServes(state);
  });

  test('an onWarning callback that throws does not undo or fail the write', async () => {
    const state = await tenant({
      onWarning: () => {
        throw new Error('the warning reporter breaks');
      },
    });
    const big = 'x'.repeat(12 * 1024);
    const reply = await send(state.emulator, 'PATCH', state.janePath, {
      token: state.token,
      json: { user_metadata: { big } },
    });
    expect(reply.status).toBe(200);
    expect(state.emulator.getUser(state.janeId)?.user_metadata?.big).toBe(big);
    await expectStillServes(state);
  });

  test('an id generator that throws makes POST /api/v2/users a 500 internal_error, reported to onError', async () => {
    const reported: unknown[] = [];
    let broken = false;
    const state = await tenant({
      generateId: () => {
        if (broken) throw new Error('the id source broke');
        return '65a1f0c2e4b0a1b2c3d4e5f6';
      },
      onError: (error) => {
        reported.push(error);
      },
    });
    broken = true;
    const reply = await send(state.emulator, 'POST', '/api/v2/users', {
      token: state.token,
      json: { connection: CONNECTION, email: 'new@example.com', password: 'Passw0rd!' },
    });
    expect(answer(reply)).toStrictEqual({ status: 500, body: INTERNAL });
    expect(reported).toHaveLength(1);
    await expectStillServes(state);
  });

  test('a clock that throws while a token is checked is a 500 internal_error, not a client error', async () => {
    let broken = false;
    const reported: unknown[] = [];
    const { emulator } = testEmulator({
      users: [JANE],
      now: () => {
        if (broken) throw new Error('the clock broke');
        return new Date('2026-01-01T00:00:00.000Z');
      },
      onError: (error) => {
        reported.push(error);
      },
    });
    const token = await emulator.issueToken();
    const path = userPath(emulator.snapshot()[0]?.user_id ?? '');
    broken = true;
    expect(answer(await send(emulator, 'GET', path, { token }))).toStrictEqual({ status: 500, body: INTERNAL });
    expect(reported).toHaveLength(1);
    broken = false;
    expect((await send(emulator, 'GET', path, { token })).status).toBe(200);
  });
});

/** What came back on a raw connection: the bytes, and whether the server closed it. */
interface RawExchange {
  readonly response: string;
  readonly error: string | undefined;
}

/**
 * Writes `request` on a fresh connection and collects the answer until the server closes the
 * connection or `settleMs` pass without news (then the client closes it). The bound only ends the
 * exchange; nothing is asserted about time.
 */
function exchange(port: number, request: string | Buffer, settleMs = 2000): Promise<RawExchange> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let response = '';
    let error: string | undefined;
    let timer = setTimeout(() => socket.destroy(), settleMs);
    const rearm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => socket.destroy(), settleMs);
    };
    socket.on('data', (chunk) => {
      response += chunk.toString('latin1');
      rearm();
    });
    socket.on('error', (cause) => {
      error = cause.message;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ response, error });
    });
    socket.write(request, () => undefined);
  });
}

function statusLine(response: string): string {
  return response.split('\r\n', 1)[0] ?? '';
}

describe('over a socket: huge and malformed headers against serve(emulator)', () => {
  let server: RunningServer;
  let state: Tenant;

  beforeAll(async () => {
    state = await tenant();
    server = await serve(state.emulator, { port: 0 });
  });

  afterAll(async () => {
    await server.close();
  });

  /** A follow-up request over a new connection is answered normally. */
  async function expectServerServes(): Promise<void> {
    const response = await fetch(`${server.url}${state.janePath}?fields=email`, {
      headers: { authorization: `Bearer ${state.token}` },
    });
    expect(await answerOf(response)).toStrictEqual({ status: 200, body: { email: JANE.email } });
  }

  /** An error status (4xx, never 5xx) or a closed connection with nothing answered. */
  function expectRefusedOrClosed(outcome: RawExchange): void {
    const status = statusLine(outcome.response);
    if (status === '') {
      expect(outcome.response).toBe('');
      return;
    }
    expect(status).toMatch(/^HTTP\/1\.[01] 4\d\d /);
  }

  const HEADERS: Readonly<Record<string, string>> = {
    'a 1 MB header': `GET /api/v2/users HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Huge: ${'a'.repeat(1024 * 1024)}\r\n\r\n`,
    'a 64 kB Authorization header': `GET /api/v2/users HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${'a'.repeat(64 * 1024)}\r\n\r\n`,
    '20,000 headers': `GET /api/v2/users HTTP/1.1\r\nHost: 127.0.0.1\r\n${'X-A: b\r\n'.repeat(20_000)}\r\n`,
    'a 1 MB request target': `GET /api/v2/users?fields=${'email,'.repeat(200_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
    'a header value with NUL': 'GET /api/v2/users HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Bad: a\u0000b\r\n\r\n',
    'a header name with a space': 'GET /api/v2/users HTTP/1.1\r\nHost: 127.0.0.1\r\nX Bad: a\r\n\r\n',
    'a request line that is not HTTP': 'HELLO\r\n\r\n',
    'a Content-Length that is not a number': `PATCH ${'/api/v2/users/x'} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n{}`,
    'two different Content-Lengths':
      'PATCH /api/v2/users/x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}',
    'a body shorter than its Content-Length, then silence': `PATCH /api/v2/users/x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"user_metadata":`,
  };

  test.each(Object.keys(HEADERS))(
    '%s: an error status or a closed connection; then the server still serves',
    async (name) => {
      const outcome = await exchange(server.port, HEADERS[name] ?? '');
      expectRefusedOrClosed(outcome);
      await expectServerServes();
    },
    30_000,
  );

  test('a path that is not UTF-8 and a path with ".." segments answer in the Management envelope', async () => {
    const bytes = Buffer.concat([
      Buffer.from('GET /api/v2/users/auth0%7C'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(` HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${state.token}\r\nConnection: close\r\n\r\n`),
    ]);
    expectRefusedOrClosed(await exchange(server.port, bytes));
    const dotted = await exchange(
      server.port,
      `GET /api/v2/users/../../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${state.token}\r\nConnection: close\r\n\r\n`,
    );
    expect(statusLine(dotted.response)).toBe('HTTP/1.1 404 Not Found');
    expect(dotted.response).toContain(JSON.stringify(NOT_FOUND));
    await expectServerServes();
  });

  test('a 10 MB body over the socket: 413 or a closed connection, and the server still serves', async () => {
    const response = await fetch(`${server.url}${state.janePath}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${state.token}`, 'content-type': 'application/json' },
      body: `{"user_metadata":{"a":"${'x'.repeat(10 * 1024 * 1024)}"}}`,
    }).then(
      (reply) => answerOf(reply),
      (error: unknown) => ({ status: 0, body: String(error) }),
    );
    if (response.status !== 0) expect(response).toStrictEqual({ status: 413, body: TOO_LARGE });
    await expectServerServes();
  });
});
