import { analyzePatch, type PatchEffect } from '../analyzePatch.js';
import { describeThrown } from '../internal/describeThrown.js';
import { duplicateIssue } from '../issueConstructors.js';
import type { Issues, Result, Warning } from '../issues.js';
import { readSeedUser, type SeedEntry } from '../readSeedUser.js';
import { DEFAULT_RATE_LIMIT_TIER, RATE_LIMITS, type RateLimitTier } from '../rules/rateLimits.js';
import type { CreateUserBody, CreateUserOptions, User } from '../types.js';
import { createClock } from './clock.js';
import type { Context } from './context.js';
import {
  controlStep,
  createControl,
  type EmulatorControl,
  faultStep,
  MAX_SEARCH_LAG_MS,
  rateLimitStep,
} from './control.js';
import { EmulatorHttpError, errorResponse, transportError } from './errors.js';
import {
  type EmulatorRequest,
  type EmulatorResponse,
  type Later,
  parseRequestUrl,
  toResponse,
  whenReady,
} from './http.js';
import {
  type EmulatorIdentity,
  passwordHashOf,
  readIdentity,
  type StoredPasswordHash,
  storedPasswordHash,
} from './identity.js';
import { createInjectedFaultList, isDroppedConnection } from './injectedFaults.js';
import { exactHostname } from './loopback.js';
import { insertUser } from './management.js';
import { hashPassword, type PasswordHash } from './passwords.js';
import { dispatch, type Exchange, runSteps, type Step } from './pipeline.js';
import { createRateLimiter } from './rateLimiter.js';
import { createRequestLog, type RecordedRequest, recordOf } from './requests.js';
import { offerRespond } from './respond.js';
import { matchRoute } from './routes.js';
import { createSearchIndex } from './searchIndex.js';
import { createStore } from './store.js';
import { createTokenAuthority } from './tokens.js';
import { type UserChanges, undoableStore } from './undo.js';
import { EMULATOR_VERSION } from './version.js';

/** The tenant domain of an emulator created without one; `.test` names never resolve. */
export const DEFAULT_DOMAIN = 'tenant.auth0.test';
/** The client id of an emulator created without one. */
export const DEFAULT_CLIENT_ID = 'auth0-metadata-emulator';
/** Scopes a client-credentials token gets by default: everything the users endpoints check. */
export const DEFAULT_CLIENT_SCOPES: readonly string[] = /* @__PURE__ */ Object.freeze([
  'read:users',
  'create:users',
  'update:users',
  'delete:users',
  'update:users_app_metadata',
]);
/** Largest request body accepted, in bytes: 1 MiB (docs/security.md#request-bodies). */
export const DEFAULT_MAX_BODY_BYTES: number = 1024 * 1024;
/** Access-token lifetime, in seconds: Auth0's default of 24 hours. */
export const DEFAULT_TOKEN_LIFETIME = 86_400;
/** PBKDF2-SHA-256 iterations per password hash. */
export const DEFAULT_PASSWORD_HASH_ITERATIONS = 100_000;
/** How many requests `emulator.requests` keeps by default: the newest 100 (each keeps its body, up to `maxBodyBytes`). */
export const DEFAULT_REQUEST_LOG_SIZE = 100;

