import { chmod } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { whenReady } from '../emulator/http.js';
import {
  createEmulator,
  DEFAULT_DOMAIN,
  type Emulator,
  type EmulatorRequest,
  type EmulatorResponse,
  isEmulatorSeedError,
} from '../emulator/index.js';
import { exactHostname, isLoopbackInterface } from '../emulator/loopback.js';
import { offerRespond, type Respond, respondOf } from '../emulator/respond.js';
import { type RunningServer, serve } from '../node/index.js';
import { readSeedUser, type SeedEntry } from '../readSeedUser.js';
import { SEED_FORM_NAMES, type SeedForm } from '../rules/seeds.js';
import type { User } from '../types.js';
import { APPLY_OPTIONS, DIFF_OPTIONS, EXPLAIN_OPTIONS, GLOBAL_OPTIONS, SERVE_OPTIONS, usageError } from './args.js';
import { certificateFolder, type LocalCertificate, localCertificate } from './certificate.js';
import type { TenantIdentity } from './data-file.js';
import { type AroundRoute, durableRoute, durableRoutes, readWriteQueue } from './durable.js';
import { EXEC_HELP, runExec, type ServeReady } from './exec.js';
import { inspectorPage } from './inspector.js';
import type { CliIo } from './io.js';
import { createDataSaver, loadDataFile } from './journal.js';
import { type DataLock, lockDataFile } from './lock.js';
import { issueLine, messageOf } from './messages.js';
import { runSearch } from './search.js';
import { parseSeed } from './seed.js';
import { escapingIo } from './terminal.js';
import { runApply, runDiff, runExplain } from './tools.js';

export type { CliIo } from './io.js';

/** The port `serve` binds when none is given. */
export const DEFAULT_PORT = 4000;

const USAGE = `Usage: auth0-metadata serve [options]
       auth0-metadata apply --user <user.json> --patch <patch.json>
       auth0-metadata diff <before.json> <after.json>
       auth0-metadata explain --user <user.json> --patch <patch.json>
       auth0-metadata search --users <users.json> --q <query> (see search --help)
       auth0-metadata exec [serve options] -- <command> [args...]
       auth0-metadata --help | --version

serve    Serves an in-memory Auth0 tenant: the Management API users endpoints,
         /dbconnections/signup and /oauth/token, with Auth0's metadata semantics and errors.
apply    Prints the user a PATCH /api/v2/users/{id} body gives, or Auth0's error (exit 1).
diff     Prints the smallest PATCH body that turns one user into the other.
explain  Says what a PATCH will do, and which nested data it will silently drop.
search   Prints what GET /api/v2/users?q=... answers for a file of users, or Auth0's error (exit 1).
exec     Serves, runs a command with AUTH0_DOMAIN, AUTH0_CLIENT_ID, ... set, stops, exits with its status.
Files may be - for standard input. 'auth0-metadata <command> --help' shows the options of one.
`;

