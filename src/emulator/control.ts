/**
 * The control API: what a test or a tool does to the emulator itself (reset it, read what it
 * received, move its clock, inject faults, limit its rate, delay its search). Implemented once
 * here, with two doors: the methods of `emulator.control`, and HTTP routes under `/__emulator/`
 * (answered only for a loopback Host). Neither door is Auth0's; no Auth0 path starts with `/__`.
 */

import type { SeedEntry } from '../readSeedUser.js';
import { RATE_LIMITS, type RateLimitTier } from '../rules/rateLimits.js';
import type { User } from '../types.js';
import { readText } from './body.js';
import type { ClockState, EmulatorClock } from './clock.js';
import { jsonResponse } from './errors.js';
import {
  type EmulatorRequest,
  type EmulatorResponse,
  type Later,
  type RequestQuery,
  type RequestUrl,
  whenReady,
} from './http.js';
import {
  DROPPED_CONNECTION,
  faultAnswer,
  type InjectedFault,
  type InjectedFaultList,
  type InjectedFaultSpec,
  MAX_FAULTS,
  readInjectedFaultSpec,
} from './injectedFaults.js';
import { isControlHostname } from './loopback.js';
import type { Exchange, Step } from './pipeline.js';
import type { RateLimiter, RateLimitState } from './rateLimiter.js';
import type { JournalEntry, RequestFilter, RequestLog } from './requests.js';
import type { SearchIndex, SearchIndexState } from './searchIndex.js';
import { parseSeed } from './seedDocument.js';

/** Where the control API lives: a prefix no Auth0 path has. */
export const CONTROL_PREFIX = '/__emulator';

/** The longest a `requests.wait` may wait, in ms, and how long it waits when not told. */
export const MAX_WAIT_MS = 60_000;
export const DEFAULT_WAIT_MS = 10_000;

/** The longest search-index lag, in ms: an hour. */
export const MAX_SEARCH_LAG_MS = 3_600_000;

/** A request the control API refuses: its message says what was expected and what was found. */
export class ControlInputError extends TypeError {
  override readonly name = 'ControlInputError';
}

/** `GET /__emulator/health`. */
export interface HealthState {
  readonly status: 'ok';
  readonly version: string;
  readonly users: number;
  readonly uptimeSeconds: number;
}

/** The token of `POST /__emulator/token`. */
export interface ControlToken {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
}

/**
 * The control API in process (`emulator.control`): the same operations as the HTTP routes under
 * `/__emulator/`, by the same code. Bad input throws a `ControlInputError` (the HTTP door's 400).
 */
export interface EmulatorControl {
  /** Version, user count, uptime. */
  readonly health: () => HealthState;
  /**
   * Back to the start: the seeded users (for `serve --data`, the users the server loaded when it
   * started), an empty journal, no faults, the clock on real time, the search index caught up, full
   * rate-limit buckets. Settings stay: rate-limit mode on or off, its tier, the search lag.
   */
  readonly reset: () => Promise<{ readonly users: number }>;
  readonly users: {
    /** Every stored user, in creation order. */
    readonly export: () => readonly User[];
    /** Adds users in any seed form the CLI reads (entries, or the text of a seed document); all or none. */
    readonly import: (users: readonly SeedEntry[] | string) => Promise<{ readonly imported: number }>;
  };
  readonly requests: {
    /** The journal entries that match, oldest first (passwords and client secrets masked). */
    readonly list: (filter?: RequestFilter) => readonly JournalEntry[];
    readonly clear: () => void;
    /**
     * The first matching entry, already there or arriving within `timeoutMs` (default 10 s);
     * `undefined` after. When `signal` aborts first, the wait ends at once and rejects with its reason.
     */
    readonly wait: (
      filter?: RequestFilter,
      options?: { readonly timeoutMs?: number; readonly signal?: AbortSignal | undefined },
    ) => Promise<JournalEntry | undefined>;
  };
  readonly clock: {
    readonly get: () => ClockState;
    /** Freezes the clock at a time (a `Date` or ISO text); `null` follows real time again. */
    readonly set: (now: Date | string | null) => ClockState;
    readonly advance: (seconds: number) => ClockState;
  };
  readonly faults: {
    readonly list: () => readonly InjectedFault[];
    readonly add: (fault: InjectedFaultSpec) => InjectedFault;
    /** Whether a fault with this id was there. */
    readonly remove: (id: number) => boolean;
    readonly clear: () => void;
  };
  readonly rateLimit: {
    readonly get: () => RateLimitState;
    readonly set: (settings: { readonly enabled?: boolean; readonly tier?: RateLimitTier }) => RateLimitState;
  };
  readonly searchIndex: {
    readonly get: () => SearchIndexState;
    readonly set: (settings: { readonly lagMs: number }) => SearchIndexState;
    readonly flush: () => SearchIndexState;
  };
  /** A Management API token with the client's scopes. */
  readonly token: () => Promise<ControlToken>;
}

