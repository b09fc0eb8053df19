import { analyzePatch, describeEffect } from '../analyzePatch.js';
import type { TokenGrant } from '../authorizeUserRequest.js';
import { pathText } from '../formatPath.js';
import type { UserPatch, WriteOptions } from '../types.js';
import type { EmulatorRequest, EmulatorResponse, RequestUrl } from './http.js';

/** One request the emulator answered, as `emulator.requests` lists it. */
export interface RecordedRequest {
  readonly method: string;
  /** The path as sent, still percent-encoded (`/api/v2/users/auth0%7Cjane`). */
  readonly path: string;
  /** The query parameters (the last of a repeated name). */
  readonly query: Readonly<Record<string, string>>;
  /**
   * The body as the emulator read it: the parsed JSON, the fields of a form body, the text of any
   * other, `undefined` when the route read none (a GET, or a request refused before its body).
   * Secrets sent (passwords, client secrets) are kept as sent here: this list lives in memory, in
   * the caller's own process. The journal of the control API masks them.
   */
  readonly body: unknown;
  readonly status: number;
  /** The verified token's `sub`; `undefined` when no valid token was checked. */
  readonly subject: string | undefined;
  /** The verified token's scopes; `undefined` when no valid token was checked. */
  readonly scopes: readonly string[] | undefined;
}

/** One effect of a successful PATCH of a user, as the journal gives it. */
export interface JournalEffect {
  readonly kind: string;
  /** Where, as `user_metadata.addresses.home`. */
  readonly path: string;
  readonly description: string;
}

/**
 * One answered request as the control API's journal gives it (`GET /__emulator/requests`):
 * passwords and client secrets in the body are masked as `********`.
 */
export interface JournalEntry {
  /** Increasing from 1 over the emulator's life; never reused, not even after a clear. */
  readonly id: number;
  /** When the request arrived, on the emulator's clock (ISO 8601). */
  readonly time: string;
  readonly durationMs: number;
  readonly method: string;
  /** The path as sent, still percent-encoded. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly status: number;
  readonly subject?: string;
  readonly scopes?: readonly string[];
  readonly body?: unknown;
  /** The `errorCode` (Management API), `code` (signup) or `error` (`/oauth/token`) of an error answer. */
  readonly errorCode?: string;
  /** For a successful PATCH of a user: what it did, from `analyzePatch`. */
  readonly effects?: readonly JournalEffect[];
}

/** What the steps of one request learn for the journal, filled in as it is answered. */
export interface Trace {
  /** The body text, once a step or handler has read it. */
  bodyText?: string;
  /** The verified token. */
  grant?: TokenGrant;
  /** The code of the error answered. */
  errorCode?: string;
  /** A successful PATCH: the user before it, the patch and the clock it was applied with (effects are computed on read). */
  patched?: { readonly before: object; readonly patch: UserPatch; readonly write: WriteOptions };
}

/** Freezes a value and everything in it, without recursion (a body may nest 100,000 levels deep). */
function freezeParsed<Value>(value: Value): Value {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item !== 'object' || item === null || Object.isFrozen(item)) continue;
    for (const key of Object.keys(item)) pending.push(Reflect.get(item, key));
    Object.freeze(item);
  }
  return value;
}