/** Options of {@link createEmulator}. Every one has a default. */
export interface EmulatorOptions {
  /** The tenant domain (`tenant.auth0.test`): tokens are issued by `https://<domain>/` for `https://<domain>/api/v2/`. */
  readonly domain?: string;
  /**
   * Users to start with (and to return to on `reset()`), in any form `readSeedUser` reads: POST
   * /api/v2/users bodies (passwords included), stored users as GET returns them or a user export
   * writes them (kept as they are: ids and timestamps), or bulk-import users.
   */
  readonly users?: readonly SeedEntry[];
  /** The clock of every write and of token expiry. Default: `new Date()`. */
  readonly now?: () => Date;
  /** The source of new 24-hex user ids. Default: random. */
  readonly generateId?: () => string;
  /** The one client that may get tokens. Default: `auth0-metadata-emulator`. */
  readonly clientId?: string;
  /** Its secret. Default: 32 random bytes, hex (read it from `emulator.clientSecret`). */
  readonly clientSecret?: string;
  /** The scopes its client-credentials tokens may carry. Default: {@link DEFAULT_CLIENT_SCOPES}. */
  readonly clientScopes?: readonly string[];
  /** Access-token lifetime in seconds. Default: 86400. */
  readonly tokenLifetime?: number;
  /** Largest request body, in bytes; larger ones get a 413. Default: 1 MiB. */
  readonly maxBodyBytes?: number;
  /** PBKDF2 iterations per password. Default: 100000; tests may lower it to run faster. */
  readonly passwordHashIterations?: number;
  /** How many requests `emulator.requests` and the control API's journal keep, the newest; 0 keeps none. Default: 100. */
  readonly requestLogSize?: number;
  /**
   * Rate-limit mode: `true` (the `free` tier) or a tier of `RATE_LIMITS` applies Auth0's documented
   * global limits as a token bucket per API, with `X-RateLimit-*` headers on every answer and
   * Auth0's 429 over the limit. Default: off (`emulator.control.rateLimit.set` turns it on later).
   */
  readonly rateLimit?: boolean | RateLimitTier;
  /**
   * Search-index lag in ms: created, changed and deleted users reach `GET /api/v2/users` (list and
   * `q=`) only this long after the change, as in Auth0; get-by-id and users-by-email stay
   * immediately consistent. Default: 0 (search sees every change at once).
   */
  readonly searchLagMs?: number;
  /**
   * Host names, besides the loopback names, whose requests the control API (`/__emulator/`)
   * answers: exact names only (`devbox.lan`, `192.168.1.20`, `[fe80::1]`), never a pattern, so no
   * name rebound by DNS reaches it. Whoever can send such a Host can reset the users and get
   * tokens. `serve --allowed-host` names them. Default: none (loopback names only).
   */
  readonly controlHosts?: readonly string[];
  /**
   * Awaited after every change of the users before it is acknowledged (a successful POST, PATCH or
   * DELETE of a user, a signup, a control reset or import): the hook a server persists through.
   * If it throws, the answer is Auth0's 500 (and `onError` hears why).
   */
  readonly onUsersChange?: () => void | Promise<void>;
  /**
   * Runs the part of each Management and Authentication API request that reads or changes the
   * users: its route and `onUsersChange`, after the journal, injected faults and rate limits. A
   * server that saves every change queues that part here (`serve --data` does), so a request an
   * injected fault delays, or one refused 429, never holds the queue. Resolve to what `run`
   * resolves to, or to another answer (a 500 when a save failed). Default: `run()` at once.
   */
  readonly aroundRoute?: (request: EmulatorRequest, run: () => Promise<EmulatorResponse>) => Promise<EmulatorResponse>;
  /** Called for each warning of a successful write (a profile over 10 KB, which Auth0 only logs). */
  readonly onWarning?: (warning: Warning, request: EmulatorRequest) => void;
  /** Called with anything unexpected thrown while handling a request (the answer is a 500). */
  readonly onError?: (error: unknown, request: EmulatorRequest) => void;
  /**
   * Called after a successful PATCH that silently dropped nested data (a first-level object
   * replaced by one lacking some of its keys), with those `drop` effects of `analyzePatch`. Fail a
   * test suite on accidental data loss with it. Costs nothing when unset.
   */
  readonly onDroppedData?: (dropped: readonly PatchEffect[], request: EmulatorRequest) => void;
  /**
   * The signing key and password hashes of an earlier run, as `exportIdentity()` gave them: tokens
   * it issued verify, and each seeded user with a hash here (and no password in its seed entry)
   * logs in with the same password. Default: a new key, and no password but the seeded ones.
   */
  readonly identity?: EmulatorIdentity;
}

/** Options of {@link Emulator.issueToken}. */
export interface IssueTokenOptions {
  /** Default: the client's scopes. */
  readonly scopes?: readonly string[];
  /** The `sub` claim: a user id for a user's token. Default: `<client_id>@clients`. */
  readonly subject?: string;
  /** Default: `https://<domain>/api/v2/`. */
  readonly audience?: string;
}

/** A fetch-compatible function: `(input, init) => Promise<EmulatorResponse>`. */
export type FetchHandler = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

