/**
 * `auth0-metadata exec [serve options] -- <command>`: the command runs against a started server,
 * with its URL and client in the environment, and its exit status is exec's; the server stops after.
 */
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { execEnvironment, runExec } from '../../src/cli/exec.js';
import { runCli } from '../../src/cli/main.js';
import { cliSession, runCliOn } from './helpers.js';

/** A node one-liner as a command: `node -e <script>`. */
const node = (script: string): string[] => [process.execPath, '-e', script];

describe('exec', () => {
  test("passes the server's URL, client and audience; the command reaches the server; its status is exec's", async () => {
    const script = `
      const env = process.env;
      const ok = env.AUTH0_CLIENT_ID === 'exec-client' && env.AUTH0_CLIENT_SECRET === 'exec-secret'
        && env.AUTH0_AUDIENCE === env.AUTH0_BASE_URL + '/api/v2/' && env.AUTH0_BASE_URL.endsWith(env.AUTH0_DOMAIN);
      fetch(env.AUTH0_BASE_URL + '/__emulator/health').then((r) => r.json()).then((health) => {
        console.error(env.AUTH0_BASE_URL);
        process.exit(ok && health.users === 1 ? 7 : 1);
      });`;
    const seed = JSON.stringify([{ connection: 'c', email: 'a@example.com', password: 'Pw1!xxxxxx' }]);
    const run = await runCliOn(
      [
        'exec',
        '--seed',
        'users.json',
        '--client-id',
        'exec-client',
        '--client-secret',
        'exec-secret',
        '--',
        ...node(script),
      ],
      { 'users.json': seed },
    );
    expect(run.code).toBe(7);
    // The server's banner and request log are not printed.
    expect(run.out).toBe('');
  });

  test('stops the server once the command ends', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'exec-'));
    const file = join(folder, 'url');
    const run = await runCliOn(
      ['exec', '--', ...node(`require('node:fs').writeFileSync(${JSON.stringify(file)}, process.env.AUTH0_BASE_URL)`)],
      {},
    );
    expect(run.code).toBe(0);
    const url = await readFile(file, 'utf8');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await expect(fetch(`${url}/__emulator/health`)).rejects.toThrow();
    await rm(folder, { recursive: true });
  });

  test('without a command, or with bad serve options, is a usage error; a server that cannot start is its code', async () => {
    expect((await runCliOn(['exec'], {})).code).toBe(2);
    expect((await runCliOn(['exec', '--'], {})).code).toBe(2);
    const misspelt = await runCliOn(['exec', '--prot', '1', '--', 'true'], {});
    expect([misspelt.code, misspelt.err]).toStrictEqual([2, expect.stringContaining('did you mean --port?')]);
    const missing = await runCliOn(['exec', '--seed', 'nope.json', '--', 'true'], {});
    expect(missing.code).toBe(1);
    expect((await runCliOn(['exec', '--help'], {})).out).toContain('AUTH0_CLIENT_SECRET');
    const unknown = await runCliOn(['exec', '--', 'no-such-command-anywhere'], {});
    expect([unknown.code, unknown.err]).toStrictEqual([
      127,
      expect.stringContaining('cannot run no-such-command-anywhere'),
    ]);
  });

  test.each([
    ['SIGTERM', 143],
    ['SIGKILL', 137],
    ['SIGALRM', 142],
  ])('a command ended by %s exits with 128 + its number (%i), as shells say', async (signal, status) => {
    const run = await runCliOn(['exec', '--', ...node(`process.kill(process.pid, '${signal}')`)], {});
    expect(run.code).toBe(status);
  });

  test('serve gets --port 0 unless a port is given; a serve that ends without listening fails exec, even with 0', async () => {
    const given: (readonly string[])[] = [];
    const session = cliSession();
    for (const args of [['--seed', 'a.json'], ['--port', '3000'], ['--port=3000']]) {
      const code = await runExec([...args, '--', 'true'], session.io, async (serveArgs) => {
        given.push(serveArgs);
        return 0;
      });
      expect(code).toBe(1);
    }
    expect(given).toStrictEqual([['--port', '0', '--seed', 'a.json'], ['--port', '3000'], ['--port=3000']]);
    expect(await runExec(['--', 'true'], session.io, async () => 3)).toBe(3);
  });

  test('a stop (Ctrl+C) while the command runs ends the command with SIGTERM, and exec with 143', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'exec-'));
    const started = join(folder, 'started');
    const session = cliSession();
    const script = `require('node:fs').writeFileSync(${JSON.stringify(started)}, ''); setTimeout(() => process.exit(5), 20000)`;
    const run = runCli(['exec', '--', ...node(script)], session.io);
    const exists = (): Promise<boolean> =>
      access(started).then(
        () => true,
        () => false,
      );
    for (let tries = 0; tries < 200 && !(await exists()); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    session.stop();
    expect(await run).toBe(143);
    await rm(folder, { recursive: true });
  });

  test('the environment names the certificate with --https', () => {
    expect(
      execEnvironment({
        url: 'https://127.0.0.1:4443',
        clientId: 'c',
        clientSecret: 's',
        certificateFile: '/tmp/cert.pem',
      }),
    ).toStrictEqual({
      AUTH0_DOMAIN: '127.0.0.1:4443',
      AUTH0_BASE_URL: 'https://127.0.0.1:4443',
      AUTH0_CLIENT_ID: 'c',
      AUTH0_CLIENT_SECRET: 's',
      AUTH0_AUDIENCE: 'https://127.0.0.1:4443/api/v2/',
      NODE_EXTRA_CA_CERTS: '/tmp/cert.pem',
    });
  });
});
