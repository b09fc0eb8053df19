// Seeding and loading at scale: createEmulator with 10,000 and 100,000 stored users (as a data file
// of `serve --data` holds them; loading = one cold parse + createEmulator, as at a restart; seeding =
// the median of warm createEmulator rounds), and the requests that look users up by key (POST, users-by-email)
// at both sizes. Target (issue 24, item 3): loading is linear, 100,000 users in at most 12x the time
// of 10,000. Writes bench/scale-results.json. `--quick` measures 2,000 and 20,000 users.
// Each size runs in a fresh process (`--size N`, with --expose-gc and a collection before each
// round), so that one size's heap does not slow the other's collections.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createEmulator } from 'auth0-metadata/emulator';

const QUICK = process.argv.includes('--quick');
const SIZE_ARGUMENT = process.argv.indexOf('--size');
const SIZES = QUICK ? [2_000, 20_000] : [10_000, 100_000];
const LOOKUPS = 200;
const CONNECTION = 'Username-Password-Authentication';

/** A stored user as GET /api/v2/users/{id} returns it, with a little metadata. */
function storedUser(index) {
  const id = index.toString(16).padStart(24, '0');
  return {
    user_id: `auth0|${id}`,
    email: `user${index}@example.com`,
    email_verified: index % 2 === 0,
    username: `user${index}`,
    name: `User ${index}`,
    nickname: `user${index}`,
    identities: [{ connection: CONNECTION, user_id: id, provider: 'auth0', isSocial: false }],
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
    logins_count: index % 7,
    user_metadata: { plan: index % 3 === 0 ? 'full' : 'trial', addresses: { home: `${index} Main Street` } },
    app_metadata: { roles: ['user'] },
  };
}

/** The data file's text: what a restart reads. */
function dataFileText(count) {
  return `${JSON.stringify(
    Array.from({ length: count }, (_, index) => storedUser(index)),
    null,
    2,
  )}\n`;
}

/**
 * Milliseconds taken by `run`, the median of `times` runs, each after `drop` (which lets go of what
 * the run before made) and a full collection.
 */
function median(times, run, drop = () => undefined) {
  const taken = [];
  for (let round = 0; round < times; round++) {
    drop();
    globalThis.gc?.();
    const started = process.hrtime.bigint();
    run();
    taken.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  taken.sort((left, right) => left - right);
  return taken[Math.floor(taken.length / 2)];
}

async function lookups(emulator, count) {
  const token = await emulator.issueToken();
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const started = process.hrtime.bigint();
  for (let index = 0; index < LOOKUPS; index++) {
    const email = encodeURIComponent(`user${(index * 7919) % count}@example.com`);
    const found = await emulator.fetch(`${emulator.baseUrl}/api/v2/users-by-email?email=${email}`, { headers });
    if (found.status !== 200) throw new Error(`users-by-email answered ${found.status}`);
    // A duplicate email: refused by the index lookup, never stored.
    const duplicate = await emulator.fetch(`${emulator.baseUrl}/api/v2/users`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ connection: CONNECTION, email: `user${index}@example.com`, password: 'Passw0rd!' }),
    });
    if (duplicate.status !== 409) throw new Error(`a duplicate POST answered ${duplicate.status}`);
  }
  return Number(process.hrtime.bigint() - started) / 1e6 / (2 * LOOKUPS);
}

/** Measures one size, in this process: the result line of the parent's table. */
async function measureSize(count) {
  let text = dataFileText(count);
  const fileBytes = Buffer.byteLength(text);
  const rounds = count >= 50_000 ? 3 : 5;
  // Loading, as a restart does it: once, in a fresh process, parse the data file and seed an
  // emulator with it (passwords apart: none here).
  const loadMs = median(1, () => {
    createEmulator({ users: JSON.parse(text), passwordHashIterations: 1 });
  });
  const users = JSON.parse(text);
  text = undefined;
  let emulator;
  // The emulator of the round before is let go before the collection: a restart seeds with no
  // other tenant in memory, and a live one would make every collection of the round mark it too.
  const seedMs = median(
    rounds,
    () => {
      emulator = createEmulator({ users, passwordHashIterations: 1 });
    },
    () => {
      emulator = undefined;
    },
  );
  if (emulator.snapshot().length !== count) throw new Error('not every user was loaded');
  const lookupMs = await lookups(emulator, count);
  return {
    users: count,
    fileBytes,
    loadMs: Math.round(loadMs),
    seedMs: Math.round(seedMs),
    usersPerSecond: Math.round((count / seedMs) * 1000),
    loadUsersPerSecond: Math.round((count / loadMs) * 1000),
    lookupRequestMs: Number(lookupMs.toFixed(3)),
  };
}

if (SIZE_ARGUMENT !== -1) {
  process.stdout.write(JSON.stringify(await measureSize(Number(process.argv[SIZE_ARGUMENT + 1]))));
  process.exit(0);
}

const results = [];
for (const count of SIZES) {
  const output = execFileSync(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=4096', fileURLToPath(import.meta.url), '--size', String(count)],
    { encoding: 'utf8', maxBuffer: 1024 * 1024 },
  );
  const result = JSON.parse(output);
  results.push(result);
  console.log(
    `${count.toLocaleString('en')} users: createEmulator ${result.seedMs} ms (${result.usersPerSecond.toLocaleString('en')} users/s); ` +
      `parse + createEmulator ${result.loadMs} ms (${result.loadUsersPerSecond.toLocaleString('en')} users/s); ` +
      `users-by-email and duplicate POST ${result.lookupRequestMs} ms per request`,
  );
}

const [small, large] = results;
const ratio = large.seedMs / small.seedMs;
const sizeRatio = large.users / small.users;
const lookupRatio = large.lookupRequestMs / small.lookupRequestMs;
const summary = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  quick: QUICK,
  results,
  seedRatio: Number(ratio.toFixed(2)),
  loadRatio: Number((large.loadMs / small.loadMs).toFixed(2)),
  lookupRatio: Number(lookupRatio.toFixed(2)),
  target: `${sizeRatio}x the users seed, and load, in at most ${(sizeRatio * 1.2).toFixed(0)}x the time`,
  met: ratio <= sizeRatio * 1.2 && large.loadMs / small.loadMs <= sizeRatio * 1.2,
};
console.log(
  `seeding ${sizeRatio}x the users took ${ratio.toFixed(2)}x the time, loading ${(large.loadMs / small.loadMs).toFixed(2)}x (target <= ${(sizeRatio * 1.2).toFixed(0)}x: ${summary.met ? 'met' : 'NOT met'}); ` +
    `a lookup at ${large.users.toLocaleString('en')} users costs ${lookupRatio.toFixed(2)}x one at ${small.users.toLocaleString('en')}`,
);
writeFileSync(
  new URL(QUICK ? './scale-results-quick.json' : './scale-results.json', import.meta.url),
  `${JSON.stringify(summary, null, 2)}\n`,
);
