/**
 * Concurrency and soak over a real socket (127.0.0.1 only, port chosen by the system): concurrent
 * PATCHes to one user lose nothing, and a mixed load of about 20 seconds (`SOAK_SECONDS`; `npm run
 * soak` runs about a minute) ends with every acknowledged write in place and a heap no bigger than
 * it started, give or take a generous margin. The duration bounds the run; nothing asserts speed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { type RunningServer, serve } from '../../src/node/index.js';
import { JANE, testEmulator } from '../emulator/helpers.js';
import { collectGarbage, soak } from './soak.js';

function secondsFromEnvironment(): number {
  const raw = process.env.SOAK_SECONDS;
  const seconds = raw === undefined || raw.trim() === '' ? 20 : Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`SOAK_SECONDS must be a positive number, got ${raw}`);
  return seconds;
}

const SECONDS = secondsFromEnvironment();
/** Heap growth allowed between the start and the end of the soak, after garbage collection. */
const HEAP_MARGIN_BYTES = 32 * 1024 * 1024;

interface Served {
  readonly emulator: Emulator;
  readonly server: RunningServer;
  readonly token: string;
  readonly janeUrl: string;
}

async function served(how: 'plain' | 'fetch'): Promise<Served> {
  const { emulator } = testEmulator({ users: [JANE] });
  const server = await serve(how === 'plain' ? emulator : emulator.fetch, { port: 0 });
  expect(server.host).toBe('127.0.0.1');
  const token = await emulator.issueToken();
  const janeId = emulator.snapshot()[0]?.user_id ?? '';
  return { emulator, server, token, janeUrl: `${server.url}/api/v2/users/${encodeURIComponent(janeId)}` };
}

function headers(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
}

/**
 * A liveness bound for 600 requests on a busy 2-core machine, not a speed claim: speed is measured
 * by `npm run bench:http`.
 */
const CONCURRENT_TIMEOUT_MS = 60_000;

describe.each(['plain', 'fetch'] as const)('concurrent PATCHes over 127.0.0.1 (serve with the %s handler)', (how) => {
  let setup: Served;
  beforeAll(async () => {
    setup = await served(how);
  });
  afterAll(async () => {
    await setup.server.close();
  });

  test(
    '300 concurrent PATCHes on different keys of one user, mixed with reads: every key lands',
    async () => {
      const keys = Array.from({ length: 300 }, (_, index) => `key${index}`);
      const writes = keys.map((key, index) =>
        fetch(setup.janeUrl, {
          method: 'PATCH',
          headers: headers(setup.token),
          body: JSON.stringify({ user_metadata: { [key]: index } }),
        }).then(async (response) => ({ status: response.status, body: await response.text() })),
      );
      const reads = keys.map(() =>
        fetch(`${setup.janeUrl}?fields=user_metadata`, { headers: headers(setup.token) }).then(
          (response) => response.status,
        ),
      );
      const [written, read] = await Promise.all([Promise.all(writes), Promise.all(reads)]);
      expect(written.filter((reply) => reply.status !== 200)).toStrictEqual([]);
      expect(read.filter((status) => status !== 200)).toStrictEqual([]);
      const final = await fetch(`${setup.janeUrl}?fields=user_metadata`, { headers: headers(setup.token) });
      const expected = Object.fromEntries([['hobby', 'surfing'], ...keys.map((key, index) => [key, index])]);
      expect(await final.json()).toStrictEqual({ user_metadata: expected });
    },
    CONCURRENT_TIMEOUT_MS,
  );

  test(
    'concurrent deletes of keys and writes of others: the survivors are exactly the keys not deleted',
    async () => {
      const keys = Array.from({ length: 100 }, (_, index) => `gone${index}`);
      const seeded = await fetch(setup.janeUrl, {
        method: 'PATCH',
        headers: headers(setup.token),
        body: JSON.stringify({ user_metadata: Object.fromEntries(keys.map((key) => [key, 1])) }),
      });
      expect(seeded.status).toBe(200);
      const replies = await Promise.all(
        keys.flatMap((key, index) => [
          fetch(setup.janeUrl, {
            method: 'PATCH',
            headers: headers(setup.token),
            body: JSON.stringify({ user_metadata: { [key]: null } }),
          }),
          fetch(setup.janeUrl, {
            method: 'PATCH',
            headers: headers(setup.token),
            body: JSON.stringify({ user_metadata: { [`kept${index}`]: index } }),
          }),
        ]),
      );
      expect(replies.filter((reply) => reply.status !== 200).map((reply) => reply.status)).toStrictEqual([]);
      const metadata = setup.emulator.getUser(setup.emulator.snapshot()[0]?.user_id ?? '')?.user_metadata ?? {};
      for (const key of keys) expect(Object.hasOwn(metadata, key), key).toBe(false);
      for (const [index] of keys.entries()) expect(metadata[`kept${index}`]).toBe(index);
    },
    CONCURRENT_TIMEOUT_MS,
  );
});