const SERVE_HELP = `Usage: auth0-metadata serve [options]

Serves an in-memory Auth0 tenant: the Management API users endpoints, /dbconnections/signup
and /oauth/token, with Auth0's metadata semantics and errors.

Options:
  --port <n>              Port to listen on; 0 picks a free one (default: ${DEFAULT_PORT})
  --host <address>        Interface to bind (default: 127.0.0.1, this machine only)
  --data <users.json>     Keep the users in this file: loaded at start (in place of --seed
                          when it exists); every change is saved before it is acknowledged
                          (a line appended to <users.json>.journal and fsynced, the file
                          rewritten whole now and then: never a torn file); a change that
                          cannot be saved is a 500 and undone. The file (mode 0600)
                          also keeps the signing key, client id and secret and password hashes,
                          so tokens, secret and passwords survive a restart; <users.json>.lock
                          lets one serve at a time use it
  --seed <users.json>     Users to start with: a JSON array, {"users": [...]}, or NDJSON (one
                          per line, as a user export writes them) of POST /api/v2/users bodies,
                          stored users (GET /api/v2/users/{id}, export lines: kept as they are)
                          or bulk-import users
  --client-id <id>        The client allowed to get tokens (default: auth0-metadata-emulator)
  --client-secret <s>     Its secret (default: the data file's, or random; printed at start)
  --domain <name>         Tenant domain in tokens (default: ${DEFAULT_DOMAIN})
  --allowed-host <name>   Also answer requests whose Host is this name (repeatable; .example.test
                          allows the names under it); loopback names, the bound address and the
                          tenant domain always are, any other Host is refused 403. A name spelled
                          out (not a pattern) also opens the control API and the inspector there
  --allowed-origin <url>  Let web pages of this origin call the server, with CORS (repeatable;
                          Auth0's "Allowed Web Origins"); other origins are refused 403
  --rate-limit            Apply Auth0's documented rate limits (free tier; change the tier with
                          PUT /__emulator/rate-limit): X-RateLimit-* headers, a 429 over them
  --search-lag <ms>       Created and changed users reach GET /api/v2/users?q= only this long
                          after the change, as in Auth0 (get by id and by email stay at once)
  --https                 Serve https with a certificate for localhost, 127.0.0.1, ::1, --host
                          and the hosts --allowed-host spells out, kept in a private folder (<users.json>.https/ with --data, else
                          $XDG_CACHE_HOME/auth0-metadata) and reused; prints the
                          NODE_EXTRA_CA_CERTS line that trusts it
  -h, --help              Show this help

The control API (reset, the request journal, the clock, faults, rate limits, the search index)
answers under /__emulator/ for loopback Host names: see docs/control-api.md.`;

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
  exec: EXEC_HELP,
};

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
      return `port ${port} on ${host} is already in use; choose another with --port, or --port 0 for a free one${
        process.env.npm_lifecycle_event === 'start' ? ` (npm start -- --port ${port < 65_436 ? port + 100 : 0})` : ''
      }`;
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
  controlHosts: readonly string[] = [],
): string[] {
  // The tenant audience works through every origin; the local one through every loopback alias.
  const url = reachableUrl(server);
  const tokenBody = JSON.stringify({
    grant_type: 'client_credentials',
    client_id: emulator.clientId,
    client_secret: emulator.clientSecret,
    audience: emulator.audience,
  });
  const curl = certificateFile === undefined ? 'curl -s' : `curl -s --cacert ${shellQuote(certificateFile)}`;
  const tokenCurl = `${curl} ${url}/oauth/token -H 'content-type: application/json' -d ${shellQuote(tokenBody)}`;
  const lines = [
    `Auth0 emulator listening on ${server.url}`,
    '',
    `  Client ID      ${emulator.clientId}`,
    `  Client secret  ${emulator.clientSecret}`,
    `  Audience       ${emulator.audience}  (or ${url}/api/v2/)`,
    `  Tenant domain  ${emulator.domain}`,
    ...inspectorLines(server, url, controlHosts),
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
      `  ${curl} -X PATCH ${url}/api/v2/users/${encodeURIComponent(first.user.user_id)} -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d ${shellQuote(patch)}`,
      '',
    );
  }
  lines.push('Press Ctrl+C to stop.');
  return lines;
}

/**
 * Where the inspector page (and the control API) can be opened: through a loopback name when the
 * server listens on loopback, and through each host `--allowed-host` spells out. Bound to one
 * other address that no such host names, it has no URL, and the banner says how to give it one.
 */
function inspectorLines(server: RunningServer, url: string, controlHosts: readonly string[]): string[] {
  const { protocol } = new URL(server.url);
  const named = controlHosts.map((host) => `${protocol}//${host}:${server.port}/__emulator/`);
  const local = isLoopbackInterface(server.host) || server.host === '0.0.0.0' || server.host === '::';
  const urls = local ? [`${url}/__emulator/`, ...named] : named;
  const [first, ...others] = urls;
  if (first === undefined) {
    const host = server.host.includes(':') ? `[${server.host}]` : server.host;
    return [
      `  Inspector      none on ${host}: the inspector and the control API answer loopback names only;`,
      `                 serve --allowed-host ${host} opens them there, to everyone who reaches that address`,
    ];
  }
  const lines = [`  Inspector      ${first}  (a web page: users, metadata edits, journal, controls)`];
  for (const other of others) lines.push(`                 ${other}`);
  if (named.length > 0) {
    lines.push(
      `                 (through ${controlHosts.join(', ')}: named by --allowed-host; whoever reaches it can reset, import users and get tokens)`,
    );
  }
  return lines;
}

/**
 * The URL a client on this machine reaches the server by: its own, or a loopback one when it is
 * bound to every interface (`0.0.0.0`, `::`), whose address is no Host a client can send.
 */
