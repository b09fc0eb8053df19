/**
 * `npm start` (scripts/start.mjs): a port already in use is reported before anything is built,
 * with the command that picks another.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';

const START = join(import.meta.dirname, '..', '..', 'scripts', 'start.mjs');
let busy: Server;
let port = 0;

beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen({ host: '127.0.0.1', port: 0 }, () => resolve()));
  const address = busy.address();
  port = typeof address === 'object' && address !== null ? address.port : 0;
});

afterAll(async () => {
  await new Promise((resolve) => busy.close(resolve));
});

test('a busy port: one line with the npm start command for another port, exit 1, nothing built', async () => {
  const { code, stderr, stdout } = await new Promise<{ code: number | null; stderr: string; stdout: string }>(
    (resolve) => {
      const child = execFile(process.execPath, [START, 'serve', '--port', String(port)], (error, out, err) =>
        resolve({ code: error === null ? 0 : (child.exitCode ?? 1), stderr: err, stdout: out }),
      );
    },
  );
  expect(code).toBe(1);
  expect(stdout).toBe('');
  expect(stderr).toBe(
    `error: port ${port} on 127.0.0.1 is already in use; choose another: npm start -- --port ${port + 100 <= 65_535 ? port + 100 : 0}\n`,
  );
});
