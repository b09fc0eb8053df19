/**
 * The CLI in a real child process: bundled from the sources once per test file (no build needed),
 * started with `serve`, optionally under `ulimit`, and killed with a real signal.
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const BIN = fileURLToPath(new URL('../../src/cli/bin.ts', import.meta.url));

/** Bundles the CLI into `folder/cli.mjs` and answers that path. */
export async function bundleCli(folder: string): Promise<string> {
  const cli = join(folder, 'cli.mjs');
  await build({
    entryPoints: [BIN],
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile: cli,
    logLevel: 'silent',
    // The CommonJS dependencies bundled in need a require.
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
  return cli;
}

/** A running child `serve`. */
export interface ChildServer {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  readonly url: string;
  readonly pid: number;
  /** Everything it printed so far, stdout and stderr. */
  readonly output: () => string;
}

/** What a child that ended printed, and its exit code. */
export interface ChildExit {
  readonly code: number | null;
  readonly output: string;
}

function spawnCli(
  cli: string,
  args: readonly string[],
  limits: string,
  env: NodeJS.ProcessEnv,
): ChildProcessByStdio<null, Readable, Readable> {
  const command = limits === '' ? [process.execPath, cli, ...args] : ['sh', '-c', `${limits} && exec "$0" "$@"`];
  const [file = process.execPath, ...rest] = command;
  return spawn(file, limits === '' ? rest : [...rest, process.execPath, cli, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
}

/**
 * Starts `node cli.mjs ...args` (under `limits`, shell `ulimit` commands, when given); resolves once
 * the banner is printed, rejects with what it printed if it ends first.
 */
export function startCli(
  cli: string,
  args: readonly string[],
  options: { readonly limits?: string; readonly env?: NodeJS.ProcessEnv } = {},
): Promise<ChildServer> {
  const child = spawnCli(cli, args, options.limits ?? '', options.env ?? process.env);
  let output = '';
  return new Promise((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const url = /listening on (https?:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (url !== undefined && output.includes('Press Ctrl+C to stop.')) {
        resolve({ child, url, pid: child.pid ?? 0, output: () => output });
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
  });
}

/** Runs `node cli.mjs ...args` to its end. */
export function runCliChild(cli: string, args: readonly string[]): Promise<ChildExit> {
  const child = spawnCli(cli, args, '', process.env);
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Sends `signal` and resolves once the process is gone (and reaped). */
export function killChild(server: ChildServer, signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      resolve(server.child.exitCode);
      return;
    }
    server.child.once('close', (code) => resolve(code));
    server.child.kill(signal);
  });
}