/** An in-memory Auth0 tenant serving the users endpoints. */
export interface Emulator {
  /**
   * Answers one request, as Auth0 would. Never rejects for a request it can read: every issue
   * is an Auth0-shaped error response. Usable as the `fetch` of an SDK, of msw, or of a server.
   */
  readonly fetch: FetchHandler;
  /**
   * The same answers as `fetch`, for servers: takes a plain request and gives a plain answer,
   * without building Web `Request`/`Response` objects and their streams (the Node adapter uses it).
   */
  readonly handle: (request: EmulatorRequest) => Promise<EmulatorResponse>;
  /** The tenant domain. */
  readonly domain: string;
  /** `https://<domain>`. */
  readonly baseUrl: string;
  /** The Management API audience: `https://<domain>/api/v2/`. */
  readonly audience: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Creates a user as POST /api/v2/users would, without a token. */
  readonly createUser: (body: CreateUserBody) => Promise<Result<User>>;
  /** The stored user with this id (`auth0|...`), or `undefined`. */
  readonly getUser: (userId: string) => User | undefined;
  /** Every stored user, in creation order (passwords are never part of a user). */
  readonly snapshot: () => readonly User[];
  /**
   * The requests answered since the emulator was created or last `reset()`, oldest first (the
   * newest `requestLogSize`): method, path, query, body, status, and the verified token's subject
   * and scopes. A frozen copy each time it is read.
   * @example
   * const emulator = createEmulator();
   * const token = await emulator.issueToken({ scopes: ['read:users'] });
   * await emulator.fetch(`${emulator.baseUrl}/api/v2/users?fields=email`, { headers: { authorization: `Bearer ${token}` } });
   * emulator.requests.map(({ method, path, query, status, scopes }) => [method, path, query, status, scopes]);
   * // => [['GET', '/api/v2/users', { fields: 'email' }, 200, ['read:users']]]
   */
  readonly requests: readonly RecordedRequest[];
  /**
   * Back to the start, at once: the seeded users, an empty request log, no faults, the clock on
   * real time (`control.reset()` does the same and also awaits `onUsersChange`).
   */
  readonly reset: () => void;
  /**
   * The control API in process: health, reset, users export and import, the journal (with a
   * wait), the clock, faults, rate-limit mode, the search index, tokens. The same operations as the
   * HTTP routes under `/__emulator/`, by the same code.
   */
  readonly control: EmulatorControl;
  /** Signs an access token for this emulator without going through /oauth/token. */
  readonly issueToken: (options?: IssueTokenOptions) => Promise<string>;
  /**
   * The signing key and every stored user's password hash (never a password), for the
   * `identity` option of a later `createEmulator`: keep it where only you can read it. With
   * `users`, the hashes of those users only (a journal of changes keeps just what changed).
   */
  readonly exportIdentity: (options?: { readonly users?: readonly string[] }) => Promise<EmulatorIdentity>;
  /**
   * Starts recording the changes to the users, to undo them: the dev server undoes a write whose
   * save failed. One recording at a time; run the writes it covers one after another.
   */
  readonly recordChanges: () => UserChanges;
}

/** The brand of an {@link EmulatorSeedError}: a registered symbol, the same in every copy of this package. */
const SEED_ERROR = Symbol.for('auth0-metadata.EmulatorSeedError');

/** Thrown by {@link createEmulator} when a seeded user is invalid or a duplicate. */
export class EmulatorSeedError extends Error {
  override readonly name = 'EmulatorSeedError';
  /** The position of the offending user in `options.users`. */
  readonly index: number;
  readonly issues: Issues;

  constructor(index: number, issues: Issues) {
    super(seedMessage(index, issues));
    this.index = index;
    this.issues = issues;
    // The brand isEmulatorSeedError reads; not enumerable, so it never shows in a log of the error.
    Object.defineProperty(this, SEED_ERROR, { value: true });
  }
}

/**
 * Whether a value is an {@link EmulatorSeedError}, from this copy of the package or another (its
 * ESM and CommonJS builds, or two installed versions): use it instead of `instanceof`.
 *
 * @param value - Anything caught.
 * @returns `true` for an {@link EmulatorSeedError}.
 * @example
 * let caught: unknown;
 * try {
 *   createEmulator({ users: [{ connection: 'Username-Password-Authentication', email: 'not an email' }] });
 * } catch (error) {
 *   caught = error;
 * }
 * isEmulatorSeedError(caught) && caught.index;
 * // => 0
 * isEmulatorSeedError(new Error('Seed user 0 is invalid'));
 * // => false
 */
