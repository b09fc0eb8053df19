// The servers of the HTTP benchmarks, each in its own process so the load generator does not share
// its event loop: `startServer(kind)` runs bench/http-server.mjs, `startCli()` the built CLI's
// `serve` as users run it. `root` (default: this package) is another built copy of the package to
// run instead, to compare two builds in the same run (bench/http-cpu.mjs).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));

export async function startServer(kind, extra = [], root = packageRoot) {
  const child = spawn(process.execPath, [...extra, join(root, 'bench', 'http-server.mjs'), kind], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = [];
  let buffer = '';
  child.stdout.on('data', (chunk) => {
    buffer += chunk;
    let newline = buffer.indexOf('\n');
    while (newline !== -1) {
      lines.push(JSON.parse(buffer.slice(0, newline)));
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf('\n');
    }
  });
  while (lines.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  return { child, info: lines[0], lines };
}

/**
 * The CLI's `serve` as users run it: the built `dist/cli.js`, one seeded user, standard output on
 * a pipe this process reads (one log line per request). Its token comes from /oauth/token. `extra`
 * are Node's own arguments (`--cpu-prof`).
 */
export async function startCli(root = packageRoot, extra = []) {
  const folder = mkdtempSync(join(tmpdir(), 'auth0-metadata-bench-cli-'));
  const seed = join(folder, 'users.json');
  const metadata = {};
  for (let index = 0; index < 16; index++) metadata[`key${index}`] = { index, text: 'x'.repeat(40) };
  writeFileSync(
    seed,
    JSON.stringify([
      {
        connection: 'Username-Password-Authentication',
        email: 'bench@example.com',
        password: 'Passw0rd!xyz',
        user_id: 'bench',
        user_metadata: metadata,
        app_metadata: { plan: 'full' },
      },
    ]),
  );
  const secret = randomBytes(16).toString('hex');
  const child = spawn(
    process.execPath,
    [
      ...extra,
      join(root, 'dist', 'cli.js'),
      'serve',
      '--port',
      '0',
      '--seed',
      seed,
      '--client-id',
      'bench',
      '--client-secret',
      secret,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let logged = 0;
  let url;
  let text = '';
  child.stdout.on('data', (chunk) => {
    logged += chunk.length;
    if (url !== undefined) return;
    text += chunk;
    url = /listening on (\S+)/.exec(text)?.[1];
  });
  while (url === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
  const response = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'client_credentials',
      client_id: 'bench',
      client_secret: secret,
      audience: 'https://tenant.auth0.test/api/v2/',
    }),
  });
  const { access_token: token } = await response.json();
  rmSync(folder, { recursive: true, force: true });
  return { child, info: { url, token, userId: 'auth0|bench' }, lines: [], logged: () => logged };
}

export async function stop(server) {
  // SIGINT lets a server started with --cpu-prof write its profile (see http-server.mjs).
  server.child.kill('SIGINT');
  if (server.child.exitCode === null) await once(server.child, 'exit');
}
