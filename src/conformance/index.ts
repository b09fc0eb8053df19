import { describeThrown } from '../internal/describeThrown.js';
import { jsonEqual } from '../internal/equality.js';
import { getOwn, isPlainObject } from '../internal/object.js';
import type { JsonValue } from '../types.js';
import { CONFORMANCE_CASES, type ConformanceCase, type ConformanceRequest } from './cases.js';

export {
  CONFORMANCE_CASES,
  type ConformanceCase,
  type ConformanceExpectation,
  type ConformanceRequest,
} from './cases.js';

/** An Auth0 implementation to check: anything that answers `fetch`-style requests. */
export interface ConformanceTarget {
  /** Sends a request: the global `fetch` for a server, or an in-process handler. */
  readonly fetch: (request: Request) => Promise<Response>;
  /** The tenant's base URL, e.g. `https://tenant.auth0.test` or `http://127.0.0.1:4000`. */
  readonly baseUrl: string;
  /** A Management API token with `create:users`, `read:users`, `update:users` (and `delete:users` for clean-up). */
  readonly token: string;
  /** The database connection to create users on. Default: `Username-Password-Authentication`. */
  readonly connection?: string;
  /** The client id sent with signup. Default: `conformance`. */
  readonly clientId?: string;
}

/** The outcome of one case. */
export interface ConformanceResult {
  readonly id: string;
  readonly rule: number;
  readonly title: string;
  readonly passed: boolean;
  /** Why it failed: the first difference found. */
  readonly failure?: string;
}

/** The outcome of a run. */
export interface ConformanceReport {
  readonly passed: number;
  readonly failed: number;
  readonly results: readonly ConformanceResult[];
}

const PASSWORD = 'Conformance-Passw0rd!';

/** The body with `"{email}"` replaced by the case's email, and `"{other_email}"` by a second, unused one. */
function fill(value: JsonValue, email: string): JsonValue {
  const text = JSON.stringify(value)
    .replaceAll('"{email}"', JSON.stringify(email))
    .replaceAll('"{other_email}"', JSON.stringify(`other.${email}`));
  const parsed: JsonValue = JSON.parse(text);
  return parsed;
}

async function send(
  target: ConformanceTarget,
  request: ConformanceRequest,
  email: string,
  userId: string,
): Promise<{ status: number; body: unknown }> {
  const path = request.path.replace('{id}', encodeURIComponent(userId));
  const headers = new Headers({ authorization: `Bearer ${target.token}` });
  let body: string | undefined;
  if (request.body !== undefined) {
    headers.set('content-type', 'application/json');
    const filled = fill(request.body, email);
    const withClient =
      request.path === '/dbconnections/signup' && isPlainObject(filled)
        ? { client_id: target.clientId ?? 'conformance', connection: connection(target), ...filled }
        : filled;
    body = JSON.stringify(withClient);
  }
  const init: RequestInit =
    body === undefined ? { method: request.method, headers } : { method: request.method, headers, body };
  const response = await target.fetch(new Request(`${target.baseUrl.replace(/\/$/, '')}${path}`, init));
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // Not JSON: compared as text, which fails any body expectation.
  }
  return { status: response.status, body: parsed };
}

function connection(target: ConformanceTarget): string {
  return target.connection ?? 'Username-Password-Authentication';
}

async function runCase(
  target: ConformanceTarget,
  testCase: ConformanceCase,
  runId: string,
): Promise<string | undefined> {
  const email = `${testCase.id}.${runId}@conformance.test`;
  const created = await send(
    target,
    {
      method: 'POST',
      path: '/api/v2/users',
      body: { ...testCase.user, connection: connection(target), email, password: PASSWORD },
    },
    email,
    '',
  );
  const userId = isPlainObject(created.body) ? getOwn(created.body, 'user_id') : undefined;
  if (created.status !== 201 || typeof userId !== 'string') {
    return `creating the user answered ${created.status} ${JSON.stringify(created.body)}`;
  }
  try {
    for (const [index, step] of testCase.steps.entries()) {
      const answer = await send(target, step.request, email, userId);
      const where = `step ${index + 1} (${step.request.method} ${step.request.path})`;
      if (answer.status !== step.expect.status) {
        return `${where}: status ${answer.status}, expected ${step.expect.status}: ${JSON.stringify(answer.body)}`;
      }
      const body = isPlainObject(answer.body) ? answer.body : {};
      for (const [key, expected] of Object.entries(step.expect.body ?? {})) {
        if (!jsonEqual(getOwn(body, key), expected)) {
          return `${where}: ${key} is ${JSON.stringify(getOwn(body, key))}, expected ${JSON.stringify(expected)}`;
        }
      }
      for (const key of step.expect.absent ?? []) {
        if (Object.hasOwn(body, key))
          return `${where}: ${key} should be absent, found ${JSON.stringify(getOwn(body, key))}`;
      }
    }
    return undefined;
  } finally {
    await send(target, { method: 'DELETE', path: '/api/v2/users/{id}' }, email, userId).catch(() => undefined);
  }
}

/**
 * Runs the conformance cases (Auth0's documented and recorded metadata behaviour, as data) against
 * any implementation of the Auth0 users endpoints, with no test framework: give it a `fetch`, a
 * base URL and a token, get a pass/fail per case.
 *
 * Each case creates its own user (POST /api/v2/users, unique email), sends its requests, compares
 * status and the listed top-level keys of each answer (deep-equal), and deletes the user.
 *
 * @param target - How to reach the implementation.
 * @param cases - The cases to run (default: all of {@link CONFORMANCE_CASES}).
 * @returns How many passed and failed, and why each failure failed.
 * @example
 * const emulator = createEmulator({ passwordHashIterations: 1000 });
 * const token = await emulator.issueToken({ scopes: ['create:users', 'read:users', 'update:users', 'delete:users'] });
 * const report = await runConformance({ fetch: emulator.fetch, baseUrl: emulator.baseUrl, token });
 * report.failed;
 * // => 0
 */
export async function runConformance(
  target: ConformanceTarget,
  cases: readonly ConformanceCase[] = CONFORMANCE_CASES,
): Promise<ConformanceReport> {
  const runId = Math.random().toString(36).slice(2, 10);
  const results: ConformanceResult[] = [];
  let list: readonly ConformanceCase[];
  try {
    list = Array.isArray(cases) ? Array.from(cases) : [];
    if (!Array.isArray(cases)) throw new TypeError('not an array');
  } catch (error) {
    const failure = `cases must be an array of conformance cases (${describeThrown(error)})`;
    return {
      passed: 0,
      failed: 1,
      results: [{ id: 'cases', rule: 0, title: 'the cases to run', passed: false, failure }],
    };
  }
  for (const testCase of list) {
    let base: Omit<ConformanceResult, 'passed' | 'failure'> = { id: '?', rule: 0, title: 'a case that cannot be read' };
    let failure: string | undefined;
    try {
      base = { id: String(testCase.id), rule: Number(testCase.rule), title: String(testCase.title) };
      failure = await runCase(target, testCase, runId);
    } catch (error) {
      failure = `threw: ${describeThrown(error)}`;
    }
    results.push(failure === undefined ? { ...base, passed: true } : { ...base, passed: false, failure });
  }
  const passed = results.filter((result) => result.passed).length;
  return { passed, failed: results.length - passed, results };
}
