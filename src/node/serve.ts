import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { type EmulatorRequest, type EmulatorResponse, INTERNAL_ERROR, type Later } from '../emulator/http.js';
import { isDroppedConnection } from '../emulator/injectedFaults.js';
import { type Respond, respondOf } from '../emulator/respond.js';
import { createRequestGuard, HOST_HEADER, type RequestGuard } from './hosts.js';

/** A Web-standard request handler, such as an emulator's `fetch`. */
export type RequestHandler = (request: Request) => Promise<Response>;

/**
 * Anything with the emulator's plain `handle`: served without building Web `Request`/`Response`
 * objects, whose streams cost more than the emulator's own work.
 */
export interface PlainHandler {
  readonly handle: (request: EmulatorRequest) => Promise<EmulatorResponse>;
}

/** Options of {@link serve}. */
export interface ServeOptions {
  /** The port; `0` (the default) picks a free one. */
  readonly port?: number;
  /** The interface to bind. Default: `127.0.0.1`, reachable from this machine only. */
  readonly host?: string;
  /** How long `close()` waits for requests in flight before cutting connections, in ms. Default: 5000. */
  readonly closeTimeout?: number;
  /** Serve https with this PEM key and certificate (the url is then `https://...`). Default: plain http. */
  readonly tls?: { readonly key: string; readonly cert: string };
  /**
   * Host names answered besides the loopback names (`localhost`, `*.localhost`, `127.0.0.1`,
   * `[::1]`), the bound address and an emulator's tenant domain; any other Host is refused 403
   * before routing (DNS rebinding). `.example.test` allows the names under it, `*` any name.
   */
  readonly allowedHosts?: readonly string[];
  /**
   * Origins whose web pages may call the server (Auth0's "Allowed Web Origins"): their requests get
   * CORS headers and their preflights a 204. A request from any other origin is refused 403.
   */
  readonly allowedOrigins?: readonly string[];
}

/** A running server. */
export interface RunningServer {
  /** `http://<host>:<port>`, with the port actually bound. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Stops accepting connections, lets requests in flight finish, then resolves. */
  readonly close: () => Promise<void>;
}

/**
 * A request target in origin form (`/path?query`) made only of characters a URL keeps as they are:
 * appended to the origin, it is the URL without parsing it here (the handler parses it once).
 * Anything else (`//host/x`, an absolute form, spaces, a fragment, non-ASCII) takes the parsing path.
 */
const PLAIN_TARGET = /^\/(?!\/)[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*$/;

/** How many distinct Host headers the adapter remembers the origin of. */
const REMEMBERED_HOSTS = 64;

/** A URL, or `undefined` where `new URL` would throw (a port over 65535, `[:::]`). */
function parseUrl(text: string, base?: string): URL | undefined {
  try {
    return new URL(text, base);
  } catch {
    return undefined;
  }
}

/**
 * Reads the absolute URL of each request, or `undefined` when its Host header or its target is
 * malformed. The origin is the Host header when that is a plain `host[:port]` that is a valid URL
 * authority, the fallback when there is none (RFC 9112 §3.2: a Host with an invalid value is the
 * client's 400); it is worked out once per Host value. Only the path and query of the target
 * count: an absolute-form target cannot pick the origin, but one that is not a URL
 * (`http://a:99999/`) is refused like a malformed Host.
 */
function urlReader(fallbackOrigin: string): (incoming: IncomingMessage) => string | undefined {
  const fallback = parseUrl(fallbackOrigin);
  const protocol = fallback?.protocol ?? 'http:';
  const origins = new Map<string, string | undefined>();
  const originOf = (host: string | undefined): string | undefined => {
    if (host === undefined) return fallback?.origin;
    if (origins.has(host)) return origins.get(host);
    const origin = HOST_HEADER.test(host) ? parseUrl(`${protocol}//${host}`)?.origin : undefined;
    if (origins.size >= REMEMBERED_HOSTS) origins.clear();
    origins.set(host, origin);
    return origin;
  };
  return (incoming) => {
    const origin = originOf(incoming.headers.host);
    // `url` is always set on a request an http.Server received.
    const target = String(incoming.url);
    if (origin === undefined) return undefined;
    if (PLAIN_TARGET.test(target)) return `${origin}${target}`;
    const parsed = parseUrl(target, 'http://target.invalid');
    return parsed === undefined ? undefined : parseUrl(`${parsed.pathname}${parsed.search}`, origin)?.href;
  };
}

/** Bodies announced at most this long are read whole before the handler runs; longer ones are streamed. */
const BUFFERED_BODY_BYTES = 64 * 1024;

/**
 * Reads the whole body of a request, as Node delivered it, and calls `whole` with it inside the
 * request's `end` event, or `broken` once if the client breaks off before its end.
 */
function readWhole(incoming: IncomingMessage, whole: (body: Buffer) => void, broken: (error: Error) => void): void {
  const chunks: Buffer[] = [];
  let settled = false;
  incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
  incoming.once('end', () => {
    settled = true;
    whole(chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks));
  });
  const fail = (error: Error): void => {
    if (settled) return;
    settled = true;
    broken(error);
  };
  incoming.once('error', fail);
  incoming.once('close', () => {
    if (!incoming.complete) fail(new Error('The client closed the connection before the end of the body'));
  });
}

