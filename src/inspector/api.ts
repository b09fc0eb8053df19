import { get as field } from './json.js';

/**
 * The page's only ways into the server: the Management API with a token from the control API,
 * and the control API itself, both on the page's own origin.
 */

/** An answer: the status and the parsed JSON body (`undefined` when there is none or it is not JSON). */
export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/** Auth0's error envelope, read from an answer body when it has one. */
export interface ErrorEnvelope {
  readonly statusCode: number;
  readonly error: string;
  readonly message: string;
  readonly errorCode: string | undefined;
}

/** The error of an answer in Auth0's words, or a plain sentence when the body is not Auth0's envelope. */
export function auth0Error(answer: Answer): ErrorEnvelope {
  const message = field(answer.body, 'message');
  const error = field(answer.body, 'error');
  const errorCode = field(answer.body, 'errorCode');
  const description = field(answer.body, 'error_description');
  return {
    statusCode: answer.status,
    error: typeof error === 'string' ? error : `HTTP ${answer.status}`,
    message:
      typeof message === 'string'
        ? message
        : typeof description === 'string'
          ? description
          : `The server answered ${answer.status}`,
    errorCode: typeof errorCode === 'string' ? errorCode : undefined,
  };
}

/** Reads an answer; a network failure is status 0 with the reason as the body's message. */
async function call(path: string, init: RequestInit): Promise<Answer> {
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    return { status: 0, body: { message: `The server could not be reached: ${String(error)}` } };
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = { message: text };
  }
  return { status: response.status, body };
}

/** A request with a JSON body: a value to serialize, or JSON text sent as it is (even when it is not JSON). */
function jsonInit(method: string, body: unknown, headers: Record<string, string> = {}): RequestInit {
  if (body === undefined) return { method, headers };
  return {
    method,
    headers: { ...headers, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

/** A control API call: `/__emulator/<path>`. */
export function control(method: string, path: string, body?: unknown): Promise<Answer> {
  return call(`/__emulator/${path}`, jsonInit(method, body));
}

let token: string | undefined;

/** Sets the Management API token by hand, for a server without `POST /__emulator/token`. */
export function useToken(value: string): void {
  token = value;
}

/** Whether the page holds a token. */
export function hasToken(): boolean {
  return token !== undefined;
}

/**
 * Gets a Management API token from `POST /__emulator/token`. `false` when the server has no such
 * endpoint (the page then asks for a token).
 */
export async function fetchToken(): Promise<boolean> {
  const answer = await control('POST', 'token');
  const value = field(answer.body, 'access_token');
  if (answer.status !== 200 || typeof value !== 'string') return false;
  token = value;
  return true;
}

/**
 * A Management API call (`/api/v2/<path>`), the body a value or JSON text; a 401 gets a fresh token
 * once, then is answered as is.
 */
export async function management(method: string, path: string, body?: unknown): Promise<Answer> {
  const send = (): Promise<Answer> =>
    call(`/api/v2/${path}`, jsonInit(method, body, token === undefined ? {} : { authorization: `Bearer ${token}` }));
  const answer = await send();
  if (answer.status !== 401 || !(await fetchToken())) return answer;
  return send();
}
