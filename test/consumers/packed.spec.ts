/**
 * The package as consumers get it: `npm pack` of a clean copy of the sources (the files git
 * tracks or would track, no `dist/`), so `prepack` must build it; the tarball installed into throwaway
 * projects in a temporary folder, then used from plain ESM (`import`), plain CommonJS (`require`),
 * and TypeScript with `moduleResolution` `node16` (an ESM file and a `.cts` file, compiled and run)
 * and `bundler` (with the DOM lib and no Node types, as a front-end project), and its
 * `auth0-metadata` command run from the consumer's `node_modules/.bin`. Each TypeScript file
 * has `// @ts-expect-error` lines that only hold while the types are real: a control project, where
 * the same files see the package as `any`, must fail on exactly those lines.
 *
 * The projects share one `node_modules` in the temporary folder (one `npm install`, from the npm
 * cache when it can), each with its own package.json and tsconfig.json. TypeScript is the
 * project's own install, at the version this repository uses.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion; never rejects on a failing exit code (the caller checks it). */
function run(command: string, args: readonly string[], cwd: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, NODE_OPTIONS: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function succeed(command: string, args: readonly string[], cwd: string): Promise<string> {
  const outcome = await run(command, args, cwd);
  if (outcome.code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} (in ${cwd}) exited with ${outcome.code}:\n${outcome.stdout}${outcome.stderr}`,
    );
  }
  return outcome.stdout;
}

function write(folder: string, files: Readonly<Record<string, string>>): void {
  for (const [name, text] of Object.entries(files)) {
    const path = join(folder, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
}

function devDependency(name: string): string {
  const manifest: unknown = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const devDependencies =
    typeof manifest === 'object' && manifest !== null && 'devDependencies' in manifest ? manifest.devDependencies : {};
  const version =
    typeof devDependencies === 'object' && devDependencies !== null ? Reflect.get(devDependencies, name) : undefined;
  if (typeof version !== 'string') throw new Error(`package.json has no devDependency ${name}`);
  return version;
}

const JANE = {
  connection: 'Username-Password-Authentication',
  email: 'jane.doe@example.com',
  password: 'Passw0rd!-consumer',
  user_metadata: { hobby: 'surfing' },
  app_metadata: { plan: 'full' },
};

/** The same checks for `import` and `require`: every entry loads and works end to end. */
function runtimeCheck(load: 'import' | 'require'): string {
  const imports =
    load === 'import'
      ? `import * as core from 'auth0-metadata';
import * as emulatorEntry from 'auth0-metadata/emulator';
import * as conformance from 'auth0-metadata/conformance';
import * as nodeAdapter from 'auth0-metadata/node';
const resolve = (name) => import.meta.resolve(name);`
      : `const core = require('auth0-metadata');
const emulatorEntry = require('auth0-metadata/emulator');
const conformance = require('auth0-metadata/conformance');
const nodeAdapter = require('auth0-metadata/node');
const resolve = (name) => require.resolve(name);`;
  return `${imports}

async function main() {
  const jane = ${JSON.stringify(JANE)};
  const created = core.createUser(jane);
  const patched = core.applyPatch(created.value, { user_metadata: { addresses: { home: 'Paris' } } });

  const emulator = emulatorEntry.createEmulator();
  const token = await emulator.issueToken();
  const headers = { authorization: 'Bearer ' + token, 'content-type': 'application/json' };
  const posted = await emulator.fetch(emulator.baseUrl + '/api/v2/users', { method: 'POST', headers, body: JSON.stringify(jane) });
  const user = await posted.json();
  const patch = await emulator.fetch(emulator.baseUrl + '/api/v2/users/' + encodeURIComponent(user.user_id), {
    method: 'PATCH', headers, body: JSON.stringify({ user_metadata: { hobby: null } }),
  });

  const checked = emulatorEntry.createEmulator();
  const report = await conformance.runConformance({ fetch: checked.fetch, baseUrl: checked.baseUrl, token: await checked.issueToken() });

  console.log(JSON.stringify({
    resolved: ['auth0-metadata', 'auth0-metadata/emulator', 'auth0-metadata/conformance', 'auth0-metadata/node']
      .map((name) => String(resolve(name)).replace(/^.*node_modules\\/auth0-metadata\\//, '')),
    core: patched.value.user_metadata,
    emulator: [posted.status, patch.status, (await patch.json()).user_metadata],
    conformance: [report.failed, report.passed === conformance.CONFORMANCE_CASES.length, report.passed > 25],
    nodeAdapter: typeof nodeAdapter.serve,
  }));
}
main().catch((error) => { console.error(error); process.exitCode = 1; });
`;
}

/** The CommonJS example of docs/library.md (the block fenced as ```js commonjs), as it is written. */
function commonJsExample(): string {
  const page = readFileSync(join(root, 'docs', 'library.md'), 'utf8');
  const block = /^```js commonjs\n([\s\S]*?)^```/m.exec(page)?.[1];
  if (block === undefined) throw new Error('docs/library.md has no ```js commonjs block');
  return block;
}

/**
 * A TypeScript consumer. Compiles with real types; each `@ts-expect-error` fails to hold (TS2578)
 * if what it guards becomes `any`. No top-level await, so the same text compiles as a `.cts` file.
 */
const TYPESCRIPT_CONSUMER = `import { applyPatch, createUser, type Result, selectFields, type User } from 'auth0-metadata';
import { createEmulator, type Emulator } from 'auth0-metadata/emulator';
import { CONFORMANCE_CASES, type ConformanceReport, runConformance } from 'auth0-metadata/conformance';

interface Preferences {
  theme: string;
}

const created = createUser({ connection: 'db', email: 'ann@example.com', password: 'pw', user_metadata: { theme: 'dark' } });
if (!created.success) throw new Error('createUser failed');
const user: User<Preferences> = { ...created.value, user_metadata: { theme: 'dark' } };
const theme: string = user.user_metadata?.theme ?? '';
// @ts-expect-error a user id is a string
const wrongId: number = user.user_id;
// @ts-expect-error applyPatch takes a user, not a string
applyPatch('not a user', {});
const patched: Result<User> = applyPatch(user, { user_metadata: { theme: null } });
// @ts-expect-error a Result is not a string
const wrongResult: string = patched;
// @ts-expect-error fields is a string or a list of names
selectFields(user, { fields: 42 });

const emulator: Emulator = createEmulator({ passwordHashIterations: 1000 });
// @ts-expect-error baseUrl is a string
const wrongUrl: number = emulator.baseUrl;
// @ts-expect-error createEmulator takes an options object
createEmulator('tenant.auth0.test');
const response: Promise<Response> = emulator.fetch(emulator.baseUrl + '/api/v2/users/auth0%7Cnobody');

// @ts-expect-error the cases are an array
const wrongCases: number = CONFORMANCE_CASES;
// @ts-expect-error runConformance needs a target with fetch, baseUrl and token
runConformance({});
const report: (target: Parameters<typeof runConformance>[0]) => Promise<ConformanceReport> = runConformance;

response.then((answer) => {
  console.log(JSON.stringify({ theme, patched: patched.success && patched.value.user_metadata, status: answer.status, cases: CONFORMANCE_CASES.length > 0, report: typeof report }));
});
export {};
`;

/** The lines of the guards: the control must report each of them as unused, and nothing else. */
const EXPECT_ERROR_LINES = TYPESCRIPT_CONSUMER.split('\n').flatMap((line, index) =>
  line.trim().startsWith('// @ts-expect-error') ? [index + 1] : [],
);

const STRICT = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  // Check the package's own .d.ts files too.
  skipLibCheck: false,
  target: 'es2022',
};

/** The typing patterns of real code (generic helpers, JSON and schema fixtures, Actions), and a JSON fixture. */
const PATTERNS = readFileSync(join(import.meta.dirname, 'patterns', 'patterns.ts'), 'utf8');
const PATTERNS_JSON = readFileSync(join(import.meta.dirname, 'patterns', 'jane.json'), 'utf8');

/** The lines of the patterns' guards. */
const PATTERNS_EXPECT_ERROR_LINES = PATTERNS.split('\n').flatMap((line, index) =>
  line.trim().startsWith('// @ts-expect-error') ? [index + 1] : [],
);

/** A strict bundler-resolution project with JSON modules, as front-end and many back-end projects have. */
const PATTERNS_TSCONFIG = JSON.stringify({
  compilerOptions: {
    ...STRICT,
    module: 'esnext',
    moduleResolution: 'bundler',
    resolveJsonModule: true,
    lib: ['es2022', 'dom'],
    types: [],
    noEmit: true,
  },
  include: ['src'],
});

/** A bundler-resolution project that type-checks `src` (the consumer, and its control). */
const BUNDLER_TSCONFIG = JSON.stringify({
  compilerOptions: {
    ...STRICT,
    module: 'esnext',
    moduleResolution: 'bundler',
    lib: ['es2022', 'dom'],
    types: [],
    noEmit: true,
  },
  include: ['src'],
});

/**
 * Copies the files of a fresh clone (tracked, or new and not ignored; never `dist/`) into
 * `folder`, with the project's `node_modules` linked in as `npm ci` would have laid it.
 */
function cleanCopy(folder: string): string {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root });
  for (const file of listed.toString('utf8').split('\0')) {
    if (file === '' || !existsSync(join(root, file))) continue;
    mkdirSync(dirname(join(folder, file)), { recursive: true });
    copyFileSync(join(root, file), join(folder, file));
  }
  if (existsSync(join(folder, 'dist'))) throw new Error('the clean copy must not hold dist/');
  symlinkSync(join(root, 'node_modules'), join(folder, 'node_modules'), 'dir');
  return folder;
}