/** The whole body of a request, as a promise (the Web handler's path). */
function readWholeBody(incoming: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => readWhole(incoming, resolve, reject));
}

/** An answer of the adapter itself, in the Management API's error envelope. */
function adapterError(status: 400 | 405, error: string, message: string, errorCode: string): EmulatorResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ statusCode: status, error, message, errorCode }),
  };
}

const BAD_TARGET = /* @__PURE__ */ adapterError(
  400,
  'Bad Request',
  'Invalid Host header or request target',
  'bad_request',
);
const FORBIDDEN_METHOD = /* @__PURE__ */ adapterError(
  405,
  'Method Not Allowed',
  'Method Not Allowed',
  'method_not_allowed',
);

/**
 * Methods a Fetch `Request` cannot carry (Fetch forbids them): the adapter answers them itself, the
 * same way for a Web handler and for an emulator, and neither sees them. `CONNECT` never reaches a
 * request listener: node:http closes such a connection itself.
 */
const FORBIDDEN_METHODS: ReadonlySet<string> = new Set(['CONNECT', 'TRACE', 'TRACK']);

/**
 * What the adapter answers without calling the handler: 400 for a malformed Host header or request
 * target (the client's fault, so `onError` is not called), 405 for a method Fetch forbids.
 */
function refusal(incoming: IncomingMessage, url: string | undefined): EmulatorResponse | undefined {
  if (url === undefined) return BAD_TARGET;
  return FORBIDDEN_METHODS.has(String(incoming.method)) ? FORBIDDEN_METHOD : undefined;
}

/**
 * Whether the request has body bytes the parser has not reached: a body is announced
 * (`Content-Length` over 0, or `Transfer-Encoding`) and the message is not complete.
 */
function hasUnreadBody(incoming: IncomingMessage): boolean {
  if (incoming.complete) return false;
  const length = incoming.headers['content-length'];
  return incoming.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Writes a plain answer. With its length known, node:http sends the head and the body in one write
 * (no chunked encoding). When the request body was not read to its end (refused as too large, or
 * not needed), the connection is closed after the answer (`Connection: close`): the rest of that
 * body would otherwise be read as the next request on the connection.
 */
function writePlain(answer: EmulatorResponse, incoming: IncomingMessage, outgoing: ServerResponse): void {
  // A flat list of names and values: node:http writes it as it is, without the object it would
  // otherwise walk and copy (about 3 µs of a 30 µs answer).
  // The length of a body is the adapter's to write (a handler's length or chunked encoding would
  // contradict it); a bodiless answer (HEAD) keeps its own. Header names are compared in any case.
  const body = answer.body;
  const close = hasUnreadBody(incoming);
  const headers: string[] = [];
  for (const name of Object.keys(answer.headers)) {
    const value = answer.headers[name];
    const lower = name.toLowerCase();
    const replaced =
      (body !== null && (lower === 'content-length' || lower === 'transfer-encoding')) ||
      (close && lower === 'connection');
    if (value !== undefined && !replaced) headers.push(name, value);
  }
  if (body !== null) headers.push('content-length', String(Buffer.byteLength(body)));
  if (close) headers.push('connection', 'close');
  outgoing.writeHead(answer.status, headers);
  outgoing.end(body ?? undefined);
}

/**
 * The request body as a Web stream. Unlike `Readable.toWeb`, cancelling it (a body refused as too
 * large) only stops reading: it does not destroy the request, whose socket the answer still needs.
 */
function bodyStream(incoming: IncomingMessage): ReadableStream<Uint8Array> {
  const listeners: { data?: (chunk: Buffer) => void; end?: () => void; error?: (error: Error) => void } = {};
  const detach = (): void => {
    if (listeners.data !== undefined) incoming.off('data', listeners.data);
    if (listeners.end !== undefined) incoming.off('end', listeners.end);
    if (listeners.error !== undefined) incoming.off('error', listeners.error);
  };
  return new ReadableStream<Uint8Array>({
    start: (controller) => {
      listeners.data = (chunk) => {
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) incoming.pause();
      };
      listeners.end = () => {
        detach();
        controller.close();
      };
      listeners.error = (error) => {
        detach();
        controller.error(error);
      };
      incoming.on('data', listeners.data);
      incoming.on('end', listeners.end);
      incoming.on('error', listeners.error);
      incoming.pause();
    },
    pull: () => {
      incoming.resume();
    },
    cancel: () => {
      detach();
      incoming.pause();
    },
  });
}

