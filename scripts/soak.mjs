#!/usr/bin/env node
// The loopback soak of test/hardening/soak.test.ts, run for about a minute instead of 20 seconds:
//
//   npm run soak                  60 seconds
//   SOAK_SECONDS=300 npm run soak five minutes
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const vitest = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
const seconds = process.env.SOAK_SECONDS || '60';

const run = spawnSync(process.execPath, [vitest, 'run', 'test/hardening/soak.test.ts', '--silent=false'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, SOAK_SECONDS: seconds },
});
process.exitCode = run.status ?? 1;