/** What the control API works on: the parts of one emulator. */
export interface ControlParts {
  readonly version: string;
  readonly startedAt: number;
  readonly clock: EmulatorClock;
  readonly log: RequestLog;
  readonly faults: InjectedFaultList;
  readonly rateLimiter: RateLimiter;
  readonly searchIndex: SearchIndex;
  readonly userCount: () => number;
  readonly exportUsers: () => readonly User[];
  /** Restores the seeded users and clears the journal, synchronously (`emulator.reset()`). */
  readonly resetUsers: () => void;
  /** Adds the users of a seed, all or none; a message when one is refused. */
  readonly importUsers: (users: readonly SeedEntry[]) => Promise<number | string>;
  /** Awaited after each change of the users the control API makes (the `onUsersChange` option). */
  readonly changed: () => Promise<void>;
  /** Signs a token with the client's scopes. */
  readonly issueToken: () => Promise<string>;
  readonly tokenLifetime: number;
}

/** What a value is, for a message saying what was found. */
function found(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 100))}`;
  return `${typeof value} ${String(value)}`;
}

function refuseBody(message: string): never {
  throw new ControlInputError(message);
}

/** The one field of a JSON object body, or a refusal saying the body must be such an object. */
function objectBody(body: unknown, expected: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    refuseBody(`Expected a JSON object ${expected}, found ${found(body)}`);
  }
  const entries: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(body)) entries[key] = Reflect.get(body, key);
  return entries;
}

function onlyKeys(body: Record<string, unknown>, allowed: readonly string[]): void {
  const extra = Object.keys(body).find((key) => !allowed.includes(key));
  if (extra !== undefined)
    refuseBody(`Unknown field "${extra}": expected ${allowed.map((key) => `"${key}"`).join(', ')}`);
}

function isTier(value: unknown): value is RateLimitTier {
  return typeof value === 'string' && Object.hasOwn(RATE_LIMITS, value);
}

function checkFilter(filter: RequestFilter): RequestFilter {
  const { method, path, status, since, limit } = filter;
  if (method !== undefined && (typeof method !== 'string' || !/^[A-Za-z]+$/.test(method))) {
    refuseBody(`Expected "method" to be an HTTP method, found ${found(method)}`);
  }
  if (path !== undefined && (typeof path !== 'string' || !path.startsWith('/'))) {
    refuseBody(`Expected "path" to start with /, found ${found(path)}`);
  }
  if (status !== undefined && (!Number.isInteger(status) || status < 0 || status > 599)) {
    refuseBody(`Expected "status" to be an HTTP status, found ${found(status)}`);
  }
  if (typeof since === 'number' && (!Number.isSafeInteger(since) || since < 0)) {
    refuseBody(`Expected "since" to be an entry id or an ISO time, found ${found(since)}`);
  }
  if (typeof since === 'string' && Number.isNaN(Date.parse(since))) {
    refuseBody(`Expected "since" to be an entry id or an ISO time, found ${found(since)}`);
  }
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1)) {
    refuseBody(`Expected "limit" to be a positive integer, found ${found(limit)}`);
  }
  return filter;
}

/** Whether a path (or a route template) is the control API's own or the inspector page's: under `/__emulator`. */
export function isControlPath(path: string): boolean {
  return path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`);
}

