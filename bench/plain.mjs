// Plain JSON users, as backends and other emulators hold them (JSON.parse of GET /api/v2/users/{id}),
// never made by this library: the headline of `npm run bench`. Writes bench/plain-results.json.
// Ratios are against baselines measured in the same run.
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { applyPatch } from 'auth0-metadata';
import { do_not_optimize, measure } from 'mitata';

const QUICK = process.argv.includes('--quick');
const MIN_CPU_TIME = (QUICK ? 40 : 300) * 1e6;
const FIXED = new Date('2026-01-01T00:00:00.000Z');
const now = () => FIXED;

/** A GET /api/v2/users/{id} answer with about `bytes` of user_metadata in the records shape (lists of small records). */
function plainUserJson(bytes) {
  const keys = 64;
  const budget = Math.floor(bytes / keys);
  const user_metadata = {};
  for (let index = 0; index < keys; index++) {
    const count = Math.max(1, Math.floor((budget - 40) / 31));
    const items = [];
    for (let item = 0; item < count; item++) items.push({ n: item % 1000, label: 'abcdefgh' });
    user_metadata[`key${index}`] = budget < 80 ? 'x'.repeat(Math.max(1, budget - 12)) : { id: index, items };
  }
  return JSON.stringify({
    user_id: 'auth0|0123456789abcdef01234567',
    email: 'bench@example.com',
    email_verified: false,
    identities: [{ connection: 'db', user_id: '0123456789abcdef01234567', provider: 'auth0', isSocial: false }],
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
    logins_count: 3,
    last_login: '2026-01-01T00:00:00.000Z',
    user_metadata,
    app_metadata: { plan: 'full' },
  });
}

const PATCH = { user_metadata: { key0: { id: -1, text: 'patched' } } };

function format(ns) {
  if (ns < 1e3) return `${ns.toFixed(0)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(1)} µs`;
  return `${(ns / 1e6).toFixed(2)} ms`;
}

async function time(fn) {
  return (await measure(() => do_not_optimize(fn()), { min_cpu_time: MIN_CPU_TIME })).avg;
}

/**
 * First sight: each call gets a user object it has never seen (a fresh JSON.parse, made before the
 * clock starts), so nothing is remembered. Measured in rounds over `copies` users, alternating the
 * contenders so both see the same machine state.
 */
function firstSight(json, copies, rounds) {
  let apply = 0;
  let stringify = 0;
  for (let round = 0; round < rounds; round++) {
    const users = Array.from({ length: copies }, () => JSON.parse(json));
    const strung = Array.from({ length: copies }, () => JSON.parse(json));
    let start = performance.now();
    for (const user of strung) do_not_optimize(JSON.stringify(user));
    stringify += performance.now() - start;
    start = performance.now();
    for (const user of users) {
      const result = applyPatch(user, PATCH, { now });
      if (!result.success) throw new Error(JSON.stringify(result.issues));
    }
    apply += performance.now() - start;
  }
  const calls = copies * rounds;
  return { apply: (apply / calls) * 1e6, stringify: (stringify / calls) * 1e6 };
}

console.log(`plain JSON users — Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'})`);
// Warm-up, not recorded.
firstSight(plainUserJson(64 * 1024), 20, 20);

const MB = 1024 * 1024;
const oneMb = plainUserJson(MB);
const first = firstSight(oneMb, 10, QUICK ? 3 : 10);
const firstRatio = first.apply / first.stringify;
console.log('\n1. First sight: one 1-key applyPatch of a plain 1 MB user (records), never seen before');
console.log(`  applyPatch                 avg ${format(first.apply).padStart(10)}`);
console.log(`  JSON.stringify of the user avg ${format(first.stringify).padStart(10)}`);
console.log(`  applyPatch / JSON.stringify: ${firstRatio.toFixed(2)}x (target ≤ 1x)`);

/** Repeated patches of the same plain user object, and one step of a chain started from a plain user. */
async function afterwards(bytes) {
  const user = JSON.parse(plainUserJson(bytes));
  const repeated = await time(() => applyPatch(user, PATCH, { now }));
  let current = JSON.parse(plainUserJson(bytes));
  let step = 0;
  const chained = await time(() => {
    const patch = { user_metadata: { key0: { id: step++, text: 'patched' } } };
    const result = applyPatch(current, patch, { now });
    if (result.success) current = result.value;
    return result;
  });
  return { repeated, chained };
}

const small = await afterwards(1024);
const large = await afterwards(15.5 * MB);
const flatRepeated = large.repeated / small.repeated;
const flatChained = large.chained / small.chained;
console.log('\n2. Flat afterwards: 1-key patches, 16 MB plain user / 1 KB plain user');
console.log(
  `  repeated, same object   1 KB ${format(small.repeated).padStart(10)}   16 MB ${format(large.repeated).padStart(10)}   ${flatRepeated.toFixed(2)}x (target ≤ 3x)`,
);
console.log(
  `  chain from a plain user 1 KB ${format(small.chained).padStart(10)}   16 MB ${format(large.chained).padStart(10)}   ${flatChained.toFixed(2)}x (target ≤ 3x)`,
);

// structuredClone + spread on the same plain 1 MB user, patched again and again: what a backend
// would otherwise write.
const oneMbUser = JSON.parse(oneMb);
const clone = await time(() => {
  const copy = structuredClone(oneMbUser);
  copy.user_metadata = { ...copy.user_metadata, ...PATCH.user_metadata };
  return copy;
});
const repeatedOneMb = await time(() => applyPatch(oneMbUser, PATCH, { now }));
console.log('\n   repeated patches of the same plain 1 MB user against structuredClone + spread');
console.log(`  applyPatch                avg ${format(repeatedOneMb).padStart(10)}`);
console.log(
  `  structuredClone + spread  avg ${format(clone).padStart(10)}   (${(clone / repeatedOneMb).toFixed(1)}x faster)`,
);

writeFileSync(
  new URL('./plain-results.json', import.meta.url),
  `${JSON.stringify({ node: process.version, cores: cpus().length, quick: QUICK, first, firstRatio, small, large, flatRepeated, flatChained, clone, repeatedOneMb }, null, 2)}\n`,
);
