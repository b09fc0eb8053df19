/**
 * The inspector page in headless Chromium (Debian's `chromium`, driven by playwright-core, with the
 * flags of chromium.spec.ts) against a real `node dist/cli.js serve` process: the users list with
 * counts, paging and `q` search, a user's trees, a metadata edit whose live preview warns of nested
 * data that will be lost, the PATCH sent and seen in the journal, Auth0's 400 shown as Auth0 words
 * it, create, delete, reset and the controls. The page must make no request to another origin, log
 * no console error (other than the browser's own line for each 4xx the test provokes on purpose)
 * and pass axe-core with no serious or critical violation in the light and the dark scheme.
 * Screenshots of the main views go to inspector-screenshots/ (printed at the end).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CHROMIUM, CHROMIUM_FLAGS } from './chromium.js';

const root = join(import.meta.dirname, '..', '..');
const SCREENSHOTS = join(root, 'inspector-screenshots');
const CLIENT_SECRET = 'inspector-test-secret';
const USER_COUNT = 12;

/** The seeded users: numbered, each with nested user_metadata (addresses) a PATCH can lose part of. */
function seedUsers(): object[] {
  return Array.from({ length: USER_COUNT }, (_, index) => ({
    connection: 'Username-Password-Authentication',
    email: `user${String(index + 1).padStart(2, '0')}@example.com`,
    password: `Inspector-Pass-${index + 1}!`,
    name: `User ${index + 1}`,
    user_metadata: { addresses: { home: { city: 'Paris' }, work: { city: 'Lyon' } }, theme: 'dark' },
    app_metadata: { plan: index % 2 === 0 ? 'pro' : 'free' },
  }));
}

interface Server {
  readonly process: ChildProcess;
  readonly url: string;
  readonly output: string[];
}

/** `node dist/cli.js serve --port 0 ...args`, resolved once its whole banner is printed. */
function startServe(args: readonly string[]): Promise<Server> {
  const child = spawn(process.execPath, [join(root, 'dist', 'cli.js'), 'serve', '--port', '0', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output.join('')}`)), 60_000);
    const read = (chunk: Buffer): void => {
      output.push(chunk.toString());
      const banner = output.join('');
      const url = /listening on (https?:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1];
      if (url !== undefined && banner.includes('Press Ctrl+C to stop.')) {
        clearTimeout(timer);
        resolve({ process: child, url, output });
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${output.join('')}`));
    });
  });
}

function stopServe(server: Server | undefined): Promise<void> {
  if (server === undefined || server.process.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    server.process.once('exit', () => resolve());
    server.process.kill('SIGINT');
  });
}

interface RawAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** One request with any Host header (fetch cannot forge one), over http or https. */
function rawRequest(
  url: string,
  options: { method?: string; host?: string; ca?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<RawAnswer> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(
      target,
      {
        method: options.method ?? 'GET',
        headers: { ...options.headers, ...(options.host === undefined ? {} : { host: options.host }) },
        ...(options.ca === undefined ? {} : { ca: options.ca }),
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 0,
            headers: incoming.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

/** A Management API token for the test's own checks, through /oauth/token as any client gets one. */
async function managementToken(url: string): Promise<string> {
  const response = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'client_credentials',
      client_id: 'auth0-metadata-emulator',
      client_secret: CLIENT_SECRET,
      audience: `${url}/api/v2/`,
    }),
  });
  const body: unknown = await response.json();
  const token = typeof body === 'object' && body !== null ? Reflect.get(body, 'access_token') : undefined;
  if (typeof token !== 'string') throw new Error(`no token: ${JSON.stringify(body)}`);
  return token;
}

let server: Server;
let token: string;
let context: BrowserContext;
let page: Page;
let userDataDir: string;
let seedDir: string;
/** Console errors, page errors, failed requests and requests to another origin, as they happen. */
const problems: string[] = [];
/** URLs the test makes answer 4xx on purpose: the browser logs one console line for each. */
const provoked = new Set<string>();

