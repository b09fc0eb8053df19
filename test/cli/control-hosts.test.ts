/**
 * The control API and the inspector page beyond loopback: answered through a host that
 * `--allowed-host` spells out (a LAN address the server is bound to, a machine name), never through
 * a pattern (`*`, `.lan.test`) that a name rebound by DNS could match. Forged Host headers are sent
 * over raw sockets; the server itself binds 127.0.0.1 (tests bind loopback only), so the banner of a
 * LAN-bound server is checked on a server object bound as such.
 */
import { connect } from 'node:net';
import { describe, expect, test } from 'vitest';
import { startupBanner } from '../../src/cli/main.js';
import { createEmulator } from '../../src/emulator/index.js';
import { serveInProcess } from './helpers.js';

const LAN = '192.168.77.5';

/** One request with a forged Host on a raw socket: the status line and the body. */
function rawGet(
  url: string,
  target: string,
  host: string,
): Promise<{ readonly status: number; readonly body: string }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: Number(port) });
    let text = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = text.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), body });
    });
    socket.write(`GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
  });
}

describe('serve --allowed-host and the control API', () => {
  test('a host spelled out reaches the control API and the inspector; a pattern or a rebound name never does', async () => {
    const run = await serveInProcess([
      'serve',
      '--port',
      '0',
      '--allowed-host',
      LAN,
      '--allowed-host',
      'devbox.lan',
      '--allowed-host',
      '.preview.test',
      '--allowed-host',
      '*',
    ]);
    try {
      const port = new URL(run.url).port;
      const answers = async (host: string): Promise<readonly number[]> => [
        (await rawGet(run.url, '/__emulator/health', host)).status,
        (await rawGet(run.url, '/__emulator/', host)).status,
        (await rawGet(run.url, '/api/v2/users', host)).status,
      ];
      // Control API 200; the page passes the Host check (404: not built when run from the sources); Auth0 API 401.
      expect(await answers(`${LAN}:${port}`)).toStrictEqual([200, 404, 401]);
      expect(await answers(`DEVBOX.LAN.:${port}`)).toStrictEqual([200, 404, 401]);
      expect(await answers(`localhost:${port}`)).toStrictEqual([200, 404, 401]);
      // Allowed for the Auth0 API by a pattern (`*`, `.preview.test`), refused by the control API and the page.
      expect(await answers(`rebound.attacker.test:${port}`)).toStrictEqual([403, 403, 401]);
      expect(await answers(`app.preview.test:${port}`)).toStrictEqual([403, 403, 401]);
      expect(await answers(`${LAN}.attacker.test:${port}`)).toStrictEqual([403, 403, 401]);
      // An absolute-form target cannot pick the Host the control API is judged by.
      expect((await rawGet(run.url, `http://${LAN}:${port}/__emulator/health`, 'rebound.attacker.test')).status).toBe(
        403,
      );
      const refused = await rawGet(run.url, '/__emulator/health', `rebound.attacker.test:${port}`);
      expect(refused.body).not.toContain('uptimeSeconds');
      expect(refused.body).toContain('the hosts named for it (serve --allowed-host');
    } finally {
      run.stop();
      await run.exit;
    }
  });

  test('without --allowed-host, a LAN address is refused before routing, the control API included', async () => {
    const run = await serveInProcess(['serve', '--port', '0']);
    try {
      const port = new URL(run.url).port;
      expect((await rawGet(run.url, '/__emulator/health', `${LAN}:${port}`)).status).toBe(403);
      expect((await rawGet(run.url, '/__emulator/health', `127.0.0.1:${port}`)).status).toBe(200);
    } finally {
      run.stop();
      await run.exit;
    }
  });
});

describe('the banner of a server bound beyond loopback', () => {
  const emulator = createEmulator({ clientSecret: 'shh' });
  const bound = (host: string): { url: string; host: string; port: number; close: () => Promise<void> } => ({
    url: `http://${host.includes(':') ? `[${host}]` : host}:4000`,
    host,
    port: 4000,
    close: async () => undefined,
  });

  test('bound to one LAN address that no --allowed-host names: no inspector URL, and how to open one', () => {
    const banner = startupBanner(bound(LAN), emulator, undefined).join('\n');
    expect(banner).toContain(
      `  Inspector      none on ${LAN}: the inspector and the control API answer loopback names only;\n                 serve --allowed-host ${LAN} opens them there, to everyone who reaches that address`,
    );
    expect(banner).not.toContain('/__emulator/');
  });

  test('named by --allowed-host: the inspector URL on that address, with what it opens', () => {
    const banner = startupBanner(bound(LAN), emulator, undefined, undefined, [LAN]).join('\n');
    expect(banner).toContain(`  Inspector      http://${LAN}:4000/__emulator/  (a web page:`);
    expect(banner).toContain(
      `(through ${LAN}: named by --allowed-host; whoever reaches it can reset, import users and get tokens)`,
    );
  });

  test('bound to every interface: the loopback URL first, then each host named', () => {
    const banner = startupBanner(bound('0.0.0.0'), emulator, undefined, undefined, ['devbox.lan']).join('\n');
    expect(banner).toContain(
      '  Inspector      http://127.0.0.1:4000/__emulator/  (a web page: users, metadata edits, journal, controls)\n                 http://devbox.lan:4000/__emulator/\n',
    );
  });
});

describe('the controlHosts option of createEmulator', () => {
  test('exact names open the control API in process; a pattern is refused with a TypeError naming it', async () => {
    const emulator = createEmulator({ controlHosts: [LAN, 'FE80::1', 'devbox.lan.'] });
    for (const origin of [`http://${LAN}:4000`, 'http://[fe80::1]:4000', 'http://devbox.lan', 'http://localhost']) {
      expect([origin, (await emulator.fetch(`${origin}/__emulator/health`)).status]).toStrictEqual([origin, 200]);
    }
    expect((await emulator.fetch('http://other.lan/__emulator/health')).status).toBe(403);
    expect((await createEmulator().fetch(`http://${LAN}/__emulator/health`)).status).toBe(403);
    for (const pattern of ['*', '.lan.test', 'a b', '']) {
      expect(() => createEmulator({ controlHosts: [pattern] })).toThrow(
        `createEmulator: controlHosts must hold exact host names (no wildcard: a name rebound by DNS could match one), got ${JSON.stringify(pattern)}`,
      );
    }
  });
});