/**
 * Adds a fault read from anything (a typed spec in process, a JSON body over HTTP), with the one
 * check of both doors. A fault on the control API itself is refused: the control API answers before
 * faults apply, so it would never fire, and if it did, a dropped or failing `/__emulator/faults`
 * could not be cleared over HTTP (our decision, docs/control-api.md).
 */
function addFault(faults: InjectedFaultList, input: unknown): InjectedFault {
  const read = readInjectedFaultSpec(input);
  if (!read.ok) refuseBody(read.message);
  if (isControlPath(read.spec.path)) {
    refuseBody(
      `Expected "path" to be an Auth0 path such as /api/v2/users/{id}, not one under ${CONTROL_PREFIX} (the control API and the inspector page take no faults), found ${found(read.spec.path)}`,
    );
  }
  if (faults.list().length >= MAX_FAULTS) {
    refuseBody(
      `Expected at most ${MAX_FAULTS} faults in place at once, found ${MAX_FAULTS} already: remove some first (DELETE ${CONTROL_PREFIX}/faults)`,
    );
  }
  return faults.add(read.spec);
}

/** Builds the in-process door of the control API on the parts of one emulator. */
export function createControl(parts: ControlParts): EmulatorControl {
  const { clock, log, faults, rateLimiter, searchIndex } = parts;
  return {
    health: () => ({
      status: 'ok',
      version: parts.version,
      users: parts.userCount(),
      uptimeSeconds: Math.floor((Date.now() - parts.startedAt) / 1000),
    }),
    reset: async () => {
      parts.resetUsers();
      faults.clear();
      clock.set(null);
      // Off and on again refills the buckets, keeping the mode as it was.
      const enabled = rateLimiter.state().enabled;
      rateLimiter.configure({ enabled: false });
      rateLimiter.configure({ enabled });
      await parts.changed();
      return { users: parts.userCount() };
    },
    users: {
      export: () => parts.exportUsers(),
      import: async (users) => {
        let entries: readonly SeedEntry[];
        if (typeof users === 'string') {
          const parsed = parseSeed(users, 'of POST /__emulator/users', 'the body');
          if (!parsed.ok) refuseBody(parsed.message);
          entries = parsed.users;
        } else if (Array.isArray(users)) {
          entries = users;
        } else {
          refuseBody(`Expected an array of users, found ${found(users)}`);
        }
        const imported = await parts.importUsers(entries);
        if (typeof imported === 'string') refuseBody(imported);
        await parts.changed();
        return { imported };
      },
    },
    requests: {
      list: (filter = {}) => log.find(checkFilter(filter)),
      clear: () => log.clear(),
      wait: (filter = {}, options = {}) => {
        const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
        if (!Number.isInteger(timeoutMs) || timeoutMs < 0 || timeoutMs > MAX_WAIT_MS) {
          refuseBody(`Expected "timeoutMs" to be an integer from 0 to ${MAX_WAIT_MS}, found ${found(timeoutMs)}`);
        }
        const signal = options.signal;
        return log.wait(checkFilter(filter), timeoutMs, signal).then((entry) => {
          if (signal?.aborted === true && entry === undefined) throw signal.reason;
          return entry;
        });
      },
    },
    clock: {
      get: () => clock.state(),
      set: (now) => {
        if (now === null) return clock.set(null);
        const time = now instanceof Date ? now : typeof now === 'string' ? new Date(now) : undefined;
        if (time === undefined || Number.isNaN(time.getTime())) {
          refuseBody(`Expected "now" to be an ISO 8601 time or null, found ${found(now)}`);
        }
        return clock.set(time);
      },
      advance: (seconds) => {
        if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
          refuseBody(`Expected "seconds" to be a finite number, found ${found(seconds)}`);
        }
        if (Number.isNaN(new Date(clock.now().getTime() + seconds * 1000).getTime())) {
          refuseBody(
            `Expected "seconds" to keep the clock within the dates JavaScript can hold, found ${found(seconds)}`,
          );
        }
        return clock.advance(seconds);
      },
    },
    faults: {
      list: () => faults.list(),
      add: (fault) => addFault(faults, fault),
      remove: (id) => faults.remove(id),
      clear: () => faults.clear(),
    },
    rateLimit: {
      get: () => rateLimiter.state(),
      set: (settings) => {
        const body = objectBody(settings, 'such as {"enabled": true}');
        onlyKeys(body, ['enabled', 'tier']);
        if (body.enabled !== undefined && typeof body.enabled !== 'boolean') {
          refuseBody(`Expected "enabled" to be true or false, found ${found(body.enabled)}`);
        }
        if (body.tier !== undefined && !isTier(body.tier)) {
          refuseBody(`Expected "tier" to be one of ${Object.keys(RATE_LIMITS).join(', ')}, found ${found(body.tier)}`);
        }
        return rateLimiter.configure({
          ...(typeof body.enabled === 'boolean' ? { enabled: body.enabled } : {}),
          ...(isTier(body.tier) ? { tier: body.tier } : {}),
        });
      },
    },
    searchIndex: {
      get: () => searchIndex.state(),
      set: (settings) => {
        const body = objectBody(settings, 'such as {"lagMs": 2000}');
        onlyKeys(body, ['lagMs']);
        const lagMs = body.lagMs;
        if (typeof lagMs !== 'number' || !Number.isInteger(lagMs) || lagMs < 0 || lagMs > MAX_SEARCH_LAG_MS) {
          refuseBody(`Expected "lagMs" to be an integer from 0 to ${MAX_SEARCH_LAG_MS}, found ${found(lagMs)}`);
        }
        return searchIndex.setLag(lagMs);
      },
      flush: () => searchIndex.flush(),
    },
    token: async () => ({
      access_token: await parts.issueToken(),
      token_type: 'Bearer',
      expires_in: parts.tokenLifetime,
    }),
  };
}

