// Seeding and loading at scale: createEmulator with 10,000 and 100,000 stored users (as a data file
// of `serve --data` holds them), and the requests that look users up by key (POST, users-by-email)
// at both sizes. Target (issue 24, item 3): loading is linear, 100,000 users in at most 12x the time
// of 10,000. Writes bench/scale-results.json. `--quick` measures 2,000 and 20,000 users.
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { createEmulator } from 'auth0-metadata/emulator';

const QUICK = process.argv.includes('--quick');
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

/** Milliseconds taken by `run`, the median of `times` runs. */
function median(times, run) {
  const taken = [];
  for (let round = 0; round < times; round++) {
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

const results = [];
for (const count of SIZES) {
  const text = dataFileText(count);
  // Loading: parse the data file and seed an emulator with it (passwords apart: none here).
  const rounds = count >= 50_000 ? 3 : 5;
  let emulator;
  const loadMs = median(rounds, () => {
    emulator = createEmulator({ users: JSON.parse(text), passwordHashIterations: 1 });
  });
  if (emulator.snapshot().length !== count) throw new Error('not every user was loaded');
  const seedOnlyUsers = JSON.parse(text);
  const seedMs = median(rounds, () => createEmulator({ users: seedOnlyUsers, passwordHashIterations: 1 }));
  const lookupMs = await lookups(emulator, count);
  results.push({
    users: count,
    fileBytes: Buffer.byteLength(text),
    loadMs: Math.round(loadMs),
    seedMs: Math.round(seedMs),
    usersPerSecond: Math.round((count / seedMs) * 1000),
    loadUsersPerSecond: Math.round((count / loadMs) * 1000),
    lookupRequestMs: Number(lookupMs.toFixed(3)),
  });
  console.log(
    `${count.toLocaleString('en')} users: createEmulator ${Math.round(seedMs)} ms (${Math.round((count / seedMs) * 1000).toLocaleString('en')} users/s); ` +
      `parse + createEmulator ${Math.round(loadMs)} ms; users-by-email and duplicate POST ${lookupMs.toFixed(3)} ms per request`,
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
  target: `${sizeRatio}x the users seed in at most ${(sizeRatio * 1.2).toFixed(0)}x the time`,
  met: ratio <= sizeRatio * 1.2,
};
console.log(
  `seeding ${sizeRatio}x the users took ${ratio.toFixed(2)}x the time (target <= ${(sizeRatio * 1.2).toFixed(0)}x: ${summary.met ? 'met' : 'NOT met'}); ` +
    `a lookup at ${large.users.toLocaleString('en')} users costs ${lookupRatio.toFixed(2)}x one at ${small.users.toLocaleString('en')}`,
);
writeFileSync(
  new URL(QUICK ? './scale-results-quick.json' : './scale-results.json', import.meta.url),
  `${JSON.stringify(summary, null, 2)}\n`,
);
