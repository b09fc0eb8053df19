/** The helpers of `auth0-metadata/testing`, each able to fail. */
import { ManagementClient } from 'auth0';
import { describe, expect, test } from 'vitest';
import { DEFAULT_PASSWORD_HASH_ITERATIONS } from '../../src/emulator/index.js';
import {
  emulatorPerFile,
  emulatorPerTest,
  expectRequest,
  managementClientOptions,
  routeFetchToEmulator,
  TEST_PASSWORD_HASH_ITERATIONS,
  waitForRequest,
} from '../../src/testing/index.js';

/** Hooks whose beforeEach runs when told, as a runner would before each test. */
function fakeHooks(): { beforeEach: (run: () => Promise<void>) => void; runEach: () => Promise<void> } {
  const hooks: (() => Promise<void>)[] = [];
  return {
    beforeEach: (run) => {
      hooks.push(run);
    },
    runEach: async () => {
      for (const run of hooks) await run();
    },
  };
}

const JANE = { connection: 'db', email: 'jane@example.com', password: 'Pw1!xxxxxx', user_id: 'jane' };

describe('emulatorPerFile and emulatorPerTest', () => {
  test('one emulator per file, reset before each test (users, faults)', async () => {
    const hooks = fakeHooks();
    const emulator = emulatorPerFile(hooks, { users: [JANE] });
    emulator.control.faults.add({ path: '/api/v2/users', status: 503 });
    await emulator.createUser({ connection: 'db', email: 'more@example.com', password: 'Pw1!xxxxxx' });
    await hooks.runEach();
    expect(emulator.snapshot().map((user) => user.user_id)).toStrictEqual(['auth0|jane']);
    expect(emulator.control.faults.list()).toStrictEqual([]);
  });

  test('a new emulator per test; asking before the hook ran is a clear error', async () => {
    const hooks = fakeHooks();
    const current = emulatorPerTest(hooks);
    expect(() => current()).toThrow('emulatorPerTest: no emulator yet');
    await hooks.runEach();
    const first = current();
    await hooks.runEach();
    expect(current()).not.toBe(first);
  });

  test('passwords are hashed cheaply unless the options say otherwise', () => {
    expect(TEST_PASSWORD_HASH_ITERATIONS).toBeLessThan(DEFAULT_PASSWORD_HASH_ITERATIONS);
    // @ts-expect-error: not hooks
    expect(() => emulatorPerFile({})).toThrow('emulatorPerFile: hooks must be an object with a beforeEach function');
    expect(() => emulatorPerFile(fakeHooks(), { tokenLifetime: -1 })).toThrow(/^emulatorPerFile: createEmulator:/);
  });
});

describe('managementClientOptions, expectRequest, waitForRequest', () => {
  test('auth0@7 through its fetch option; a PATCH asserted by template and parts of its body', async () => {
    const emulator = emulatorPerFile(fakeHooks(), { users: [JANE] });
    const management = new ManagementClient({ ...managementClientOptions(emulator), maxRetries: 0 });
    await management.users.update('auth0|jane', { app_metadata: { plan: 'pro', seats: 3 }, password: 'Pw1!other!' });
    const entry = expectRequest(emulator, {
      method: 'PATCH',
      path: '/api/v2/users/{id}',
      body: { app_metadata: { plan: 'pro' }, password: '********' },
    });
    expect([entry.status, entry.effects?.map((effect) => effect.kind)]).toStrictEqual([200, ['add', 'add']]);
    expect(() => expectRequest(emulator, { method: 'PATCH', body: { app_metadata: { plan: 'free' } } })).toThrow(
      /^expectRequest: no request matched PATCH any path with a body holding \{"app_metadata":\{"plan":"free"\}\}; the emulator received:\n {2}POST \/oauth\/token 200/,
    );
    expect(() => expectRequest(emulator, { method: 'DELETE' })).toThrow(/no request matched DELETE/);
    expect(() => expectRequest(emulator, { method: 'PATCH', body: { app_metadata: ['pro'] } })).toThrow(/no request/);
    // Arrays are compared whole: same length, each item holding the expected one.
    await management.users.update('auth0|jane', { app_metadata: { roles: ['admin', 'billing'] } });
    const roles = (value: readonly string[]): unknown => ({ app_metadata: { roles: value } });
    expect(expectRequest(emulator, { method: 'PATCH', body: roles(['admin', 'billing']) }).status).toBe(200);
    expect(() => expectRequest(emulator, { method: 'PATCH', body: roles(['admin']) })).toThrow(/no request/);
    expect(() => expectRequest(emulator, { method: 'PATCH', body: roles(['admin', 'audit']) })).toThrow(/no request/);
  });

  test('expectRequest names the path and status it wanted, and an empty journal as none', async () => {
    const emulator = emulatorPerFile(fakeHooks());
    expect(() => expectRequest(emulator, { path: '/api/v2/users', status: 200 })).toThrow(
      'expectRequest: no request matched any method /api/v2/users 200; the emulator received: none',
    );
  });

  test('routeFetchToEmulator reads a function at each request, and leaves a fetch installed after it', async () => {
    const first = emulatorPerFile(fakeHooks());
    const second = emulatorPerFile(fakeHooks());
    let current = first;
    const original = globalThis.fetch;
    const restore = routeFetchToEmulator(() => current);
    try {
      await fetch(`${first.baseUrl}/api/v2/users`);
      current = second;
      await fetch(`${second.baseUrl}/api/v2/users`, { method: 'DELETE' });
      expect([first, second].map((each) => each.control.requests.list().map((entry) => entry.method))).toStrictEqual([
        ['GET'],
        ['DELETE'],
      ]);
      const later: typeof fetch = async () => new Response('later');
      globalThis.fetch = later;
      restore();
      expect(globalThis.fetch).toBe(later);
    } finally {
      globalThis.fetch = original;
    }
  });

  test('waitForRequest resolves with the entry once it arrives, and fails after its timeout', async () => {
    const emulator = emulatorPerFile(fakeHooks());
    const waiting = waitForRequest(emulator, { method: 'GET', path: '/api/v2/users' }, 1000);
    await emulator.fetch(`${emulator.baseUrl}/api/v2/users`);
    expect((await waiting).status).toBe(401);
    await expect(waitForRequest(emulator, { method: 'DELETE' }, 10)).rejects.toThrow(
      'waitForRequest: no matching request arrived within 10 ms',
    );
    await expect(waitForRequest(emulator, { limit: -1 }, 10)).rejects.toThrow(/^waitForRequest: Expected "limit"/);
  });

  test('routeFetchToEmulator sends the tenant domain to the emulator, the rest on, and restores fetch', async () => {
    const emulator = emulatorPerFile(fakeHooks());
    const original = globalThis.fetch;
    const seen: string[] = [];
    globalThis.fetch = async (input) => {
      seen.push(String(input instanceof Request ? input.url : input));
      return new Response('elsewhere');
    };
    const restore = routeFetchToEmulator(emulator);
    try {
      expect((await fetch(`${emulator.baseUrl}/api/v2/users`)).status).toBe(401);
      expect(await (await fetch('https://example.com/')).text()).toBe('elsewhere');
      expect(seen).toStrictEqual(['https://example.com/']);
    } finally {
      restore();
      globalThis.fetch = original;
    }
    // @ts-expect-error: not an emulator
    expect(() => managementClientOptions({})).toThrow('managementClientOptions: expected an emulator');
  });
});
