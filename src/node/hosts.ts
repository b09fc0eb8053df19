/**
 * What the Node adapter answers before routing, for a server people leave running on their
 * machine: requests whose Host names no host this server answers for (DNS rebinding: a web page
 * whose name was rebound to 127.0.0.1 sends its own name as the Host), requests a web page of
 * another origin sends, and the CORS preflights of the origins allowed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isLoopbackHostname, isLoopbackInterface } from '../emulator/loopback.js';

/** `host:port` as a Host header may carry it: a name, an IPv4 address or a bracketed IPv6 one. */
export const HOST_HEADER: RegExp = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * How a request refused here is answered, our decision: 403 Forbidden in the Management API's
 * envelope. 421 Misdirected Request would say the same of a Host, but clients retry a 421 on
 * another connection; a 403 is final, and says what to change.
 */
export const HOST_REFUSAL: { readonly status: 403; readonly error: 'Forbidden'; readonly errorCode: string } =
  /* @__PURE__ */ Object.freeze({ status: 403, error: 'Forbidden', errorCode: 'host_not_allowed' });

/** The methods a preflight may ask for: those of the routes the emulator serves. */
const CORS_METHODS = 'GET, HEAD, POST, PATCH, DELETE';
/** How long a browser may cache a preflight's answer, in seconds. */
const CORS_MAX_AGE = '600';

/** Options of {@link createRequestGuard}. */
export interface RequestGuardOptions {
  /** The interface the server is bound to (`127.0.0.1`, `::1`, `0.0.0.0`, an address). */
  readonly boundHost: string;
  /**
   * Host names allowed besides the loopback names: the tenant domain, names given by the user.
   * `.example.test` allows every name under `example.test`; `*` allows any Host.
   */
  readonly allowedHosts: readonly string[];
  /** Origins (`https://app.example.test`, `http://localhost:3000`) allowed to call the server from a browser. */
  readonly allowedOrigins: readonly string[];
}

/**
 * Answers a request before routing when it must not be routed: returns `true` when it has written
 * the answer (a refusal or a preflight), `false` to route it. It may set CORS headers on the answer
 * of a request it routes.
 */
export type RequestGuard = (incoming: IncomingMessage, outgoing: ServerResponse) => boolean;

/**
 * What the guard decides of one Host value: its host name (`undefined` when malformed, left to the
 * adapter's 400) and whether that name is allowed.
 */
interface HostDecision {
  readonly hostname: string | undefined;
  readonly allowed: boolean;
}

/** The decision for a request without a Host: routed, to the adapter's fallback origin. */
const NO_HOST: HostDecision = { hostname: undefined, allowed: true };

/** How many distinct Host values a guard remembers the decision of. */
const REMEMBERED_HOSTS = 64;

/** A host name as compared: lower case, no trailing dot. */
function normalHost(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** The host name of a Host header (no port; IPv6 in brackets), or `undefined` when it is malformed. */
function hostnameOf(host: string): string | undefined {
  if (!HOST_HEADER.test(host)) return undefined;
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return undefined;
  }
}

/** Whether `hostname` is one of `allowed` (an entry with a leading dot allows the names under it; `*` any). */
function isAllowedName(hostname: string, allowed: readonly string[]): boolean {
  const name = normalHost(hostname);
  return allowed.some((entry) => {
    const pattern = normalHost(entry);
    if (pattern === '*') return true;
    if (pattern.startsWith('.')) return name.endsWith(pattern) || name === pattern.slice(1);
    return name === pattern;
  });
}

function refuse(incoming: IncomingMessage, outgoing: ServerResponse, message: string): true {
  const body = JSON.stringify({
    statusCode: HOST_REFUSAL.status,
    error: HOST_REFUSAL.error,
    message,
    errorCode: HOST_REFUSAL.errorCode,
  });
  outgoing.writeHead(HOST_REFUSAL.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    // The body of a refused request is not read: it must not be read as the next request.
    ...(announcesBody(incoming) ? { connection: 'close' } : {}),
  });
  outgoing.end(body);
  return true;
}

