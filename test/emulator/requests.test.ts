import { describe, expect, test } from 'vitest';
import { createEmulator } from '../../src/emulator/index.js';
import { BASE, JANE, send, testEmulator } from './helpers.js';

describe('emulator.requests', () => {
  test('records method, path, query, body, status, and the token subject and scopes, in order', async () => {
    const { emulator } = testEmulator({ users: [{ ...JANE, user_id: 'jane' }] });
    const token = await emulator.issueToken({ scopes: ['read:users', 'update:users'] });
    await send(emulator, 'GET', '/api/v2/users/auth0%7Cjane?fields=email&include_fields=true', { token });
    await send(emulator, 'PATCH', '/api/v2/users/auth0%7Cjane', { token, json: { user_metadata: { city: 'Paris' } } });
    await send(emulator, 'GET', '/api/v2/users');
    expect(emulator.requests).toStrictEqual([
      {
        method: 'GET',
        path: '/api/v2/users/auth0%7Cjane',
        query: { fields: 'email', include_fields: 'true' },
        body: undefined,
        status: 200,
        subject: 'auth0-metadata-emulator@clients',
        scopes: ['read:users', 'update:users'],
      },
      {
        method: 'PATCH',
        path: '/api/v2/users/auth0%7Cjane',
        query: {},
        body: { user_metadata: { city: 'Paris' } },
        status: 200,
        subject: 'auth0-metadata-emulator@clients',
        scopes: ['read:users', 'update:users'],
      },
      {
        method: 'GET',
        path: '/api/v2/users',
        query: {},
        body: undefined,
        status: 401,
        subject: undefined,
        scopes: undefined,
      },
    ]);
  });

  test('a form body is recorded as its fields; a body that is not JSON as its text', async () => {
    const { emulator } = testEmulator();
    await emulator.fetch(`${BASE}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'nobody' }),
    });
    const token = await emulator.issueToken();
    await send(emulator, 'POST', '/api/v2/users', {
      token,
      raw: '{not json',
      headers: { 'content-type': 'application/json' },
    });
    expect(emulator.requests.map(({ body, status }) => [body, status])).toStrictEqual([
      [{ grant_type: 'client_credentials', client_id: 'nobody' }, 401],
      ['{not json', 400],
    ]);
  });

  test('reset() clears it; what a caller holds is a frozen copy', async () => {
    const { emulator } = testEmulator();
    await send(emulator, 'GET', '/api/v2/users');
    const held = emulator.requests;
    expect(Object.isFrozen(held) && Object.isFrozen(held[0]) && Object.isFrozen(held[0]?.query)).toBe(true);
    emulator.reset();
    expect(emulator.requests).toStrictEqual([]);
    expect(held).toHaveLength(1);
  });

  test('keeps the newest requestLogSize requests; 0 keeps none; a bad size is refused', async () => {
    const small = createEmulator({ requestLogSize: 2 });
    for (const path of ['/a', '/b', '/c']) await small.fetch(`${small.baseUrl}${path}`);
    expect(small.requests.map((record) => record.path)).toStrictEqual(['/b', '/c']);
    const none = createEmulator({ requestLogSize: 0 });
    await none.fetch(`${none.baseUrl}/a`);
    expect(none.requests).toStrictEqual([]);
    expect(() => createEmulator({ requestLogSize: -1 })).toThrow(RangeError);
    expect(() => createEmulator({ requestLogSize: 1.5 })).toThrow(RangeError);
  });

  test('a body nested 100,000 levels deep is logged, and read back without overflowing the stack', async () => {
    const { emulator } = testEmulator();
    const token = await emulator.issueToken();
    const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    await send(emulator, 'POST', '/api/v2/users', {
      token,
      raw: deep,
      headers: { 'content-type': 'application/json' },
    });
    const [record] = emulator.requests;
    expect(record?.status).toBe(400);
    expect(Object.isFrozen(record?.body)).toBe(true);
  });

  test('__proto__ in a query is recorded as data', async () => {
    const { emulator } = testEmulator();
    await send(emulator, 'GET', '/api/v2/users?__proto__=x');
    const [record] = emulator.requests;
    expect(Object.getOwnPropertyNames(record?.query)).toStrictEqual(['__proto__']);
    expect(Object.getPrototypeOf(record?.query)).toBe(Object.prototype);
  });
});
