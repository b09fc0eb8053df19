import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = import.meta.dirname;

/** The built files the environment suites load. */
const REQUIRED = [
  'index.js',
  'index.cjs',
  'index.d.ts',
  'index.d.cts',
  'emulator.js',
  'conformance.js',
  'cli.js',
  'inspector/index.html',
].map((file) => join(root, 'dist', file));

function newestSourceTime(folder: string): number {
  return Math.max(
    0,
    ...readdirSync(folder, { withFileTypes: true }).map((entry) => {
      const path = join(folder, entry.name);
      return entry.isDirectory() ? newestSourceTime(path) : statSync(path).mtimeMs;
    }),
  );
}

/** Builds `dist/` when a file is missing or older than the newest file of `src/`. */
export default function buildDist(): void {
  const missing = REQUIRED.filter((file) => !existsSync(file));
  const stale =
    missing.length === 0 &&
    Math.min(...REQUIRED.map((file) => statSync(file).mtimeMs)) < newestSourceTime(join(root, 'src'));
  if (missing.length === 0 && !stale) return;
  console.log(`dist/ is ${missing.length > 0 ? 'missing' : 'older than src/'}: running npm run build first`);
  try {
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  } catch (error) {
    throw new Error('npm run build failed: the consumer, browser and edge suites need a built dist/', { cause: error });
  }
}
