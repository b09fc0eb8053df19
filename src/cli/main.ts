import { parseArgs } from 'node:util';
import { apiError, errorResponse } from '../emulator/errors.js';
import {
  createEmulator,
  DEFAULT_DOMAIN,
  type Emulator,
  type EmulatorRequest,
  type EmulatorResponse,
  EmulatorSeedError,
} from '../emulator/index.js';
import { type RunningServer, serve } from '../node/index.js';
import { readSeedUser, SEED_FORM_NAMES, type SeedEntry, type SeedForm } from '../seedUser.js';
import type { User } from '../types.js';
import { messageOf } from './messages.js';
import { createSaver, readDataFile } from './persist.js';
import { runSearch } from './search.js';
import { parseSeed } from './seed.js';
import { runApply, runDiff, runExplain } from './tools.js';

/** What the CLI may touch of the outside world; the bin passes the real process, tests fakes. */
export interface CliIo {
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  readonly readFile: (path: string) => Promise<string>;
  /** Aborted to stop a running `serve` (the bin aborts on SIGINT and SIGTERM). */
  readonly stop: AbortSignal;
  /** The package version, for `--version`. */
  readonly version: string;
}

/** The port `serve` binds when none is given. */
export const DEFAULT_PORT = 4000;

const USAGE = `Usage: auth0-metadata serve [options]
       auth0-metadata apply --user <user.json> --patch <patch.json>
       auth0-metadata diff <before.json> <after.json>
       auth0-metadata explain --user <user.json> --patch <patch.json>
       auth0-metadata search --users <users.json> --q <query> (see search --help)
       auth0-metadata --help | --version

serve    Serves an in-memory Auth0 tenant: the Management API users endpoints,
         /dbconnections/signup and /oauth/token, with Auth0's metadata semantics and errors.
apply    Prints the user a PATCH /api/v2/users/{id} body gives, or Auth0's error (exit 1).
diff     Prints the smallest PATCH body that turns one user into the other.
explain  Says what a PATCH will do, and which nested data it will silently drop.
search   Prints what GET /api/v2/users?q=... answers for a file of users, or Auth0's error (exit 1).
Files may be - for standard input.

Options of serve:
  --port <n>              Port to listen on; 0 picks a free one (default: ${DEFAULT_PORT})
  --host <address>        Interface to bind (default: 127.0.0.1, this machine only)
  --data <users.json>     Keep the users in this file: loaded at start (in place of --seed
                          when it exists), rewritten after every change before it is
                          acknowledged (temporary file, fsync, rename: never a torn file)
  --seed <users.json>     Users to start with: a JSON array, {"users": [...]}, or NDJSON (one
                          per line, as a user export writes them) of POST /api/v2/users bodies,
                          stored users (GET /api/v2/users/{id}, export lines: kept as they are)
                          or bulk-import users
  --client-id <id>        The client allowed to get tokens (default: auth0-metadata-emulator)
  --client-secret <s>     Its secret (default: random, printed at start)
  --domain <name>         Tenant domain in tokens (default: ${DEFAULT_DOMAIN})
  -h, --help              Show this help
  -v, --version           Show the version`;

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  seed: { type: 'string' },
  data: { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  domain: { type: 'string' },
  user: { type: 'string' },
  patch: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** Quotes a value for a POSIX shell. */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

/** One line saying why the server could not listen. */
export function listenError(error: unknown, host: string, port: number): string {
  switch (errorCode(error)) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is already in use; choose another with --port, or --port 0 for a free one`;
    case 'EACCES':
      return `not allowed to listen on port ${port} of ${host}; use a port above 1023`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return `cannot listen on host ${host}: no such local address`;
    default:
      return `cannot listen on ${host}:${port}: ${messageOf(error)}`;
  }
}

/** The `--port` value: an integer from 0 to 65535, {@link DEFAULT_PORT} when absent, `undefined` when bad. */
export function parsePort(raw: string | undefined): number | undefined {
  if (raw === undefined) return DEFAULT_PORT;
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : Number.NaN;
  return port <= 65_535 ? port : undefined;
}

/** A seeded user, the form its seed was read as, and the password it was seeded with, for the banner. */
export interface SeededUser {
  readonly user: User;
  readonly form: SeedForm;
  readonly password: string | undefined;
}

/** The lines printed once the server listens: where it is, how to get a token, a PATCH to paste. */
export function startupBanner(
  server: RunningServer,
  emulator: Emulator,
  seed: { readonly file: string; readonly users: readonly SeededUser[] } | undefined,
): string[] {
  const audience = `${server.url}/api/v2/`;
  const tokenBody = JSON.stringify({
    grant_type: 'client_credentials',
    client_id: emulator.clientId,
    client_secret: emulator.clientSecret,
    audience,
  });
  const tokenCurl = `curl -s ${server.url}/oauth/token -H 'content-type: application/json' -d ${shellQuote(tokenBody)}`;
  const lines = [
    `Auth0 emulator listening on ${server.url}`,
    '',
    `  Client ID      ${emulator.clientId}`,
    `  Client secret  ${emulator.clientSecret}`,
    `  Audience       ${audience}  (or ${emulator.audience})`,
    `  Tenant domain  ${emulator.domain}`,
    '',
  ];
  if (seed !== undefined) {
    lines.push(`Users from ${seed.file}:`);
    for (const { user, form, password } of seed.users) {
      const login = password === undefined ? 'no password' : `password: ${password}`;
      lines.push(`  ${user.email ?? '(no email)'}  ${user.user_id}  ${login}  (read as ${SEED_FORM_NAMES[form]})`);
    }
    lines.push('');
  }
  lines.push('Get a Management API token:', `  ${tokenCurl}`, '');
  const [first] = seed?.users ?? [];
  if (first !== undefined) {
    const patch = JSON.stringify({ user_metadata: { addresses: { home: '123 Main Street, Springfield' } } });
    const extract = `sed -E 's/.*"access_token":"([^"]+)".*/\\1/'`;
    lines.push(
      `PATCH the metadata of ${first.user.email} (paste both lines):`,
      `  TOKEN=$(${tokenCurl} | ${extract})`,
      `  curl -s -X PATCH ${server.url}/api/v2/users/${encodeURIComponent(first.user.user_id)} -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d ${shellQuote(patch)}`,
      '',
    );
  }
  lines.push('Press Ctrl+C to stop.');
  return lines;
}

type Values = { readonly [Key in keyof typeof OPTIONS]?: string | boolean };

/** The users of a data file written by `serve --data`, or a one-line reason it cannot be read. */
function dataUsers(content: string, file: string): { readonly users: readonly SeedEntry[] } | string {
  const parsed = parseSeed(content, file, 'data file');
  return parsed.ok ? { users: parsed.users } : parsed.message;
}

/** Whether a successful answer to this request changed the users (and so must be saved). */
function changesUsers(method: string, url: URL, status: number): boolean {
  return status < 300 && method !== 'GET' && method !== 'HEAD' && url.pathname !== '/oauth/token';
}

/** Reads and validates the seed file; a one-line error otherwise. */
async function readSeed(file: string, io: CliIo): Promise<{ readonly users: readonly SeedEntry[] } | string> {
  let content: string;
  try {
    content = await io.readFile(file);
  } catch (error) {
    return `cannot read seed file ${file}: ${messageOf(error)}`;
  }
  const parsed = parseSeed(content, file);
  return parsed.ok ? { users: parsed.users } : parsed.message;
}

async function runServe(values: Values, io: CliIo): Promise<number> {
  const text = (value: string | boolean | undefined): string | undefined =>
    typeof value === 'string' ? value : undefined;
  const port = parsePort(text(values.port));
  if (port === undefined) {
    io.stderr('error: --port must be an integer from 0 to 65535');
    return 2;
  }
  const host = text(values.host) ?? '127.0.0.1';
  const seedFile = text(values.seed);
  const dataFile = text(values.data);
  let stored: string | undefined;
  try {
    stored = dataFile === undefined ? undefined : await readDataFile(dataFile);
  } catch (error) {
    io.stderr(`error: cannot read data file ${dataFile}: ${messageOf(error)}`);
    return 1;
  }
  const read =
    dataFile !== undefined && stored !== undefined
      ? dataUsers(stored, dataFile)
      : seedFile === undefined
        ? { users: [] }
        : await readSeed(seedFile, io);
  if (typeof read === 'string') {
    io.stderr(`error: ${read}`);
    return 1;
  }
  const clientId = text(values['client-id']);
  const clientSecret = text(values['client-secret']);
  const domain = text(values.domain);
  let emulator: Emulator;
  try {
    emulator = createEmulator({
      users: read.users,
      ...(clientId === undefined ? {} : { clientId }),
      ...(clientSecret === undefined ? {} : { clientSecret }),
      ...(domain === undefined ? {} : { domain }),
      onWarning: (warning) => io.stderr(`warning: ${warning.message}`),
      onError: (error) => io.stderr(`error while handling a request: ${messageOf(error)}`),
    });
  } catch (error) {
    const reason =
      error instanceof EmulatorSeedError
        ? `${stored === undefined ? 'seed' : 'data'} file ${stored === undefined ? seedFile : dataFile}, user ${error.index + 1}: ${error.issues.map((issue) => issue.message).join('; ')}`
        : messageOf(error);
    io.stderr(`error: ${reason}`);
    return 1;
  }
  const running = emulator;
  const save =
    dataFile === undefined
      ? undefined
      : createSaver(dataFile, () => `${JSON.stringify(running.snapshot(), null, 2)}\n`);
  if (save !== undefined && stored === undefined) {
    try {
      await save();
    } catch (error) {
      io.stderr(`error: cannot write data file ${dataFile}: ${messageOf(error)}`);
      return 1;
    }
  }
  const handler = {
    handle: async (request: EmulatorRequest): Promise<EmulatorResponse> => {
      const url = new URL(request.url);
      let answer = await emulator.handle(request);
      if (save !== undefined && changesUsers(request.method, url, answer.status)) {
        try {
          // Acknowledged only once on disk: the answer waits for the save that holds the change.
          await save();
        } catch (error) {
          io.stderr(`error: cannot write data file ${dataFile}: ${messageOf(error)}`);
          answer = errorResponse(apiError('management', 500, 'internal_error', 'Internal Server Error'));
        }
      }
      io.stdout(`${request.method} ${url.pathname}${url.search} ${answer.status}`);
      return answer;
    },
  };
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    io.stderr(`warning: listening on ${host}: other machines may reach this emulator and its tokens`);
  }
  let server: RunningServer;
  try {
    server = await serve(handler, { port, host });
  } catch (error) {
    io.stderr(`error: ${listenError(error, host, port)}`);
    return 1;
  }
  const seeded = emulator.snapshot().flatMap((user, index) => {
    const entry = readSeedUser(read.users[index]);
    return entry.success ? [{ user, form: entry.value.form, password: entry.value.password }] : [];
  });
  const seed = seedFile === undefined ? undefined : { file: seedFile, users: seeded };
  if (dataFile !== undefined) {
    const loaded = stored === undefined ? 'created' : `${emulator.snapshot().length} users loaded`;
    io.stdout(`Data file ${dataFile} (${loaded}): every change is saved; restart with the same --data to keep it`);
  }
  for (const line of startupBanner(server, emulator, seed)) io.stdout(line);
  if (!io.stop.aborted) {
    await new Promise<void>((resolve) => io.stop.addEventListener('abort', () => resolve(), { once: true }));
  }
  await server.close();
  io.stdout('Stopped.');
  return 0;
}

/**
 * Runs the `auth0-metadata` command line: `serve`, `apply`, `diff`, `explain`, `search`, `--help`, `--version`.
 *
 * @param argv - The arguments after the program name.
 * @param io - Output, file reading, the stop signal and the version.
 * @returns The exit code: 0 on success, 1 when the server cannot start or a PATCH fails, 2 for bad usage.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  // `search` has options of its own, parsed by its own command.
  if (argv[0] === 'search') return runSearch(argv.slice(1), io);
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; args: string[] }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr(`error: ${messageOf(error)}`);
    io.stderr("Run 'auth0-metadata --help' for usage.");
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    io.stdout(USAGE);
    return 0;
  }
  if (values.version === true) {
    io.stdout(io.version);
    return 0;
  }
  const [command, ...rest] = positionals;
  const { user, patch } = values;
  if ((command === 'apply' || command === 'explain') && rest.length === 0) {
    if (user === undefined || patch === undefined) {
      io.stderr(`error: ${command} needs --user <user.json> and --patch <patch.json>`);
      return 2;
    }
    return command === 'apply' ? runApply(user, patch, io) : runExplain(user, patch, io);
  }
  if (command === 'diff') {
    const [before, after, ...extra] = rest;
    if (before === undefined || after === undefined || extra.length > 0) {
      io.stderr('error: diff needs two files: <before.json> <after.json>');
      return 2;
    }
    return runDiff(before, after, io);
  }
  if (command !== 'serve' || rest.length > 0) {
    io.stderr(command === undefined ? 'error: missing command' : `error: unknown command '${positionals.join(' ')}'`);
    io.stderr(USAGE);
    return 2;
  }
  return runServe(values, io);
}
