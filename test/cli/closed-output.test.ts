/**
 * `serve` whose standard output goes away (`serve | head -1`, a log pipe closed): the next request
 * log line meets EPIPE. The server must keep serving, and still stop cleanly (its lock removed).
 */
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { bundleCli, killChild, startCli } from './child.js';

let folder: string;
let cli: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'auth0-metadata-closed-output-'));
  cli = await bundleCli(folder);
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

test('a closed standard output does not stop the server', async () => {
  const data = join(folder, 'users.json');
  const server = await startCli(cli, ['serve', '--port', '0', '--data', data]);
  try {
    server.child.stdout.destroy();
    // Each answered request is a line written to the closed pipe.
    for (let index = 0; index < 5; index++) {
      const health = await fetch(`${server.url}/__emulator/health`);
      expect(health.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect([server.child.exitCode, server.child.signalCode]).toStrictEqual([null, null]);
    expect(await killChild(server, 'SIGTERM')).toBe(0);
    await expect(access(`${data}.lock`)).rejects.toThrow('ENOENT');
  } finally {
    await killChild(server);
  }
});
