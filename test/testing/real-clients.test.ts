/**
 * The official SDKs against the emulator's faults and rate limits, with their default retries:
 * auth0@7 and auth0@4 get through injected 429s, and in rate-limit mode auth0@7 backs off rather
 * than hammering. auth0@7.1.0 retries a 429 twice, waiting what Retry-After says (its
 * requestWithRetries.js); auth0@4 retries it three times after 500 ms · 2^(n-1) plus up to 250 ms of
 * jitter (its retry.js), reading neither header.
 */
import { ManagementClient } from 'auth0';
import { ManagementClient as ManagementClientV4 } from 'auth0/legacy';
import { beforeEach, describe, expect, test } from 'vitest';
import type { JournalEntry } from '../../src/emulator/index.js';
import { emulatorPerFile, expectRequest, managementClientOptions } from '../../src/testing/index.js';

const emulator = emulatorPerFile(
  { beforeEach },
  {
    users: [
      {
        connection: 'db',
        email: 'jane@example.com',
        password: 'Pw1!xxxxxx',
        user_id: 'jane',
        app_metadata: { plan: 'pro' },
      },
    ],
  },
);

/** The journal entries of the user reads, oldest first. */
const reads = (): readonly JournalEntry[] =>
  emulator.control.requests.list({ method: 'GET', path: '/api/v2/users/{id}' });

describe('injected 429s', () => {
  test('auth0@7 with its default retries gets through two 429s', async () => {
    emulator.control.faults.add({ method: 'GET', path: '/api/v2/users/{id}', status: 429, times: 2 });
    const management = new ManagementClient(managementClientOptions(emulator));
    const user = await management.users.get('auth0|jane');
    expect(user.app_metadata).toStrictEqual({ plan: 'pro' });
    expect(reads().map((entry) => entry.status)).toStrictEqual([429, 429, 200]);
    expect(expectRequest(emulator, { method: 'GET', path: '/api/v2/users/{id}', status: 429 }).errorCode).toBe(
      'too_many_requests',
    );
  });

  test("auth0@7 waits the 429's Retry-After (1 s) between tries, and gives up after two retries", async () => {
    emulator.control.faults.add({ method: 'GET', path: '/api/v2/users/{id}', status: 429, times: 3 });
    const management = new ManagementClient(managementClientOptions(emulator));
    await expect(management.users.get('auth0|jane')).rejects.toThrow('Status code: 429');
    const entries = reads();
    expect(entries.map((entry) => entry.status)).toStrictEqual([429, 429, 429]);
    for (const [index, entry] of entries.slice(1).entries()) {
      const gap = Date.parse(entry.time) - Date.parse(entries[index]?.time ?? '');
      // Retry-After: 1 answers a wait of 1000 ms; auth0@4's backoff would be 501 to 750 ms for the first.
      expect(gap).toBeGreaterThanOrEqual(990);
    }
  });

  test('auth0@4 with its default retries gets through two 429s', async () => {
    emulator.control.faults.add({ method: 'GET', path: '/api/v2/users/{id}', status: 429, times: 2 });
    const management = new ManagementClientV4(managementClientOptions(emulator));
    const { data } = await management.users.get({ id: 'auth0|jane' });
    expect(data.app_metadata).toStrictEqual({ plan: 'pro' });
    expect(reads().map((entry) => entry.status)).toStrictEqual([429, 429, 200]);
  });

  test('a dropped connection reaches auth0@7 as a network failure, not as an answer', async () => {
    emulator.control.faults.add({ method: 'GET', path: '/api/v2/users/{id}', drop: true, times: 1 });
    const management = new ManagementClient(managementClientOptions(emulator));
    await expect(management.users.get('auth0|jane')).rejects.toThrow('fetch failed');
    expect(reads().map((entry) => entry.status)).toStrictEqual([0]);
  });
});

describe('rate-limit mode', () => {
  test('auth0@7 backs off on the 429s of the free tier and every call succeeds', async () => {
    emulator.control.rateLimit.set({ enabled: true, tier: 'free' });
    const management = new ManagementClient(managementClientOptions(emulator));
    // The token request is the Authentication API's bucket; the reads share the Management API's (2, 2/s).
    for (let call = 0; call < 5; call++) expect((await management.users.get('auth0|jane')).user_id).toBe('auth0|jane');
    const entries = reads();
    const refused = entries.filter((entry) => entry.status === 429);
    expect(entries.filter((entry) => entry.status === 200)).toHaveLength(5);
    expect(refused.length).toBeGreaterThan(0);
    // Never hammering: each retry after a 429 waits at least the 500 ms the bucket needs for a token.
    for (const entry of refused) {
      const next = entries.find((later) => later.id > entry.id);
      expect(next).toBeDefined();
      expect(Date.parse(next?.time ?? '') - Date.parse(entry.time)).toBeGreaterThanOrEqual(500);
    }
    emulator.control.rateLimit.set({ enabled: false });
  });
});