export function isEmulatorSeedError(value: unknown): value is EmulatorSeedError {
  try {
    return typeof value === 'object' && value !== null && Reflect.get(value, SEED_ERROR) === true;
  } catch {
    // A Proxy whose `get` trap throws is not one.
    return false;
  }
}

/** The message of an {@link EmulatorSeedError}; issues that cannot be read are said to be so. */
function seedMessage(index: number, issues: Issues): string {
  try {
    return `Seed user ${String(index)} is invalid: ${issues.map((issue) => String(issue.message)).join('; ')}`;
  } catch {
    return 'A seed user is invalid (its issues cannot be read)';
  }
}

function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (byte) => byte.toString(16).padStart(2, '0')).join(
    '',
  );
}

/** What `emulator.fetch` rejects with for a dropped connection: fetch's own shape (a `TypeError` caused by `ECONNRESET`). */
function droppedConnectionError(): TypeError {
  const cause = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
  return new TypeError('fetch failed', { cause });
}

/** Runs a caller's callback; one that throws must not take the emulator down. */
function report(callback: () => void): void {
  try {
    callback();
  } catch {
    // Deliberately ignored: the answer to the request does not depend on the reporter.
  }
}

/** Refuses a count that is not an integer from 0 to `max`. */
function requireCount(name: string, value: number, max: number): void {
  if (typeof value !== 'number') throw new TypeError(`createEmulator: ${name} must be a number, got ${typeof value}`);
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new RangeError(`createEmulator: ${name} must be an integer from 0 to ${max}, got ${value}`);
  }
}

function requireText(name: string, value: string): void {
  if (typeof value !== 'string') throw new TypeError(`createEmulator: ${name} must be a string, got ${typeof value}`);
  if (value === '') throw new RangeError(`createEmulator: ${name} must not be empty`);
}

function requirePositiveInteger(name: string, value: number): void {
  if (typeof value !== 'number') throw new TypeError(`createEmulator: ${name} must be a number, got ${typeof value}`);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`createEmulator: ${name} must be a positive integer, got ${value}`);
  }
}

/**
 * One option, read once: a getter that throws, or options that are not an object, give a
 * `TypeError` naming the option instead of whatever the read threw.
 */
function option<Name extends keyof EmulatorOptions>(options: EmulatorOptions, name: Name): EmulatorOptions[Name] {
  let value: EmulatorOptions[Name];
  try {
    value = options[name];
  } catch (error) {
    throw new TypeError(`createEmulator: options.${name} cannot be read (${describeThrown(error)})`);
  }
  return value;
}

/** Refuses an option of the wrong type with a `TypeError` that names it. */
/** Whether `value` is an answer of the emulator: a status, string headers, a string body or none. */
function isEmulatorResponse(value: unknown): value is EmulatorResponse {
  if (typeof value !== 'object' || value === null) return false;
  const status: unknown = Reflect.get(value, 'status');
  const headers: unknown = Reflect.get(value, 'headers');
  const body: unknown = Reflect.get(value, 'body');
  return (
    typeof status === 'number' &&
    Number.isInteger(status) &&
    typeof headers === 'object' &&
    headers !== null &&
    Object.values(headers).every((header) => typeof header === 'string') &&
    (body === null || typeof body === 'string')
  );
}

function requireType(name: string, value: unknown, type: 'function' | 'string'): void {
  if (value !== undefined && typeof value !== type) {
    throw new TypeError(`createEmulator: ${name} must be a ${type}, got ${typeof value}`);
  }
}

/** The entries of an array option, read once each; anything else is a `TypeError` naming the option. */
function listOption<Entry>(name: string, value: readonly Entry[] | undefined): readonly Entry[] | undefined {
  if (value === undefined) return undefined;
  try {
    if (!Array.isArray(value)) throw new TypeError(`got ${typeof value}`);
    return Array.from({ length: value.length }, (_, index) => value[index]);
  } catch (error) {
    throw new TypeError(`createEmulator: ${name} must be an array (${describeThrown(error)})`);
  }
}