let workspace: string;
let tarball: string;
let packedFiles: readonly string[];
/** The three compilations, run at once once the install is done. */
let compiled: Promise<{
  node16: Outcome;
  node16Cjs: Outcome;
  bundler: Outcome;
  control: Outcome;
  patterns: Outcome;
  patternsControl: Outcome;
}>;

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'auth0-metadata-consumers-'));
  const source = cleanCopy(join(workspace, 'source'));
  const packed: unknown = JSON.parse(await succeed('npm', ['pack', '--json', '--pack-destination', workspace], source));
  const [entry] = Array.isArray(packed) ? packed : [];
  const filename: unknown = typeof entry === 'object' && entry !== null ? Reflect.get(entry, 'filename') : undefined;
  const files: unknown = typeof entry === 'object' && entry !== null ? Reflect.get(entry, 'files') : undefined;
  if (typeof filename !== 'string' || !Array.isArray(files)) throw new Error('npm pack --json gave no filename');
  tarball = filename;
  packedFiles = files.map((file: unknown) =>
    typeof file === 'object' && file !== null ? String(Reflect.get(file, 'path')) : '',
  );

  write(workspace, {
    'package.json': JSON.stringify({
      name: 'auth0-metadata-consumers',
      private: true,
      dependencies: {
        'auth0-metadata': `file:./${tarball}`,
        typescript: devDependency('typescript'),
        '@types/node': devDependency('@types/node'),
        zod: devDependency('zod'),
      },
    }),
    'esm/package.json': JSON.stringify({ name: 'esm-consumer', private: true, type: 'module' }),
    'esm/main.js': runtimeCheck('import'),
    'cjs/package.json': JSON.stringify({ name: 'cjs-consumer', private: true, type: 'commonjs' }),
    'cjs/main.js': runtimeCheck('require'),
    'cjs/readme.js': commonJsExample(),
    'ts-node16/package.json': JSON.stringify({ name: 'ts-node16-consumer', private: true, type: 'module' }),
    'ts-node16/tsconfig.json': JSON.stringify({
      compilerOptions: {
        ...STRICT,
        module: 'node16',
        moduleResolution: 'node16',
        types: ['node'],
        rootDir: 'src',
        outDir: 'out',
      },
      files: ['src/main.ts'],
    }),
    // The CommonJS consumer checks the library's .d.cts files too (no skipLibCheck).
    'ts-node16/tsconfig.cjs.json': JSON.stringify({
      extends: './tsconfig.json',
      files: ['src/legacy.cts'],
    }),
    'ts-node16/src/main.ts': TYPESCRIPT_CONSUMER,
    'ts-node16/src/legacy.cts': TYPESCRIPT_CONSUMER,
    'ts-bundler/package.json': JSON.stringify({ name: 'ts-bundler-consumer', private: true, type: 'module' }),
    'ts-bundler/tsconfig.json': BUNDLER_TSCONFIG,
    'ts-bundler/src/main.ts': TYPESCRIPT_CONSUMER,
    // The control: the same project, but the package declared as untyped modules (everything `any`).
    'ts-control/package.json': JSON.stringify({ name: 'ts-control', private: true, type: 'module' }),
    'ts-control/tsconfig.json': BUNDLER_TSCONFIG,
    'ts-control/src/main.ts': TYPESCRIPT_CONSUMER,
    // The typing patterns of real code (test/consumers/patterns/), and their control.
    'ts-patterns/package.json': JSON.stringify({ name: 'ts-patterns', private: true, type: 'module' }),
    'ts-patterns/tsconfig.json': PATTERNS_TSCONFIG,
    'ts-patterns/src/patterns.ts': PATTERNS,
    'ts-patterns/src/jane.json': PATTERNS_JSON,
    'ts-patterns-control/package.json': JSON.stringify({ name: 'ts-patterns-control', private: true, type: 'module' }),
    'ts-patterns-control/tsconfig.json': PATTERNS_TSCONFIG,
    'ts-patterns-control/src/patterns.ts': PATTERNS,
    'ts-patterns-control/src/jane.json': PATTERNS_JSON,
    'ts-patterns-control/src/untyped.d.ts': "declare module 'auth0-metadata';\n",
    'ts-control/src/untyped.d.ts': [
      "declare module 'auth0-metadata';",
      "declare module 'auth0-metadata/emulator';",
      "declare module 'auth0-metadata/conformance';",
      '',
    ].join('\n'),
  });
  await succeed('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], workspace);
  compiled = Promise.all([
    tsc('ts-node16'),
    tsc('ts-node16', 'tsconfig.cjs.json'),
    tsc('ts-bundler'),
    tsc('ts-control'),
    tsc('ts-patterns'),
    tsc('ts-patterns-control'),
  ]).then(([node16, node16Cjs, bundler, control, patterns, patternsControl]) => ({
    node16,
    node16Cjs,
    bundler,
    control,
    patterns,
    patternsControl,
  }));
});