/** Whether the request announces a body (`Content-Length` over 0, or `Transfer-Encoding`). */
function announcesBody(incoming: IncomingMessage): boolean {
  const length = incoming.headers['content-length'];
  return incoming.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The one value of a header, or `undefined` (absent, or repeated: a forged request). */
function single(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A list of strings, copied, or `undefined` when the value is anything else. */
function strings(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const copy: unknown[] = Array.from({ length: value.length }, (_, index) => value[index]);
  return copy.every((entry): entry is string => typeof entry === 'string') ? copy : undefined;
}

/** The options, each read once; anything unreadable or of the wrong type is a `TypeError` naming it. */
function readGuardOptions(options: RequestGuardOptions): {
  readonly boundHost: string;
  readonly allowedHosts: string[];
  readonly allowedOrigins: string[];
} {
  let boundHost: unknown;
  let allowedHosts: string[] | undefined;
  let allowedOrigins: string[] | undefined;
  try {
    boundHost = options.boundHost;
    allowedHosts = strings(options.allowedHosts);
    allowedOrigins = strings(options.allowedOrigins);
  } catch {
    throw new TypeError('createRequestGuard: the options cannot be read');
  }
  if (typeof boundHost !== 'string') throw new TypeError('createRequestGuard: boundHost must be a string');
  if (allowedHosts === undefined) throw new TypeError('createRequestGuard: allowedHosts must be an array of strings');
  if (allowedOrigins === undefined) {
    throw new TypeError('createRequestGuard: allowedOrigins must be an array of strings');
  }
  return { boundHost, allowedHosts, allowedOrigins };
}

/**
 * The guard of a server bound to `boundHost`: a Host that is not a loopback name, the bound
 * address itself, or one of `allowedHosts` is refused 403 (a malformed Host is left to the
 * adapter's 400, a missing one to its fallback origin); a request carrying an `Origin` that is
 * neither the origin it reached nor one of `allowedOrigins` is refused 403; the preflight of an
 * allowed origin is answered 204 with the CORS headers, and the answers to its requests carry
 * `Access-Control-Allow-Origin`. With no `allowedOrigins`, no CORS header is ever sent.
 *
 * @param options - The bound interface, the hosts and the origins allowed.
 * @returns The guard, to call before routing each request.
 * @throws `TypeError` (its message starting with `createRequestGuard:`) for options it cannot use.
 * @example
 * const guard = createRequestGuard({ boundHost: '127.0.0.1', allowedHosts: ['tenant.auth0.test'], allowedOrigins: [] });
 * typeof guard;
 * // => 'function'
 */
export function createRequestGuard(options: RequestGuardOptions): RequestGuard {
  const { boundHost, allowedHosts, allowedOrigins: origins } = readGuardOptions(options);
  const allowedOrigins = new Set(origins.map((origin) => origin.replace(/\/$/, '').toLowerCase()));
  // Bound to one address that is not loopback, that address is how clients reach the server.
  if (!isLoopbackInterface(boundHost) && boundHost !== '0.0.0.0' && boundHost !== '::') {
    allowedHosts.push(boundHost.includes(':') ? `[${boundHost}]` : boundHost);
  }
  const hostAllowed = (hostname: string): boolean =>
    isLoopbackHostname(hostname) || isAllowedName(hostname, allowedHosts);
  // What each Host value decides, worked out once per value (a client sends the same one each time).
  const decided = new Map<string, HostDecision>();
  const decide = (host: string): HostDecision => {
    const known = decided.get(host);
    if (known !== undefined) return known;
    const hostname = hostnameOf(host);
    const decision: HostDecision = { hostname, allowed: hostname === undefined || hostAllowed(hostname) };
    if (decided.size >= REMEMBERED_HOSTS) decided.clear();
    decided.set(host, decision);
    return decision;
  };
  return (incoming, outgoing) => {
    const host = single(incoming.headers.host);
    const { hostname, allowed } = host === undefined ? NO_HOST : decide(host);
    if (hostname !== undefined && !allowed) {
      return refuse(
        incoming,
        outgoing,
        `Host ${hostname} is not allowed: only loopback names and the allowed hosts reach this server (serve --allowed-host ${hostname}, or the allowedHosts option)`,
      );
    }
    const origin = single(incoming.headers.origin);
    if (origin === undefined) return false;
    const scheme = 'encrypted' in incoming.socket && incoming.socket.encrypted === true ? 'https' : 'http';
    const own = host === undefined ? undefined : `${scheme}://${host}`.toLowerCase();
    const named = origin.toLowerCase();
    if (named === own) return false;
    if (!allowedOrigins.has(named)) {
      return refuse(
        incoming,
        outgoing,
        `Origin ${origin} is not allowed: only pages of the allowed origins may call this server (serve --allowed-origin ${origin}, or the allowedOrigins option)`,
      );
    }
    outgoing.setHeader('access-control-allow-origin', origin);
    outgoing.setHeader('vary', 'Origin');
    const preflight = incoming.method === 'OPTIONS' && incoming.headers['access-control-request-method'] !== undefined;
    if (!preflight) return false;
    const requested = single(incoming.headers['access-control-request-headers']);
    outgoing.writeHead(204, {
      'access-control-allow-methods': CORS_METHODS,
      ...(requested === undefined ? {} : { 'access-control-allow-headers': requested }),
      'access-control-max-age': CORS_MAX_AGE,
      'content-length': '0',
    });
    outgoing.end();
    return true;
  };
}
