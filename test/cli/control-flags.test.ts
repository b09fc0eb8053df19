/**
 * `serve --rate-limit --search-lag <ms>` turn the modes on at start; the control API answers on the
 * dev server for a loopback Host and refuses any other, before routing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCliOn, serveInProcess } from './helpers.js';

/** A GET with a chosen Host header (fetch cannot forge one). */
function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { headers: { host } }, (incoming) => {
      let body = '';
      incoming.on('data', (chunk) => {
        body += String(chunk);
      });
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('serve --rate-limit --search-lag', () => {
  test('start with rate-limit mode on and the search lag set; a forged Host gets no control answer', async () => {
    const run = await serveInProcess(['serve', '--port', '0', '--rate-limit', '--search-lag', '1500']);
    try {
      const limit = await (await fetch(`${run.url}/__emulator/rate-limit`)).json();
      expect(limit).toMatchObject({ enabled: true, tier: 'free' });
      const lag = await (await fetch(`${run.url}/__emulator/search-index`)).json();
      expect(lag).toStrictEqual({ lagMs: 1500, pending: 0 });
      const health = await fetch(`${run.url.replace('127.0.0.1', 'localhost')}/__emulator/health`);
      expect(health.status).toBe(200);
      const forged = await getWithHost(`${run.url}/__emulator/health`, 'attacker.example');
      expect(forged.status).toBe(403);
      expect(forged.body).not.toContain('uptimeSeconds');
    } finally {
      run.stop();
      await run.exit;
    }
  });

  test('a bad --search-lag is a usage error', async () => {
    const run = await runCliOn(['serve', '--port', '0', '--search-lag', 'soon'], {});
    expect([run.code, run.err]).toStrictEqual([
      2,
      expect.stringContaining('--search-lag must be a number of milliseconds'),
    ]);
  });
});

describe('serve --data and the control API', () => {
  /** The emails of the users a server started on `data` holds. */
  async function emailsAfterRestart(data: string): Promise<unknown> {
    const run = await serveInProcess(['serve', '--port', '0', '--data', data]);
    try {
      const users: unknown = await (await fetch(`${run.url}/__emulator/users`)).json();
      return Array.isArray(users) ? users.map((user) => Reflect.get(Object(user), 'email')) : users;
    } finally {
      run.stop();
      await run.exit;
    }
  }

  test('a long poll does not hold back the write it waits for; a reset is kept like any change', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'control-data-'));
    const data = join(folder, 'users.json');
    try {
      const run = await serveInProcess(['serve', '--port', '0', '--data', data]);
      try {
        const waiting = fetch(`${run.url}/__emulator/requests/wait?method=POST&path=/api/v2/users&timeoutMs=5000`);
        const token: unknown = await (await fetch(`${run.url}/__emulator/token`, { method: 'POST' })).json();
        const created = await fetch(`${run.url}/api/v2/users`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${String(Reflect.get(Object(token), 'access_token'))}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ connection: 'c', email: 'new@example.com', password: 'Pw1!xxxxxx' }),
        });
        expect(created.status).toBe(201);
        expect((await waiting).status).toBe(200);
      } finally {
        run.stop();
        await run.exit;
      }
      expect(await emailsAfterRestart(data)).toStrictEqual(['new@example.com']);
      const again = await serveInProcess(['serve', '--port', '0', '--data', data]);
      try {
        // Reset goes back to the users the data file held when this server started.
        const reset = await fetch(`${again.url}/__emulator/reset`, { method: 'POST' });
        expect(await reset.json()).toStrictEqual({ users: 1 });
        await fetch(`${again.url}/__emulator/users`, {
          method: 'POST',
          body: JSON.stringify([{ connection: 'c', email: 'imported@example.com', password: 'Pw1!xxxxxx' }]),
        });
      } finally {
        again.stop();
        await again.exit;
      }
      expect(await emailsAfterRestart(data)).toStrictEqual(['new@example.com', 'imported@example.com']);
    } finally {
      await rm(folder, { recursive: true });
    }
  });
});
