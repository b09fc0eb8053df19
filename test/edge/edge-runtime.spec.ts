/**
 * The emulator's fetch handler in an edge-runtime sandbox (Vercel's `edge-runtime`, a Web-APIs-only
 * VM context: no `require`, `process` or `Buffer`). The built `auth0-metadata/emulator` entry is
 * bundled for the worker platform and registered as a Workers-style `fetch` event listener; the
 * test sends requests through the runtime's `dispatchFetch`.
 */
import { EdgeRuntime } from 'edge-runtime';
import { beforeAll, describe, expect, test } from 'vitest';
import { EXPECTED_WALKTHROUGH, runWalkthrough } from '../browser/walkthrough.js';
import { bundleForWeb, type WebBundle } from './bundle.js';

const BASE_URL = 'https://tenant.auth0.test';

const WORKER = `
import { createEmulator } from 'auth0-metadata/emulator';
import { formatPath } from 'auth0-metadata';
import { runConformance } from 'auth0-metadata/conformance';

const emulator = createEmulator({ clientId: 'edge-client', clientSecret: 'edge-secret' });
self.addEventListener('fetch', (event) => event.respondWith(emulator.fetch(event.request)));
self.formattedInSandbox = formatPath(['user_metadata', 'addresses', 0, 'city']);

// The conformance kit against a second emulator, all inside the sandbox.
const checked = createEmulator();
self.conformanceReport = checked
  .issueToken()
  .then((token) => runConformance({ fetch: checked.fetch, baseUrl: checked.baseUrl, token }))
  .then((report) => JSON.stringify({ passed: report.passed, failed: report.failed, failures: report.results.filter((r) => !r.passed) }));
`;

let bundle: WebBundle;
let runtime: EdgeRuntime;

beforeAll(async () => {
  bundle = await bundleForWeb(WORKER, ['worker']);
  runtime = new EdgeRuntime({ initialCode: bundle.code });
});

describe('the emulator in an edge runtime', () => {
  test('the sandbox has Web APIs and no Node globals', () => {
    // JSON across the boundary: the sandbox's arrays have the sandbox's Array.prototype.
    const globals: unknown = JSON.parse(
      runtime.evaluate<string>(
        'JSON.stringify([typeof require, typeof process, typeof Buffer, typeof module, typeof crypto.subtle, typeof Request, typeof EdgeRuntime])',
      ),
    );
    expect(globals).toStrictEqual(['undefined', 'undefined', 'undefined', 'undefined', 'object', 'function', 'string']);
  });

  test('the bundle is made of the built package and jose, not of the Node adapter', () => {
    expect(bundle.inputs).toEqual(expect.arrayContaining(['dist/emulator.js', 'dist/index.js', 'dist/conformance.js']));
    const foreign = bundle.inputs.filter(
      (input) => !/^dist\/[\w.-]+\.js$/.test(input) && !input.startsWith('node_modules/jose/') && input !== 'entry.ts',
    );
    expect(foreign).toStrictEqual([]);
    expect(
      bundle.inputs.filter((input) => input.startsWith('dist/node') || input.startsWith('dist/cli')),
    ).toStrictEqual([]);
  });

  test('the core ran inside the sandbox', () => {
    expect(runtime.evaluate<unknown>('self.formattedInSandbox')).toBe('user_metadata.addresses[0].city');
  });

  test('the conformance kit passes against the emulator inside the sandbox', async () => {
    const report: unknown = JSON.parse(await runtime.evaluate<Promise<string>>('self.conformanceReport'));
    expect(report).toStrictEqual({ passed: expect.any(Number), failed: 0, failures: [] });
    expect(report).toMatchObject({ passed: expect.toSatisfy((passed: number) => passed > 25) });
  });

  test('a request without a token gets Auth0’s 401', async () => {
    const response = await runtime.dispatchFetch(`${BASE_URL}/api/v2/users/auth0%7Cnobody`);
    expect([response.status, await response.json()]).toStrictEqual([
      401,
      { statusCode: 401, error: 'Unauthorized', message: 'Missing authentication', errorCode: expect.any(String) },
    ]);
  });

  test('client credentials, then the seed walkthrough, through dispatchFetch', async () => {
    const tokenResponse = await runtime.dispatchFetch(`${BASE_URL}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: 'edge-client',
        client_secret: 'edge-secret',
        audience: `${BASE_URL}/api/v2/`,
      }),
    });
    const grant: unknown = await tokenResponse.json();
    expect(grant).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String) });
    const token = typeof grant === 'object' && grant !== null ? Reflect.get(grant, 'access_token') : undefined;
    expect(typeof token).toBe('string');

    const steps = await runWalkthrough(
      (url, init) => runtime.dispatchFetch(url, init),
      BASE_URL,
      typeof token === 'string' ? token : '',
    );
    expect(steps).toStrictEqual(EXPECTED_WALKTHROUGH);
  });
});

describe('bundling for the web platform', () => {
  test('fails on the Node adapter, which imports http (so a Node import in the emulator would fail too)', async () => {
    await expect(bundleForWeb("import { serve } from 'auth0-metadata/node'; serve;", ['worker'])).rejects.toThrow(
      /Could not resolve "(node:)?http"/,
    );
  });
});