/** The `controlHosts` option as a set of exact names; a `TypeError` for an entry that is no exact host name. */
function readControlHosts(entries: readonly unknown[]): ReadonlySet<string> {
  const names = new Set<string>();
  for (const entry of entries) {
    const name = typeof entry === 'string' ? exactHostname(entry) : undefined;
    if (name === undefined) {
      throw new TypeError(
        `createEmulator: controlHosts must hold exact host names (no wildcard: a name rebound by DNS could match one), got ${typeof entry === 'string' ? JSON.stringify(entry) : typeof entry}`,
      );
    }
    names.add(name);
  }
  return names;
}

/** Hashes a seeded password in the background; a failure surfaces when the password is checked. */
function pendingHash(hash: Promise<PasswordHash>): Promise<PasswordHash> {
  hash.catch(() => undefined);
  return hash;
}

/**
 * The `generateId` option as the core is given it: an id that is not a string is the emulator's own
 * failure (its option is broken, the request is fine), so it is thrown like an id source that throws:
 * a request gets Auth0's 500 `internal_error` and `onError` hears of it, rather than a 400 that
 * blames the caller's body.
 */
function checkedIds(generateId: () => string): () => string {
  return () => {
    const id: unknown = generateId();
    if (typeof id !== 'string') {
      throw new TypeError(`generateId() must return a string, returned ${id === null ? 'null' : typeof id}`);
    }
    return id;
  };
}

