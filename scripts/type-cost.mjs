// What importing the package costs a consumer's TypeScript: type instantiations and check time
// that the built declarations (dist/*.d.ts) add to a strict project, with `skipLibCheck` on and off.
// Each consumer file is compiled twice, with and without the package's import, so the numbers are
// what the package adds, not what TypeScript's own lib files cost. Fails when an instantiation
// count is over its budget. Run after `npm run build`: `npm run type-cost` (`-- --json` for JSON).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '..');
const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');

/**
 * The consumer files measured, each with its budget in instantiations added (skipLibCheck off, the
 * worst case). Budgets sit a little above the counts measured when they were set, so growth is a
 * decision: raise one on purpose, in the same commit as the types that need it.
 */
const CONSUMERS = [
  {
    name: 'import type { User }',
    // Set at 1,411 once the declarations imported no package (with type-fest's: 242,650); 2,091 with
    // CheckedPatch and the testing entry.
    budget: 5_000,
    source: `import type { User } from 'auth0-metadata';
export declare const user: User;
`,
  },
  {
    name: 'typical use (applyPatch, selectFields, generic helper)',
    // Set at 2,615; 3,367 with CheckedPatch.
    budget: 10_000,
    source: `import { applyPatch, selectFields, type StoredUser, type User } from 'auth0-metadata';
interface Preferences { theme?: 'light' | 'dark'; hobby?: string }
declare const typed: User<Preferences>;
declare const open: User;
export const a = applyPatch(typed, { user_metadata: { theme: 'dark' } });
export const b = applyPatch(open, { user_metadata: { anything: [1, 2] }, blocked: true });
export const c = selectFields(typed, { fields: 'user_metadata,email', include_fields: 'true' });
export function setHobby<U extends StoredUser<Preferences>>(user: U, hobby: string) {
  return applyPatch(user, { user_metadata: { hobby } });
}
`,
  },
];

const json = process.argv.includes('--json');
for (const file of ['dist/index.d.ts', 'dist/index.d.cts']) {
  if (!existsSync(join(root, file))) {
    console.error(`type-cost: ${file} missing; run npm run build first`);
    process.exit(1);
  }
}

/** A consumer project: the package as npm installs it (package.json, dist/, its dependencies). */
function install(folder) {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const target = join(folder, 'node_modules', 'auth0-metadata');
  mkdirSync(target, { recursive: true });
  cpSync(join(root, 'package.json'), join(target, 'package.json'));
  cpSync(join(root, 'dist'), join(target, 'dist'), { recursive: true });
  for (const name of Object.keys(manifest.dependencies ?? {})) {
    const link = join(folder, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(root, 'node_modules', name), link, 'dir');
  }
  writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
}

function diagnostics(folder, file, skipLibCheck) {
  const config = `tsconfig.${file}.${skipLibCheck}.json`;
  writeFileSync(
    join(folder, config),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        target: 'es2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        types: [],
        noEmit: true,
        skipLibCheck,
      },
      files: [file],
    }),
  );
  const args = [tsc, '--extendedDiagnostics', '-p', config];
  let output;
  try {
    output = execFileSync(process.execPath, args, { cwd: folder, encoding: 'utf8' });
  } catch (error) {
    throw new Error(`type-cost: ${file} does not compile:\n${error.stdout}${error.stderr}`);
  }
  const read = (label) => {
    const match = new RegExp(`^${label}:\\s+([\\d.]+)s?$`, 'm').exec(output);
    if (match === null) throw new Error(`type-cost: no "${label}" in tsc's output:\n${output}`);
    return Number(match[1]);
  };
  return { instantiations: read('Instantiations'), checkSeconds: read('Check time'), files: read('Files') };
}

const folder = mkdtempSync(join(tmpdir(), 'auth0-metadata-type-cost-'));
const rows = [];
try {
  install(folder);
  writeFileSync(join(folder, 'baseline.ts'), 'export declare const nothing: string;\n');
  const baseline = { true: diagnostics(folder, 'baseline.ts', true), false: diagnostics(folder, 'baseline.ts', false) };
  CONSUMERS.forEach(({ name, source, budget }, index) => {
    const file = `consumer${index}.ts`;
    writeFileSync(join(folder, file), source);
    for (const skipLibCheck of [false, true]) {
      const measured = diagnostics(folder, file, skipLibCheck);
      const base = baseline[String(skipLibCheck)];
      rows.push({
        consumer: name,
        skipLibCheck,
        instantiations: measured.instantiations,
        baseline: base.instantiations,
        added: measured.instantiations - base.instantiations,
        files: measured.files - base.files,
        checkSeconds: measured.checkSeconds,
        checkSecondsAdded: Math.round((measured.checkSeconds - base.checkSeconds) * 100) / 100,
        budget: skipLibCheck ? undefined : budget,
      });
    }
  });
} finally {
  rmSync(folder, { recursive: true, force: true });
}

const over = rows.filter((row) => row.budget !== undefined && row.added > row.budget);
if (json) console.log(JSON.stringify(rows, null, 2));
else {
  console.log(
    `${'consumer'.padEnd(58)}${'skipLibCheck'.padStart(13)}${'instantiations added'.padStart(22)}${'files added'.padStart(13)}${'check time added'.padStart(18)}${'budget'.padStart(10)}`,
  );
  for (const row of rows) {
    console.log(
      `${row.consumer.padEnd(58)}${String(row.skipLibCheck).padStart(13)}${row.added.toLocaleString('en-US').padStart(22)}${String(row.files).padStart(13)}${`${row.checkSecondsAdded.toFixed(2)} s`.padStart(18)}${(row.budget === undefined ? '' : row.budget.toLocaleString('en-US')).padStart(10)}`,
    );
  }
}
if (over.length > 0) {
  for (const row of over) {
    console.error(`type-cost: "${row.consumer}" adds ${row.added} instantiations, over its budget of ${row.budget}`);
  }
  process.exit(1);
}
