/**
 * `auth0-metadata/testing`: the emulator in a test suite, for vitest, jest or any runner with
 * `beforeEach`: an emulator per file or per test, reset between tests, cheap password hashes, the
 * SDK's options, request assertions, and a `fetch` routed to the emulator for clients that bind
 * `globalThis.fetch` when they are built (auth0@4 at module scope).
 */
import { createEmulator, type Emulator, type EmulatorOptions } from '../emulator/createEmulator.js';
import type { JournalEntry, RequestFilter } from '../emulator/requests.js';

/** PBKDF2 iterations per password in tests: one, so 50 seeded users cost nothing before the first token. */
export const TEST_PASSWORD_HASH_ITERATIONS = 1;

/** The hooks of a test runner: vitest's and jest's `beforeEach` both fit. */
export interface TestHooks {
  readonly beforeEach: (run: () => Promise<void>) => unknown;
}

/** A typed failure of these helpers: the message starts with the helper's name. */
function throwHelperError(helper: string, message: string): never {
  throw new TypeError(`${helper}: ${message}`);
}

/** Reads one field of a caller's value; anything unreadable is the helper's TypeError. */
function read(helper: string, value: unknown, name: string): unknown {
  try {
    return typeof value === 'object' && value !== null ? Reflect.get(value, name) : undefined;
  } catch {
    return throwHelperError(helper, `${name} cannot be read`);
  }
}

/** The `beforeEach` of the hooks, checked. */
function beforeEachOf(helper: string, hooks: TestHooks): TestHooks['beforeEach'] {
  const beforeEach = read(helper, hooks, 'beforeEach');
  if (typeof beforeEach !== 'function') {
    throwHelperError(helper, 'hooks must be an object with a beforeEach function (vitest and jest both have one)');
  }
  return (run) => Reflect.apply(beforeEach, hooks, [run]);
}

/** An emulator for tests: cheap password hashes unless told otherwise. */
function testEmulator(helper: string, options: EmulatorOptions): Emulator {
  if (typeof options !== 'object' || options === null) throwHelperError(helper, 'options must be an object');
  try {
    return createEmulator({ passwordHashIterations: TEST_PASSWORD_HASH_ITERATIONS, ...options });
  } catch (error) {
    return throwHelperError(helper, error instanceof Error ? error.message : 'the emulator options are invalid');
  }
}

/**
 * One emulator for a whole test file, reset before each test (`emulator.control.reset()`: back to
 * the seeded users, no faults, an empty journal, the clock on real time).
 *
 * @param hooks - The runner's hooks: `{ beforeEach }` from vitest or jest.
 * @param options - `createEmulator` options; passwords are hashed with one iteration by default.
 * @returns The emulator.
 * @example
 * const hooks = { beforeEach: (run: () => Promise<void>) => void run() };
 * const emulator = emulatorPerFile(hooks, { users: [{ connection: 'db', email: 'a@example.com', password: 'Pw1!xxxxxx' }] });
 * emulator.snapshot().length;
 * // => 1
 */
export function emulatorPerFile(hooks: TestHooks, options: EmulatorOptions = {}): Emulator {
  const beforeEach = beforeEachOf('emulatorPerFile', hooks);
  const emulator = testEmulator('emulatorPerFile', options);
  beforeEach(async () => {
    await emulator.control.reset();
  });
  return emulator;
}

/**
 * A new emulator for every test: call the returned function inside a test to get that test's.
 *
 * @param hooks - The runner's hooks: `{ beforeEach }` from vitest or jest.
 * @param options - `createEmulator` options; passwords are hashed with one iteration by default.
 * @returns A function giving the current test's emulator.
 * @example
 * let run: () => Promise<void> = async () => undefined;
 * const current = emulatorPerTest({ beforeEach: (next: () => Promise<void>) => { run = next; } });
 * await run();
 * const first = current();
 * await run();
 * current() === first;
 * // => false
 */
