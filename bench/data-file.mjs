// `serve --data` at scale (127.0.0.1 only, bounded in time): for data files of 1,000 and 10,000
// users (and 100,000 with --large), each with its identity and a password hash per user, the time
// from starting `node dist/cli.js serve --data` to listening (the reload), and the PATCHes per
// second one client gets, each saved before it is answered (the cost of a write).
// `npm run bench:data` (`-- --large` adds 100,000 users). Writes bench/data-file-results.json.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEmulator } from '../dist/emulator.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const cli = join(here, '..', 'dist', 'cli.js');
const SIZES = process.argv.includes('--large') ? [1_000, 10_000, 100_000] : [1_000, 10_000];
const STARTS = 3;
const WRITE_SECONDS = 3;
const SECRET = 'bench-secret';

const base64url = (bytes) => bytes.toString('base64url');

/** A data file as `serve --data` writes it: stored users, then the identity with one hash per user. */
async function dataFile(path, size) {
  const { signingKey } = await createEmulator().exportIdentity();
  const users = [];
  const passwords = {};
  for (let index = 0; index < size; index++) {
    const id = `auth0|${index.toString(16).padStart(24, '0')}`;
    users.push({
      user_id: id,
      email: `user${index}@example.com`,
      email_verified: false,
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
      identities: [
        { connection: 'Username-Password-Authentication', user_id: id.slice(6), provider: 'auth0', isSocial: false },
      ],
      user_metadata: { hobby: 'surfing', addresses: { home: `${index} Main Street, Springfield` } },
      app_metadata: { plan: index % 2 === 0 ? 'free' : 'full' },
    });
    passwords[id] = { salt: base64url(randomBytes(16)), hash: base64url(randomBytes(32)), iterations: 100_000 };
  }
  const identity = { clientId: 'auth0-metadata-emulator', clientSecret: SECRET, signingKey, passwords };
  writeFileSync(path, `${JSON.stringify({ users, identity }, null, 2)}\n`, { mode: 0o600 });
}

/** Starts serve on the data file; resolves with its URL and the milliseconds until it listened. */
function start(path) {
  const began = performance.now();
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--data', path], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (url !== undefined) {
        child.stdout.removeAllListeners('data');
        child.stdout.resume();
        resolve({ child, url, ms: performance.now() - began });
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
  });
}

function stop(child) {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', resolve);
    child.kill('SIGINT');
  });
}

async function writesPerSecond(url) {
  const answer = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'auth0-metadata-emulator',
      client_secret: SECRET,
      audience: `${url}/api/v2/`,
    }),
  });
  const { access_token: token } = await answer.json();
  const until = performance.now() + WRITE_SECONDS * 1000;
  let writes = 0;
  while (performance.now() < until) {
    const response = await fetch(`${url}/api/v2/users/${encodeURIComponent('auth0|000000000000000000000000')}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user_metadata: { counter: writes } }),
    });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`PATCH answered ${response.status}`);
    writes++;
  }
  return writes / WRITE_SECONDS;
}

const folder = mkdtempSync(join(tmpdir(), 'auth0-metadata-bench-data-'));
const results = [];
try {
  for (const size of SIZES) {
    const path = join(folder, `users-${size}.json`);
    await dataFile(path, size);
    const reloads = [];
    let rate = 0;
    for (let run = 0; run < STARTS; run++) {
      const server = await start(path);
      reloads.push(server.ms);
      if (run === STARTS - 1) rate = await writesPerSecond(server.url);
      await stop(server.child);
    }
    reloads.sort((left, right) => left - right);
    const median = reloads[Math.floor(reloads.length / 2)];
    const result = {
      users: size,
      reloadMs: Math.round(median),
      usersPerSecond: Math.round(size / (median / 1000)),
      writesPerSecond: Math.round(rate),
    };
    results.push(result);
    console.log(
      `${size} users: reload ${result.reloadMs} ms (median of ${STARTS}, ${result.usersPerSecond} users/s), ${result.writesPerSecond} saved PATCHes/s`,
    );
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}
writeFileSync(
  join(here, 'data-file-results.json'),
  `${JSON.stringify({ date: new Date().toISOString(), results }, null, 2)}\n`,
);
