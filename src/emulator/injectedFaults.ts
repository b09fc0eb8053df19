import { INJECTED_FAULT_REASON_PHRASES } from '../rules/http.js';
import { RATE_LIMITS, type RateLimitTier, TOO_MANY_REQUESTS_BODY } from '../rules/rateLimits.js';
import { jsonResponse } from './errors.js';
import type { EmulatorResponse } from './http.js';
import { rateLimitHeaders } from './rateLimiter.js';
import { pathMatches } from './requests.js';

/**
 * The answer that tells the Node adapter to drop the connection without a word (status 0: no HTTP
 * status is 0). `emulator.fetch` rejects as a network failure does; `handle` returns it as it is.
 */
export const DROPPED_CONNECTION: EmulatorResponse = /* @__PURE__ */ Object.freeze({
  status: 0,
  headers: Object.freeze({}),
  body: null,
});

/** Whether an answer asks for the connection to be dropped ({@link DROPPED_CONNECTION}). */
export function isDroppedConnection(answer: EmulatorResponse): boolean {
  return answer.status === 0;
}

/** What a fault does to the requests it matches: answer a status, wait first, or drop the connection. */
export interface InjectedFaultSpec {
  /** Only requests of this method (any case); absent, every method. */
  readonly method?: string;
  /** A route template (`/api/v2/users/{id}`) or an exact path. */
  readonly path: string;
  /** Answer with this status (400-599) instead of the endpoint's own answer. */
  readonly status?: number;
  /** Match this many requests, then go away; absent, until removed. */
  readonly times?: number;
  /** Wait this long first, in ms (at most 60000); alone, the request is then answered as usual. */
  readonly delayMs?: number;
  /** Drop the connection without an answer. */
  readonly drop?: true;
  /** The body of the `status` answer; absent, Auth0's body for a 429, an Auth0-shaped one for others. */
  readonly body?: unknown;
}

/** A fault in place: its spec, its id, and how many more requests it will match. */
export interface InjectedFault extends InjectedFaultSpec {
  readonly id: number;
  /** What is left of `times`; absent when the fault has no count. */
  readonly remaining?: number;
}

/**
 * The most faults in place at once (our decision): every request is matched against each, so an
 * unbounded list would slow every answer; no test rehearses more.
 */
export const MAX_FAULTS: number = 100;

/** The longest delay a fault may ask for, in ms: a minute (our decision: no test waits longer). */
export const MAX_FAULT_DELAY_MS = 60_000;

/** Reads a fault spec from anything (a JSON body, or a caller's object): the spec, or what was expected and found. */
export function readInjectedFaultSpec(
  input: unknown,
): { readonly ok: true; readonly spec: InjectedFaultSpec } | { readonly ok: false; readonly message: string } {
  const found = (value: unknown): string =>
    value === null
      ? 'null'
      : Array.isArray(value)
        ? 'an array'
        : `${typeof value} ${JSON.stringify(value) ?? ''}`.trim();
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, message: `Expected a JSON object describing a fault, found ${found(input)}` };
  }
  const field = (name: string): unknown => (Object.hasOwn(input, name) ? Reflect.get(input, name) : undefined);
  const known = new Set(['method', 'path', 'status', 'times', 'delayMs', 'drop', 'body']);
  const unknown = Object.keys(input).find((key) => !known.has(key));
  if (unknown !== undefined) {
    return {
      ok: false,
      message: `Unknown fault field "${unknown}": expected method, path, status, times, delayMs, drop, body`,
    };
  }
  const { method, path, status, times, delayMs, drop, body } = {
    method: field('method'),
    path: field('path'),
    status: field('status'),
    times: field('times'),
    delayMs: field('delayMs'),
    drop: field('drop'),
    body: field('body'),
  };
  if (typeof path !== 'string' || !path.startsWith('/')) {
    return { ok: false, message: `Expected "path" to be a path starting with /, found ${found(path)}` };
  }
  if (method !== undefined && (typeof method !== 'string' || !/^[A-Za-z]+$/.test(method))) {
    return { ok: false, message: `Expected "method" to be an HTTP method such as GET, found ${found(method)}` };
  }
  if (
    status !== undefined &&
    (!Number.isInteger(status) || typeof status !== 'number' || status < 400 || status > 599)
  ) {
    return { ok: false, message: `Expected "status" to be an integer from 400 to 599, found ${found(status)}` };
  }
  if (times !== undefined && (typeof times !== 'number' || !Number.isSafeInteger(times) || times < 1)) {
    return { ok: false, message: `Expected "times" to be a positive integer, found ${found(times)}` };
  }
  if (
    delayMs !== undefined &&
    (typeof delayMs !== 'number' || !Number.isInteger(delayMs) || delayMs < 0 || delayMs > MAX_FAULT_DELAY_MS)
  ) {
    return {
      ok: false,
      message: `Expected "delayMs" to be an integer from 0 to ${MAX_FAULT_DELAY_MS}, found ${found(delayMs)}`,
    };
  }
  if (drop !== undefined && drop !== true) {
    return { ok: false, message: `Expected "drop" to be true or absent, found ${found(drop)}` };
  }
  if (status === undefined && delayMs === undefined && drop === undefined) {
    return { ok: false, message: 'Expected at least one of "status", "delayMs" or "drop": a fault must do something' };
  }
  if (drop === true && status !== undefined) {
    return { ok: false, message: 'Expected "status" or "drop", found both: a dropped connection has no status' };
  }
  if (body !== undefined && status === undefined) {
    return { ok: false, message: 'Expected "status" with "body": a body is the body of the status answered' };
  }
  return {
    ok: true,
    spec: {
      path,
      ...(method === undefined ? {} : { method: method.toUpperCase() }),
      ...(status === undefined ? {} : { status }),
      ...(times === undefined ? {} : { times }),
      ...(delayMs === undefined ? {} : { delayMs }),
      ...(drop === undefined ? {} : { drop }),
      ...(body === undefined ? {} : { body }),
    },
  };
}