/** A control API error body: Auth0's shape without an `errorCode` (these are not Auth0's errors). */
function controlError(
  status: 400 | 403 | 404 | 405 | 408 | 413 | 415 | 503,
  error: string,
  message: string,
): EmulatorResponse {
  return jsonResponse({ statusCode: status, error, message }, status, { 'cache-control': 'no-store' });
}

/** What a wait whose request was abandoned (its signal aborted) reads as. */
const ABANDONED: unique symbol = Symbol('abandoned');

const NO_CONTENT: EmulatorResponse = Object.freeze({ status: 204, headers: Object.freeze({}), body: null });

/** The filter of a `requests` query string. */
function queryFilter(params: RequestQuery): RequestFilter {
  const number = (name: string): number | undefined => {
    const raw = params.get(name);
    if (raw === null) return undefined;
    if (!/^\d+$/.test(raw)) refuseBody(`Expected "${name}" to be a non-negative integer, found ${found(raw)}`);
    return Number(raw);
  };
  const since = params.get('since');
  const method = params.get('method');
  const path = params.get('path');
  const status = number('status');
  const limit = number('limit');
  return {
    ...(method === null ? {} : { method }),
    ...(path === null ? {} : { path }),
    ...(status === undefined ? {} : { status }),
    ...(limit === undefined ? {} : { limit }),
    ...(since === null ? {} : { since: /^\d+$/.test(since) ? Number(since) : since }),
  };
}

