import { parseArgs } from 'node:util';
import { INTERNAL_ERROR } from '../emulator/http.js';
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
import { type LocalCertificate, localCertificate } from './certificate.js';
import type { CliIo } from './io.js';
import { messageOf, usageError } from './messages.js';
import { createSaver, readDataFile } from './persist.js';
import { runSearch } from './search.js';
import { parseSeed } from './seed.js';
import { runApply, runDiff, runExplain } from './tools.js';

export type { CliIo } from './io.js';

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
Files may be - for standard input. 'auth0-metadata <command> --help' shows the options of one.
`;

const SERVE_HELP = `Usage: auth0-metadata serve [options]

Serves an in-memory Auth0 tenant: the Management API users endpoints, /dbconnections/signup
and /oauth/token, with Auth0's metadata semantics and errors.

Options:
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
  --https                 Serve https with a certificate generated at start for localhost,
                          127.0.0.1 and ::1; prints the NODE_EXTRA_CA_CERTS line that trusts it
  -h, --help              Show this help`;

const APPLY_HELP = `Usage: auth0-metadata apply --user <user.json> --patch <patch.json>

Prints the user that PATCH /api/v2/users/{id} with this body gives, or Auth0's error body
(exit 1). The user is a stored user, as GET /api/v2/users/{id} returns it.

Options:
  --user <user.json>      The stored user (- for standard input)
  --patch <patch.json>    The PATCH body (- for standard input)
  -h, --help              Show this help`;

const DIFF_HELP = `Usage: auth0-metadata diff <before.json> <after.json>

Prints the smallest PATCH /api/v2/users/{id} body that turns the first user into the second,
nothing when they differ in nothing a PATCH sets, and the reasons (exit 1) when no PATCH can.

Options:
  -h, --help              Show this help`;

const EXPLAIN_HELP = `Usage: auth0-metadata explain --user <user.json> --patch <patch.json> [--json]

Says what a PATCH /api/v2/users/{id} body will do to the user, and which nested data it will
silently drop; Auth0's error body (exit 1) for a body Auth0 refuses.

Options:
  --user <user.json>      The stored user (- for standard input)
  --patch <patch.json>    The PATCH body (- for standard input)
  --json                  Print {"effects": [...], "dropped": [...]} as JSON, each effect with
                          its kind, path, values and description
  -h, --help              Show this help`;

/** The help of each command, for `auth0-metadata <command> --help`. */
const COMMAND_HELP: Readonly<Record<string, string>> = {
  serve: SERVE_HELP,
  apply: APPLY_HELP,
  diff: DIFF_HELP,
  explain: EXPLAIN_HELP,
};

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  seed: { type: 'string' },
  data: { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  domain: { type: 'string' },
  https: { type: 'boolean' },
  json: { type: 'boolean' },
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
  certificateFile?: string,
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
  lines.push(...sdkLines(server, emulator, certificateFile), '');
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

/** How the Node SDKs reach this server: they always speak https to their `domain`. */
function sdkLines(server: RunningServer, emulator: Emulator, certificateFile: string | undefined): string[] {
  const credentials = `clientId: '${emulator.clientId}', clientSecret: '${emulator.clientSecret}'`;
  if (certificateFile !== undefined) {
    return [
      'The Node SDK (auth0@7, @4 or @3): start the app trusting the certificate, with this server as the domain:',
      `  NODE_EXTRA_CA_CERTS=${certificateFile} node app.js`,
      `  new ManagementClient({ domain: '${new URL(server.url).host}', ${credentials} })`,
    ];
  }
  return [
    'The Node SDK (auth0@7 or @4) speaks https only: keep the tenant domain and send its requests here:',
    `  const toServer = (input, init) => { const request = new Request(input, init); const url = new URL(request.url);`,
    `    return fetch(new Request(\`${server.url}\${url.pathname}\${url.search}\`, request)); };`,
    `  new ManagementClient({ domain: '${emulator.domain}', ${credentials}, fetch: toServer })`,
    '  (auth0@3 takes no fetch: serve --https, and use its domain and NODE_EXTRA_CA_CERTS line)',
  ];
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

/** The path and query of an absolute URL as the Node adapter writes it (`http://host/path?q`), without parsing it again. */
function pathAndQuery(url: string): string {
  const path = url.indexOf('/', url.indexOf('//') + 2);
  return path === -1 ? '/' : url.slice(path);
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
      let answer = await emulator.handle(request);
      if (save !== undefined && changesUsers(request.method, new URL(request.url), answer.status)) {
        try {
          // Acknowledged only once on disk: the answer waits for the save that holds the change.
          await save();
        } catch (error) {
          io.stderr(`error: cannot write data file ${dataFile}: ${messageOf(error)}`);
          answer = INTERNAL_ERROR;
        }
      }
      io.stdout(`${request.method} ${pathAndQuery(request.url)} ${answer.status}`);
      return answer;
    },
  };
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    io.stderr(`warning: listening on ${host}: other machines may reach this emulator and its tokens`);
  }
  let certificate: LocalCertificate | undefined;
  try {
    certificate = values.https === true ? await localCertificate(host) : undefined;
  } catch (error) {
    io.stderr(`error: cannot create the https certificate: ${messageOf(error)}`);
    return 1;
  }
  let server: RunningServer;
  try {
    server = await serve(handler, {
      port,
      host,
      ...(certificate === undefined ? {} : { tls: { key: certificate.key, cert: certificate.cert } }),
    });
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
  for (const line of startupBanner(server, emulator, seed, certificate?.file)) io.stdout(line);
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
    const [named] = argv;
    const command = named !== undefined && Object.hasOwn(COMMAND_HELP, named) ? `${named} ` : '';
    io.stderr(`error: ${usageError(error)}`);
    io.stderr(`Run 'auth0-metadata ${command}--help' for usage.`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    const [named] = positionals;
    io.stdout(named !== undefined && Object.hasOwn(COMMAND_HELP, named) ? (COMMAND_HELP[named] ?? USAGE) : USAGE);
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
    return command === 'apply' ? runApply(user, patch, io) : runExplain(user, patch, io, values.json === true);
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