describe('loopback soak', () => {
  let setup: Served;
  beforeAll(async () => {
    setup = await served('plain');
  });
  afterAll(async () => {
    await setup.server.close();
  });

  test(
    `mixed create/get/patch/delete for about ${SECONDS} s: no 5xx, every acknowledged write present, the heap stable`,
    async () => {
      const gc = collectGarbage();
      const janeId = setup.emulator.snapshot()[0]?.user_id ?? '';
      const common = {
        baseUrl: setup.server.url,
        token: setup.token,
        sharedUserId: janeId,
        workers: 8,
        usersPerWorker: 20,
      };
      // A short warm-up first, so that the baseline holds the server's and the client's steady state.
      const warmUp = await soak({ ...common, durationMs: 2000, maxRequests: 2000, seed: 1 });
      expect(warmUp.problems).toStrictEqual([]);
      gc();
      const heapBefore = process.memoryUsage().heapUsed;

      const report = await soak({
        ...common,
        durationMs: SECONDS * 1000,
        maxRequests: Math.ceil(SECONDS * 25_000),
        seed: 20_260_301,
      });

      gc();
      const heapAfter = process.memoryUsage().heapUsed;
      expect(report.problems.slice(0, 20)).toStrictEqual([]);
      expect(Object.keys(report.statuses).sort()).toStrictEqual(['200', '201', '204']);

      // Every acknowledged write is there: each live user's metadata is the model's, every deleted
      // user is gone, every worker's last value is in the shared user.
      const users = new Map(setup.emulator.snapshot().map((user) => [user.user_id, user]));
      const alive = new Map([...warmUp.live].filter(([userId]) => !report.deleted.has(userId)));
      for (const [userId, metadata] of report.live) alive.set(userId, metadata);
      for (const [userId, metadata] of alive) expect(users.get(userId)?.user_metadata, userId).toStrictEqual(metadata);
      for (const userId of report.deleted) expect(users.has(userId), userId).toBe(false);
      expect(users.size).toBe(1 + alive.size);
      const shared = users.get(janeId)?.user_metadata ?? {};
      for (const [key, value] of Object.entries(report.shared)) expect(shared[key], key).toBe(value);
      const reread = await fetch(`${setup.janeUrl}?fields=user_metadata`, { headers: headers(setup.token) });
      expect(await reread.json()).toStrictEqual({ user_metadata: shared });

      expect(
        heapAfter - heapBefore,
        `heap ${(heapBefore / 1e6).toFixed(1)} MB -> ${(heapAfter / 1e6).toFixed(1)} MB after ${report.requests} requests`,
      ).toBeLessThan(HEAP_MARGIN_BYTES);
      process.stderr.write(
        `soak: ${report.requests} requests in about ${SECONDS} s (${JSON.stringify(report.statuses)}), heap ${(heapBefore / 1e6).toFixed(1)} MB -> ${(heapAfter / 1e6).toFixed(1)} MB\n`,
      );
    },
    SECONDS * 1000 + 120_000,
  );
});