function readBody(text: string | undefined, type: string | null): unknown {
  if (text === undefined || text === '') return undefined;
  if ((type ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    const value: unknown = JSON.parse(text);
    return value;
  } catch {
    return text;
  }
}

/** The body fields that carry a secret: a user's password, a client's secret (`/oauth/token`). */
const SECRET_FIELDS: ReadonlySet<string> = new Set(['password', 'client_secret']);

/** What a masked secret reads as. */
export const MASK = '********';

/**
 * A copy of a parsed body with every secret field, at any depth, replaced by {@link MASK}; built
 * without recursion. `__proto__` stays data.
 */
export function maskSecrets(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const copyOf = (value: object): Record<string, unknown> | unknown[] =>
    Array.isArray(value) ? [] : Object.create(Object.prototype);
  const root = copyOf(body);
  const pending: [object, Record<string, unknown> | unknown[]][] = [[body, root]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [from, to] = next;
    for (const key of Object.keys(from)) {
      const value: unknown = Reflect.get(from, key);
      let copied: unknown = value;
      if (SECRET_FIELDS.has(key) && !Array.isArray(from)) copied = MASK;
      else if (typeof value === 'object' && value !== null) {
        const child = copyOf(value);
        pending.push([value, child]);
        copied = child;
      }
      Object.defineProperty(to, key, { value: copied, enumerable: true, writable: true, configurable: true });
    }
  }
  return root;
}

/** The error code of an error answer's body, read from its JSON text. */
function errorCodeOf(answer: EmulatorResponse): string | undefined {
  if (answer.status < 400 || answer.body === null) return undefined;
  try {
    const body: unknown = JSON.parse(answer.body);
    if (typeof body !== 'object' || body === null) return undefined;
    for (const name of ['errorCode', 'code', 'error']) {
      const value: unknown = Reflect.get(body, name);
      if (typeof value === 'string') return value;
    }
  } catch {
    // Not JSON: no code to give.
  }
  return undefined;
}

/** The effects of a traced PATCH, described. */
function effectsOf(patched: NonNullable<Trace['patched']>): readonly JournalEffect[] {
  const analysis = analyzePatch(patched.before, patched.patch, patched.write);
  if (!analysis.success) return [];
  return analysis.value.effects.map((effect) => ({
    kind: effect.kind,
    path: pathText(effect.path),
    description: describeEffect(effect),
  }));
}

/**
 * One answered request as the log keeps it: the body stays text, and a PATCH's effects
 * uncomputed, until the log is read, so that answering costs no second parse and no copy.
 */
export interface PendingRecord {
  readonly id: number;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Milliseconds since the epoch on the emulator's clock. */
  readonly time: number;
  readonly read: () => RecordedRequest;
  readonly entry: () => JournalEntry;
}

/** What the journal needs of one answered request. */
export interface Answered {
  readonly id: number;
  readonly request: EmulatorRequest;
  readonly url: RequestUrl;
  readonly answer: EmulatorResponse;
  readonly trace: Trace;
  readonly time: Date;
  readonly durationMs: number;
}

/** The log entry of one answered request; its body is parsed and frozen when first read. */
export function recordOf({ id, request, url, answer, trace, time, durationMs }: Answered): PendingRecord {
  const type = request.headers.get('content-type');
  const grant = trace.grant;
  const errorCode = trace.errorCode ?? errorCodeOf(answer);
  // Answering keeps only what an entry is made of; its query object and scopes (like its body)
  // are built when it is first read, so an answered request costs the journal almost nothing.
  const fields = { method: request.method, path: url.pathname, status: answer.status };
  let record: RecordedRequest | undefined;
  let entry: JournalEntry | undefined;
  const read = (): RecordedRequest => {
    record ??= freezeParsed({
      method: fields.method,
      path: fields.path,
      query: Object.fromEntries(url.searchParams),
      status: fields.status,
      subject: grant?.subject,
      scopes:
        grant === undefined
          ? undefined
          : typeof grant.scopes === 'string'
            ? grant.scopes.split(' ').filter(Boolean)
            : [...grant.scopes],
      body: readBody(trace.bodyText, type),
    });
    return record;
  };
  return {
    id,
    method: fields.method,
    path: fields.path,
    status: fields.status,
    time: time.getTime(),
    read,
    entry: () => {
      if (entry !== undefined) return entry;
      const { body, subject, scopes, query } = read();
      entry = freezeParsed({
        id,
        time: time.toISOString(),
        durationMs,
        method: fields.method,
        path: fields.path,
        query,
        status: fields.status,
        ...(subject === undefined ? {} : { subject }),
        ...(scopes === undefined ? {} : { scopes }),
        ...(body === undefined ? {} : { body: maskSecrets(body) }),
        ...(errorCode === undefined ? {} : { errorCode }),
        ...(trace.patched === undefined || fields.status >= 300 ? {} : { effects: effectsOf(trace.patched) }),
      });
      return entry;
    },
  };
}

/** Which journal entries a reader wants; every field is optional. */
export interface RequestFilter {
  /** The method, in any case. */
  readonly method?: string;
  /** An exact path as sent, or a route template where `{name}` stands for one segment (`/api/v2/users/{id}`). */
  readonly path?: string;
  readonly status?: number;
  /** Entries after this id (exclusive), or at or after this ISO time. */
  readonly since?: number | string;
  /** At most this many (the oldest first of those that match). */
  readonly limit?: number;
}

/** Whether a path matches a filter's path: exactly, decoded, or as a `{name}` template. */
export function pathMatches(pattern: string, path: string): boolean {
  if (pattern === path) return true;
  if (pattern.includes('{')) {
    const parts = pattern.split(/\{[^/{}]*\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    return new RegExp(`^${parts.join('[^/]+')}$`).test(path);
  }
  try {
    return decodeURIComponent(path) === pattern;
  } catch {
    return false;
  }
}

function matches(record: PendingRecord, filter: RequestFilter): boolean {
  if (filter.method !== undefined && record.method !== filter.method.toUpperCase()) return false;
  if (filter.status !== undefined && record.status !== filter.status) return false;
  if (filter.path !== undefined && !pathMatches(filter.path, record.path)) return false;
  const since = filter.since;
  if (typeof since === 'number' && record.id <= since) return false;
  if (typeof since === 'string' && record.time < Date.parse(since)) return false;
  return true;
}

/** The newest `limit` records, oldest first, and those who wait for one. */
export interface RequestLog {
  readonly add: (record: PendingRecord) => void;
  readonly all: () => readonly RecordedRequest[];
  /** The journal entries that match, oldest first. */
  readonly find: (filter: RequestFilter) => readonly JournalEntry[];
  /**
   * The first entry that matches, already there or arriving within `timeoutMs`; `undefined` after
   * that, or as soon as `signal` aborts (the waiter is then gone, its timer cleared).
   */
  readonly wait: (filter: RequestFilter, timeoutMs: number, signal?: AbortSignal) => Promise<JournalEntry | undefined>;
  readonly clear: () => void;
}

interface Waiter {
  readonly filter: RequestFilter;
  readonly done: (entry: JournalEntry | undefined) => void;
}

/** A log keeping the newest `limit` records; `limit` 0 keeps none (a waiter still hears of new ones). */
export function createRequestLog(limit: number): RequestLog {
  const records: PendingRecord[] = [];
  const waiters = new Set<Waiter>();
  return {
    add: (record) => {
      for (const waiter of waiters) if (matches(record, waiter.filter)) waiter.done(record.entry());
      if (limit === 0) return;
      records.push(record);
      if (records.length > limit) records.shift();
    },
    all: () => Object.freeze(records.map((record) => record.read())),
    find: (filter) => {
      const found = records.filter((record) => matches(record, filter));
      return Object.freeze(found.slice(0, filter.limit ?? found.length).map((record) => record.entry()));
    },
    wait: (filter, timeoutMs, signal) => {
      const present = records.find((record) => matches(record, filter));
      if (present !== undefined) return Promise.resolve(present.entry());
      if (signal?.aborted === true) return Promise.resolve(undefined);
      return new Promise((resolve) => {
        const abandon = (): void => waiter.done(undefined);
        const waiter: Waiter = {
          filter,
          done: (entry) => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', abandon);
            waiters.delete(waiter);
            resolve(entry);
          },
        };
        const timer = setTimeout(abandon, timeoutMs);
        signal?.addEventListener('abort', abandon, { once: true });
        waiters.add(waiter);
      });
    },
    clear: () => {
      records.length = 0;
    },
  };
}
