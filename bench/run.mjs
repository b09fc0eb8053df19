// Library benchmarks: applyPatch against what users would otherwise write, at several user sizes,
// plus selectFields, validateSignupMetadata and the validation of large patches.
// Runs against the built package (dist/): `npm run bench`. Writes bench/results.json.
// Ratios are against baselines measured in the same run; absolute times drift on shared machines.
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { applyPatch, createUser, selectFields, validatePatch, validateSignupMetadata } from 'auth0-metadata';
import { produce } from 'immer';
import jsonMergePatch from 'json-merge-patch';
import cloneDeep from 'lodash.clonedeep';
import merge from 'lodash.merge';
import { do_not_optimize, measure } from 'mitata';

const QUICK = process.argv.includes('--quick');
const MIN_CPU_TIME = (QUICK ? 40 : 300) * 1e6;
const now = () => new Date('2026-01-01T00:00:00.000Z');

/** Metadata of about `bytes` bytes of JSON spread over `keys` first-level keys, each a nested object. */
function metadataOf(bytes, keys) {
  const perKey = Math.max(1, Math.floor(bytes / keys) - 40);
  const metadata = {};
  for (let index = 0; index < keys; index++) {
    metadata[`key${index}`] = { id: index, text: 'x'.repeat(perKey), tags: ['a', 'b'], nested: { level: 2 } };
  }
  return metadata;
}