function reachableUrl(server: RunningServer): string {
  if (server.host !== '0.0.0.0' && server.host !== '::') return server.url;
  const { protocol } = new URL(server.url);
  return `${protocol}//${server.host === '::' ? '[::1]' : '127.0.0.1'}:${server.port}`;
}

/** How the Node SDKs reach this server: they always speak https to their `domain`. */
function sdkLines(server: RunningServer, emulator: Emulator, certificateFile: string | undefined): string[] {
  const credentials = `clientId: '${emulator.clientId}', clientSecret: '${emulator.clientSecret}'`;
  if (certificateFile !== undefined) {
    return [
      'The Node SDK (auth0@7, @4 or @3): start the app trusting the certificate, with this server as the domain:',
      `  NODE_EXTRA_CA_CERTS=${certificateFile} node app.js`,
      `  new ManagementClient({ domain: '${new URL(reachableUrl(server)).host}', ${credentials} })`,
    ];
  }
  return [
    'The Node SDK (auth0@7 or @4) speaks https only: keep the tenant domain and send its requests here:',
    `  const toServer = (input, init) => { const request = new Request(input, init); const url = new URL(request.url);`,
    `    return fetch(new Request(\`${reachableUrl(server)}\${url.pathname}\${url.search}\`, request)); };`,
    `  new ManagementClient({ domain: '${emulator.domain}', ${credentials}, fetch: toServer })`,
    '  (auth0@3 takes no fetch: serve --https, and use its domain and NODE_EXTRA_CA_CERTS line)',
  ];
}

/** A parsed option: a string, a flag, or the strings of a repeatable option (`--allowed-host`). */
type OptionValue = string | boolean | readonly string[];

type Values = { readonly [Key in keyof typeof SERVE_OPTIONS]?: OptionValue };