/** The JSON body of a control request (an empty body reads as `{}`), or a refusal. */
async function jsonBody(request: EmulatorRequest, limit: number): Promise<unknown> {
  const text = await bodyText(request, limit);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return refuseBody(`Expected a JSON body, found text that is not JSON: ${JSON.stringify(text.slice(0, 100))}`);
  }
}

async function bodyText(request: EmulatorRequest, limit: number): Promise<string> {
  const read = await readText(request, limit);
  if (!read.ok) {
    refuseBody(
      read.reason === 'too_large'
        ? `Expected a body of at most ${limit} bytes, found a larger one`
        : 'Expected a UTF-8 body (JSON, or NDJSON for users), found one that cannot be read as such',
    );
  }
  return read.text;
}

type ControlHandler = (
  request: EmulatorRequest,
  url: RequestUrl,
  segments: readonly string[],
) => Promise<EmulatorResponse>;

/** The handlers of the control API, by the first segment after `/__emulator/`, then by method. */
type ControlRoutes = Readonly<Record<string, Record<string, ControlHandler>>>;

/** The HTTP door: one route per method and path under `/__emulator/`. */
function controlRoutes(control: EmulatorControl, faults: InjectedFaultList, maxBodyBytes: number): ControlRoutes {
  const ok = (value: unknown, status = 200): EmulatorResponse =>
    jsonResponse(value, status, { 'cache-control': 'no-store' });
  return {
    health: { GET: async () => ok(control.health()) },
    reset: { POST: async () => ok(await control.reset()) },
    users: {
      GET: async (_request, url) => {
        const format = url.searchParams.get('format') ?? 'json';
        if (format !== 'json' && format !== 'ndjson') {
          refuseBody(`Expected "format" to be json or ndjson, found ${found(format)}`);
        }
        const users = control.users.export();
        if (format === 'json') return ok(users);
        const lines = users.map((user) => `${JSON.stringify(user)}\n`).join('');
        return { status: 200, headers: { 'content-type': 'application/x-ndjson; charset=utf-8' }, body: lines };
      },
      POST: async (request) => ok(await control.users.import(await bodyText(request, maxBodyBytes))),
    },
    requests: {
      GET: async (request, url, segments) => {
        if (segments[1] === 'wait') {
          const raw = url.searchParams.get('timeoutMs');
          if (raw !== null && !/^\d+$/.test(raw)) {
            refuseBody(`Expected "timeoutMs" to be a non-negative integer, found ${found(raw)}`);
          }
          const timeoutMs = raw === null ? DEFAULT_WAIT_MS : Number(raw);
          const signal = request.signal;
          const entry = await control.requests
            .wait(queryFilter(url.searchParams), { timeoutMs, signal })
            .catch((error: unknown) => {
              if (signal?.aborted === true) return ABANDONED;
              throw error;
            });
          if (entry === ABANDONED) {
            // The client went away (nobody reads this) or the server is stopping.
            return controlError(
              503,
              'Service Unavailable',
              'The wait ended before a matching request arrived: the server is stopping or the client went away',
            );
          }
          if (entry === undefined) {
            return controlError(408, 'Request Timeout', `No matching request arrived within ${timeoutMs} ms`);
          }
          return ok({ request: entry });
        }
        return ok({ requests: control.requests.list(queryFilter(url.searchParams)) });
      },
      DELETE: async () => {
        control.requests.clear();
        return NO_CONTENT;
      },
    },
    clock: {
      GET: async () => ok(control.clock.get()),
      PUT: async (request) => {
        const body = objectBody(await jsonBody(request, maxBodyBytes), 'such as {"now": "2030-01-01T00:00:00Z"}');
        onlyKeys(body, ['now']);
        const now = body.now;
        if (now !== null && typeof now !== 'string') {
          refuseBody(`Expected "now" to be an ISO 8601 time or null, found ${found(now)}`);
        }
        return ok(control.clock.set(now));
      },
      POST: async (request, _url, segments) => {
        if (segments[1] !== 'advance') return notFound();
        const body = objectBody(await jsonBody(request, maxBodyBytes), 'such as {"seconds": 3600}');
        onlyKeys(body, ['seconds']);
        const seconds = body.seconds;
        if (typeof seconds !== 'number') refuseBody(`Expected "seconds" to be a number, found ${found(seconds)}`);
        return ok(control.clock.advance(seconds));
      },
    },
    faults: {
      GET: async () => ok({ faults: control.faults.list() }),
      POST: async (request) => ok({ fault: addFault(faults, await jsonBody(request, maxBodyBytes)) }, 201),
      DELETE: async (_request, _url, segments) => {
        const id = segments[1];
        if (id === undefined) {
          control.faults.clear();
          return NO_CONTENT;
        }
        if (!/^\d+$/.test(id) || !control.faults.remove(Number(id))) {
          return controlError(404, 'Not Found', `No fault with id ${JSON.stringify(id)}`);
        }
        return NO_CONTENT;
      },
    },
    'rate-limit': {
      GET: async () => ok(control.rateLimit.get()),
      PUT: async (request) =>
        ok(control.rateLimit.set(objectBody(await jsonBody(request, maxBodyBytes), 'such as {"enabled": true}'))),
    },
    'search-index': {
      GET: async () => ok(control.searchIndex.get()),
      PUT: async (request) => {
        const body = objectBody(await jsonBody(request, maxBodyBytes), 'such as {"lagMs": 2000}');
        onlyKeys(body, ['lagMs']);
        const lagMs = body.lagMs;
        if (typeof lagMs !== 'number')
          refuseBody(`Expected "lagMs" to be a number of milliseconds, found ${found(lagMs)}`);
        return ok(control.searchIndex.set({ lagMs }));
      },
      POST: async (_request, _url, segments) =>
        segments[1] === 'flush' ? ok(control.searchIndex.flush()) : notFound(),
    },
    token: { POST: async () => ok(await control.token()) },
  };
}

