/** Runs the CLI in process, over files held in memory: one helper for every CLI test. */
import { readFile } from 'node:fs/promises';
import { type CliIo, runCli } from '../../src/cli/main.js';

/** What one CLI run gave: its exit code and what it printed (lines joined with `\n`). */
export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** `auth0-metadata ...argv`, reading only `files` (a missing one fails as the disk would, ENOENT). */
export async function runCliOn(argv: readonly string[], files: Readonly<Record<string, string>>): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (line) => out.push(line),
    stderr: (line) => err.push(line),
    readFile: async (path) => {
      const content = files[path];
      if (content === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
      return content;
    },
    stop: new AbortController().signal,
    version: '0.0.0',
  };
  const code = await runCli(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** An in-process CLI session: its io, what it printed, and a stop (the Ctrl+C of a real terminal). */
export interface CliSession {
  readonly io: CliIo;
  readonly out: string[];
  readonly err: string[];
  /** Resolves once `serve` has printed its banner. */
  readonly ready: Promise<void>;
  readonly stop: () => void;
}

/** A session reading `files` from memory first, then from the disk, and reporting `version`. */
export function cliSession(files: Readonly<Record<string, string>> = {}, version = '0.0.0'): CliSession {
  const out: string[] = [];
  const err: string[] = [];
  const controller = new AbortController();
  let announce: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    announce = resolve;
  });
  const io: CliIo = {
    stdout: (line) => {
      out.push(line);
      if (line === 'Press Ctrl+C to stop.') announce();
    },
    stderr: (line) => {
      err.push(line);
    },
    readFile: async (path) => files[path] ?? readFile(path, 'utf8'),
    stop: controller.signal,
    version,
  };
  return { io, out, err, ready, stop: () => controller.abort() };
}

/** The URL a `serve` banner says it listens on. */
export function listeningUrl(lines: readonly string[]): string | undefined {
  return /listening on (https?:\/\/127\.0\.0\.1:\d+)/.exec(lines.join('\n'))?.[1];
}

/** A running in-process `serve`: what it printed, its URL, its exit code once stopped, and the stop. */
export interface ServeRun {
  readonly out: string[];
  readonly err: string[];
  readonly url: string;
  readonly exit: Promise<number>;
  readonly stop: () => void;
}

/** `auth0-metadata ...argv` in process, resolved once the banner is printed (or the command ended). */
export async function serveInProcess(
  argv: readonly string[],
  files: Readonly<Record<string, string>> = {},
): Promise<ServeRun> {
  const { io, out, err, ready, stop } = cliSession(files);
  const exit = runCli(argv, io);
  await Promise.race([ready, exit]);
  return { out, err, url: listeningUrl(out) ?? '', exit, stop };
}

/** A client-credentials token for the emulator's Management API, from a server at `url`. */
export async function clientToken(url: string, secret: string): Promise<string> {
  const response = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'auth0-metadata-emulator',
      client_secret: secret,
      audience: `${url}/api/v2/`,
    }),
  });
  const body: unknown = await response.json();
  if (typeof body !== 'object' || body === null || !('access_token' in body)) throw new Error('no token');
  return String(body.access_token);
}