export function emulatorPerTest(hooks: TestHooks, options: EmulatorOptions = {}): () => Emulator {
  const beforeEach = beforeEachOf('emulatorPerTest', hooks);
  if (typeof options !== 'object' || options === null) throwHelperError('emulatorPerTest', 'options must be an object');
  let current: Emulator | undefined;
  beforeEach(async () => {
    current = testEmulator('emulatorPerTest', options);
  });
  return () =>
    current ?? throwHelperError('emulatorPerTest', 'no emulator yet: call it inside a test, after beforeEach ran');
}

/** The options of an auth0 SDK `ManagementClient` (v7, or v4) that sends every request to the emulator. */
export interface ManagementClientOptions {
  readonly domain: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly fetch: Emulator['fetch'];
}

/**
 * What `new ManagementClient(...)` of auth0@7 (or auth0@4) needs to talk to the emulator: its
 * domain and client, and its `fetch`. No port, no network.
 *
 * @param emulator - The emulator.
 * @returns `{ domain, clientId, clientSecret, fetch }`.
 * @example
 * const emulator = createEmulator({ clientSecret: 's' });
 * const { domain, clientId, clientSecret } = managementClientOptions(emulator);
 * [domain, clientId, clientSecret];
 * // => ['tenant.auth0.test', 'auth0-metadata-emulator', 's']
 */
export function managementClientOptions(emulator: Emulator): ManagementClientOptions {
  const helper = 'managementClientOptions';
  const fetch = read(helper, emulator, 'fetch');
  const domain = read(helper, emulator, 'domain');
  const clientId = read(helper, emulator, 'clientId');
  const clientSecret = read(helper, emulator, 'clientSecret');
  if (
    typeof fetch !== 'function' ||
    typeof domain !== 'string' ||
    typeof clientId !== 'string' ||
    typeof clientSecret !== 'string'
  ) {
    throwHelperError(helper, 'expected an emulator from createEmulator');
  }
  return { domain, clientId, clientSecret, fetch: (input, init) => Reflect.apply(fetch, emulator, [input, init]) };
}

/** What {@link expectRequest} looks for: the journal filter, and parts of the body. */
export interface ExpectedRequest extends RequestFilter {
  /** Parts the body must hold: objects match when every key given matches, anything else when equal. */
  readonly body?: unknown;
}

/** Whether `actual` holds everything `expected` gives (objects by their keys, arrays whole, values by `Object.is`). */
function contains(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((item, index) => contains(actual[index], item))
    );
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return false;
    return Object.keys(expected).every(
      (key) => Object.hasOwn(actual, key) && contains(Reflect.get(actual, key), Reflect.get(expected, key)),
    );
  }
  return Object.is(actual, expected);
}

/** The journal of an emulator, or the helper's TypeError. */
function journalOf(helper: string, emulator: Emulator): Emulator['control']['requests'] {
  const control = read(helper, emulator, 'control');
  const requests = read(helper, control, 'requests');
  if (typeof read(helper, requests, 'list') !== 'function')
    throwHelperError(helper, 'expected an emulator from createEmulator');
  return emulator.control.requests;
}

/** One line per journal entry, for a failure message. */
function describeEntries(entries: readonly JournalEntry[]): string {
  if (entries.length === 0) return ' none';
  return entries
    .slice(-20)
    .map(
      (entry) =>
        `\n  ${entry.method} ${entry.path} ${entry.status}${entry.body === undefined ? '' : ` ${JSON.stringify(entry.body)}`}`,
    )
    .join('');
}

/**
 * Asserts that the emulator received a matching request (method, path or route template, status,
 * and parts of the body; passwords read as `********`), and returns its journal entry.
 *
 * @param emulator - The emulator.
 * @param expected - The request: `{ method: 'PATCH', path: '/api/v2/users/{id}', body: { app_metadata: { plan: 'pro' } } }`.
 * @returns The first matching entry.
 * @throws TypeError `expectRequest: ...` listing what was received, when none matches.
 * @example
 * const emulator = createEmulator();
 * const token = await emulator.issueToken();
 * await emulator.fetch(`${emulator.baseUrl}/api/v2/users`, { headers: { authorization: `Bearer ${token}` } });
 * expectRequest(emulator, { method: 'GET', path: '/api/v2/users', status: 200 }).subject;
 * // => 'auth0-metadata-emulator@clients'
 */
