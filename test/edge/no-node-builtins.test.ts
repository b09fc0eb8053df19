/**
 * The core (`auth0-metadata`), the emulator (`/emulator`) and the conformance kit (`/conformance`)
 * run in browsers and edge runtimes, so nothing they import, directly or through other files, may
 * be a Node built-in. Only the Node adapter (src/node) and the CLI (src/cli) may use Node.
 *
 * Runs with `npm test`, on the sources; the edge-runtime and Chromium suites (`npm run test:env`)
 * check the same at run time on the built package.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { findCycle, importEdges, isNodeBuiltin, packageName, type ReadSource, walkImports } from './import-graph.js';

const root = join(import.meta.dirname, '..', '..');
const WEB_ENTRIES = ['src/index.ts', 'src/emulator/index.ts', 'src/conformance/index.ts', 'src/testing/index.ts'];

const readFromDisk: ReadSource = (path) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const graph = walkImports(
  WEB_ENTRIES.map((entry) => join(root, entry)),
  readFromDisk,
);
const reached = graph.files.map((file) => relative(root, file));

describe('the web entry points import no Node built-ins', () => {
  test('every relative import resolves to a source file', () => {
    expect(graph.unresolved).toStrictEqual([]);
  });

  test('the walk reaches the core, the emulator and the conformance kit', () => {
    expect(reached).toEqual(
      expect.arrayContaining([
        'src/index.ts',
        'src/applyPatch.ts',
        'src/emulator/createEmulator.ts',
        'src/emulator/tokens.ts',
        'src/conformance/cases.ts',
      ]),
    );
  });

  test('no file reached imports node:* or a Node built-in', () => {
    const found = graph.nodeBuiltins.map(({ from, specifier }) => `${relative(root, from)} imports ${specifier}`);
    expect(found).toStrictEqual([]);
  });

  test('no file of the Node adapter or the CLI is reached', () => {
    expect(reached.filter((file) => file.startsWith('src/node/') || file.startsWith('src/cli/'))).toStrictEqual([]);
  });

  test('every package imported is a runtime dependency (never a devDependency)', () => {
    const manifest: unknown = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const dependencies =
      typeof manifest === 'object' && manifest !== null && 'dependencies' in manifest ? manifest.dependencies : {};
    const allowed = Object.keys(typeof dependencies === 'object' && dependencies !== null ? dependencies : {});
    const imported = [...new Set(graph.packages.map(({ specifier }) => packageName(specifier)))].sort();
    expect(imported.filter((name) => !allowed.includes(name))).toStrictEqual([]);
  });

  test('src/node and src/cli are the only folders that import Node built-ins at all', () => {
    // Not a rule, a cross-check of the walk: the files that do import Node are where they should be.
    const importers = sourceFiles(join(root, 'src'))
      .filter(
        (file) => walkImports([file], (path) => (path === file ? readFromDisk(path) : undefined)).nodeBuiltins.length,
      )
      .map((file) => relative(root, file).split('/').slice(0, 2).join('/'));
    expect([...new Set(importers)].every((folder) => folder === 'src/node' || folder === 'src/cli')).toBe(true);
    expect(importers.length).toBeGreaterThan(0);
  });
});

describe('the import walk itself (on files in memory)', () => {
  const files: Record<string, string> = {
    '/p/src/index.ts':
      "export * from './a.js';\nimport { b } from './b/index.js';\nimport type { J } from 'type-fest';",
    '/p/src/a.ts': "import { readFile } from 'node:fs/promises';\nexport const a = 1;",
    '/p/src/b/index.ts': "export { c } from '../c.js';\nconst fs = require('fs');\nexport const b = 2;",
    '/p/src/c.ts': "export const c = async () => import('crypto');\nimport { x } from './missing.js';",
    '/p/src/d.ts': '/// <reference types="node" />\nexport const d = 4;',
  };
  const read: ReadSource = (path) => files[path];

  test('finds built-ins imported statically, by require(), by import() and through re-exports', () => {
    const found = walkImports(['/p/src/index.ts'], read);
    expect(found.nodeBuiltins).toStrictEqual([
      { from: '/p/src/a.ts', specifier: 'node:fs/promises' },
      { from: '/p/src/b/index.ts', specifier: 'fs' },
      { from: '/p/src/c.ts', specifier: 'crypto' },
    ]);
    expect(found.files).toStrictEqual(['/p/src/index.ts', '/p/src/a.ts', '/p/src/b/index.ts', '/p/src/c.ts']);
    expect(found.packages).toStrictEqual([{ from: '/p/src/index.ts', specifier: 'type-fest' }]);
    expect(found.unresolved).toStrictEqual([{ from: '/p/src/c.ts', specifier: './missing.js' }]);
  });

  test('finds a reference to the node types', () => {
    expect(walkImports(['/p/src/d.ts'], read).nodeBuiltins).toStrictEqual([
      { from: '/p/src/d.ts', specifier: 'reference types="node"' },
    ]);
  });

  test('tells built-ins from packages', () => {
    expect(
      ['node:test', 'fs', 'fs/promises', 'worker_threads', 'jose', 'type-fest', '@scope/fs', 'fsevents'].map(
        isNodeBuiltin,
      ),
    ).toStrictEqual([true, true, true, true, false, false, false, false]);
    expect(['jose/jwt', '@scope/name/sub', 'type-fest'].map(packageName)).toStrictEqual([
      'jose',
      '@scope/name',
      'type-fest',
    ]);
  });
});

/**
 * The layers of src/, bottom first. A file may import files of its own layer or of a lower one,
 * never of a higher one:
 *
 * - vocabulary: the JSON and user types, the issues and results every layer speaks;
 * - internal: mechanics only (JSON walks, copies, sizes, MD5, freezing), no Auth0 policy;
 * - rules: Auth0's behaviour as data (frozen tables), citing the spec;
 * - core: the functions that apply the rules (src/*.ts, src/checks/), the library's entry;
 * - conformance, inspector: built on the core; the inspector (the dev server's web page) below the
 *   emulator, so it cannot import the store: it reaches the server over HTTP only;
 * - emulator: built on the core (the emulator transports, the core decides);
 * - testing: test-suite helpers on the emulator (web-safe);
 * - node: the Node HTTP adapter of the emulator; cli: the command line, on top of everything.
 */
