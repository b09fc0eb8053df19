/**
 * TRANSPORT_ANSWERS and TOKEN_ANSWERS (src/rules/http.ts, src/rules/oauth.ts) are what the emulator
 * answers: each reason sent to it comes back with the status, code and message its entry holds, in
 * the envelope of the API called. The wording itself is pinned by the emulator's own tests.
 */
import { describe, expect, test } from 'vitest';
import { TOKEN_ANSWERS, TRANSPORT_ANSWERS, type TransportReason } from '../../src/emulator/index.js';
import { clientCredentials, send, testEmulator, userPath } from '../emulator/helpers.js';

const LIMIT = 64;

/** One request per reason the emulator can be made to answer, with the API it goes to. */
const REQUESTS: readonly {
  reason: TransportReason;
  api: 'management' | 'authentication' | 'oauth';
  method: string;
  path: string;
  raw?: string;
  type?: string;
}[] = [
  {
    reason: 'malformed_json',
    api: 'management',
    method: 'POST',
    path: '/api/v2/users',
    raw: '{',
    type: 'application/json',
  },
  {
    reason: 'malformed_json',
    api: 'authentication',
    method: 'POST',
    path: '/dbconnections/signup',
    raw: '{',
    type: 'application/json',
  },
  {
    reason: 'unsupported_media_type',
    api: 'management',
    method: 'POST',
    path: '/api/v2/users',
    raw: 'x',
    type: 'text/plain',
  },
  {
    reason: 'unsupported_media_type',
    api: 'oauth',
    method: 'POST',
    path: '/oauth/token',
    raw: 'x',
    type: 'text/plain',
  },
  {
    reason: 'payload_too_large',
    api: 'management',
    method: 'POST',
    path: '/api/v2/users',
    raw: `"${'x'.repeat(LIMIT)}"`,
    type: 'application/json',
  },
  {
    reason: 'payload_too_large',
    api: 'oauth',
    method: 'POST',
    path: '/oauth/token',
    raw: `a=${'x'.repeat(LIMIT)}`,
    type: 'application/x-www-form-urlencoded',
  },
  { reason: 'invalid_uri', api: 'management', method: 'GET', path: '/api/v2/users/%E0%A4%A' },
  { reason: 'not_found', api: 'management', method: 'GET', path: '/api/v2/nothing-here' },
  { reason: 'method_not_allowed', api: 'management', method: 'PUT', path: userPath('auth0|1') },
];

/** The body the entry of `reason` gives in the envelope of `api`. */
function expectedBody(reason: TransportReason, api: 'management' | 'authentication' | 'oauth'): unknown {
  const rule = TRANSPORT_ANSWERS[reason];
  const message = rule.message.replace('{limit}', String(LIMIT));
  if (api === 'oauth') return { error: rule.oauthCode, error_description: message };
  if (api === 'authentication')
    return { name: expect.any(String), code: rule.code, description: message, statusCode: rule.status };
  return { statusCode: rule.status, error: expect.any(String), message, errorCode: rule.code };
}

describe('TRANSPORT_ANSWERS is what the emulator answers', () => {
  test.each(REQUESTS)('$reason on the $api API ($method $path)', async ({ reason, api, method, path, raw, type }) => {
    const { emulator } = testEmulator({ maxBodyBytes: LIMIT });
    const token = await emulator.issueToken();
    const reply = await send(emulator, method, path, {
      token,
      ...(raw === undefined ? {} : { raw }),
      headers: type === undefined ? {} : { 'content-type': type },
    });
    expect({ status: reply.status, body: reply.body }).toStrictEqual({
      status: TRANSPORT_ANSWERS[reason].status,
      body: expectedBody(reason, api),
    });
  });
});

describe('TOKEN_ANSWERS is what /oauth/token answers', () => {
  test.each([
    ['unauthorized', { client_secret: 'wrong' }, ''],
    ['unknown_audience', { audience: 'https://elsewhere.test/' }, 'https://elsewhere.test/'],
    ['unsupported_grant_type', { grant_type: 'implicit' }, 'implicit'],
  ] as const)('%s', async (reason, extra, detail) => {
    const { emulator } = testEmulator();
    const reply = await send(emulator, 'POST', '/oauth/token', {
      raw: clientCredentials(emulator, extra).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const rule = TOKEN_ANSWERS[reason];
    expect({ status: reply.status, body: reply.body }).toStrictEqual({
      status: rule.status,
      body: { error: rule.error, error_description: rule.description?.replace('{detail}', detail) },
    });
  });
});
