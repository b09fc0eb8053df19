import { createEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';
import { type Auth0Error, type CreateUserBody, type Result, toAuth0Error } from '../../src/index.js';

export const CONNECTION = 'Username-Password-Authentication';
export const TENANT = 'tenant.auth0.test';
export const BASE = `https://${TENANT}`;
export const AUDIENCE = `${BASE}/api/v2/`;
export const CLIENT_SECRET = 'test-client-secret';
export const START = '2026-01-01T00:00:00.000Z';

/** The seed walkthrough's user: jane.doe@example.com, hobby surfing, plan full. */
export const JANE: CreateUserBody = {
  connection: CONNECTION,
  email: 'jane.doe@example.com',
  password: 'Pw1!surfing',
  user_metadata: { hobby: 'surfing' },
  app_metadata: { plan: 'full' },
};

/** A clock that only moves when told to. */
export interface TestClock {
  readonly now: () => Date;
  readonly advance: (milliseconds: number) => void;
}

export function testClock(start: string = START): TestClock {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    advance: (milliseconds) => {
      current += milliseconds;
    },
  };
}

/** Ids `000…001`, `000…002`, …: predictable and 24 hex digits like Auth0's. */
export function sequentialIds(): () => string {
  let next = 0;
  return () => {
    next++;
    return next.toString(16).padStart(24, '0');
  };
}

/** An emulator with a frozen clock, predictable ids, a known secret and cheap password hashes. */
export function testEmulator(options: EmulatorOptions = {}): { emulator: Emulator; clock: TestClock } {
  const clock = testClock();
  const emulator = createEmulator({
    now: clock.now,
    generateId: sequentialIds(),
    clientSecret: CLIENT_SECRET,
    passwordHashIterations: 1,
    ...options,
  });
  return { emulator, clock };
}

export interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;
}

export interface SendOptions {
  readonly token?: string;
  /** Sent as JSON with `content-type: application/json`. */
  readonly json?: unknown;
  /** Sent as is. */
  readonly raw?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Sends one request straight to the handler (no port) and reads the JSON answer. */
export async function send(
  emulator: Emulator,
  method: string,
  path: string,
  options: SendOptions = {},
): Promise<Reply> {
  const headers = new Headers(options.headers);
  if (options.token !== undefined) headers.set('authorization', `Bearer ${options.token}`);
  let body: string | undefined = options.raw;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  const response = await emulator.fetch(
    new Request(`${BASE}${path}`, { method, headers, ...(body === undefined ? {} : { body }) }),
  );
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text), headers: response.headers };
}

/** The path of a user: ids are URL-encoded as the SDKs send them (`auth0%7C…`). */
export function userPath(userId: string): string {
  return `/api/v2/users/${encodeURIComponent(userId)}`;
}

/** What the emulator must answer for a failed core result: `toAuth0Error`'s status and body. */
export function expectedError(
  result: Result<unknown>,
  api: Auth0Error['api'] = 'management',
): { status: number; body: unknown } {
  if (result.success) throw new Error(`Expected a failure, got ${JSON.stringify(result.value)}`);
  const error = toAuth0Error(result.issues, api);
  return { status: error.status, body: error.body };
}

/** A client-credentials token request body. */
export function clientCredentials(emulator: Emulator, extra: Readonly<Record<string, string>> = {}): URLSearchParams {
  return new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: emulator.clientId,
    client_secret: emulator.clientSecret,
    audience: emulator.audience,
    ...extra,
  });
}

/** POSTs a form to /oauth/token. */
export async function requestToken(
  emulator: Emulator,
  form: URLSearchParams,
  headers: Readonly<Record<string, string>> = {},
): Promise<Reply> {
  return send(emulator, 'POST', '/oauth/token', {
    raw: form.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
}

/** Reads a property of an unknown JSON value, for assertions. */
export function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? Object.getOwnPropertyDescriptor(value, name)?.value : undefined;
}

/** The user id of a Management API user body. */
export function userIdOf(value: unknown): string {
  const id = field(value, 'user_id');
  if (typeof id !== 'string') throw new Error(`No user_id in ${JSON.stringify(value)}`);
  return id;
}

/** One helpers module: the shared ones come from test/helpers.ts. */
export { issuesOf } from '../helpers.js';