const VOCABULARY: ReadonlySet<string> = new Set(['src/types.ts', 'src/issues.ts']);
const LAYERS: readonly (readonly [string, (file: string) => boolean])[] = [
  ['vocabulary', (file) => VOCABULARY.has(file)],
  ['internal', (file) => file.startsWith('src/internal/')],
  ['rules', (file) => file.startsWith('src/rules/')],
  ['core', (file) => (/^src\/[^/]+\.ts$/.test(file) && !VOCABULARY.has(file)) || file.startsWith('src/checks/')],
  ['conformance', (file) => file.startsWith('src/conformance/')],
  ['inspector', (file) => file.startsWith('src/inspector/')],
  ['emulator', (file) => file.startsWith('src/emulator/')],
  ['testing', (file) => file.startsWith('src/testing/')],
  ['node', (file) => file.startsWith('src/node/')],
  ['cli', (file) => file.startsWith('src/cli/')],
];

function layerOf(file: string): number {
  return LAYERS.findIndex(([, holds]) => holds(file));
}

/** The imports of `edges` that go to a higher layer, as `from (layer) -> to (layer)`. */
function upward(edges: readonly { readonly from: string; readonly to: string }[]): string[] {
  return edges
    .filter(({ from, to }) => layerOf(to) > layerOf(from))
    .map(({ from, to }) => `${from} (${LAYERS[layerOf(from)]?.[0]}) -> ${to} (${LAYERS[layerOf(to)]?.[0]})`);
}

describe('the layers of src/', () => {
  const files = sourceFiles(join(root, 'src'));
  const edges = importEdges(files, readFromDisk).map(({ from, to }) => ({
    from: relative(root, from),
    to: relative(root, to),
  }));

  test('every source file belongs to exactly one layer', () => {
    const unplaced = files
      .map((file) => relative(root, file))
      .filter((file) => LAYERS.filter(([, holds]) => holds(file)).length !== 1);
    expect(unplaced).toStrictEqual([]);
    expect(edges.length).toBeGreaterThan(100);
  });

  test('no file imports a file of a higher layer (internal/ never imports upward)', () => {
    expect(upward(edges)).toStrictEqual([]);
  });

  test('the layer check names every upward import', () => {
    expect(
      upward([
        { from: 'src/internal/json.ts', to: 'src/applyPatch.ts' },
        { from: 'src/rules/metadata.ts', to: 'src/internal/freeze.ts' },
        { from: 'src/applyPatch.ts', to: 'src/emulator/store.ts' },
        { from: 'src/issues.ts', to: 'src/internal/object.ts' },
      ]),
    ).toStrictEqual([
      'src/internal/json.ts (internal) -> src/applyPatch.ts (core)',
      'src/applyPatch.ts (core) -> src/emulator/store.ts (emulator)',
      'src/issues.ts (vocabulary) -> src/internal/object.ts (internal)',
    ]);
  });

  test('no two files import each other, directly or through others', () => {
    expect(findCycle(edges)).toBeUndefined();
    expect(
      findCycle([
        { from: 'a', to: 'b' },
        { from: 'b', to: 'a' },
      ]),
    ).toStrictEqual(['a', 'b', 'a']);
  });
});