/** The answer of a fault with a status: its body, or Auth0's (a 429 with Auth0's recorded body and rate-limit headers). */
export function faultAnswer(spec: InjectedFaultSpec, tier: RateLimitTier, nowMs: number): EmulatorResponse {
  const status = spec.status ?? 500;
  if (spec.body !== undefined) return jsonResponse(spec.body, status);
  if (status === 429) {
    // The bucket is empty: nothing remains, the next request is allowed in a second.
    return jsonResponse(TOO_MANY_REQUESTS_BODY, 429, rateLimitHeaders(RATE_LIMITS[tier].management, 0, nowMs, true));
  }
  const error = INJECTED_FAULT_REASON_PHRASES[status] ?? 'Error';
  const errorCode = error.toLowerCase().replaceAll(' ', '_');
  return jsonResponse({ statusCode: status, error, message: error, errorCode }, status);
}

/** The faults of one emulator. */
export interface InjectedFaultList {
  readonly list: () => readonly InjectedFault[];
  readonly add: (spec: InjectedFaultSpec) => InjectedFault;
  readonly remove: (id: number) => boolean;
  readonly clear: () => void;
  /** The first fault matching a request, counted as used; `undefined` when none matches. */
  readonly take: (method: string, path: string) => InjectedFaultSpec | undefined;
}

/** An empty list of faults; ids increase over the emulator's life. */
export function createInjectedFaultList(): InjectedFaultList {
  let next = 1;
  const faults: { readonly id: number; readonly spec: InjectedFaultSpec; remaining: number | undefined }[] = [];
  const view = (fault: (typeof faults)[number]): InjectedFault =>
    Object.freeze({
      id: fault.id,
      ...fault.spec,
      ...(fault.remaining === undefined ? {} : { remaining: fault.remaining }),
    });
  return {
    list: () => Object.freeze(faults.map(view)),
    add: (spec) => {
      const fault = { id: next++, spec, remaining: spec.times };
      faults.push(fault);
      return view(fault);
    },
    remove: (id) => {
      const index = faults.findIndex((fault) => fault.id === id);
      if (index !== -1) faults.splice(index, 1);
      return index !== -1;
    },
    clear: () => {
      faults.length = 0;
    },
    take: (method, path) => {
      const index = faults.findIndex(
        (fault) =>
          (fault.spec.method === undefined || fault.spec.method === method) && pathMatches(fault.spec.path, path),
      );
      const fault = faults[index];
      if (fault === undefined) return undefined;
      if (fault.remaining !== undefined) {
        fault.remaining -= 1;
        if (fault.remaining === 0) faults.splice(index, 1);
      }
      return fault.spec;
    },
  };
}
