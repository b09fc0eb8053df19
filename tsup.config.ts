import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

/** The package version, written into the build for `GET /__emulator/health`. */
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const define = { __AUTH0_METADATA_VERSION__: JSON.stringify(version) };

export default defineConfig([
  {
    // The library: the core, the emulator (`auth0-metadata/emulator`), the Node adapter (`auth0-metadata/node`)
    // and the conformance kit (`auth0-metadata/conformance`).
    entry: {
      index: 'src/index.ts',
      emulator: 'src/emulator/index.ts',
      node: 'src/node/index.ts',
      conformance: 'src/conformance/index.ts',
      testing: 'src/testing/index.ts',
    },
    format: ['esm', 'cjs'],
    define,
    // One copy of the core in each format: the CommonJS entries share their chunks as the ESM ones
    // do, so `auth0-metadata/emulator` and `auth0-metadata` required together hold one core.
    splitting: true,
    dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
    sourcemap: true,
    // Both builds run at once: this clean must spare what the CLI build writes.
    clean: ['!cli.js', '!cli.js.map'],
    target: 'es2022',
    treeshake: true,
  },
  {
    // The `auth0-metadata` command: ESM only, run by Node, never imported.
    entry: { cli: 'src/cli/bin.ts' },
    format: ['esm'],
    define,
    sourcemap: true,
    clean: false,
    target: 'node20',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