/** A user as the Management API answers it now, read by the test itself. */
async function serverUser(email: string): Promise<Record<string, unknown>> {
  const answer = await fetch(`${server.url}/api/v2/users-by-email?email=${encodeURIComponent(email)}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const users: unknown = await answer.json();
  const user: unknown = Array.isArray(users) ? users[0] : undefined;
  if (typeof user !== 'object' || user === null) throw new Error(`no user ${email}`);
  return Object.fromEntries(Object.entries(user));
}

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Runs axe-core in the page; the serious and critical violations, as `id: help (n nodes)` lines. */
async function axeViolations(): Promise<string[]> {
  const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol: the page's policy forbids inline scripts, rightly.
  await page.evaluate(source);
  const lines: unknown = await page.evaluate(`
    axe.run(document, { resultTypes: ['violations'] }).then((result) => result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => violation.id + ': ' + violation.help + ' (' +
        violation.nodes.map((node) => node.target.join(' ')).join(', ') + ')'))`);
  return Array.isArray(lines) ? lines.map(String) : [`axe gave ${String(lines)}`];
}

beforeAll(async () => {
  seedDir = mkdtempSync(join(tmpdir(), 'auth0-metadata-inspector-'));
  const seedFile = join(seedDir, 'users.json');
  writeFileSync(seedFile, JSON.stringify(seedUsers()));
  server = await startServe(['--seed', seedFile, '--client-secret', CLIENT_SECRET]);
  token = await managementToken(server.url);
  // The page drives the control API of the same server; without it, nothing below means anything.
  expect((await fetch(`${server.url}/__emulator/health`)).status).toBe(200);
  rmSync(SCREENSHOTS, { recursive: true, force: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  userDataDir = mkdtempSync(join(tmpdir(), 'auth0-metadata-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_FLAGS],
    viewport: { width: 1360, height: 900 },
  });
  page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const provokedLine =
      message.text().startsWith('Failed to load resource: the server responded with a status of 4') &&
      provoked.has(message.location().url);
    if (!provokedLine) problems.push(`console error: ${message.text()} (${message.location().url})`);
  });
  page.on('requestfailed', (request) =>
    problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`),
  );
  page.on('request', (request) => {
    if (!request.url().startsWith(`${server.url}/`) && !request.url().startsWith('data:')) {
      problems.push(`request to another origin: ${request.url()}`);
    }
  });
  page.on('response', (response) => {
    const status = response.status();
    if (status >= 400 && !provoked.has(response.url())) problems.push(`unexpected ${status}: ${response.url()}`);
  });
});

afterAll(async () => {
  await context?.close();
  await stopServe(server);
  if (userDataDir !== undefined) rmSync(userDataDir, { recursive: true, force: true });
  if (seedDir !== undefined) rmSync(seedDir, { recursive: true, force: true });
  console.log(`inspector screenshots: ${SCREENSHOTS}`);
});