/** Whether the body is small and announced: then it is read at once rather than streamed. */
function isSmallBody(incoming: IncomingMessage): boolean {
  const length = Number(incoming.headers['content-length']);
  return Number.isInteger(length) && length <= BUFFERED_BODY_BYTES;
}

/** A body stream that fails: what the handler sees of a client that broke off mid-body. */
function brokenBody(error: unknown): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({ start: (controller) => controller.error(error) });
}

async function toRequest(incoming: IncomingMessage, url: string, signal: AbortSignal): Promise<Request> {
  const headers = new Headers();
  const raw = incoming.rawHeaders;
  for (let index = 0; index + 1 < raw.length; index += 2) {
    try {
      headers.append(String(raw[index]), String(raw[index + 1]));
    } catch {
      // A header that Fetch cannot hold (HTTP/2 pseudo-headers, odd bytes) is left out.
    }
  }
  const method = String(incoming.method);
  if (method === 'GET' || method === 'HEAD') return new Request(url, { method, headers, signal });
  // A small body announced by Content-Length is read at once: a web stream per request costs more
  // than the handler itself. Anything else streams, so the handler's own size limit still holds.
  if (isSmallBody(incoming)) {
    try {
      return new Request(url, { method, headers, signal, body: await readWholeBody(incoming) });
    } catch (error) {
      return new Request(url, { method, headers, signal, body: brokenBody(error), duplex: 'half' });
    }
  }
  return new Request(url, { method, headers, signal, body: bodyStream(incoming), duplex: 'half' });
}

/** The headers of a request as the emulator reads them: Node's own object, no copy. */
class NodeHeaders {
  readonly #fields: IncomingMessage['headers'];

  constructor(fields: IncomingMessage['headers']) {
    this.#fields = fields;
  }

  get(name: string): string | null {
    const value = this.#fields[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }
}

/**
 * A signal that aborts when the client goes away before its answer is written (the response closes
 * unfinished) or when `stopping` aborts (the server is closing): a handler that waits (a long poll)
 * ends then, rather than holding the process or a dead connection.
 */
function answerSignal(outgoing: ServerResponse, stopping: AbortSignal): AbortSignal {
  const aborted = new AbortController();
  const abort = (): void => aborted.abort();
  if (stopping.aborted || outgoing.destroyed) {
    if (!outgoing.writableFinished) abort();
    return aborted.signal;
  }
  stopping.addEventListener('abort', abort, { once: true });
  outgoing.once('close', () => {
    stopping.removeEventListener('abort', abort);
    if (!outgoing.writableFinished) abort();
  });
  return aborted.signal;
}

/**
 * The plain request of the emulator: Node's header object read in place, and its `signal` made only
 * when a handler reads it (a long poll does; answering costs no `AbortController` otherwise).
 */
class NodeRequest implements EmulatorRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: NodeHeaders;
  readonly body: ReadableStream<Uint8Array> | Uint8Array | null;
  readonly remoteAddress: string | undefined;
  readonly #outgoing: ServerResponse;
  readonly #stopping: AbortSignal;
  #signal: AbortSignal | undefined;

