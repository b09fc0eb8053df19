/**
 * The inspector page's door in `serve` (src/cli/inspector.ts), run from the sources: there the
 * page is not built, so the page paths answer a clear 404; every other path is left to the emulator.
 * The built page itself, its policy and what it does are tested in Chromium (test/browser/inspector.spec.ts).
 */

import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { contentSecurityPolicy, inspectorPage, inspectorPageFrom } from '../../src/cli/inspector.js';
import type { EmulatorRequest } from '../../src/emulator/index.js';

function request(url: string, method = 'GET'): EmulatorRequest {
  return { method, url, headers: { get: () => null }, body: null };
}

describe('the inspector page in serve', () => {
  test.each(['/api/v2/users', '/__emulator/health', '/__emulator/requests', '/__emulatorx', '/'])(
    '%s is not the page: the emulator answers it',
    (path) => {
      expect(inspectorPage(request(`http://127.0.0.1:4000${path}`))).toBeUndefined();
    },
  );

  test.each(['/__emulator', '/__emulator/'])('%s from the sources: 404 saying how to build the page', async (path) => {
    const answer = await inspectorPage(request(`http://127.0.0.1:4000${path}`));
    expect(answer).toMatchObject({ status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    expect(answer?.body).toContain('npm run build');
  });

  test.each(['localhost', '127.0.0.1', '127.1.2.3', '[::1]'])(
    'a loopback Host (%s) may have the page',
    async (host) => {
      expect((await inspectorPage(request(`http://${host}:4000/__emulator/`)))?.status).toBe(404);
    },
  );

  test.each(['attacker.example', '192.168.1.10', 'localhost.attacker.example', '127.0.0.1.nip.io', '[::2]'])(
    'any other Host (%s) is refused with 403: a rebound DNS name never reaches the page',
    async (host) => {
      const answer = await inspectorPage(request(`http://${host}:4000/__emulator/`));
      expect(answer?.status).toBe(403);
      expect(answer?.body).toContain('loopback');
    },
  );

  test.each(['POST', 'PUT', 'DELETE', 'PATCH'])('%s is answered 405, allowing GET and HEAD', async (method) => {
    const answer = await inspectorPage(request('http://127.0.0.1:4000/__emulator/', method));
    expect(answer).toMatchObject({ status: 405, headers: { allow: 'GET, HEAD' } });
  });

  test('HEAD is answered like GET, without a body', async () => {
    const answer = await inspectorPage(request('http://127.0.0.1:4000/__emulator/', 'HEAD'));
    expect([answer?.status, answer?.body]).toStrictEqual([404, null]);
  });
});

describe('a built page', () => {
  test('is answered 200 with its policy, read once: a page changed on disk is served as first read', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'auth0-metadata-inspector-'));
    const file = join(folder, 'index.html');
    const page = '<!doctype html><style>p{}</style><script>1</script>';
    await writeFile(file, page);
    const door = inspectorPageFrom(pathToFileURL(file));
    const answer = await door(request('http://localhost:4000/__emulator/'));
    expect(answer).toMatchObject({
      status: 200,
      body: page,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': contentSecurityPolicy(page),
        'x-content-type-options': 'nosniff',
      },
    });
    await writeFile(file, '<p>changed</p>');
    expect((await door(request('http://localhost:4000/__emulator', 'HEAD')))?.body).toBeNull();
    expect((await door(request('http://localhost:4000/__emulator')))?.body).toBe(page);
    await rm(folder, { recursive: true });
  });
});

describe('the Content-Security-Policy of the page', () => {
  const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
  const page = '<!doctype html><style>body{color:red}</style><p>x</p><script>console.log("</p>")</script>';

  test('allows the inline script and style by their hashes, and nothing else', () => {
    expect(contentSecurityPolicy(page).split('; ')).toStrictEqual([
      "default-src 'none'",
      `script-src ${sha256('console.log("</p>")')}`,
      `style-src ${sha256('body{color:red}')}`,
      "connect-src 'self'",
      'img-src data:',
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ]);
  });

  test('a changed script is another hash: an edited page is not run under an old policy', () => {
    const edited = page.replace('console.log', 'console.info');
    expect(contentSecurityPolicy(edited)).not.toBe(contentSecurityPolicy(page));
    expect(contentSecurityPolicy(edited)).not.toContain('unsafe');
  });
});
