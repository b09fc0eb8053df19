/**
 * `serve --rate-limit --search-lag <ms>` turn the modes on at start; the control API answers on the
 * dev server for a loopback Host and refuses any other, before routing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadDataFile } from '../../src/cli/journal.js';
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
  test('a long poll does not hold back the write it waits for; reset is saved to the data file', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'control-data-'));
    const data = join(folder, 'users.json');
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
      // Saved as a restart reads it: the data file with its journal.
      expect(JSON.stringify(await loadDataFile(data))).toContain('new@example.com');
      expect(await (await fetch(`${run.url}/__emulator/reset`, { method: 'POST' })).json()).toStrictEqual({ users: 0 });
      expect(JSON.stringify(await loadDataFile(data))).not.toContain('new@example.com');
    } finally {
      run.stop();
      await run.exit;
      await rm(folder, { recursive: true });
    }
  });
});