export function expectRequest(emulator: Emulator, expected: ExpectedRequest): JournalEntry {
  const helper = 'expectRequest';
  const journal = journalOf(helper, emulator);
  if (typeof expected !== 'object' || expected === null) throwHelperError(helper, 'expected a request to look for');
  const body = read(helper, expected, 'body');
  let entries: readonly JournalEntry[];
  const filter: RequestFilter = {};
  try {
    for (const name of ['method', 'path', 'status', 'since'] as const) {
      const value = Reflect.get(expected, name);
      if (value !== undefined) Object.assign(filter, { [name]: value });
    }
    entries = journal.list(filter);
  } catch (error) {
    return throwHelperError(helper, error instanceof Error ? error.message : 'the request filter cannot be read');
  }
  const found = entries.find((entry) => body === undefined || contains(entry.body, body));
  if (found !== undefined) return found;
  const wanted = `${filter.method ?? 'any method'} ${filter.path ?? 'any path'}${filter.status === undefined ? '' : ` ${filter.status}`}${body === undefined ? '' : ` with a body holding ${JSON.stringify(body)}`}`;
  return throwHelperError(
    helper,
    `no request matched ${wanted}; the emulator received:${describeEntries(journal.list())}`,
  );
}

/**
 * Waits for a matching request (already received, or arriving within `timeoutMs`) and returns its
 * journal entry; a TypeError `waitForRequest: ...` when none arrives in time.
 *
 * @param emulator - The emulator.
 * @param filter - Method, path or route template, status, since.
 * @param timeoutMs - How long to wait; default 5000.
 * @returns The entry.
 * @example
 * const emulator = createEmulator();
 * const waiting = waitForRequest(emulator, { path: '/api/v2/users' }, 1000);
 * await emulator.fetch(`${emulator.baseUrl}/api/v2/users`);
 * (await waiting).status;
 * // => 401
 */
export async function waitForRequest(
  emulator: Emulator,
  filter: RequestFilter,
  timeoutMs = 5000,
): Promise<JournalEntry> {
  const helper = 'waitForRequest';
  const journal = journalOf(helper, emulator);
  let entry: JournalEntry | undefined;
  try {
    entry = await journal.wait(filter, { timeoutMs });
  } catch (error) {
    return throwHelperError(helper, error instanceof Error ? error.message : 'the filter cannot be read');
  }
  return entry ?? throwHelperError(helper, `no matching request arrived within ${timeoutMs} ms`);
}

/**
 * Replaces `globalThis.fetch` with one that sends requests for the emulator's domain to the
 * emulator, and every other request to the fetch it replaced. For a client that binds
 * `globalThis.fetch` when it is built (auth0@4's `ManagementClient`, built when its module is
 * imported): install this before that import, in a setup file; `emulator` is read at each request,
 * so it may name the current test's.
 *
 * @param emulator - The emulator, or a function giving the current one.
 * @returns A function that puts the replaced fetch back.
 * @example
 * const emulator = createEmulator();
 * const restore = routeFetchToEmulator(emulator);
 * const status = (await fetch(`https://${emulator.domain}/api/v2/users`)).status;
 * restore();
 * status;
 * // => 401
 */
export function routeFetchToEmulator(emulator: Emulator | (() => Emulator)): () => void {
  const helper = 'routeFetchToEmulator';
  if (typeof emulator !== 'function' && (typeof emulator !== 'object' || emulator === null)) {
    throwHelperError(helper, 'expected an emulator, or a function giving one');
  }
  const current = (): Emulator => (typeof emulator === 'function' ? emulator() : emulator);
  const original = globalThis.fetch;
  const routed = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const target = current();
    return new URL(request.url).host === target.domain ? target.fetch(request) : original(request);
  };
  globalThis.fetch = routed;
  return () => {
    if (globalThis.fetch === routed) globalThis.fetch = original;
  };
}
