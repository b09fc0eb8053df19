import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { CliIo } from './io.js';
import { messageOf } from './messages.js';

/** What a started server tells `exec`: where it is and the client its command uses. */
export interface ServeReady {
  /** `http://127.0.0.1:<port>` (or `https://` with `--https`). */
  readonly url: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The certificate file to trust with `--https`. */
  readonly certificateFile: string | undefined;
}

/** Runs `serve` with these arguments, calling `ready` once it listens; resolves with serve's exit code once stopped. */
export type ServeRunner = (args: readonly string[], io: CliIo, ready: (server: ServeReady) => void) => Promise<number>;

export const EXEC_HELP = `Usage: auth0-metadata exec [serve options] -- <command> [args...]

Starts the emulator (as serve does, on a free port unless --port is given), runs the command
with the variables below set, stops the emulator, and exits with the command's status.

  AUTH0_DOMAIN          host:port of the server (the SDKs speak https: use --https)
  AUTH0_BASE_URL        the server's URL (http://127.0.0.1:<port>, or https://)
  AUTH0_CLIENT_ID       the client allowed to get tokens
  AUTH0_CLIENT_SECRET   its secret
  AUTH0_AUDIENCE        the Management API audience (<url>/api/v2/)
  NODE_EXTRA_CA_CERTS   with --https: the certificate to trust

The server's own lines (banner, request log) are not printed; its errors are.
Options: those of 'auth0-metadata serve --help'.`;

/** The environment of the command: the server's URL, domain, client and audience. */
export function execEnvironment(server: ServeReady): Record<string, string> {
  const url = new URL(server.url);
  return {
    AUTH0_DOMAIN: url.host,
    AUTH0_BASE_URL: url.origin,
    AUTH0_CLIENT_ID: server.clientId,
    AUTH0_CLIENT_SECRET: server.clientSecret,
    AUTH0_AUDIENCE: `${url.origin}/api/v2/`,
    ...(server.certificateFile === undefined ? {} : { NODE_EXTRA_CA_CERTS: server.certificateFile }),
  };
}

/** Runs the command to its end; its exit status (128 + the signal number when a signal ended it, as shells say). */
function runCommand(command: string, args: readonly string[], env: Record<string, string>, io: CliIo): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, [...args], { stdio: 'inherit', env: { ...process.env, ...env } });
    const stop = (): void => {
      child.kill('SIGTERM');
    };
    io.stop.addEventListener('abort', stop, { once: true });
    child.once('error', (error) => {
      io.stop.removeEventListener('abort', stop);
      io.stderr(`error: cannot run ${command}: ${messageOf(error)}`);
      resolve(127);
    });
    child.once('exit', (code, signal) => {
      io.stop.removeEventListener('abort', stop);
      resolve(code ?? signalStatus(signal));
    });
  });
}

/** The status a shell gives a command a signal ended: 128 + the signal's number. */
function signalStatus(signal: NodeJS.Signals | null): number {
  return Object.entries(constants.signals)
    .filter(([name]) => name === signal)
    .reduce((status, [, number]) => status + number, 128);
}

/**
 * `auth0-metadata exec [serve options] -- <command> [args...]`: serves, runs the command against
 * the server, stops it, and answers the command's exit status (2 for bad usage, serve's own code
 * when the server cannot start).
 */
export async function runExec(args: readonly string[], io: CliIo, serveWith: ServeRunner): Promise<number> {
  const split = args.indexOf('--');
  const [command, ...commandArgs] = split === -1 ? [] : args.slice(split + 1);
  const serveArgs = split === -1 ? args : args.slice(0, split);
  if (serveArgs.includes('-h') || serveArgs.includes('--help')) {
    io.stdout(EXEC_HELP);
    return 0;
  }
  if (command === undefined || command === '') {
    io.stderr('error: exec needs a command after --, as in: auth0-metadata exec --seed users.json -- npm test');
    io.stderr("Run 'auth0-metadata exec --help' for usage.");
    return 2;
  }
  const withPort = serveArgs.some((arg) => arg === '--port' || arg.startsWith('--port='))
    ? serveArgs
    : ['--port', '0', ...serveArgs];
  const stop = new AbortController();
  let ready: (server: ServeReady) => void = () => undefined;
  const listening = new Promise<ServeReady>((resolve) => {
    ready = resolve;
  });
  const serving = serveWith(withPort, { ...io, stdout: () => undefined, stop: stop.signal }, (server) => ready(server));
  const first = await Promise.race([serving.then((code) => ({ code })), listening.then((server) => ({ server }))]);
  if ('code' in first) return first.code === 0 ? 1 : first.code;
  try {
    return await runCommand(command, commandArgs, execEnvironment(first.server), io);
  } finally {
    stop.abort();
    await serving;
  }
}