function userWith(metadata) {
  const result = createUser(
    {
      connection: 'db',
      email: 'bench@example.com',
      password: 'pw',
      user_metadata: metadata,
      app_metadata: { plan: 'full' },
    },
    { now, generateId: () => '0123456789abcdef01234567' },
  );
  if (!result.success) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

function patchOf(count) {
  const user_metadata = {};
  for (let index = 0; index < count; index++) user_metadata[`key${index}`] = { id: -index, text: 'patched' };
  return { user_metadata };
}

/** The limit: a bare spread of the root and of the metadata touched, no validation at all. */
function bareSpread(user, patch) {
  return { ...user, updated_at: 'now', user_metadata: { ...user.user_metadata, ...patch.user_metadata } };
}

const results = [];

async function time(name, fn) {
  const stats = await measure(() => do_not_optimize(fn()), { min_cpu_time: MIN_CPU_TIME });
  return { name, avg: stats.avg, p50: stats.p50, p99: stats.p99 };
}

function format(ns) {
  if (ns < 1e3) return `${ns.toFixed(0)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(1)} µs`;
  return `${(ns / 1e6).toFixed(2)} ms`;
}

async function applySeries(label, bytes, keys, patchKeys) {
  const metadata = metadataOf(bytes, keys);
  const user = userWith(metadata);
  const plain = JSON.parse(JSON.stringify(user));
  const patch = patchOf(patchKeys);
  const check = applyPatch(user, patch, { now });
  if (!check.success) throw new Error(JSON.stringify(check.issues));
  const rows = [
    await time('applyPatch', () => applyPatch(user, patch, { now })),
    await time('bare spread (limit, no validation)', () => bareSpread(user, patch)),
  ];
  // The clone-based baselines copy the whole user: skip them where a run would take minutes.
  if (bytes <= 1024 * 1024 || !QUICK) {
    rows.push(
      await time('structuredClone + spread', () => {
        const copy = structuredClone(plain);
        copy.user_metadata = { ...copy.user_metadata, ...patch.user_metadata };
        return copy;
      }),
      await time('json-merge-patch on a clone', () => jsonMergePatch.apply(structuredClone(plain), patch)),
      await time('lodash.merge on cloneDeep', () => merge(cloneDeep(plain), patch)),
      await time('immer produce', () =>
        produce(plain, (draft) => {
          for (const [key, value] of Object.entries(patch.user_metadata)) draft.user_metadata[key] = value;
        }),
      ),
    );
  }
  const apply = rows[0].avg;
  const limit = rows[1].avg;
  const clones = rows.slice(2).map((row) => row.avg);
  const fastestClone = clones.length > 0 ? Math.min(...clones) : undefined;
  const entry = {
    label,
    bytes: JSON.stringify(metadata).length,
    keys,
    patchKeys,
    rows,
    ratioToLimit: apply / limit,
    speedupOverFastestClone: fastestClone === undefined ? undefined : fastestClone / apply,
  };
  results.push(entry);
  console.log(`\n${label}: ${entry.bytes} bytes of metadata, ${keys} first-level keys, ${patchKeys}-key patch`);
  for (const row of rows)
    console.log(`  ${row.name.padEnd(36)} avg ${format(row.avg).padStart(10)}   p99 ${format(row.p99)}`);
  console.log(
    `  applyPatch / limit: ${entry.ratioToLimit.toFixed(2)}x` +
      (fastestClone === undefined
        ? ''
        : `; fastest clone-based baseline / applyPatch: ${entry.speedupOverFastestClone.toFixed(1)}x`),
  );
  return entry;
}

console.log(
  `auth0-metadata benchmarks — Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'})`,
);

const sizes = [
  ['1 KB', 1024],
  ['100 KB', 100 * 1024],
  ['1 MB', 1024 * 1024],
  ['16 MB', 15.5 * 1024 * 1024],
];
const flat = {};
for (const [label, bytes] of sizes) {
  for (const patchKeys of [1, 64]) {
    const entry = await applySeries(`${label} / 64 keys`, bytes, 64, patchKeys);
    if (patchKeys === 1) flat[label] = entry.rows[0].avg;
  }
}
for (const patchKeys of [1, 100]) await applySeries('1 MB / 10,000 keys', 1024 * 1024, 10_000, patchKeys);

const flatness = flat['16 MB'] / flat['1 KB'];
console.log(`\n1-key applyPatch, 16 MB user / 1 KB user: ${flatness.toFixed(2)}x`);

// selectFields and validateSignupMetadata against minimal hand-written loops.
const small = userWith(metadataOf(2048, 8));
const minimalSelect = (user, names) => {
  const out = {};
  for (const name of names) if (Object.hasOwn(user, name)) out[name] = user[name];
  return out;
};
const selectRows = [
  await time('selectFields(fields=user_metadata,email)', () =>
    selectFields(small, { fields: 'user_metadata,email', include_fields: 'true' }),
  ),
  await time('minimal loop', () => minimalSelect(small, 'user_metadata,email'.split(','))),
];
const signup = { plan: 'pro', newsletter: 'yes', source: 'ads', locale: 'fr-FR', theme: 'dark' };
const minimalSignup = (metadata) =>
  Object.keys(metadata).length <= 10 &&
  Object.entries(metadata).every(
    ([key, value]) => key.length <= 100 && typeof value === 'string' && value.length <= 500,
  );
const signupRows = [
  await time('validateSignupMetadata (5 keys)', () => validateSignupMetadata(signup)),
  await time('minimal loop', () => minimalSignup(signup)),
];
const bigPatch = { user_metadata: metadataOf(1024 * 1024, 64) };
const bigPatchJson = JSON.stringify(bigPatch);
const validateRows = [
  await time('validatePatch (1 MB patch)', () => validatePatch(bigPatch)),
  await time('JSON.parse of the same 1 MB', () => JSON.parse(bigPatchJson)),
  await time('structuredClone of the same 1 MB', () => structuredClone(bigPatch)),
];
for (const [title, rows] of [
  ['selectFields', selectRows],
  ['validateSignupMetadata', signupRows],
  ['validating a 1 MB patch', validateRows],
]) {
  console.log(`\n${title}`);
  for (const row of rows) console.log(`  ${row.name.padEnd(40)} avg ${format(row.avg).padStart(10)}`);
  console.log(`  ratio to the last baseline: ${(rows[0].avg / rows.at(-1).avg).toFixed(2)}x`);
}

writeFileSync(
  new URL('./results.json', import.meta.url),
  `${JSON.stringify({ node: process.version, cores: cpus().length, quick: QUICK, applyPatch: results, flatness, selectRows, signupRows, validateRows }, null, 2)}\n`,
);
