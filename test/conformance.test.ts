import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CONFORMANCE_CASES, type ConformanceTarget, runConformance } from '../src/conformance/index.js';
import { createEmulator } from '../src/emulator/index.js';
import { applyPatch, createUser, selectFields, toAuth0Error, type User } from '../src/index.js';
import { type RunningServer, serve } from '../src/node/index.js';

const SCOPES = ['create:users', 'read:users', 'update:users', 'delete:users'];

function failures(report: Awaited<ReturnType<typeof runConformance>>): string[] {
  return report.results.filter((result) => !result.passed).map((result) => `${result.id}: ${result.failure}`);
}

/**
 * The smallest possible implementation of the endpoints the cases use, built from the pure
 * functions alone (no emulator): proof that the cases check the library's semantics directly.
 */
function libraryTarget(): ConformanceTarget {
  const users = new Map<string, User>();
  const json = (status: number, body: unknown): Response => Response.json(body, { status });
  const error = (issues: Parameters<typeof toAuth0Error>[0]): Response => {
    const { status, body } = toAuth0Error(issues);
    return json(status, body);
  };
  const handle = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const body: unknown = request.method === 'GET' || request.method === 'DELETE' ? undefined : await request.json();
    if (url.pathname === '/api/v2/users' && request.method === 'POST') {
      const created = createUser(body);
      if (!created.success) return error(created.issues);
      users.set(created.value.user_id, created.value);
      return json(201, created.value);
    }
    if (url.pathname === '/dbconnections/signup') return json(501, { message: 'signup is not part of this target' });
    const id = decodeURIComponent(url.pathname.replace('/api/v2/users/', ''));
    const user = users.get(id);
    if (user === undefined)
      return json(404, toAuth0Error([{ code: 'user_not_found', path: [], message: 'The user does not exist.' }]).body);
    if (request.method === 'DELETE') {
      users.delete(id);
      return new Response(null, { status: 204 });
    }
    if (request.method === 'GET') {
      const selected = selectFields(user, {
        fields: url.searchParams.get('fields'),
        include_fields: url.searchParams.get('include_fields'),
      });
      return selected.success ? json(200, selected.value) : error(selected.issues);
    }
    const patched = applyPatch(user, body);
    if (!patched.success) return error(patched.issues);
    users.set(id, patched.value);
    return json(200, patched.value);
  };
  return { fetch: handle, baseUrl: 'https://library.test', token: 'unused' };
}

describe('conformance kit', () => {
  test('every numbered rule with an HTTP surface has a case, and ids are unique', () => {
    const ids = CONFORMANCE_CASES.map((testCase) => testCase.id);
    expect(new Set(ids).size).toBe(ids.length);
    const rules = new Set(CONFORMANCE_CASES.map((testCase) => testCase.rule));
    for (const rule of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 16, 17, 19, 20, 22, 23, 24, 25, 26, 28, 32]) {
      expect(rules.has(rule), `rule ${rule}`).toBe(true);
    }
  });

  test('the pure functions pass every Management API case', async () => {
    const cases = CONFORMANCE_CASES.filter((testCase) =>
      testCase.steps.every((step) => step.request.path !== '/dbconnections/signup'),
    );
    const report = await runConformance(libraryTarget(), cases);
    expect(failures(report)).toStrictEqual([]);
    expect(report.passed).toBe(cases.length);
  });

  test('the emulator passes every case in process', async () => {
    const emulator = createEmulator({ passwordHashIterations: 1000 });
    const token = await emulator.issueToken({ scopes: SCOPES });
    const report = await runConformance({ fetch: emulator.fetch, baseUrl: emulator.baseUrl, token });
    expect(failures(report)).toStrictEqual([]);
    expect(report.passed).toBe(CONFORMANCE_CASES.length);
  });

  describe('over HTTP', () => {
    const emulator = createEmulator({ passwordHashIterations: 1000 });
    let server: RunningServer;
    beforeAll(async () => {
      server = await serve(emulator.fetch, { port: 0 });
    });
    afterAll(async () => {
      await server.close();
    });

    test('the emulator passes every case through a real server on 127.0.0.1', async () => {
      const token = await emulator.issueToken({ scopes: SCOPES });
      const report = await runConformance({ fetch: (request) => fetch(request), baseUrl: server.url, token });
      expect(failures(report)).toStrictEqual([]);
    });
  });

  test('an implementation that treats {} as a no-op fails the clearing cases', async () => {
    const emulator = createEmulator({ passwordHashIterations: 1000 });
    const token = await emulator.issueToken({ scopes: SCOPES });
    const noOpClear = async (request: Request): Promise<Response> => {
      if (request.method !== 'PATCH') return emulator.fetch(request);
      const body: unknown = await request.json();
      const kept = Object.entries(typeof body === 'object' && body !== null ? body : {}).filter(
        ([, value]) => !(typeof value === 'object' && value !== null && Object.keys(value).length === 0),
      );
      if (kept.length === 0)
        return emulator.fetch(new Request(request.url, { method: 'GET', headers: request.headers }));
      return emulator.fetch(
        new Request(request.url, {
          method: 'PATCH',
          headers: request.headers,
          body: JSON.stringify(Object.fromEntries(kept)),
        }),
      );
    };
    const report = await runConformance({ fetch: noOpClear, baseUrl: emulator.baseUrl, token });
    const failed = report.results.filter((result) => !result.passed).map((result) => result.id);
    expect(failed).toContain('patch-empty-object-clears');
    expect(failed).not.toContain('patch-null-deletes');
  });

  test('a target that cannot be reached is reported per case, never thrown', async () => {
    const report = await runConformance(
      { fetch: () => Promise.reject(new Error('connection refused')), baseUrl: 'http://127.0.0.1:9', token: 'x' },
      CONFORMANCE_CASES.slice(0, 2),
    );
    expect(report.failed).toBe(2);
    expect(report.results[0]?.failure).toContain('connection refused');
  });
});