/** The strings of a repeatable option. */
function listValue(value: OptionValue | undefined): readonly string[] {
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
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

/** What `serve` starts from: the users, and with `--data` what the data file keeps. */
interface Start {
  readonly users: readonly SeedEntry[];
  /** The identity the data file holds; `undefined` without `--data`, or when it holds none yet. */
  readonly identity: TenantIdentity | undefined;
  /** Whether a data file was there to load. */
  readonly loaded: boolean;
  /** The generation of the data file's journal. */
  readonly generation: number;
  /** Whether the data file holds an identity and no journal follows it: it need not be rewritten at start. */
  readonly clean: boolean;
  readonly dataBytes: number;
}

async function readStart(
  dataFile: string | undefined,
  seedFile: string | undefined,
  io: CliIo,
): Promise<Start | string> {
  let stored: Awaited<ReturnType<typeof loadDataFile>>;
  try {
    stored = dataFile === undefined ? undefined : await loadDataFile(dataFile);
  } catch (error) {
    return `cannot read data file ${dataFile}: ${messageOf(error)}`;
  }
  if (typeof stored === 'string') return stored;
  if (stored !== undefined) {
    const clean = stored.content.identity !== undefined && stored.journalBytes === 0;
    return { ...stored.content, loaded: true, clean, dataBytes: stored.dataBytes };
  }
  const seeded = seedFile === undefined ? { users: [] } : await readSeed(seedFile, io);
  return typeof seeded === 'string'
    ? seeded
    : { users: seeded.users, identity: undefined, loaded: false, generation: 0, clean: false, dataBytes: 0 };
}

async function runServe(values: Values, io: CliIo, ready?: (server: ServeReady) => void): Promise<number> {
  const text = (value: OptionValue | undefined): string | undefined => (typeof value === 'string' ? value : undefined);
  const port = parsePort(text(values.port));
  if (port === undefined) {
    io.stderr('error: --port must be an integer from 0 to 65535');
    return 2;
  }
  const host = text(values.host) ?? '127.0.0.1';
  const dataFile = text(values.data);
  let lock: DataLock | undefined;
  if (dataFile !== undefined) {
    // Before the file is read: one process at a time reads and writes it.
    const locked = await lockDataFile(dataFile, host, port);
    if (typeof locked === 'string') {
      io.stderr(`error: ${locked}`);
      return 1;
    }
    lock = locked.lock;
  }
  try {
    return await serveFrom(values, io, { port, host, dataFile, lock }, ready);
  } finally {
    await lock?.release();
  }
}

async function serveFrom(
  values: Values,
  io: CliIo,
  where: {
    readonly port: number;
    readonly host: string;
    readonly dataFile: string | undefined;
    readonly lock: DataLock | undefined;
  },
  ready?: (server: ServeReady) => void,
): Promise<number> {
  const text = (value: OptionValue | undefined): string | undefined => (typeof value === 'string' ? value : undefined);
  const { port, host, dataFile, lock } = where;
  const seedFile = text(values.seed);
  const start = await readStart(dataFile, seedFile, io);
  if (typeof start === 'string') {
    io.stderr(`error: ${start}`);
    return 1;
  }
  const kept = start.identity;
  const clientId = text(values['client-id']) ?? kept?.clientId;
  const clientSecret = text(values['client-secret']) ?? kept?.clientSecret;
  const domain = text(values.domain);
  const searchLag = text(values['search-lag']);
  const searchLagMs = searchLag === undefined ? 0 : /^\d{1,7}$/.test(searchLag) ? Number(searchLag) : Number.NaN;
  if (Number.isNaN(searchLagMs) || searchLagMs > 3_600_000) {
    io.stderr('error: --search-lag must be a number of milliseconds from 0 to 3600000');
    return 2;
  }
  // The names --allowed-host spells out also reach the control API and the inspector (never a pattern).
  const controlHosts = listValue(values['allowed-host']).flatMap((entry) => exactHostname(entry) ?? []);
  // With a data file, the route of each request runs in the read/write queue of its saves (set
  // below, once the saver exists): a delay or a 429 an injected fault answers stays out of it.
  let aroundRoute: AroundRoute | undefined;
  let emulator: Emulator;
  try {
    emulator = createEmulator({
      ...(dataFile === undefined
        ? {}
        : { aroundRoute: (request, run) => (aroundRoute === undefined ? run() : aroundRoute(request, run)) }),
      users: start.users,
      controlHosts,
      ...(clientId === undefined ? {} : { clientId }),
      ...(clientSecret === undefined ? {} : { clientSecret }),
      ...(domain === undefined ? {} : { domain }),
      ...(kept === undefined ? {} : { identity: kept }),
      rateLimit: values['rate-limit'] === true,
      searchLagMs,
      onWarning: (warning) => io.stderr(`warning: ${warning.message}`),
      onError: (error) => io.stderr(`error while handling a request: ${messageOf(error)}`),
    });
    // The signing key is read now: one that cannot be used stops the start, not the first request.
    await emulator.exportIdentity();
  } catch (error) {
    const file = start.loaded ? `data file ${dataFile}` : `seed file ${seedFile}`;
    const reason = isEmulatorSeedError(error)
      ? `${file}, user ${error.index + 1}: ${error.issues.map(issueLine).join('; ')}`
      : start.loaded
        ? `${file}: ${messageOf(error)}`
        : messageOf(error);
    io.stderr(`error: ${reason}`);
    return 1;
  }
  const running = emulator;
  // The client the data file keeps is the one it was created with; --client-id and
  // --client-secret win for this run without changing it.
  const identity = {
    clientId: kept?.clientId ?? running.clientId,
    clientSecret: kept?.clientSecret ?? running.clientSecret,
  };
  const saver = dataFile === undefined ? undefined : createDataSaver(dataFile, running, identity, start);
  if (saver !== undefined && dataFile !== undefined) {
    // Rewritten whole at start when a journal follows it (its lines go into it) or it has no
    // identity yet (a new file, or one of the first format); else only made private again.
    try {
      if (saver.pending()) await saver.compact();
      else await chmod(dataFile, 0o600);
    } catch (error) {
      io.stderr(`error: cannot write data file ${dataFile}: ${messageOf(error)}`);
      return 1;
    }
  }
  const writes = readWriteQueue();
  const onSaveError = (error: unknown): void =>
    io.stderr(`error: cannot write data file ${dataFile}: ${messageOf(error)}; the change was undone`);
  if (saver !== undefined) aroundRoute = durableRoute(() => running, saver.save, onSaveError, writes);
  // Without a data file, the emulator's own pipeline: answered in the turn that read the request
  // when nothing is pending. With one, every write waits for its save.
  const pipeline: Respond =
    saver === undefined ? respondOf(running) : durableRoutes(running, saver.save, onSaveError, writes);
  /** The request's log line (gathered per turn of the event loop: see lineBuffer), then the answer. */
  const logged = (request: EmulatorRequest, answer: EmulatorResponse): EmulatorResponse => {
    io.stdout(`${request.method} ${pathAndQuery(request.url)} ${answer.status}`);
    return answer;
  };
  const pageHosts: ReadonlySet<string> = new Set(controlHosts);
  const respond: Respond = (request) => {
    const page = inspectorPage(request, pageHosts);
    if (page !== undefined) return page;
    return whenReady(pipeline(request), (answer) => logged(request, answer));
  };
  const handler = offerRespond({ handle: async (request: EmulatorRequest) => respond(request) }, respond);
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    io.stderr(`warning: listening on ${host}: other machines may reach this emulator and its tokens`);
  }
  let certificate: LocalCertificate | undefined;
  try {
    certificate =
      values.https === true
        ? await localCertificate(host, certificateFolder(dataFile, process.env), controlHosts)
        : undefined;
  } catch (error) {
    io.stderr(`error: cannot use the https certificate: ${messageOf(error)}`);
    return 1;
  }
  let server: RunningServer;
  try {
    server = await serve(handler, {
      port,
      host,
      allowedHosts: [emulator.domain, ...listValue(values['allowed-host'])],
      allowedOrigins: listValue(values['allowed-origin']),
      ...(certificate === undefined ? {} : { tls: { key: certificate.key, cert: certificate.cert } }),
    });
  } catch (error) {
    io.stderr(`error: ${listenError(error, host, port)}`);
    return 1;
  }
  await lock?.listening(Number(new URL(server.url).port)).catch(() => undefined);
  const seeded = emulator.snapshot().flatMap((user, index) => {
    const entry = readSeedUser(start.users[index]);
    return entry.success ? [{ user, form: entry.value.form, password: entry.value.password }] : [];
  });
  const seed = seedFile === undefined || start.loaded ? undefined : { file: seedFile, users: seeded };
  if (dataFile !== undefined) {
    const loaded = start.loaded ? `${emulator.snapshot().length} users loaded` : 'created';
    io.stdout(`Data file ${dataFile} (${loaded}): every change is saved; restart with the same --data to keep it`);
    io.stdout(
      `  It also keeps the signing key, client id and secret and password hashes (mode 0600): tokens, secret and passwords survive a restart${
        start.loaded && kept === undefined ? ' (added to this file now)' : ''
      }`,
    );
    if (lock !== undefined) io.stdout(`  Locked by this process while it runs: ${lock.file}`);
  }
  if (certificate !== undefined) {
    io.stdout(
      `Certificate ${certificate.file} (${certificate.created ? 'made now' : 'kept from an earlier start'}; key beside it, folder mode 0700)`,
    );
  }
  for (const line of startupBanner(server, emulator, seed, certificate?.file, controlHosts)) io.stdout(line);
  ready?.({
    url: server.url,
    clientId: emulator.clientId,
    clientSecret: emulator.clientSecret,
    certificateFile: certificate?.file,
  });
  if (!io.stop.aborted) {
    await new Promise<void>((resolve) => io.stop.addEventListener('abort', () => resolve(), { once: true }));
  }
  await server.close();
  if (saver?.pending() === true) {
    // At rest the data file alone holds everything (the journal is emptied into it).
    await writes.write(saver.compact).catch((error: unknown) => {
      io.stderr(
        `warning: the journal of ${dataFile} stays beside it (${messageOf(error)}); it is replayed at the next start`,
      );
    });
  }
  io.stdout('Stopped.');
  return 0;
}

