import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { EmulatorRequest, EmulatorResponse } from '../emulator/http.js';

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

/** `host:port` as a Host header may carry it: a name, an IPv4 address or a bracketed IPv6 one. */
const HOST_HEADER = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

function originOf(incoming: IncomingMessage, fallback: string): string {
  const host = incoming.headers.host;
  return host !== undefined && HOST_HEADER.test(host) ? `http://${host}` : fallback;
}

/** Bodies announced at most this long are read whole before the handler runs; longer ones are streamed. */
const BUFFERED_BODY_BYTES = 64 * 1024;

/** The whole body of a request, as Node delivered it. */
async function readWhole(incoming: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

/** The absolute URL of a request. Only the path and query of the request target count: an absolute-form target cannot pick the origin. */
function requestUrl(incoming: IncomingMessage, fallbackOrigin: string): URL {
  // `url` is always set on a request an http.Server received.
  const target = new URL(String(incoming.url), 'http://target.invalid');
  return new URL(`${target.pathname}${target.search}`, originOf(incoming, fallbackOrigin));
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

async function toRequest(incoming: IncomingMessage, fallbackOrigin: string, signal: AbortSignal): Promise<Request> {
  const url = requestUrl(incoming, fallbackOrigin);
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
      return new Request(url, { method, headers, signal, body: await readWhole(incoming) });
    } catch (error) {
      return new Request(url, { method, headers, signal, body: brokenBody(error), duplex: 'half' });
    }
  }
  return new Request(url, { method, headers, signal, body: Readable.toWeb(incoming), duplex: 'half' });
}

/** The plain request of the emulator's `handle`: no `Request`, `Headers` or stream unless the body is large. */
async function toPlainRequest(incoming: IncomingMessage, fallbackOrigin: string): Promise<EmulatorRequest> {
  const method = String(incoming.method);
  const fields = incoming.headers;
  const headers = {
    get: (name: string): string | null => {
      const value = fields[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
  const url = requestUrl(incoming, fallbackOrigin).href;
  if (method === 'GET' || method === 'HEAD') return { method, url, headers, body: null };
  if (!isSmallBody(incoming)) return { method, url, headers, body: Readable.toWeb(incoming) };
  try {
    return { method, url, headers, body: await readWhole(incoming) };
  } catch (error) {
    return { method, url, headers, body: brokenBody(error) };
  }
}

async function writeResponse(response: Response, outgoing: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    Object.defineProperty(headers, name, { value, enumerable: true, configurable: true, writable: true });
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  outgoing.writeHead(response.status, headers);
  if (response.body === null) {
    outgoing.end();
    return;
  }
  // The handler's answers are small JSON documents: one write beats piping a web stream.
  outgoing.end(Buffer.from(await response.arrayBuffer()));
}

const INTERNAL_ERROR = JSON.stringify({
  statusCode: 500,
  error: 'Internal Server Error',
  message: 'Internal Server Error',
  errorCode: 'internal_error',
});

/**
 * Adapts a Web-standard handler (`(Request) => Promise<Response>`) to `node:http`: converts each
 * IncomingMessage to a `Request` (streaming its body) and writes the `Response` back. A handler
 * that throws gets a 500 and the server keeps serving.
 *
 * @param handler - The handler, such as an emulator's `fetch`, or an emulator (its plain `handle`).
 * @param fallbackOrigin - The origin of request URLs when the Host header is missing or odd.
 * @returns A listener for `http.createServer`.
 * @example
 * const listener = createRequestListener(async (request) => Response.json({ path: new URL(request.url).pathname }),
 *   'http://127.0.0.1');
 * typeof listener;
 * // => 'function'
 */
export function createRequestListener(handler: RequestHandler | PlainHandler, fallbackOrigin: string): RequestListener {
  if (typeof handler !== 'function') return plainListener(handler, fallbackOrigin);
  return (incoming, outgoing) => {
    const aborted = new AbortController();
    outgoing.on('close', () => {
      if (!outgoing.writableFinished) aborted.abort();
    });
    const respond = async (): Promise<void> => {
      let response: Response;
      try {
        response = await handler(await toRequest(incoming, fallbackOrigin, aborted.signal));
      } catch {
        response = new Response(INTERNAL_ERROR, {
          status: 500,
          headers: { 'content-type': 'application/json; charset=utf-8' },
        });
      }
      await writeResponse(response, outgoing);
    };
    respond().catch(() => {
      // The client went away mid-response: nothing left to answer.
      outgoing.destroy();
    });
  };
}

function plainListener(handler: PlainHandler, fallbackOrigin: string): RequestListener {
  return (incoming, outgoing) => {
    const respond = async (): Promise<void> => {
      let answer: EmulatorResponse;
      try {
        answer = await handler.handle(await toPlainRequest(incoming, fallbackOrigin));
      } catch {
        answer = { status: 500, headers: { 'content-type': 'application/json; charset=utf-8' }, body: INTERNAL_ERROR };
      }
      // With its length known, node:http sends the head and the body in one write (no chunked encoding).
      const headers =
        answer.body === null
          ? answer.headers
          : { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) };
      outgoing.writeHead(answer.status, headers);
      outgoing.end(answer.body ?? undefined);
    };
    respond().catch(() => {
      outgoing.destroy();
    });
  };
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
 * @returns The running server; rejects if the port cannot be bound (`EADDRINUSE`, `EACCES`).
 * @example
 * const emulator = createEmulator();
 * const server = await serve(emulator);
 * const response = await fetch(`${server.url}/api/v2/users`);
 * response.status;
 * // => 401
 * await server.close();
 */
export function serve(handler: RequestHandler | PlainHandler, options: ServeOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const closeTimeout = options.closeTimeout ?? 5000;
  const bracketed = host.includes(':') ? `[${host}]` : host;
  let listener: RequestListener | undefined;
  let closing: Promise<void> | undefined;
  const server = createServer((incoming, outgoing) => {
    // An answer that was in flight when closing began leaves an idle connection behind: close it.
    outgoing.on('finish', () => {
      if (closing !== undefined) server.closeIdleConnections();
    });
    listener?.(incoming, outgoing);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      const url = `http://${bracketed}:${port}`;
      listener = createRequestListener(handler, url);
      const close = (): Promise<void> => {
        closing ??= new Promise<void>((done) => {
          const timer = setTimeout(() => server.closeAllConnections(), closeTimeout);
          timer.unref();
          server.close(() => {
            clearTimeout(timer);
            done();
          });
          server.closeIdleConnections();
        });
        return closing;
      };
      resolve({ url, host, port, close });
    });
  });
}
