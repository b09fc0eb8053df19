/**
 * For checks that must run in another Node process (one that may crash it, or needs V8 flags): the
 * library bundled from the sources into a temporary directory as `library.mjs`, beside a child
 * script `child.mjs` that imports it from `./library.mjs`.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const LIBRARY = fileURLToPath(new URL('../src/index.ts', import.meta.url));

/** How a child process ended, and what it printed (stderr cut to its first 500 characters). */
export interface ChildOutcome {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ChildLibrary {
  /**
   * Runs `node [...nodeOptions] child.mjs [...args]`; after `timeoutMs` (default: none) the child is
   * killed with SIGKILL, which its outcome shows as `signal`.
   */
  readonly run: (
    args?: readonly string[],
    nodeOptions?: readonly string[],
    timeoutMs?: number,
  ) => Promise<ChildOutcome>;
  /** Deletes the temporary directory. */
  readonly remove: () => Promise<void>;
}

/** Bundles the library and writes `child` beside it. */
export async function prepareChildLibrary(child: string, name: string): Promise<ChildLibrary> {
  const directory = await mkdtemp(join(tmpdir(), `auth0-metadata-${name}-`));
  await build({
    entryPoints: [LIBRARY],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    outfile: join(directory, 'library.mjs'),
    logLevel: 'silent',
  });
  await writeFile(join(directory, 'child.mjs'), child);
  return {
    run: (args = [], nodeOptions = [], timeoutMs) =>
      new Promise((resolve, reject) => {
        const spawned = spawn(process.execPath, [...nodeOptions, join(directory, 'child.mjs'), ...args], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        const timer = timeoutMs === undefined ? undefined : setTimeout(() => spawned.kill('SIGKILL'), timeoutMs);
        let stdout = '';
        let stderr = '';
        spawned.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          stdout += chunk;
        });
        spawned.stderr.setEncoding('utf8').on('data', (chunk: string) => {
          stderr += chunk.slice(0, 2000);
        });
        spawned.on('error', reject);
        spawned.on('close', (code, signal) => {
          clearTimeout(timer);
          resolve({ code, signal, stdout, stderr: stderr.slice(0, 500) });
        });
      }),
    remove: () => rm(directory, { recursive: true, force: true }),
  };
}