  constructor(
    incoming: IncomingMessage,
    outgoing: ServerResponse,
    url: string,
    body: ReadableStream<Uint8Array> | Uint8Array | null,
    stopping: AbortSignal,
  ) {
    this.method = String(incoming.method);
    this.url = url;
    this.headers = new NodeHeaders(incoming.headers);
    this.body = body;
    this.remoteAddress = incoming.socket.remoteAddress;
    this.#outgoing = outgoing;
    this.#stopping = stopping;
  }

  get signal(): AbortSignal {
    this.#signal ??= answerSignal(this.#outgoing, this.#stopping);
    return this.#signal;
  }
}

/**
 * Calls `take` with the plain request of the emulator: no `Request`, `Headers` or stream unless the
 * body is large. A request without a body is taken at once; a small body inside the request's
 * `end` event, once read; a large one at once, as a stream the emulator reads within its limit.
 */
function takePlainRequest(
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  url: string,
  stopping: AbortSignal,
  take: (request: EmulatorRequest) => void,
): void {
  const method = String(incoming.method);
  const request = (body: NodeRequest['body']): NodeRequest => new NodeRequest(incoming, outgoing, url, body, stopping);
  if (method === 'GET' || method === 'HEAD') take(request(null));
  else if (!isSmallBody(incoming)) take(request(bodyStream(incoming)));
  else {
    readWhole(
      incoming,
      (body) => take(request(body)),
      (error) => take(request(brokenBody(error))),
    );
  }
}

async function writeResponse(response: Response, incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    Object.defineProperty(headers, name, { value, enumerable: true, configurable: true, writable: true });
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  // As in `writePlain`: a body not read to its end would be read as the next request.
  if (hasUnreadBody(incoming)) headers.connection = 'close';
  outgoing.writeHead(response.status, headers);
  if (response.body === null) {
    outgoing.end();
    return;
  }
  // The handler's answers are small JSON documents: one write beats piping a web stream.
  outgoing.end(Buffer.from(await response.arrayBuffer()));
}

/**
 * Answers one request whose URL the adapter accepted, writing the answer on `outgoing`, then calls
 * `turn.finished` (or `turn.broken` when the answer could not be written: the client went away).
 */
type Answerer = (
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  url: string,
  turn: Turn,
  stopping: AbortSignal,
) => void;

/** Ends one request's turn on its connection: once its answer is written, or once it cannot be. */
interface Turn {
  /** The answer is written on `outgoing`. */
  readonly finished: (outgoing: ServerResponse) => void;
  readonly broken: () => void;
}

/** Answers through a Web handler: a `Request` in (its body streamed when large), a `Response` out. */
function webAnswerer(handler: RequestHandler): Answerer {
  const answer = async (
    incoming: IncomingMessage,
    outgoing: ServerResponse,
    url: string,
    signal: AbortSignal,
  ): Promise<void> => {
    let response: Response;
    try {
      response = await handler(await toRequest(incoming, url, signal));
    } catch {
      writePlain(INTERNAL_ERROR, incoming, outgoing);
      return;
    }
    await writeResponse(response, incoming, outgoing);
  };
  return (incoming, outgoing, url, turn, stopping) => {
    answer(incoming, outgoing, url, answerSignal(outgoing, stopping)).then(() => turn.finished(outgoing), turn.broken);
  };
}

/** Writes a plain answer, or drops the connection when an injected fault asked for that. */
/** Writes the 500 of an unexpected failure; `false` when even that cannot be written. */
function wroteInternalError(incoming: IncomingMessage, outgoing: ServerResponse): boolean {
  try {
    writePlain(INTERNAL_ERROR, incoming, outgoing);
    return true;
  } catch {
    return false;
  }
}

function writeAnswer(answer: EmulatorResponse, incoming: IncomingMessage, outgoing: ServerResponse): void {
  if (isDroppedConnection(answer)) incoming.socket.destroy();
  else writePlain(answer, incoming, outgoing);
}

/**
 * Answers through the emulator's pipeline (`respond`): no `Request`, `Response` or stream for a
 * small body, and, when nothing is pending, the answer written in the turn that read the request
 * (inside its `end` event), as a bare node:http server does.
 */