function notFound(): EmulatorResponse {
  return controlError(404, 'Not Found', 'No such control endpoint: see the control API documentation');
}

/** How deep each control path may go: `requests/wait`, `clock/advance`, `faults/{id}`, `search-index/flush`. */
const SUBPATHS: Readonly<Record<string, readonly string[] | 'id'>> = {
  requests: ['wait'],
  clock: ['advance'],
  faults: 'id',
  'search-index': ['flush'],
};

/**
 * The control API's HTTP door, as a step of the pipeline: answers every path under `/__emulator`
 * (the inspector page itself, `GET /__emulator/`, is the dev server's) and hands every other on.
 */
export function controlStep(
  control: EmulatorControl,
  faults: InjectedFaultList,
  maxBodyBytes: number,
  controlHosts: ReadonlySet<string>,
): Step {
  const routes = controlRoutes(control, faults, maxBodyBytes);
  const answer = controlAnswerer(routes, controlHosts);
  return (exchange: Exchange, next) => {
    const path = exchange.url.pathname;
    return isControlPath(path) ? answer(exchange) : next();
  };
}

/** Answers a request under `/__emulator` with the control route of its path and method. */
function controlAnswerer(
  routes: ControlRoutes,
  controlHosts: ReadonlySet<string>,
): (exchange: Exchange) => Promise<EmulatorResponse> {
  return async ({ url, request }) => {
    const path = url.pathname;
    if (!isControlHostname(url.hostname, controlHosts)) {
      return controlError(
        403,
        'Forbidden',
        `The control API answers only loopback Host names (localhost, 127.0.0.1, ::1) and the hosts named for it (serve --allowed-host, the controlHosts option), not ${JSON.stringify(url.host)}`,
      );
    }
    const segments = path.slice(CONTROL_PREFIX.length + 1).split('/');
    const [name = ''] = segments;
    if (name === '' && segments.length === 1) {
      return controlError(404, 'Not Found', 'The inspector page is served by the dev server (auth0-metadata serve)');
    }
    const methods = Object.hasOwn(routes, name) ? routes[name] : undefined;
    const depth = SUBPATHS[name];
    const deeper = segments.length === 2 && (depth === 'id' || (depth?.includes(segments[1] ?? '') ?? false));
    if (methods === undefined || (segments.length > 1 && !deeper)) return notFound();
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    const handler = Object.hasOwn(methods, method) ? methods[method] : undefined;
    if (handler === undefined) {
      return {
        ...controlError(405, 'Method Not Allowed', `Expected ${Object.keys(methods).join(' or ')} on ${path}`),
        headers: { 'content-type': 'application/json; charset=utf-8', allow: Object.keys(methods).join(', ') },
      };
    }
    try {
      return await handler(request, url, segments);
    } catch (error) {
      if (error instanceof ControlInputError) return controlError(400, 'Bad Request', error.message);
      throw error;
    }
  };
}