afterAll(() => {
  if (workspace !== undefined) rmSync(workspace, { recursive: true, force: true });
});

function tsc(project: string, config = 'tsconfig.json'): Promise<Outcome> {
  const compiler = join(workspace, 'node_modules', 'typescript', 'bin', 'tsc');
  return run(process.execPath, [compiler, '-p', config], join(workspace, project));
}

function lastLine(output: string): unknown {
  return JSON.parse(output.trim().split('\n').at(-1) ?? 'null');
}

describe('the packed tarball', () => {
  test('holds the ESM, CJS and both declaration files of every entry, and no tests', () => {
    for (const entry of ['index', 'emulator', 'conformance', 'node']) {
      expect(packedFiles).toEqual(
        expect.arrayContaining([`dist/${entry}.js`, `dist/${entry}.cjs`, `dist/${entry}.d.ts`, `dist/${entry}.d.cts`]),
      );
    }
    expect(packedFiles).toEqual(
      expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'dist/cli.js']),
    );
    // The rules src/ cites ("rule 12", "S20") travel with it.
    expect(packedFiles).toEqual(expect.arrayContaining(['docs/rules.md', 'docs/search-rules.md']));
    expect(packedFiles.filter((file) => file.startsWith('test/'))).toStrictEqual([]);
  });
});