/**
 * Creates an in-memory Auth0 tenant that answers the users endpoints of the Management API,
 * `/dbconnections/signup` and `/oauth/token` with Auth0's bodies, statuses and errors. Every
 * metadata and scope rule is the core's; the emulator only routes, authenticates and stores.
 *
 * Each emulator has its own users, clock, client and signing key (generated on first use), so
 * many can run side by side. It uses only Web APIs (`fetch` types, WebCrypto), so it runs in
 * Node, browsers and edge runtimes. Seeded users are validated here, synchronously.
 *
 * @param options - Seed users, clock, tenant domain, client credentials, token lifetime, limits.
 * @returns The emulator: its `fetch` handler, and methods to seed, read, snapshot and reset users.
 * @throws {@link EmulatorSeedError} when a seeded user is invalid or duplicates another.
 * @example
 * const emulator = createEmulator({
 *   users: [{ connection: 'Username-Password-Authentication', email: 'jane.doe@example.com',
 *     password: 'Pw1!xxxx', user_id: 'jane', user_metadata: { hobby: 'surfing' } }],
 * });
 * const token = await emulator.issueToken({ scopes: ['update:users'] });
 * const response = await emulator.fetch(new Request(`${emulator.baseUrl}/api/v2/users/auth0%7Cjane`, {
 *   method: 'PATCH',
 *   headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
 *   body: JSON.stringify({ user_metadata: { addresses: { home: 'Paris' } } }),
 * }));
 * response.status;
 * // => 200
 * emulator.getUser('auth0|jane')?.user_metadata;
 * // => { hobby: 'surfing', addresses: { home: 'Paris' } }
 */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const domain = option(options, 'domain') ?? DEFAULT_DOMAIN;
  const baseNow = option(options, 'now') ?? ((): Date => new Date());
  const generateId = option(options, 'generateId');
  requireType('now', baseNow, 'function');
  // The clock of every write, token and journal entry: the `now` option, which the control API may freeze or move.
  const clock = createClock(baseNow);
  const now = clock.now;
  requireType('generateId', generateId, 'function');
  const write: CreateUserOptions = generateId === undefined ? { now } : { now, generateId: checkedIds(generateId) };
  const clientId = option(options, 'clientId') ?? DEFAULT_CLIENT_ID;
  const clientSecret = option(options, 'clientSecret') ?? randomHex(32);
  const clientScopes = listOption('clientScopes', option(options, 'clientScopes')) ?? DEFAULT_CLIENT_SCOPES;
  const users = listOption('users', option(options, 'users')) ?? [];
  const iterations = option(options, 'passwordHashIterations') ?? DEFAULT_PASSWORD_HASH_ITERATIONS;
  const tokenLifetime = option(options, 'tokenLifetime') ?? DEFAULT_TOKEN_LIFETIME;
  const maxBodyBytes = option(options, 'maxBodyBytes') ?? DEFAULT_MAX_BODY_BYTES;
  const onWarning = option(options, 'onWarning');
  const onError = option(options, 'onError');
  const onDroppedData = option(options, 'onDroppedData');
  for (const [name, value] of [
    ['onWarning', onWarning],
    ['onError', onError],
    ['onDroppedData', onDroppedData],
  ] as const) {
    requireType(name, value, 'function');
  }
  for (const scope of clientScopes) requireType('clientScopes[]', scope, 'string');
  const controlHosts = readControlHosts(listOption('controlHosts', option(options, 'controlHosts')) ?? []);
  requirePositiveInteger('passwordHashIterations', iterations);
  requirePositiveInteger('tokenLifetime', tokenLifetime);
  requirePositiveInteger('maxBodyBytes', maxBodyBytes);
  const requestLogSize = option(options, 'requestLogSize') ?? DEFAULT_REQUEST_LOG_SIZE;
  requireCount('requestLogSize', requestLogSize, Number.MAX_SAFE_INTEGER);
  const searchLagMs = option(options, 'searchLagMs') ?? 0;
  requireCount('searchLagMs', searchLagMs, MAX_SEARCH_LAG_MS);
  const rateLimit = option(options, 'rateLimit') ?? false;
  if (typeof rateLimit !== 'boolean' && !Object.hasOwn(RATE_LIMITS, rateLimit)) {
    throw new RangeError(
      `createEmulator: rateLimit must be true, false or one of ${Object.keys(RATE_LIMITS).join(', ')}, got ${String(rateLimit)}`,
    );
  }
  const onUsersChange = option(options, 'onUsersChange');
  requireType('onUsersChange', onUsersChange, 'function');
  const aroundRoute = option(options, 'aroundRoute');
  requireType('aroundRoute', aroundRoute, 'function');
  const log = createRequestLog(requestLogSize);
  requireText('clientId', clientId);
  requireText('clientSecret', clientSecret);
  requireText('domain', domain);
  const audience = `https://${domain}/api/v2/`;
  const givenIdentity = option(options, 'identity');
  const identity = givenIdentity === undefined ? undefined : readIdentity(givenIdentity);
  const keptHash = (userId: string): StoredPasswordHash | undefined =>
    identity === undefined || !Object.hasOwn(identity.passwords, userId) ? undefined : identity.passwords[userId];

  const seeded = createStore([]);
  users.forEach((entry, index) => {
    const read = readSeedUser(entry, write);
    if (!read.success) throw new EmulatorSeedError(index, read.issues);
    const { user, password } = read.value;
    const conflict = seeded.conflict(user);
    if (conflict !== undefined) throw new EmulatorSeedError(index, [duplicateIssue(conflict.attribute, 'create')]);
    const kept = password === undefined ? keptHash(user.user_id) : undefined;
    seeded.set({
      user,
      password:
        password !== undefined
          ? pendingHash(hashPassword(password, iterations))
          : kept === undefined
            ? undefined
            : Promise.resolve(passwordHashOf(kept)),
    });
  });
  // The seeded store, its indexes built once, is the emulator's store (reset returns to these users).
  seeded.keepAsSeed();
  const searchIndex = createSearchIndex(seeded, searchLagMs);
  // Changes reach the search index through the undoable store, so an undone write is undone there too.
  const { store, record } = undoableStore(searchIndex.store);
  let decoy: Promise<PasswordHash> | undefined;

  const context: Context = {
    domain,
    clientId,
    clientSecret,
    clientScopes,
    tokenLifetime,
    maxBodyBytes,
    write,
    now,
    tokens: createTokenAuthority({
      issuer: `https://${domain}/`,
      lifetime: tokenLifetime,
      now,
      ...(identity === undefined ? {} : { key: identity.signingKey }),
    }),
    store,
    searchable: searchIndex.users,
    hashPassword: (password) => hashPassword(password, iterations),
    decoyHash: () => {
      decoy ??= hashPassword(randomHex(16), iterations);
      return decoy;
    },
    warn: (warnings, request) => {
      for (const warning of warnings) report(() => onWarning?.(warning, request));
    },
    // Costs nothing when no one listens: the analysis runs only with `onDroppedData` set.
    patched: (before, patch, request) => {
      if (onDroppedData === undefined) return;
      const analysis = analyzePatch(before, patch, write);
      if (analysis.success && analysis.value.dropped.length > 0) {
        report(() => onDroppedData(analysis.value.dropped, request));
      }
    },
  };

  /** The 500 of an unexpected failure, in the envelope of the request's API; `onError` hears why. */
  const internalError = (error: unknown, exchange: Exchange): EmulatorResponse => {
    report(() => onError?.(error, exchange.request));
    return errorResponse(transportError(exchange.match.api, 'internal_error'));
  };

  /** Answers a request with the route of `method`: its checks, its handler, or the error they throw. */
  const route = (exchange: Exchange, method: string): Later<EmulatorResponse> => {
    const failed = (error: unknown): EmulatorResponse =>
      error instanceof EmulatorHttpError ? errorResponse(error) : internalError(error, exchange);
    try {
      const answered = dispatch(exchange, method, context);
      return answered instanceof Promise ? answered.catch(failed) : answered;
    } catch (error) {
      return failed(error);
    }
  };

  /** HEAD's answer: GET's without the body, its length kept. */
  const headAnswer = (got: EmulatorResponse): EmulatorResponse => {
    if (got.body === null) return got;
    const length = String(new TextEncoder().encode(got.body).byteLength);
    return { status: got.status, headers: { ...got.headers, 'content-length': length }, body: null };
  };

  /** The last step: the route; HEAD is GET without the body, wherever GET is allowed (RFC 9110 §9.3.2). */
  const answer = (exchange: Exchange): Later<EmulatorResponse> =>
    exchange.request.method === 'HEAD'
      ? whenReady(route(exchange, 'GET'), headAnswer)
      : route(exchange, exchange.request.method);

  let nextId = 1;
  /** The journal, as a step: times the answer and keeps it (the control API's own requests are not kept). */
  const journal: Step = (exchange, next) => {
    const time = now();
    const started = performance.now();
    return whenReady(next(), (response) => {
      const durationMs = Math.round((performance.now() - started) * 100) / 100;
      log.add(recordOf({ id: nextId++, ...exchange, answer: response, time, durationMs }));
      return response;
    });
  };

  /** Awaits `onUsersChange` after a change of the users is answered, before it is acknowledged. */
  const persisted = async (exchange: Exchange, response: EmulatorResponse): Promise<EmulatorResponse> => {
    try {
      await onUsersChange?.();
      return response;
    } catch (error) {
      return internalError(error, exchange);
    }
  };

  /** The step of `onUsersChange`: after a successful change of the users, nothing else. */
  const persist: Step = (exchange, next) => {
    const { request, match } = exchange;
    const writes = request.method !== 'GET' && request.method !== 'HEAD' && match.api !== 'oauth';
    if (onUsersChange === undefined || !writes || match.routes.length === 0) return next();
    return whenReady(next(), (response) => (response.status >= 300 ? response : persisted(exchange, response)));
  };

  /** The step of `aroundRoute`: persistence and the route inside it; a throw or a rejection is a 500. */
  const around: Step = (exchange, next) => {
    if (aroundRoute === undefined) return next();
    const run = async (): Promise<EmulatorResponse> => next();
    try {
      return aroundRoute(exchange.request, run).then(
        (answer: unknown) =>
          isEmulatorResponse(answer)
            ? answer
            : internalError(new TypeError('aroundRoute must resolve to an answer of the emulator'), exchange),
        (error: unknown) => internalError(error, exchange),
      );
    } catch (error) {
      return internalError(error, exchange);
    }
  };

  const faults = createInjectedFaultList();
  const rateLimiter = createRateLimiter(
    rateLimit !== false,
    rateLimit === true || rateLimit === false ? DEFAULT_RATE_LIMIT_TIER : rateLimit,
  );
  const startedAt = Date.now();
  const snapshotUsers = (): readonly User[] => Object.freeze(store.all().map((stored) => stored.user));

  const control = createControl({
    version: EMULATOR_VERSION,
    startedAt,
    clock,
    log,
    faults,
    rateLimiter,
    searchIndex,
    userCount: () => store.size(),
    exportUsers: snapshotUsers,
    resetUsers: () => {
      store.reset();
      log.clear();
    },
    importUsers: async (entries) => {
      // All or none: every user is read and checked against the others before any is stored.
      const batch = createStore(store.all());
      const added: { user: User; password: string | undefined }[] = [];
      for (const [index, entry] of entries.entries()) {
        const read = readSeedUser(entry, write);
        if (!read.success) return seedMessage(index, read.issues);
        const conflict = batch.conflict(read.value.user);
        if (conflict !== undefined) return seedMessage(index, [duplicateIssue(conflict.attribute, 'create')]);
        batch.set({ user: read.value.user, password: undefined });
        added.push(read.value);
      }
      for (const { user, password } of added) {
        store.set({
          user,
          password: password === undefined ? undefined : pendingHash(hashPassword(password, iterations)),
        });
      }
      return added.length;
    },
    changed: async () => {
      await onUsersChange?.();
    },
    issueToken: () => issueToken(),
    tokenLifetime,
  });

  /** The pipeline around every request: control API, journal, faults, rate limits, `aroundRoute`, persistence, then the route. */
  const steps: readonly Step[] = [
    controlStep(control, faults, maxBodyBytes, controlHosts),
    journal,
    faultStep(faults, rateLimiter),
    rateLimitStep(rateLimiter),
    around,
    persist,
  ];

  /** The pipeline, answered without a promise when nothing is pending: the servers of this package call it. */
  const respond = (request: EmulatorRequest): Later<EmulatorResponse> => {
    // The one URL parse (shared with earlier requests of the same URL) and the one route lookup of the request.
    const url = parseRequestUrl(request.url);
    const exchange: Exchange = { request, url, match: matchRoute(url.pathname), trace: {} };
    const failed = (error: unknown): EmulatorResponse => internalError(error, exchange);
    try {
      const answered = runSteps(steps, exchange, answer);
      return answered instanceof Promise ? answered.catch(failed) : answered;
    } catch (error) {
      return failed(error);
    }
  };

  const handle = async (request: EmulatorRequest): Promise<EmulatorResponse> => respond(request);

  const issueToken = (tokenOptions: IssueTokenOptions = {}): Promise<string> =>
    context.tokens.sign({
      subject: tokenOptions.subject ?? `${clientId}@clients`,
      scopes: tokenOptions.scopes ?? clientScopes,
      audience: tokenOptions.audience ?? audience,
      clientId,
      grantType: tokenOptions.subject === undefined ? 'client-credentials' : 'password',
    });

  const emulator: Emulator = {
    fetch: async (input, init) => {
      const answered = await handle(input instanceof Request && init === undefined ? input : new Request(input, init));
      // A dropped connection, as fetch reports one: a TypeError whose cause is the socket's reset.
      if (isDroppedConnection(answered)) throw droppedConnectionError();
      return toResponse(answered);
    },
    handle,
    domain,
    baseUrl: `https://${domain}`,
    audience,
    clientId,
    clientSecret,
    createUser: (body) => insertUser(body, context),
    getUser: (userId) => store.get(userId)?.user,
    snapshot: snapshotUsers,
    get requests(): readonly RecordedRequest[] {
      return log.all();
    },
    reset: () => {
      // The part of control.reset() before its first await runs now; the hook's failure is onError's.
      const request: EmulatorRequest = {
        method: 'POST',
        url: `https://${domain}/__emulator/reset`,
        headers: { get: () => null },
        body: null,
      };
      control.reset().catch((error: unknown) => report(() => onError?.(error, request)));
    },
    control,
    issueToken,
    exportIdentity: async (only) => {
      const signingKey = await context.tokens.exportKey();
      const passwords: Record<string, StoredPasswordHash> = Object.create(null);
      const records = only?.users === undefined ? store.all() : only.users.flatMap((id) => store.get(id) ?? []);
      for (const { user, password } of records) {
        if (password !== undefined) passwords[user.user_id] = storedPasswordHash(await password);
      }
      return { signingKey, passwords };
    },
    recordChanges: record,
  };
  return offerRespond(emulator, respond);
}
