/**
 * The names the "SDK versions" table of docs/recipes.md gives, each called on the SDK version it names:
 * auth0@7 (`users.get/update/list`), auth0@4 (`users.get/update/getAll`, which auth0@7 ships as
 * `auth0/legacy`, version 4.37.1) and auth0@3 (`getUser`, `updateUserMetadata`, `updateAppMetadata`,
 * installed here as `auth0-v3`). v7 and v4 take a `fetch`; v3 does not, so msw hands its requests
 * to the emulator. Then v7 and v4 against the real server (`serve()`), through a `fetch` that keeps
 * the tenant's path and sends it to the loopback URL.
 */
import { ManagementClient } from 'auth0';
import { ManagementClient as ManagementClientV4 } from 'auth0/legacy';
import { ManagementClient as ManagementClientV3 } from 'auth0-v3';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createEmulator } from '../../src/emulator/index.js';
import { serve } from '../../src/node/index.js';
import { JANE } from './helpers.js';

const emulator = createEmulator({ users: [{ ...JANE, user_id: 'jane' }], passwordHashIterations: 1 });
const JANE_ID = 'auth0|jane';
const credentials = { domain: emulator.domain, clientId: emulator.clientId, clientSecret: emulator.clientSecret };

beforeEach(() => emulator.reset());

describe('auth0@7: users.get, users.update, users.list', () => {
  test('read, merge user_metadata, replace app_metadata keys, list', async () => {
    const management = new ManagementClient({ ...credentials, fetch: emulator.fetch, maxRetries: 0 });
    expect((await management.users.get(JANE_ID)).user_metadata).toStrictEqual({ hobby: 'surfing' });
    const updated = await management.users.update(JANE_ID, {
      user_metadata: { city: 'Paris' },
      app_metadata: { plan: 'basic' },
    });
    expect([updated.user_metadata, updated.app_metadata]).toStrictEqual([
      { hobby: 'surfing', city: 'Paris' },
      { plan: 'basic' },
    ]);
    const page = await management.users.list({ fields: 'user_id', include_fields: true });
    expect(page.data).toStrictEqual([{ user_id: JANE_ID }]);
  });
});

describe('auth0@4: users.get, users.update, users.getAll', () => {
  test('read, merge user_metadata, list', async () => {
    const management = new ManagementClientV4({ ...credentials, fetch: emulator.fetch, retry: { enabled: false } });
    expect((await management.users.get({ id: JANE_ID })).data.user_metadata).toStrictEqual({ hobby: 'surfing' });
    const updated = await management.users.update({ id: JANE_ID }, { user_metadata: { city: 'Paris' } });
    expect(updated.data.user_metadata).toStrictEqual({ hobby: 'surfing', city: 'Paris' });
    expect((await management.users.getAll({ fields: 'user_id' })).data).toStrictEqual([{ user_id: JANE_ID }]);
  });
});

describe('auth0@3: getUser, updateUserMetadata, updateAppMetadata (through msw)', () => {
  const server = setupServer(http.all(`${emulator.baseUrl}/*`, ({ request }) => emulator.fetch(request)));
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());

  test('read, then each metadata object merged at the first level', async () => {
    const management = new ManagementClientV3({ ...credentials, retry: { enabled: false } });
    expect((await management.getUser({ id: JANE_ID })).user_metadata).toStrictEqual({ hobby: 'surfing' });
    const withCity = await management.updateUserMetadata({ id: JANE_ID }, { city: 'Paris' });
    expect(withCity.user_metadata).toStrictEqual({ hobby: 'surfing', city: 'Paris' });
    const withRole = await management.updateAppMetadata({ id: JANE_ID }, { role: 'admin' });
    expect(withRole.app_metadata).toStrictEqual({ plan: 'full', role: 'admin' });
    expect(emulator.getUser(JANE_ID)?.user_metadata).toStrictEqual({ hobby: 'surfing', city: 'Paris' });
    expect(await management.getUsers({ fields: 'user_id' })).toStrictEqual([{ user_id: JANE_ID }]);
  });
});

describe('auth0@7 and auth0@4 against the real server, over loopback HTTP', () => {
  test('a fetch that sends the tenant path to the server URL', async () => {
    const server = await serve(emulator, { port: 0 });
    try {
      // The `toServer` of docs/recipes.md: the SDK keeps speaking https://<tenant>; the path goes to the server.
      const toServer = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
        const request = new Request(input, init);
        const url = new URL(request.url);
        return fetch(new Request(`${server.url}${url.pathname}${url.search}`, request));
      };
      const v7 = new ManagementClient({ ...credentials, fetch: toServer, maxRetries: 0 });
      const v4 = new ManagementClientV4({ ...credentials, fetch: toServer, retry: { enabled: false } });
      await v7.users.update(JANE_ID, { user_metadata: { city: 'Paris' } });
      const read = await v4.users.get({ id: JANE_ID });
      expect(read.data.user_metadata).toStrictEqual({ hobby: 'surfing', city: 'Paris' });
    } finally {
      await server.close();
    }
  });
});