/** One command's arguments parsed by its own options, or `undefined` once the usage error is printed. */
function parseCommand<
  Options extends Readonly<Record<string, { readonly type: 'string' | 'boolean'; readonly short?: string }>>,
>(
  command: string,
  args: readonly string[],
  options: Options,
  io: CliIo,
):
  | {
      readonly values: { readonly [Key in keyof Options]?: OptionValue };
      readonly positionals: readonly string[];
    }
  | undefined {
  try {
    const { values, positionals } = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
    const read: { [Key in keyof Options]?: OptionValue } = {};
    for (const name of Object.keys(options)) {
      const value: unknown = Object.getOwnPropertyDescriptor(values, name)?.value;
      const list = Array.isArray(value)
        ? value.filter((entry): entry is string => typeof entry === 'string')
        : undefined;
      if (typeof value === 'string' || typeof value === 'boolean') Object.assign(read, { [name]: value });
      else if (list !== undefined) Object.assign(read, { [name]: list });
    }
    return { values: read, positionals };
  } catch (error) {
    io.stderr(`error: ${usageError(error, Object.keys(options))}`);
    io.stderr(`Run 'auth0-metadata ${command === '' ? '' : `${command} `}--help' for usage.`);
    return undefined;
  }
}

/**
 * Runs the `auth0-metadata` command line: `serve`, `apply`, `diff`, `explain`, `search`, `--help`, `--version`.
 * Each command reads only its own options (`apply --port 1` is refused), and every line printed
 * has its control characters escaped: user data is shown, never obeyed by the terminal.
 *
 * @param argv - The arguments after the program name.
 * @param io - Output, file reading, the stop signal and the version.
 * @returns The exit code: 0 on success, 1 when the server cannot start or a PATCH fails, 2 for bad usage.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const safe = escapingIo(io);
  const [command = '', ...rest] = argv;
  switch (command) {
    case 'search':
      return runSearch(rest, safe);
    case 'serve': {
      const parsed = parseCommand(command, rest, SERVE_OPTIONS, safe);
      if (parsed === undefined) return 2;
      if (parsed.values.help === true) return help(command, safe);
      if (parsed.positionals.length > 0) return unexpected(command, parsed.positionals, safe);
      return runServe(parsed.values, safe);
    }
    case 'exec':
      return runExec(rest, safe, async (args, io, ready) => {
        const parsed = parseCommand('exec', args, SERVE_OPTIONS, io);
        if (parsed === undefined) return 2;
        if (parsed.positionals.length > 0) return unexpected('exec', parsed.positionals, io);
        return runServe(parsed.values, io, ready);
      });
    case 'apply':
    case 'explain': {
      const parsed = parseCommand(command, rest, command === 'apply' ? APPLY_OPTIONS : EXPLAIN_OPTIONS, safe);
      if (parsed === undefined) return 2;
      if (parsed.values.help === true) return help(command, safe);
      if (parsed.positionals.length > 0) return unexpected(command, parsed.positionals, safe);
      const { user, patch } = parsed.values;
      if (typeof user !== 'string' || typeof patch !== 'string') {
        safe.stderr(`error: ${command} needs --user <user.json> and --patch <patch.json>`);
        return 2;
      }
      const json = Object.getOwnPropertyDescriptor(parsed.values, 'json')?.value === true;
      return command === 'apply' ? runApply(user, patch, safe) : runExplain(user, patch, safe, json);
    }
    case 'diff': {
      const parsed = parseCommand(command, rest, DIFF_OPTIONS, safe);
      if (parsed === undefined) return 2;
      if (parsed.values.help === true) return help(command, safe);
      const [before, after, ...extra] = parsed.positionals;
      if (before === undefined || after === undefined || extra.length > 0) {
        safe.stderr('error: diff needs two files: <before.json> <after.json>');
        return 2;
      }
      return runDiff(before, after, safe);
    }
    default:
      return runGlobal(argv, safe);
  }
}

function help(command: string, io: CliIo): number {
  io.stdout(COMMAND_HELP[command] ?? USAGE);
  return 0;
}

function unexpected(command: string, positionals: readonly string[], io: CliIo): number {
  io.stderr(`error: ${command} takes no argument '${positionals.join(' ')}'`);
  io.stderr(`Run 'auth0-metadata ${command} --help' for usage.`);
  return 2;
}

/** No command first: `--help`, `--version`, or a usage error. */
function runGlobal(argv: readonly string[], io: CliIo): number {
  const parsed = parseCommand('', argv, GLOBAL_OPTIONS, io);
  if (parsed === undefined) return 2;
  const [named] = parsed.positionals;
  if (parsed.values.help === true) return help(named ?? '', io);
  if (parsed.values.version === true) {
    io.stdout(io.version);
    return 0;
  }
  io.stderr(
    named === undefined ? 'error: missing command' : `error: unknown command '${parsed.positionals.join(' ')}'`,
  );
  io.stderr(USAGE);
  return 2;
}
