import { ManagementClient } from 'auth0';
import { ManagementClient as LegacyManagementClient } from 'auth0/legacy';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CreateUserBody } from '../../src/index.js';
import { CONNECTION, field, send, TENANT, testEmulator } from './helpers.js';

const SEEDED: readonly CreateUserBody[] = [
  {
    connection: CONNECTION,
    email: 'jane.doe@example.com',
    password: 'Pw1!surfing',
    user_metadata: { hobby: 'surfing', addresses: [{ city: 'Paris' }] },
    app_metadata: { plan: 'full', roles: ['admin'] },
  },
  {
    connection: CONNECTION,
    email: 'bob@example.com',
    password: 'Pw1!sailing',
    user_metadata: { hobby: 'sailing' },
    app_metadata: { plan: 'free' },
  },
  { connection: 'other-db', email: 'ann@example.org', password: 'Pw1!reading' },
];

async function seeded(): Promise<{
  readonly emulator: ReturnType<typeof testEmulator>['emulator'];
  readonly token: string;
}> {
  const { emulator } = testEmulator({ users: SEEDED });
  return { emulator, token: await emulator.issueToken() };
}

function emails(body: unknown): readonly unknown[] {
  const users = Array.isArray(body) ? body : field(body, 'users');
  return Array.isArray(users) ? users.map((user: unknown) => field(user, 'email')) : [];
}

describe('GET /api/v2/users search', () => {
  test('S2: q works without search_engine, by metadata at any depth', async () => {
    const { emulator, token } = await seeded();
    const q = encodeURIComponent('user_metadata.addresses.city:"Paris" OR app_metadata.plan:free');
    const reply = await send(emulator, 'GET', `/api/v2/users?q=${q}&include_totals=true&fields=email`, { token });
    expect(reply.status).toBe(200);
    expect(reply.body).toStrictEqual({
      start: 0,
      limit: 50,
      length: 2,
      users: [{ email: 'jane.doe@example.com' }, { email: 'bob@example.com' }],
      total: 2,
    });
  });

  test('S3.1, S4: search_engine=v3 and connection are accepted; connection filters nothing', async () => {
    const { emulator, token } = await seeded();
    const reply = await send(emulator, 'GET', `/api/v2/users?search_engine=v3&connection=${CONNECTION}`, { token });
    expect(emails(reply.body)).toStrictEqual(['jane.doe@example.com', 'bob@example.com', 'ann@example.org']);
    const filtered = await send(emulator, 'GET', `/api/v2/users?q=identities.connection:"other-db"`, { token });
    expect(emails(filtered.body)).toStrictEqual(['ann@example.org']);
  });

  test('S3.2: search_engine=v1 is 400 operation_not_supported', async () => {
    const { emulator, token } = await seeded();
    const reply = await send(emulator, 'GET', '/api/v2/users?search_engine=v1&q=email:x', { token });
    expect(reply.status).toBe(400);
    expect(reply.body).toStrictEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'You are not allowed to use search_engine=v1.',
      errorCode: 'operation_not_supported',
    });
  });

  test('S6: paging past the first 1000 is 400 invalid_paging', async () => {
    const { emulator, token } = await seeded();
    const reply = await send(emulator, 'GET', '/api/v2/users?page=10&per_page=100', { token });
    expect(reply.status).toBe(400);
    expect(field(reply.body, 'errorCode')).toBe('invalid_paging');
  });

  test('S30, S31: sort by a root field; a sort on metadata is accepted and ignored', async () => {
    const { emulator, token } = await seeded();
    const sorted = await send(emulator, 'GET', '/api/v2/users?sort=email:1', { token });
    expect(emails(sorted.body)).toStrictEqual(['ann@example.org', 'bob@example.com', 'jane.doe@example.com']);
    const ignored = await send(emulator, 'GET', '/api/v2/users?sort=app_metadata.plan:-1', { token });
    expect(ignored.status).toBe(200);
    expect(emails(ignored.body)).toStrictEqual(['jane.doe@example.com', 'bob@example.com', 'ann@example.org']);
  });

  test('S1: search needs read:users', async () => {
    const { emulator } = await seeded();
    const token = await emulator.issueToken({ scopes: ['read:current_user'] });
    const reply = await send(emulator, 'GET', '/api/v2/users?q=email:x', { token });
    expect(reply.status).toBe(403);
  });

  test('users-by-email goes through the core: exact, case-sensitive', async () => {
    const { emulator, token } = await seeded();
    const found = await send(emulator, 'GET', '/api/v2/users-by-email?email=bob@example.com&fields=email', { token });
    expect(found.body).toStrictEqual([{ email: 'bob@example.com' }]);
    const cased = await send(emulator, 'GET', '/api/v2/users-by-email?email=BOB@example.com', { token });
    expect(cased.body).toStrictEqual([]);
  });

  test.each([
    ['100k-deep parentheses', `${'('.repeat(100_000)}a${')'.repeat(100_000)}`],
    ['a 1 MB query of clauses', Array.from({ length: 100_000 }, (_, index) => `email:${index}`).join(' ')],
    ['an unbalanced quote', 'email:"jane'],
    ['unbalanced parentheses', '((email:jane)'],
    ['a __proto__ field', '__proto__.polluted:yes'],
    ['a constructor field', 'constructor:x'],
    ['a trailing escape', 'email:jane\\'],
  ])('hostile: %s is a 400 invalid_query_string', async (_, q) => {
    const { emulator, token } = await seeded();
    const reply = await send(emulator, 'GET', `/api/v2/users?q=${encodeURIComponent(q)}`, { token });
    expect(reply.status).toBe(400);
    expect(field(reply.body, 'errorCode')).toBe('invalid_query_string');
  });

  test('hostile: __proto__ below metadata is data and pollutes nothing', async () => {
    const { emulator, token } = await seeded();
    const q = encodeURIComponent('app_metadata.__proto__.polluted:yes OR app_metadata.constructor:*');
    const reply = await send(emulator, 'GET', `/api/v2/users?q=${q}`, { token });
    expect(reply.status).toBe(200);
    expect(reply.body).toStrictEqual([]);
    expect(Reflect.get({}, 'polluted')).toBeUndefined();
  });
});