function plainAnswerer(respond: Respond): Answerer {
  return (incoming, outgoing, url, turn, stopping) => {
    const deliver = (answer: EmulatorResponse): void => {
      try {
        writeAnswer(answer, incoming, outgoing);
      } catch {
        // An answer node:http refuses (a header holding a line break, a status out of range): the
        // 500 of an unexpected failure instead, while nothing of it is written; else the connection ends.
        if (outgoing.headersSent || !wroteInternalError(incoming, outgoing)) {
          turn.broken();
          return;
        }
      }
      turn.finished(outgoing);
    };
    takePlainRequest(incoming, outgoing, url, stopping, (request) => {
      let answered: Later<EmulatorResponse>;
      try {
        answered = respond(request);
      } catch {
        answered = INTERNAL_ERROR;
      }
      if (answered instanceof Promise) answered.then(deliver, () => deliver(INTERNAL_ERROR));
      else deliver(answered);
    });
  };
}

/** The requests of one connection waiting for the answer before them to be written. */
interface Turns extends Turn {
  busy: boolean;
  /** Whether the adapter paused reading the connection (and so resumes it). */
  paused: boolean;
  readonly waiting: (() => void)[];
}

const connections = new WeakMap<Socket, Turns>();

/** The turns of a connection, made on its first request: one state and one pair of callbacks per connection. */
function turnsOf(socket: Socket): Turns {
  const known = connections.get(socket);
  if (known !== undefined) return known;
  const next = (): void => {
    const run = turns.waiting.shift();
    if (run !== undefined) {
      run();
      return;
    }
    turns.busy = false;
    if (turns.paused) {
      turns.paused = false;
      socket.resume();
    }
  };
  const go = (): void => {
    socket.off('drain', go);
    socket.off('close', go);
    next();
  };
  /** The next request once the socket has taken what was written (drained). */
  const drained = (): void => {
    if (socket.destroyed || !socket.writableNeedDrain) next();
    else {
      socket.on('drain', go);
      socket.on('close', go);
    }
  };
  const turns: Turns = {
    busy: false,
    paused: false,
    waiting: [],
    finished: (outgoing) => {
      // An answer written before the one ahead of it is flushed (pipelined, answered at once on a
      // drain) is held in its response, not the socket: its turn ends once it reaches the socket.
      if (socket.destroyed || outgoing.socket !== null || outgoing.writableFinished) {
        drained();
        return;
      }
      const flushed = (): void => {
        outgoing.off('finish', flushed);
        outgoing.off('close', flushed);
        drained();
      };
      outgoing.on('finish', flushed);
      outgoing.on('close', flushed);
    },
    broken: () => {
      // The client went away mid-answer: nothing left to write on this connection.
      socket.destroy();
      next();
    },
  };
  socket.once('close', () => {
    turns.waiting.length = 0;
  });
  connections.set(socket, turns);
  return turns;
}

/** Runs one request's answer; an answer that throws before it is written breaks its connection. */
function runTurn(turns: Turns, answer: (turn: Turn) => void): void {
  try {
    answer(turns);
  } catch {
    turns.broken();
  }
}

/**
 * Runs `answer` once every earlier request of the same connection is answered and its answer taken
 * by the client (the socket drained), so a client pipelining requests without reading the answers
 * gets them read only as fast as it reads: reading the connection pauses while requests wait.
 */
function inTurn(socket: Socket, answer: (turn: Turn) => void): void {
  const turns = turnsOf(socket);
  if (!turns.busy) {
    turns.busy = true;
    runTurn(turns, answer);
    return;
  }
  turns.waiting.push(() => runTurn(turns, answer));
  if (!turns.paused) {
    turns.paused = true;
    socket.pause();
  }
}

/**
 * The listener of one kind of handler: the adapter's own checks, then `answerer`, one request of a
 * connection at a time; `stopping` aborts the signal of every request in flight.
 */
function listenerOf(answerer: Answerer, fallbackOrigin: string, stopping: AbortSignal): RequestListener {
  const urlOf = urlReader(fallbackOrigin);
  return (incoming, outgoing) => {
    inTurn(incoming.socket, (turn) => {
      if (outgoing.destroyed) {
        turn.finished(outgoing);
        return;
      }
      const url = urlOf(incoming);
      const refused = refusal(incoming, url);
      if (refused === undefined && url !== undefined) {
        answerer(incoming, outgoing, url, turn, stopping);
        return;
      }
      writePlain(refused ?? INTERNAL_ERROR, incoming, outgoing);
      turn.finished(outgoing);
    });
  };
}

