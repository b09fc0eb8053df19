/**
 * `auth0-metadata exec [serve options] -- <command>`: the command runs against a started server,
 * with its URL and client in the environment, and its exit status is exec's; the server stops after.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { execEnvironment } from '../../src/cli/exec.js';
import { runCliOn } from './helpers.js';

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

  test('a command ended by a signal exits with 128 + its number, as shells say', async () => {
    const run = await runCliOn(['exec', '--', ...node("process.kill(process.pid, 'SIGTERM')")], {});
    expect(run.code).toBe(143);
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