describe('the official SDKs searching by metadata', () => {
  test('auth0 v7 users.list({ q }) pages through the totals object', async () => {
    const { emulator, token } = await seeded();
    const client = new ManagementClient({ domain: TENANT, token, fetch: emulator.fetch, maxRetries: 0 });
    const page = await client.users.list({ q: 'app_metadata.roles:admin', fields: 'email' });
    expect(page.data).toStrictEqual([{ email: 'jane.doe@example.com' }]);
    const sorted = await client.users.list({ q: '_exists_:user_metadata.hobby', sort: 'email:-1', fields: 'email' });
    expect(sorted.data).toStrictEqual([{ email: 'jane.doe@example.com' }, { email: 'bob@example.com' }]);
  });

  describe('auth0 v4 (auth0/legacy) getAll({ q }) through msw', () => {
    const { emulator } = testEmulator({ users: SEEDED, domain: TENANT });
    const server = setupServer(http.all(`https://${TENANT}/*`, ({ request }) => emulator.fetch(request)));
    beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
    afterAll(() => server.close());

    test('finds users by app_metadata and reports a malformed q as Auth0 does', async () => {
      const client = new LegacyManagementClient({ domain: TENANT, token: await emulator.issueToken() });
      const found = await client.users.getAll({ q: 'app_metadata.plan:"free"', fields: 'email' });
      expect(found.data).toStrictEqual([{ email: 'bob@example.com' }]);
      const failure = await client.users.getAll({ q: 'app_metadata.plan:"free' }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toMatchObject({ statusCode: 400 });
    });
  });
});
