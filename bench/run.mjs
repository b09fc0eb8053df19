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
// One clock for every contender: a fixed Date, so no run pays for parsing a date string.
const FIXED = new Date('2026-01-01T00:00:00.000Z');
const now = () => FIXED;

/**
 * Metadata of about `bytes` bytes of JSON spread over `keys` first-level keys, in one of two shapes:
 * - `strings`: each value a small object holding one long string (`{ id, text, tags, nested }`):
 *   few objects, most bytes in strings, which clones share or copy in one piece;
 * - `records`: each value an object holding an array of small records (`{ n, label }`, about 30
 *   bytes each): many objects, as lists and histories kept in metadata are.
 * Where a key has no room for an object (1 KB over 64 keys), its value is a short string.
 */
function metadataOf(bytes, keys, shape = 'strings') {
  const budget = Math.floor(bytes / keys);
  const metadata = {};
  for (let index = 0; index < keys; index++) {
    const name = `key${index}`;
    const entry = name.length + 3; // the quoted key and the colon
    if (budget < 80) metadata[name] = 'x'.repeat(Math.max(1, budget - entry - 3));
    else if (shape === 'strings') {
      metadata[name] = { id: index, text: 'x'.repeat(budget - entry - 60), tags: ['a', 'b'], nested: { level: 2 } };
    } else {
      const count = Math.max(1, Math.floor((budget - entry - 30) / 31));
      const items = [];
      for (let item = 0; item < count; item++) items.push({ n: item % 1000, label: 'abcdefgh' });
      metadata[name] = { id: index, items };
    }
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

/**
 * The limit: a bare spread of the root and of the metadata touched, no validation at all. It sets
 * `updated_at` from the same clock, as any correct update must (applyPatch does the same).
 */
function bareSpread(user, patch) {
  return {
    ...user,
    updated_at: now().toISOString(),
    user_metadata: { ...user.user_metadata, ...patch.user_metadata },
  };
}

const results = [];
const CLONE_BASED = new Set(['structuredClone + spread', 'json-merge-patch on a clone', 'lodash.merge on cloneDeep']);

async function time(name, fn) {
  const stats = await measure(() => do_not_optimize(fn()), { min_cpu_time: MIN_CPU_TIME });
  return { name, avg: stats.avg, p50: stats.p50, p99: stats.p99 };
}

function format(ns) {
  if (ns < 1e3) return `${ns.toFixed(0)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(1)} µs`;
  return `${(ns / 1e6).toFixed(2)} ms`;
}

async function applySeries(label, bytes, keys, patchKeys, shape = 'strings') {
  const metadata = metadataOf(bytes, keys, shape);
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
  // Clone-based: the three that copy the whole user. immer shares untouched subtrees, like
  // applyPatch, so it is reported beside them but is not one of them.
  const clones = rows.filter((row) => CLONE_BASED.has(row.name)).map((row) => row.avg);
  const fastestClone = clones.length > 0 ? Math.min(...clones) : undefined;
  const immer = rows.find((row) => row.name === 'immer produce')?.avg;
  const entry = {
    label,
    shape,
    bytes: JSON.stringify(metadata).length,
    keys,
    patchKeys,
    rows,
    ratioToLimit: apply / limit,
    speedupOverFastestClone: fastestClone === undefined ? undefined : fastestClone / apply,
    speedupOverImmer: immer === undefined ? undefined : immer / apply,
  };
  results.push(entry);
  console.log(
    `\n${label} (${shape}): ${entry.bytes} bytes of metadata, ${keys} first-level keys, ${patchKeys}-key patch`,
  );
  for (const row of rows)
    console.log(`  ${row.name.padEnd(36)} avg ${format(row.avg).padStart(10)}   p99 ${format(row.p99)}`);
  console.log(
    `  applyPatch / limit: ${entry.ratioToLimit.toFixed(2)}x` +
      (fastestClone === undefined
        ? ''
        : `; fastest clone-based baseline / applyPatch: ${entry.speedupOverFastestClone.toFixed(1)}x` +
          `; immer / applyPatch: ${entry.speedupOverImmer.toFixed(1)}x`),
  );
  return entry;
}

console.log(
  `auth0-metadata benchmarks — Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'})`,
);

// Warm-up, not recorded: every contender runs until the JIT has settled, so the first series
// measured is not the one that pays for compilation.
for (const patchKeys of [1, 100]) {
  const user = userWith(metadataOf(4096, 64));
  const patch = patchOf(patchKeys);
  const plain = JSON.parse(JSON.stringify(user));
  for (let round = 0; round < 3000; round++) {
    applyPatch(user, patch, { now });
    bareSpread(user, patch);
    jsonMergePatch.apply(structuredClone(plain), patch);
    merge(cloneDeep(plain), patch);
    produce(plain, (draft) => {
      for (const [key, value] of Object.entries(patch.user_metadata)) draft.user_metadata[key] = value;
    });
  }
}

const sizes = [
  ['1 KB', 1024],
  ['100 KB', 100 * 1024],
  ['1 MB', 1024 * 1024],
  ['16 MB', 15.5 * 1024 * 1024],
];
const flat = {};
for (const shape of ['strings', 'records']) {
  for (const [label, bytes] of sizes) {
    // At 1 KB over 64 keys every value is a short string: both shapes are the same user.
    if (shape === 'records' && bytes < 64 * 80) continue;
    for (const patchKeys of [1, 100]) {
      const entry = await applySeries(`${label} / 64 keys`, bytes, 64, patchKeys, shape);
      if (patchKeys === 1) flat[`${label} ${shape}`] = entry.rows[0].avg;
    }
  }
}
for (const patchKeys of [1, 100]) await applySeries('1 MB / 10,000 keys', 1024 * 1024, 10_000, patchKeys);

const flatness = {
  strings: flat['16 MB strings'] / flat['1 KB strings'],
  records: flat['16 MB records'] / flat['1 KB strings'],
};
console.log(
  `\n1-key applyPatch, 16 MB user / 1 KB user: ${flatness.strings.toFixed(2)}x (strings), ${flatness.records.toFixed(2)}x (records)`,
);

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
const validateRows = {};
for (const shape of ['strings', 'records']) {
  const bigPatch = { user_metadata: metadataOf(1024 * 1024, 64, shape) };
  const bigPatchJson = JSON.stringify(bigPatch);
  validateRows[shape] = [
    await time(`validatePatch (1 MB patch, ${shape})`, () => validatePatch(bigPatch)),
    await time('JSON.parse of the same 1 MB', () => JSON.parse(bigPatchJson)),
    await time('structuredClone of the same 1 MB', () => structuredClone(bigPatch)),
  ];
}
for (const [title, rows] of [
  ['selectFields', selectRows],
  ['validateSignupMetadata', signupRows],
  ['validating a 1 MB patch (strings)', validateRows.strings],
  ['validating a 1 MB patch (records)', validateRows.records],
]) {
  console.log(`\n${title}`);
  for (const row of rows) console.log(`  ${row.name.padEnd(40)} avg ${format(row.avg).padStart(10)}`);
  console.log(
    `  ratio to the baselines: ${rows
      .slice(1)
      .map((row) => `${(rows[0].avg / row.avg).toFixed(2)}x ${row.name}`)
      .join(', ')}`,
  );
}

writeFileSync(
  new URL('./results.json', import.meta.url),
  `${JSON.stringify({ node: process.version, cores: cpus().length, quick: QUICK, applyPatch: results, flatness, selectRows, signupRows, validateRows }, null, 2)}\n`,
);
