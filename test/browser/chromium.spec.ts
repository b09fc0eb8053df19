/**
 * The library in headless Chromium (Debian's `chromium`, driven by playwright-core; never a
 * browser download). A page served from 127.0.0.1 loads one script that esbuild bundled from the
 * built package: the core, the emulator and the conformance kit. The page runs the seed
 * walkthrough through the emulator's fetch handler, the same steps with the pure functions, and
 * the conformance kit; the test reads the results from the page.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bundleForWeb } from '../edge/bundle.js';
import { CHROMIUM, CHROMIUM_FLAGS } from './chromium.js';
import { EXPECTED_WALKTHROUGH, HOME, WORK } from './walkthrough.js';

const PAGE_SCRIPT = `
import { applyPatch, createUser, selectFields } from 'auth0-metadata';
import { createEmulator } from 'auth0-metadata/emulator';
import { runConformance } from 'auth0-metadata/conformance';
import { HOME, JANE, WORK, runWalkthrough } from './test/browser/walkthrough.ts';

function valueOf(result) {
  if (!result.success) throw new Error(result.issues.map((issue) => issue.message).join('; '));
  return result.value;
}

/** The same walkthrough with the pure functions of the core. */
function coreWalkthrough() {
  let user = valueOf(createUser(JANE));
  const read = valueOf(selectFields(user, { fields: 'user_metadata' }));
  const metadata = [];
  for (const patch of [
    { user_metadata: { addresses: { home: HOME } } },
    { user_metadata: { addresses: { home: HOME, work: WORK } } },
    { user_metadata: { hobby: null } },
    { user_metadata: {}, app_metadata: {} },
  ]) {
    user = valueOf(applyPatch(user, patch));
    metadata.push([user.user_metadata, 'app_metadata' in user ? user.app_metadata : 'absent']);
  }
  return { read, metadata };
}

async function main() {
  const emulator = createEmulator();
  const token = await emulator.issueToken();
  const steps = await runWalkthrough((url, init) => emulator.fetch(url, init), emulator.baseUrl, token);
  const checked = createEmulator();
  const report = await runConformance({ fetch: checked.fetch, baseUrl: checked.baseUrl, token: await checked.issueToken() });
  return {
    userAgent: navigator.userAgent,
    secure: isSecureContext,
    // Read off globalThis: esbuild rewrites a bare require into its own shim.
    nodeGlobals: ['process', 'require', 'Buffer'].map((name) => typeof globalThis[name]),
    steps,
    core: coreWalkthrough(),
    conformance: { passed: report.passed, failed: report.failed, failures: report.results.filter((r) => !r.passed) },
  };
}

main().then(
  (result) => { globalThis.walkthroughResult = JSON.stringify(result); document.body.dataset.state = 'done'; },
  (error) => { globalThis.walkthroughResult = JSON.stringify({ error: String(error && error.stack || error) }); document.body.dataset.state = 'failed'; },
);
`;

const HTML =
  '<!doctype html><html><head><meta charset="utf-8"><title>auth0-metadata</title></head><body><script src="/app.js"></script></body></html>';

let server: Server;
let context: BrowserContext;
let userDataDir: string;
let pageUrl: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does`);
  }
  const { code } = await bundleForWeb(PAGE_SCRIPT);
  server = createServer((request, response) => {
    if (request.url === '/') response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(HTML);
    else if (request.url === '/app.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(code);
    else response.writeHead(request.url === '/favicon.ico' ? 204 : 404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the page server has no port');
  pageUrl = `http://127.0.0.1:${address.port}/`;
  userDataDir = mkdtempSync(join(tmpdir(), 'auth0-metadata-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_FLAGS],
  });
});

afterAll(async () => {
  await context?.close();
  await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  if (userDataDir !== undefined) rmSync(userDataDir, { recursive: true, force: true });
});

describe('the core and the emulator in headless Chromium', () => {
  let result: unknown;

  beforeAll(async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(pageUrl);
    await page.waitForFunction('document.body.dataset.state !== undefined');
    const text: unknown = await page.evaluate('globalThis.walkthroughResult');
    result = typeof text === 'string' ? JSON.parse(text) : text;
    await page.close();
    expect(errors).toStrictEqual([]);
  });

  test('the page ran in Chromium, in a secure context, without Node globals', () => {
    expect(result).toMatchObject({
      userAgent: expect.stringContaining('Chrome/'),
      secure: true,
      nodeGlobals: ['undefined', 'undefined', 'undefined'],
    });
  });

  test('the seed walkthrough through the emulator’s fetch handler', () => {
    expect(result).toMatchObject({ steps: EXPECTED_WALKTHROUGH });
  });

  test('the same walkthrough with the pure functions', () => {
    expect(result).toMatchObject({
      core: {
        read: { user_metadata: { hobby: 'surfing' } },
        metadata: [
          [{ hobby: 'surfing', addresses: { home: HOME } }, { plan: 'full' }],
          [{ hobby: 'surfing', addresses: { home: HOME, work: WORK } }, { plan: 'full' }],
          [{ addresses: { home: HOME, work: WORK } }, { plan: 'full' }],
          [{}, 'absent'],
        ],
      },
    });
  });

  test('the conformance kit passes against the emulator in the page', () => {
    expect(result).toMatchObject({ conformance: { failed: 0, failures: [] } });
    expect(result).toMatchObject({ conformance: { passed: expect.toSatisfy((passed: number) => passed > 25) } });
  });
});