describe('JavaScript consumers', () => {
  const expected = (extension: 'js' | 'cjs'): unknown => ({
    resolved: [
      `dist/index.${extension}`,
      `dist/emulator.${extension}`,
      `dist/conformance.${extension}`,
      `dist/node.${extension}`,
    ],
    core: { hobby: 'surfing', addresses: { home: 'Paris' } },
    emulator: [201, 200, {}],
    conformance: [0, true, true],
    nodeAdapter: 'function',
  });

  test('ESM: import of the package and its subpaths', async () => {
    expect(lastLine(await succeed(process.execPath, ['main.js'], join(workspace, 'esm')))).toStrictEqual(
      expected('js'),
    );
  });

  test('CommonJS: require of the package and its subpaths', async () => {
    expect(lastLine(await succeed(process.execPath, ['main.js'], join(workspace, 'cjs')))).toStrictEqual(
      expected('cjs'),
    );
  });

  test('CommonJS: the example for CommonJS projects (docs/library.md) runs as written', async () => {
    expect((await succeed(process.execPath, ['readme.js'], join(workspace, 'cjs'))).trim()).toBe('200 []');
  });
});

describe('the auth0-metadata command', () => {
  const bin = (): string => join(workspace, 'node_modules', '.bin', 'auth0-metadata');

  test('is linked into node_modules/.bin and prints the package version', async () => {
    const manifest: unknown = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const version = typeof manifest === 'object' && manifest !== null ? Reflect.get(manifest, 'version') : undefined;
    expect((await succeed(bin(), ['--version'], workspace)).trim()).toBe(version);
  });

  test('applies a PATCH to a user file', async () => {
    write(workspace, {
      'cli/user.json': JSON.stringify({
        user_id: 'auth0|jane',
        identities: [{ connection: JANE.connection, user_id: 'jane', provider: 'auth0', isSocial: false }],
        created_at: '2026-01-01T00:00:00.000Z',
        updated_at: '2026-01-01T00:00:00.000Z',
        user_metadata: { hobby: 'surfing' },
      }),
      'cli/patch.json': JSON.stringify({ user_metadata: { hobby: null, city: 'Paris' } }),
    });
    const applied: unknown = JSON.parse(
      await succeed(bin(), ['apply', '--user', 'cli/user.json', '--patch', 'cli/patch.json'], workspace),
    );
    expect(applied).toMatchObject({ user_id: 'auth0|jane', user_metadata: { city: 'Paris' } });
  });
});