describe('the page as the server answers it', () => {
  test('GET /__emulator/ and /__emulator: the HTML page with a strict Content-Security-Policy', async () => {
    for (const path of ['/__emulator/', '/__emulator']) {
      const answer = await rawRequest(`${server.url}${path}`);
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(answer.body).toMatch(/^<!doctype html>/);
      const policy = String(answer.headers['content-security-policy']);
      expect(policy).toContain("default-src 'none'");
      expect(policy).toContain("connect-src 'self'");
      expect(policy).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
      expect(policy).not.toContain('unsafe');
      // Self-contained: no URL of another origin anywhere in the page.
      expect(answer.body).not.toMatch(/(?:src|href)=["']?(?:https?:)?\/\//);
    }
  });

  test('a Host that is not a loopback name gets no page (DNS rebinding), nor does a POST', async () => {
    expect((await rawRequest(`${server.url}/__emulator/`, { host: 'attacker.example' })).status).toBe(403);
    const post = await rawRequest(`${server.url}/__emulator/`, { method: 'POST' });
    expect([post.status, post.headers.allow]).toStrictEqual([405, 'GET, HEAD']);
  });

  test('with --https and --data, the same page over https', async () => {
    const dataFile = join(seedDir, 'data.json');
    const secure = await startServe(['--https', '--data', dataFile, '--client-secret', CLIENT_SECRET]);
    try {
      const certificate = /NODE_EXTRA_CA_CERTS=(\S+)/.exec(secure.output.join(''))?.[1];
      expect(certificate).toBeDefined();
      const answer = await rawRequest(`${secure.url}/__emulator/`, { ca: readFileSync(String(certificate), 'utf8') });
      expect([answer.status, answer.headers['content-type']]).toStrictEqual([200, 'text/html; charset=utf-8']);
      expect(answer.body).toContain('<title>auth0-metadata inspector</title>');
    } finally {
      await stopServe(secure);
    }
  });
});

describe('the inspector in headless Chromium', () => {
  test('lists the users with their count, and pages through them', async () => {
    await page.goto(`${server.url}/__emulator/`);
    await expect.poll(() => page.textContent('#users-count')).toBe(`Users 1–10 of ${USER_COUNT}`);
    expect(await page.locator('#users-list tbody tr').count()).toBe(10);
    await expect.poll(() => page.textContent('#health')).toContain(`${USER_COUNT} users`);
    // The token came from POST /__emulator/token: the page never asked for one.
    expect(await page.isHidden('#token-needed')).toBe(true);
    await screenshot('1-users');
    await page.click('#page-next');
    await expect.poll(() => page.textContent('#users-count')).toBe(`Users 11–12 of ${USER_COUNT}`);
    await page.click('#page-previous');
    await expect.poll(() => page.textContent('#users-count')).toBe(`Users 1–10 of ${USER_COUNT}`);
  });

  test('opens a user: its attributes and both metadata as trees', async () => {
    await page.getByRole('button', { name: 'user01@example.com' }).click();
    await expect.poll(() => page.textContent('#user-title')).toBe('User user01@example.com');
    const view = page.locator('#user-view');
    await expect.poll(() => view.locator('.tree .key', { hasText: 'addresses' }).count()).toBeGreaterThan(0);
    expect(await view.locator('.tree .key', { hasText: /^home$/ }).count()).toBe(1);
    expect(await view.locator('.tree .value-string', { hasText: '"pro"' }).count()).toBe(1);
    // Focus moves to the user's heading, for keyboard and screen-reader users.
    expect(await page.evaluate('document.activeElement?.id')).toBe('user-title');
    await screenshot('2-user');
  });

  test('editing user_metadata so a nested object loses a key: the PATCH from diffToPatch and the warning', async () => {
    const desired = {
      user_metadata: { addresses: { work: { city: 'Lyon' } }, theme: 'dark' },
      app_metadata: { plan: 'pro' },
    };
    await page.fill('#editor-text', JSON.stringify(desired, null, 2));
    await expect
      .poll(() => page.textContent('#editor-patch pre'))
      .toBe(JSON.stringify({ user_metadata: { addresses: { work: { city: 'Lyon' } } } }, null, 2));
    await expect.poll(() => page.textContent('#editor-preview .warning')).toContain('1 nested value will be lost');
    expect(await page.textContent('#editor-preview .effect-drop')).toContain(
      'user_metadata.addresses.home will be lost: its parent is replaced by an object without it',
    );
    await screenshot('3-preview-warning');
  });

  test('sending it: the new state in the page and on the server, and the PATCH with its effects in the journal', async () => {
    await page.click('#editor-apply');
    await expect.poll(() => page.textContent('#editor-result')).toContain('Applied');
    expect(await page.locator('#user-view .metadata .key', { hasText: /^home$/ }).count()).toBe(0);
    expect(await serverUser('user01@example.com')).toMatchObject({
      user_metadata: { addresses: { work: { city: 'Lyon' } }, theme: 'dark' },
    });
    expect(
      Reflect.get(Reflect.get((await serverUser('user01@example.com')).user_metadata ?? {}, 'addresses') ?? {}, 'home'),
    ).toBeUndefined();
    const patchRow = page.locator('#journal-rows tr', { hasText: 'PATCH' }).first();
    await expect.poll(() => patchRow.textContent(), { timeout: 10_000 }).toContain('/api/v2/users/');
    expect(await patchRow.textContent()).toContain('200');
    expect(await patchRow.locator('.effect-drop').textContent()).toContain('user_metadata.addresses.home will be lost');
    await screenshot('4-applied-journal');
  });

  test("a body Auth0 refuses: the preview says so, and sending it shows Auth0's 400 message", async () => {
    const body = '{ "user_metadata": { "a.b": 1 } }';
    const user = await serverUser('user01@example.com');
    const url = `${server.url}/api/v2/users/${encodeURIComponent(String(user.user_id))}`;
    const expected = await fetch(url, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
    });
    const auth0: unknown = await expected.json();
    expect(expected.status).toBe(400);
    const message = String(Reflect.get(Object(auth0), 'message'));
    provoked.add(url);
    await page.check('input[name="editor-mode"][value="patch"]');
    await page.fill('#editor-text', body);
    await expect.poll(() => page.textContent('#editor-preview')).toContain('Auth0 will refuse this body');
    await page.click('#editor-apply');
    await expect.poll(() => page.textContent('#editor-result')).toContain(message);
    expect(await page.textContent('#editor-result')).toContain('400 Bad Request');
    await screenshot('5-auth0-400');
  });

  test("searching with q, and a query Auth0 refuses shown in Auth0's words", async () => {
    await page.fill('#search-q', 'email:"user03@example.com"');
    await page.click('#search-form button[type="submit"]');
    await expect.poll(() => page.textContent('#users-count')).toBe('Users 1–1 of 1');
    expect(await page.textContent('#users-list tbody')).toContain('user03@example.com');
    await page.fill('#search-q', 'app_metadata.plan:pro');
    await page.press('#search-q', 'Enter');
    await expect.poll(() => page.textContent('#users-count')).toBe('Users 1–6 of 6');
    await screenshot('6-search');
    const bad = 'email:(';
    const url = `${server.url}/api/v2/users?${new URLSearchParams({ page: '0', per_page: '10', include_totals: 'true', q: bad, search_engine: 'v3' })}`;
    const expected = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(expected.status).toBe(400);
    const message = String(Reflect.get(Object(await expected.json()), 'message'));
    provoked.add(url);
    await page.fill('#search-q', bad);
    await page.press('#search-q', 'Enter');
    await expect.poll(() => page.textContent('#search-error')).toContain(message);
    await page.fill('#search-q', '');
    await page.press('#search-q', 'Enter');
    await expect.poll(() => page.textContent('#users-count')).toBe(`Users 1–10 of ${USER_COUNT}`);
  });

  test('creating a user opens it; deleting it takes it out of the list', async () => {
    await page.click('details.create summary');
    await page.fill('#create-email', 'new.user@example.com');
    await page.fill('#create-password', 'A-new-Passw0rd!');
    await page.click('#create-form button[type="submit"]');
    await expect.poll(() => page.textContent('#user-title')).toBe('User new.user@example.com');
    await expect.poll(() => page.textContent('#users-count')).toBe(`Users 1–10 of ${USER_COUNT + 1}`);
    await page.getByRole('button', { name: 'Delete user' }).click();
    await page.getByRole('button', { name: 'Confirm delete' }).click();
    await expect.poll(() => page.textContent('#user-view')).toContain('Deleted');
    await expect.poll(() => page.textContent('#users-count')).toBe(`Users 1–10 of ${USER_COUNT}`);
  });

  test('the controls: the clock, a fault, rate-limit mode and the search-index lag', async () => {
    await page.fill('#clock-at', '2030-01-02T03:04:05.000Z');
    await page.getByRole('button', { name: 'Freeze' }).click();
    await expect.poll(() => page.textContent('#clock-now')).toContain('2030-01-02 03:04:05.000 UTC (frozen)');
    await page.getByRole('button', { name: 'Real time' }).click();
    await expect.poll(() => page.textContent('#clock-now')).toContain('(real time)');
    await page.selectOption('#fault-method', 'GET');
    await page.fill('#fault-times', '2');
    await page.getByRole('button', { name: 'Add fault' }).click();
    await expect.poll(() => page.textContent('ul.faults')).toContain('GET /api/v2/users/{id} → 429 2 times');
    await page.getByRole('button', { name: 'Clear all faults' }).click();
    await expect.poll(() => page.textContent('ul.faults')).toContain('No fault.');
    // A fault the page injected reaches the page's own next request, in Auth0's words.
    await page.fill('#fault-path', '/api/v2/users');
    await page.fill('#fault-times', '1');
    await page.getByRole('button', { name: 'Add fault' }).click();
    await expect.poll(() => page.textContent('ul.faults')).toContain('GET /api/v2/users → 429 1 time');
    provoked.add(`${server.url}/api/v2/users?page=0&per_page=10&include_totals=true`);
    await page.click('#search-form button[type="submit"]');
    await expect.poll(() => page.textContent('#search-error')).toContain('Global limit has been reached');
    expect(await page.textContent('#search-error')).toContain('429 Too Many Requests (too_many_requests)');
    // Used up: the list says so once the journal moves.
    await expect.poll(() => page.textContent('ul.faults'), { timeout: 10_000 }).toContain('No fault.');
    await screenshot('7-fault-429');
    await page.click('#search-form button[type="submit"]');
    await expect.poll(() => page.textContent('#search-error')).toBe('');
    await page.check('#rate-limit-enabled');
    await expect.poll(() => page.textContent('#rate-limit-status')).toContain('Rate-limit mode on.');
    await page.uncheck('#rate-limit-enabled');
    await page.fill('#search-lag', '250');
    await page.getByRole('button', { name: 'Set lag' }).click();
    await expect.poll(() => page.textContent('#search-index-status')).toContain('Search-index lag: 250 ms.');
    await page.fill('#search-lag', '0');
    await page.getByRole('button', { name: 'Set lag' }).click();
    await expect.poll(() => page.textContent('#search-index-status')).toContain('Search-index lag: 0 ms.');
    await screenshot('7-controls');
  });

  test('reset: back to the seeded users, the lost address back on the server', async () => {
    await page.getByRole('button', { name: 'Reset the users' }).click();
    await expect.poll(() => page.textContent('#reset-status')).toContain(`Reset: ${USER_COUNT} users.`);
    expect(await serverUser('user01@example.com')).toMatchObject({
      user_metadata: { addresses: { home: { city: 'Paris' }, work: { city: 'Lyon' } } },
    });
  });

  test('usable from the keyboard: search, open a user, and reach the editor with Tab and Enter', async () => {
    await page.focus('#search-q');
    await page.keyboard.type('email:"user05@example.com"');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('#users-count')).toBe('Users 1–1 of 1');
    await page.focus('#users-list button');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('#user-title')).toBe('User user05@example.com');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Reload user');
  });

  test('axe-core finds no serious or critical violation, in the light and the dark scheme', async () => {
    await page.getByRole('button', { name: 'user05@example.com' }).click();
    await page.fill('#editor-text', '{ "user_metadata": { "addresses": { "work": {} } } }');
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      expect(await axeViolations(), scheme).toStrictEqual([]);
      await screenshot(`8-${scheme}`);
    }
  });

  test('no console error, no failed request, no request to another origin', () => {
    expect(problems).toStrictEqual([]);
  });
});
