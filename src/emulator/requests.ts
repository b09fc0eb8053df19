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

function deepFreeze<Value>(value: Value): Value {
  if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) deepFreeze(Reflect.get(value, key));
    Object.freeze(value);
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

/** The log entry of one answered request (frozen, like everything the emulator hands out). */
export function recordOf(request: EmulatorRequest, url: URL, answer: EmulatorResponse): RecordedRequest {
  const known = facts.get(request);
  facts.delete(request);
  return deepFreeze({
    method: request.method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    body: readBody(known?.text, request.headers.get('content-type')),
    status: answer.status,
    subject: known?.grant?.subject,
    scopes: known?.grant === undefined ? undefined : [...known.grant.scopes],
  });
}

/** The newest `limit` records, oldest first. */
export interface RequestLog {
  readonly add: (record: RecordedRequest) => void;
  readonly all: () => readonly RecordedRequest[];
  readonly clear: () => void;
}

/** A log keeping the newest `limit` records; `limit` 0 keeps none. */
export function createRequestLog(limit: number): RequestLog {
  let records: RecordedRequest[] = [];
  return {
    add: (record) => {
      if (limit === 0) return;
      records.push(record);
      if (records.length > limit) records.shift();
    },
    all: () => Object.freeze([...records]),
    clear: () => {
      records = [];
    },
  };
}