/** Whether `handler` is an emulator-like object with a plain `handle` rather than a Web handler. */
function isPlainHandler(handler: RequestHandler | PlainHandler): handler is PlainHandler {
  return typeof handler !== 'function';
}

/**
 * The answerer of each kind of handler: an emulator (or the command line's handler) through its
 * pipeline's own entry, any other `{ handle }` through that, a Web handler through `Request` and
 * `Response`.
 */
function answererOf(handler: RequestHandler | PlainHandler): Answerer {
  if (!isPlainHandler(handler)) return webAnswerer(handler);
  return plainAnswerer(respondOf(handler));
}

/**
 * Adapts a Web-standard handler (`(Request) => Promise<Response>`) to `node:http`: converts each
 * IncomingMessage to a `Request` (streaming its body) and writes the `Response` back; an emulator
 * (anything with a plain `handle`) is served without building either. A handler that throws gets a
 * 500 and the server keeps serving. A malformed Host header or request target is answered 400, and
 * a method Fetch forbids (`TRACE`, `TRACK`) 405, without calling the handler. The requests of one
 * connection are answered one at a time, in order, and a connection whose answers are not read
 * stops being read.
 *
 * @param handler - The handler, such as an emulator's `fetch`, or an emulator (its plain `handle`).
 * @param fallbackOrigin - The origin of request URLs when the Host header is missing.
 * @returns A listener for `http.createServer`.
 * @example
 * const listener = createRequestListener(async (request) => Response.json({ path: new URL(request.url).pathname }),
 *   'http://127.0.0.1');
 * typeof listener;
 * // => 'function'
 */
export function createRequestListener(handler: RequestHandler | PlainHandler, fallbackOrigin: string): RequestListener {
  return stoppableListener(handler, fallbackOrigin, new AbortController().signal);
}

/** {@link createRequestListener}, with the signal of a server that is closing passed on to every request in flight. */
function stoppableListener(
  handler: RequestHandler | PlainHandler,
  fallbackOrigin: string,
  stopping: AbortSignal,
): RequestListener {
  return listenerOf(answererOf(handler), fallbackOrigin, stopping);
}

/**
 * Serves a Web-standard handler, or an emulator itself (its plain `handle`, which skips building
 * `Request`/`Response` objects and is several times cheaper per request), over HTTP with `node:http`. Binds `127.0.0.1` unless told
 * otherwise, so only this machine can reach it; port `0` picks a free port (read it from `url`).
 * `close()` stops accepting connections, closes idle keep-alive ones, lets requests in flight
 * finish and, after `closeTimeout`, cuts whatever is left.
 *
 * @param handler - An emulator (`serve(emulator)`, the fast path), or a handler such as `emulator.fetch`.
 * @param options - Port, host, close timeout.
 * @returns The running server; rejects if the port cannot be bound (`EADDRINUSE`, `EACCES`), and
 *   with a `TypeError` or `RangeError` naming the option for a handler or options it cannot use.
 * @example
 * const emulator = createEmulator();
 * const server = await serve(emulator);
 * const response = await fetch(`${server.url}/api/v2/users`);
 * response.status;
 * // => 401
 * await server.close();
 */
export function serve(handler: RequestHandler | PlainHandler, options: ServeOptions = {}): Promise<RunningServer> {
  let settings: ReadServeOptions;
  try {
    settings = readServeOptions(handler, options);
  } catch (error) {
    return Promise.reject(error);
  }
  return listen(handler, settings);
}

/** Whether `handler` is something {@link serve} can serve: a function, or an object with a `handle` function. */
function isServable(handler: unknown): boolean {
  if (typeof handler === 'function') return true;
  return typeof handler === 'object' && handler !== null && typeof Reflect.get(handler, 'handle') === 'function';
}

/**
 * The options of {@link serve}, read once and checked: anything unreadable or of the wrong type is
 * a `TypeError` (a port out of range a `RangeError`) that names it, never whatever the read threw.
 */
/** The options `serve` uses, each read once; `tls` absent means plain HTTP. */
interface ReadServeOptions {
  readonly port: number;
  readonly host: string;
  readonly closeTimeout: number;
  readonly tls: { readonly key: string; readonly cert: string } | undefined;
  readonly allowedHosts: readonly string[];
  readonly allowedOrigins: readonly string[];
}