describe('TypeScript consumers (the project’s own tsc)', () => {
  const printed = { theme: 'dark', patched: {}, status: 401, cases: true, report: 'function' };

  test('moduleResolution node16: an ESM file and a .cts file compile, and run', async () => {
    const { node16, node16Cjs } = await compiled;
    expect([node16, node16Cjs]).toStrictEqual([
      { code: 0, stdout: '', stderr: '' },
      { code: 0, stdout: '', stderr: '' },
    ]);
    const folder = join(workspace, 'ts-node16');
    expect(lastLine(await succeed(process.execPath, ['out/main.js'], folder))).toStrictEqual(printed);
    expect(lastLine(await succeed(process.execPath, ['out/legacy.cjs'], folder))).toStrictEqual(printed);
  });

  test('moduleResolution bundler, DOM lib and no Node types: compiles', async () => {
    const outcome = (await compiled).bundler;
    expect(`${outcome.stdout}${outcome.stderr}`).toBe('');
    expect(outcome.code).toBe(0);
  });

  test('control: with the package typed as any, every @ts-expect-error fails to hold (so they prove the types are not any)', async () => {
    const outcome = (await compiled).control;
    const errors = outcome.stdout
      .split('\n')
      .filter((line) => line.includes('error TS'))
      .map((line) => line.replace(/^src\/main\.ts\((\d+),\d+\): error (TS\d+).*$/, '$2 line $1'));
    expect(EXPECT_ERROR_LINES.length).toBeGreaterThanOrEqual(8);
    // TS2578: "Unused '@ts-expect-error' directive", on every guard.
    expect(errors.filter((error) => error.startsWith('TS2578'))).toStrictEqual(
      EXPECT_ERROR_LINES.map((line) => `TS2578 line ${line}`),
    );
    // The only other errors: TS2709, a type name (User, Result, ...) used from an untyped module.
    expect(errors.filter((error) => !/^TS(2578|2709) /.test(error))).toStrictEqual([]);
    expect(outcome.code).not.toBe(0);
  });
});

describe('TypeScript patterns of real code (test/consumers/patterns/patterns.ts)', () => {
  test('generic helpers, JSON-module, zod, satisfies and as-const fixtures, untyped users and Actions compile under strict, every guard holding', async () => {
    const outcome = (await compiled).patterns;
    expect(`${outcome.stdout}${outcome.stderr}`).toBe('');
    expect(outcome.code).toBe(0);
  });

  test('control: with the package typed as any, every guard of the patterns fails to hold', async () => {
    const outcome = (await compiled).patternsControl;
    const errors = outcome.stdout
      .split('\n')
      .filter((line) => line.includes('error TS'))
      .map((line) => line.replace(/^src\/patterns\.ts\((\d+),\d+\): error (TS\d+).*$/, '$2 line $1'));
    expect(PATTERNS_EXPECT_ERROR_LINES.length).toBeGreaterThanOrEqual(15);
    expect(errors.filter((error) => error.startsWith('TS2578'))).toStrictEqual(
      PATTERNS_EXPECT_ERROR_LINES.map((line) => `TS2578 line ${line}`),
    );
    // Otherwise only type names used from an untyped module (TS2709), and the implicit anys of an
    // Action whose type is unknown (TS7006).
    expect(errors.filter((error) => !/^TS(2578|2709|7006) /.test(error))).toStrictEqual([]);
  });
});
