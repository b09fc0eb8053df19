/**
 * The auth0@4 pitfall and its recipe. A ManagementClient built when its module is imported binds
 * `globalThis.fetch` then: patching fetch later (msw's `server.listen()` in `beforeAll`) is not
 * seen, and its requests go to the real domain. Routing fetch to the emulator before the import
 * (a setup file) is.
 */
import { describe, expect, test } from 'vitest';
import { createEmulator } from '../../src/emulator/index.js';
import { routeFetchToEmulator } from '../../src/testing/index.js';
// Imported first, as an app's module is: its client binds the fetch of this moment.
import { planOf as latePlanOf } from './fixtures/app-v4-late.js';

const user = {
  connection: 'db',
  email: 'jane@example.com',
  password: 'Pw1!xxxxxx',
  user_id: 'jane',
  app_metadata: { plan: 'pro' },
};

describe('auth0@4 with a client built at import time', () => {
  test('recipe: route fetch to the emulator before the module is imported', async () => {
    const emulator = createEmulator({ clientSecret: 'secret', users: [user], passwordHashIterations: 1 });
    // In a suite: this line goes in a setup file (vitest `setupFiles`, jest `setupFiles`).
    const restore = routeFetchToEmulator(() => emulator);
    try {
      const { planOf } = await import('./fixtures/app-v4.js');
      expect(await planOf('auth0|jane')).toBe('pro');
      expect(emulator.control.requests.list().map((entry) => `${entry.method} ${entry.path}`)).toStrictEqual([
        'POST /oauth/token',
        'GET /api/v2/users/auth0%7Cjane',
      ]);
    } finally {
      restore();
    }
  });

  test('the pitfall: routing installed after the import is never seen', async () => {
    const emulator = createEmulator({ domain: 'late-binding.auth0.test', clientSecret: 'secret', users: [user] });
    const restore = routeFetchToEmulator(emulator);
    try {
      // The client kept the fetch it bound at import: the request leaves for the real domain.
      await expect(latePlanOf('auth0|jane')).rejects.toThrow();
      expect(emulator.control.requests.list()).toStrictEqual([]);
    } finally {
      restore();
    }
  });
});