/** A list of strings option, copied; anything else is a `TypeError` naming it. */
function stringList(name: string, value: unknown): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((entry) => typeof entry === 'string')) {
    throw new TypeError(`serve: ${name} must be an array of strings`);
  }
  return [...value];
}

/** The tenant domain of an emulator served directly: its Host is always allowed. */
function domainOf(handler: RequestHandler | PlainHandler): readonly string[] {
  const domain: unknown = typeof handler === 'object' ? Reflect.get(handler, 'domain') : undefined;
  return typeof domain === 'string' ? [domain] : [];
}

function readServeOptions(handler: RequestHandler | PlainHandler, options: ServeOptions): ReadServeOptions {
  let servable: boolean;
  let port: unknown;
  let host: unknown;
  let closeTimeout: unknown;
  let tls: unknown;
  let key: unknown;
  let cert: unknown;
  let allowedHosts: unknown;
  let allowedOrigins: unknown;
  let domains: readonly string[];
  try {
    allowedHosts = options.allowedHosts;
    allowedOrigins = options.allowedOrigins;
    domains = domainOf(handler);
    servable = isServable(handler);
    port = options.port;
    host = options.host;
    closeTimeout = options.closeTimeout;
    tls = options.tls;
    if (tls !== undefined && tls !== null && typeof tls === 'object') {
      key = Reflect.get(tls, 'key');
      cert = Reflect.get(tls, 'cert');
    }
  } catch {
    throw new TypeError('serve: the handler or the options cannot be read');
  }
  if (!servable) throw new TypeError('serve: the handler must be a function or an object with a handle function');
  if (port !== undefined && (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65_535)) {
    throw new RangeError('serve: port must be an integer from 0 to 65535');
  }
  if (host !== undefined && typeof host !== 'string') throw new TypeError('serve: host must be a string');
  if (closeTimeout !== undefined && (typeof closeTimeout !== 'number' || !(closeTimeout >= 0))) {
    throw new RangeError('serve: closeTimeout must be a number of milliseconds');
  }
  if (tls !== undefined && (typeof key !== 'string' || typeof cert !== 'string')) {
    throw new TypeError('serve: tls must be an object with a PEM key and cert, both strings');
  }
  return {
    port: typeof port === 'number' ? port : 0,
    host: typeof host === 'string' ? host : '127.0.0.1',
    closeTimeout: typeof closeTimeout === 'number' ? closeTimeout : 5000,
    tls: typeof key === 'string' && typeof cert === 'string' ? { key, cert } : undefined,
    allowedHosts: [...domains, ...stringList('allowedHosts', allowedHosts)],
    allowedOrigins: stringList('allowedOrigins', allowedOrigins),
  };
}

function listen(handler: RequestHandler | PlainHandler, options: ReadServeOptions): Promise<RunningServer> {
  const host = options.host;
  const closeTimeout = options.closeTimeout;
  const bracketed = host.includes(':') ? `[${host}]` : host;
  let listener: RequestListener | undefined;
  let closing: Promise<void> | undefined;
  // Aborted when closing begins: requests in flight that wait (a long poll) end then.
  const stopping = new AbortController();
  // Hosts and origins are checked before routing (hosts.ts).
  const guard: RequestGuard = createRequestGuard({
    boundHost: host,
    allowedHosts: options.allowedHosts,
    allowedOrigins: options.allowedOrigins,
  });
  // An answer that was in flight when closing began leaves an idle connection behind: close it.
  const finished = (): void => {
    if (closing !== undefined) server.closeIdleConnections();
  };
  const listen: RequestListener = (incoming, outgoing) => {
    outgoing.on('finish', finished);
    if (guard(incoming, outgoing)) return;
    listener?.(incoming, outgoing);
  };
  const server = options.tls === undefined ? createServer(listen) : createHttpsServer(options.tls, listen);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      const url = `${options.tls === undefined ? 'http' : 'https'}://${bracketed}:${port}`;
      listener = stoppableListener(handler, url, stopping.signal);
      const close = (): Promise<void> => {
        closing ??= new Promise<void>((done) => {
          const timer = setTimeout(() => server.closeAllConnections(), closeTimeout);
          timer.unref();
          server.close(() => {
            clearTimeout(timer);
            done();
          });
          server.closeIdleConnections();
          stopping.abort();
        });
        return closing;
      };
      resolve({ url, host, port, close });
    });
  });
}