/**
 * Waits `ms`, or less if `signal` aborts first: `true` when the time passed, `false` when the wait
 * was cut short (its timer cleared, so nothing holds the process).
 */
function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted === true) return Promise.resolve(false);
  return new Promise((resolve) => {
    const cut = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', cut);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', cut, { once: true });
  });
}

/**
 * The step that applies the faults: waits (ending early, with a 503, when the request's signal
 * aborts), drops the connection, or answers a status in place of the endpoint.
 */
export function faultStep(faults: InjectedFaultList, rateLimiter: RateLimiter): Step {
  /** What a fault does once its delay, if any, is over. */
  const apply = (spec: InjectedFaultSpec, next: () => Later<EmulatorResponse>): Later<EmulatorResponse> => {
    if (spec.drop === true) return DROPPED_CONNECTION;
    if (spec.status === undefined) return next();
    return faultAnswer(spec, rateLimiter.state().tier, Date.now());
  };
  return (exchange, next) => {
    const spec = faults.take(
      exchange.request.method === 'HEAD' ? 'GET' : exchange.request.method,
      exchange.url.pathname,
    );
    if (spec === undefined) return next();
    const delayMs = spec.delayMs ?? 0;
    if (delayMs <= 0) return apply(spec, next);
    return pause(delayMs, exchange.request.signal).then((waited) =>
      // The client went away or the server is stopping: the delay ends now, with Auth0's 503.
      waited ? apply(spec, next) : faultAnswer({ path: spec.path, status: 503 }, rateLimiter.state().tier, Date.now()),
    );
  };
}

/**
 * The step of rate-limit mode: a 429 with Auth0's body over the limit, the bucket's headers on every
 * answer. The Management API's bucket takes `/api/v2/*`; the Authentication API's the rest
 * (`/oauth/token`, `/dbconnections/signup`, the JWKS), whatever envelope answers them; an endpoint
 * with a limit of its own (`RATE_LIMITS[tier].endpoints`, per IP address for signup) takes from
 * its own bucket too.
 */
export function rateLimitStep(rateLimiter: RateLimiter): Step {
  return (exchange, next) => {
    const { match, request } = exchange;
    const decision = rateLimiter.take({
      api: match.template.startsWith('/api/v2/') ? 'management' : 'authentication',
      method: request.method === 'HEAD' ? 'GET' : request.method,
      path: match.template,
      remoteAddress: request.remoteAddress,
    });
    if (decision === undefined) return next();
    if (!decision.allowed) {
      const answer = faultAnswer({ path: exchange.url.pathname, status: 429 }, rateLimiter.state().tier, Date.now());
      return { ...answer, headers: { ...answer.headers, ...decision.headers } };
    }
    return whenReady(next(), (answer) => ({ ...answer, headers: { ...answer.headers, ...decision.headers } }));
  };
}
