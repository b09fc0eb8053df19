import { storedJson } from '../internal/storedJson.js';
import { INTERNAL_ERROR_BODY } from '../rules/http.js';

/**
 * A request as the emulator reads it. A Web `Request` is one; so is the lighter object the Node
 * adapter builds, which skips the cost of a `Request` and its streams.
 */
export interface EmulatorRequest {
  readonly method: string;
  /** The absolute URL. */
  readonly url: string;
  readonly headers: { readonly get: (name: string) => string | null };
  /** The body: a stream, bytes already read, or none. */
  readonly body: ReadableStream<Uint8Array> | Uint8Array | null;
  /** The address of the client, when a server knows it (a login records it as `last_ip`). */
  readonly remoteAddress?: string | undefined;
  /**
   * Aborted once the answer is no longer wanted: the client went away, or the server is closing (a
   * Web `Request`'s own signal; the Node adapter sets one on its plain requests). A long poll of the
   * control API ends on it.
   */
  readonly signal?: AbortSignal | undefined;
}

/** The query of a {@link RequestUrl}: read-only. */
export type RequestQuery = Pick<URLSearchParams, 'get' | 'getAll' | 'has'> & Iterable<[string, string]>;

/**
 * A request's URL as the emulator reads it: a parsed `URL`, seen through read-only fields. The same
 * object serves every request with the same URL text ({@link parseRequestUrl}), so nothing may change it.
 */
export interface RequestUrl {
  readonly href: string;
  readonly origin: string;
  readonly protocol: string;
  readonly host: string;
  readonly hostname: string;
  readonly port: string;
  readonly pathname: string;
  readonly search: string;
  readonly searchParams: RequestQuery;
}

/** How many URL texts {@link parseRequestUrl} keeps parsed: clients ask for the same few URLs again and again. */
const KEPT_URLS = 256;

/**
 * The longest URL text {@link parseRequestUrl} keeps: a longer one (a search with a long query) is
 * parsed each time, so what the kept URLs hold stays within about a megabyte whatever the callers send.
 */
const KEPT_URL_LENGTH = 2048;

const parsedUrls = new Map<string, RequestUrl>();

/**
 * Parses the absolute URL of a request (throwing as `new URL` does), once per URL text among the
 * last {@link KEPT_URLS} different ones: a parse costs as much as answering a GET of a user
 * from memory.
 */
export function parseRequestUrl(text: string): RequestUrl {
  const known = parsedUrls.get(text);
  if (known !== undefined) return known;
  const url = new URL(text);
  if (text.length > KEPT_URL_LENGTH) return url;
  if (parsedUrls.size >= KEPT_URLS) parsedUrls.clear();
  parsedUrls.set(text, url);
  return url;
}

/**
 * A value now, or a promise of it when something is pending (a body still streaming in, a password
 * to hash, an injected delay): the request path answers without a promise when nothing is.
 */
export type Later<Value> = Value | Promise<Value>;

/** Calls `then` with `value`: at once when it is there, once it settles when it is a promise. */
export function whenReady<Value, Next>(value: Later<Value>, then: (value: Value) => Later<Next>): Later<Next> {
  return value instanceof Promise ? value.then(then) : then(value);
}

/** An answer of the emulator, before it becomes a Web `Response` (or is written by the Node adapter). */
export interface EmulatorResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** JSON text, or `null` for no body (204). */
  readonly body: string | null;
}

/**
 * Turns an emulator answer into a Web `Response`.
 *
 * @param answer - The status, headers and body.
 * @returns The same answer as a `Response`; a bodiless 500 for anything that is not an answer.
 * @example
 * const response = toResponse({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
 * [response.status, await response.json()];
 * // => [200, { a: 1 }]
 */
export function toResponse(answer: EmulatorResponse): Response {
  try {
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  } catch {
    // Not an answer of the emulator (a hostile or malformed value): a bodiless 500, never an exception.
    return new Response(null, { status: 500 });
  }
}

/** The headers of every JSON answer. */
const JSON_HEADERS: Readonly<Record<string, string>> = /* @__PURE__ */ Object.freeze({
  'content-type': 'application/json; charset=utf-8',
});

/**
 * The Management API's 500 (`INTERNAL_ERROR_BODY`, src/rules/http.ts) as an answer: what the Node
 * adapter and the command line send when a handler fails unexpectedly.
 */
export const INTERNAL_ERROR: EmulatorResponse = /* @__PURE__ */ Object.freeze({
  status: 500,
  headers: JSON_HEADERS,
  body: JSON.stringify(INTERNAL_ERROR_BODY),
});

/**
 * An answer holding `value`, what a route selected of the stored user `stored`: when that is the
 * whole stored user, its JSON text is made once per stored version (`storedJson`), not per request.
 */
export function userAnswer(value: object, stored: object, status: 200 | 201): EmulatorResponse {
  return { status, headers: JSON_HEADERS, body: value === stored ? storedJson(stored) : JSON.stringify(value) };
}
