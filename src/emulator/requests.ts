import type { TokenGrant } from '../authorizeUserRequest.js';
import type { EmulatorRequest, EmulatorResponse } from './http.js';

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
   * Secrets sent (passwords, client secrets) are kept as sent: the log lives in memory only.
   */
  readonly body: unknown;
  readonly status: number;
  /** The verified token's `sub`; `undefined` when no valid token was checked. */
  readonly subject: string | undefined;
  /** The verified token's scopes; `undefined` when no valid token was checked. */
  readonly scopes: readonly string[] | undefined;
}

interface Facts {
  text?: string;
  grant?: TokenGrant;
}

/** What the routes learnt of each request while answering it, for the log. */
const facts = new WeakMap<EmulatorRequest, Facts>();

function factsOf(request: EmulatorRequest): Facts {
  const known = facts.get(request);
  if (known !== undefined) return known;
  const fresh: Facts = {};
  facts.set(request, fresh);
  return fresh;
}

/** Remembers the body text a route read. */
export function noteBody(request: EmulatorRequest, text: string): void {
  factsOf(request).text = text;
}

/** Remembers the grant of the token a route verified. */
export function noteGrant(request: EmulatorRequest, grant: TokenGrant): void {
  factsOf(request).grant = grant;
}

/** Freezes a value and everything in it, without recursion (a body may nest 100,000 levels deep). */
function deepFreeze<Value>(value: Value): Value {
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

/**
 * One answered request as the log keeps it: the body stays text until the log is read, so that
 * answering costs no second parse and no copy.
 */
export interface PendingRecord {
  readonly read: () => RecordedRequest;
}

/**
 * The log entry of one answered request. Answering only keeps what the entry is made of (the URL
 * already parsed, the grant, the body text); its query object, scopes and body are built, parsed
 * and frozen when the log is first read, so a request costs the log almost nothing.
 */
export function recordOf(request: EmulatorRequest, url: URL, answer: EmulatorResponse): PendingRecord {
  const known = facts.get(request);
  if (known !== undefined) facts.delete(request);
  const method = request.method;
  const status = answer.status;
  const type = known?.text === undefined ? null : request.headers.get('content-type');
  let record: RecordedRequest | undefined;
  return {
    read: () => {
      const grant = known?.grant;
      record ??= deepFreeze({
        method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        status,
        subject: grant?.subject,
        scopes: grant === undefined ? undefined : [...grant.scopes],
        body: readBody(known?.text, type),
      });
      return record;
    },
  };
}

/** The newest `limit` records, oldest first. */
export interface RequestLog {
  readonly add: (record: PendingRecord) => void;
  readonly all: () => readonly RecordedRequest[];
  readonly clear: () => void;
}

/** A log keeping the newest `limit` records; `limit` 0 keeps none. */
export function createRequestLog(limit: number): RequestLog {
  const records: PendingRecord[] = [];
  return {
    add: (record) => {
      if (limit === 0) return;
      records.push(record);
      if (records.length > limit) records.shift();
    },
    all: () => Object.freeze(records.map((record) => record.read())),
    clear: () => {
      records.length = 0;
    },
  };
}
