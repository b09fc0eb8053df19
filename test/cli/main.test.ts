import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { DEFAULT_PORT, listenError, parsePort, runCli, startupBanner } from '../../src/cli/main.js';
import { messageOf } from '../../src/cli/messages.js';
import { parseSeed } from '../../src/cli/seed.js';
import { createEmulator } from '../../src/emulator/index.js';
import { type RunningServer, serve } from '../../src/node/index.js';
import { type CliSession, cliSession, listeningUrl } from './helpers.js';

const root = join(import.meta.dirname, '..', '..');
const DEMO = join(root, 'examples', 'demo-users.json');

function session(files: Readonly<Record<string, string>> = {}): CliSession {
  return cliSession(files, '9.9.9');
}

async function run(
  argv: readonly string[],
  files: Readonly<Record<string, string>> = {},
): Promise<{ code: number; out: string[]; err: string[] }> {
  const { io, out, err } = session(files);
  const code = await runCli(argv, io);
  return { code, out, err };
}

const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

describe('auth0-metadata --help, --version and bad usage', () => {
  test('--help prints usage and exits 0', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    expect(out.join('\n')).toContain('auth0-metadata serve [options]');
  });

  test.each([
    ['serve', 'Usage: auth0-metadata serve [options]', '--data <users.json>'],
    ['apply', 'Usage: auth0-metadata apply --user <user.json> --patch <patch.json>', '--patch <patch.json>'],
    ['diff', 'Usage: auth0-metadata diff <before.json> <after.json>', 'smallest PATCH'],
    ['explain', 'Usage: auth0-metadata explain --user <user.json> --patch <patch.json> [--json]', '--json'],
  ])('%s --help prints the help of that command alone', async (command, first, option) => {
    const { code, out } = await run([command, '--help']);
    expect(code).toBe(0);
    expect(out.join('\n').split('\n')[0]).toBe(first);
    expect(out.join('\n')).toContain(option);
    expect(out.join('\n')).not.toContain('auth0-metadata --help | --version');
  });

  test('an unknown option names the command whose help to read; the message has balanced quotes', async () => {
    const { err } = await run(['apply', '--nope']);
    expect(err).toStrictEqual([
      "error: unknown option '--nope' (a value starting with '-' goes after '--', as in: -- '--nope')",
      "Run 'auth0-metadata apply --help' for usage.",
    ]);
    expect(err.every((line) => (line.match(/'/g) ?? []).length % 2 === 0)).toBe(true);
    const other = await run(['--port=1', '-z']);
    expect(other.err[1]).toBe("Run 'auth0-metadata --help' for usage.");
  });

  test('--version prints the version', async () => {
    expect(await run(['-v'])).toStrictEqual({ code: 0, out: ['9.9.9'], err: [] });
  });

  test.each([
    [['serve', '--nope'], "unknown option '--nope' (a value starting with '-' goes after '--', as in: -- '--nope')"],
    [[], 'missing command'],
    [['start'], "unknown command 'start'"],
    [['serve', '--port', 'http'], '--port must be an integer from 0 to 65535'],
    [['serve', '--port', '70000'], '--port must be an integer from 0 to 65535'],
  ])('%j exits 2 with a one-line error', async (argv, message) => {
    const { code, err } = await run(argv);
    expect(code).toBe(2);
    expect(err[0]).toMatch(/^error: /);
    expect(err[0]).toContain(message);
  });
});

describe('helpers', () => {
  test('parsePort: absent is the default, bad is undefined', () => {
    expect([undefined, '0', '65535', '65536', '-1', '1e3', ''].map(parsePort)).toStrictEqual([
      DEFAULT_PORT,
      0,
      65_535,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  test('listenError names the usual causes in one line', () => {
    const coded = (code: string): Error => Object.assign(new Error(`listen ${code}`), { code });
    expect(listenError(coded('EACCES'), '127.0.0.1', 80)).toBe(
      'not allowed to listen on port 80 of 127.0.0.1; use a port above 1023',
    );
    expect(listenError(coded('ENOTFOUND'), 'nowhere', 1)).toBe('cannot listen on host nowhere: no such local address');
    expect(listenError(coded('EMFILE'), 'h', 1)).toBe('cannot listen on h:1: listen EMFILE');
    expect(listenError('odd', 'h', 1)).toBe('cannot listen on h:1: odd');
  });

  test('listenError, run by npm start: a busy port names the npm start line with a free-looking port', () => {
    const busy = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });
    vi.stubEnv('npm_lifecycle_event', 'start');
    try {
      expect(listenError(busy, '127.0.0.1', 3000)).toBe(
        'port 3000 on 127.0.0.1 is already in use; choose another with --port, or --port 0 for a free one (npm start -- --port 3100)',
      );
      expect(listenError(busy, '127.0.0.1', 65_500)).toMatch(/\(npm start -- --port 0\)$/);
    } finally {
      vi.unstubAllEnvs();
    }
    expect(listenError(busy, '127.0.0.1', 3000)).toMatch(/for a free one$/);
  });

  test.each([
    [['serve', 'extra'], 'serve', 'extra'],
    [['exec', 'extra', '--', 'true'], 'exec', 'extra'],
    [['apply', 'extra'], 'apply', 'extra'],
    [['explain', 'more', 'args'], 'explain', 'more args'],
  ])('%j: a command that takes no argument exits 2 naming it', async (argv, command, given) => {
    const { code, err } = await run(argv);
    expect(code).toBe(2);
    expect(err).toStrictEqual([
      `error: ${command} takes no argument '${given}'`,
      `Run 'auth0-metadata ${command} --help' for usage.`,
    ]);
  });

  test('messageOf reads errors and anything else', () => {
    expect([messageOf(new Error('a')), messageOf('b'), messageOf(3)]).toStrictEqual(['a', 'b', '3']);
  });
});

describe('auth0-metadata serve: errors before listening', () => {
  test('an unreadable seed file that fails without an Error still gives one line', async () => {
    const { io, err } = session();
    const code = await runCli(['serve', '--seed', 'x.json'], {
      ...io,
      readFile: () => Promise.reject('disk on fire'),
    });
    expect(code).toBe(1);
    expect(err).toStrictEqual(['error: cannot read seed file x.json: disk on fire']);
  });

  test('an empty client secret exits 1', async () => {
    const { code, err } = await run(['serve', '--port', '0', '--client-secret', '']);
    expect(code).toBe(1);
    expect(err).toStrictEqual(['error: createEmulator: clientSecret must not be empty']);
  });

  test.each([
    [
      'a missing file',
      { file: 'missing.json', content: undefined },
      "error: cannot read seed file missing.json: ENOENT: no such file or directory, open 'missing.json'",
    ],
    [
      'a document that is null',
      { file: 'null.json', content: 'null' },
      'error: seed file null.json must hold a JSON array',
    ],
    ['invalid JSON', { file: 'bad.json', content: '{"users": [' }, 'error: seed file bad.json is not valid JSON: '],
    [
      'the wrong shape',
      { file: 'shape.json', content: '{"people": []}' },
      'error: seed file shape.json must hold a JSON array',
    ],
    [
      'an invalid user',
      { file: 'user.json', content: '[{"connection":"db","email":"a@b.c"}]' },
      "error: seed file user.json, user 1 (read as a POST /api/v2/users body): Payload validation error: 'Missing required property: password'.",
    ],
    [
      'a duplicate user',
      {
        file: 'dup.json',
        content: JSON.stringify([
          { connection: 'db', email: 'a@b.c', password: 'p' },
          { connection: 'db', email: 'A@b.c', password: 'q' },
        ]),
      },
      'error: seed file dup.json, user 2: The user already exists.',
    ],
    [
      'a stored user without a user_id',
      { file: 'stored.json', content: '[{"email":"a@b.c","created_at":"2025-01-01T00:00:00.000Z"}]' },
      "error: seed file stored.json, user 1 (read as a stored user (GET /api/v2/users/{id}, or a line of a user export)): Payload validation error: 'Expected type string but found type undefined' on property user_id",
    ],
    [
      'an NDJSON line that is not JSON',
      { file: 'export.json', content: '{"user_id":"auth0|a"}\n{"user_id":\n' },
      'error: seed file export.json, line 2, is not valid JSON: ',
    ],
  ])('%s exits 1 with a one-line error', async (_, { file, content }, message) => {
    const { code, err } = await run(
      ['serve', '--seed', file, '--port', '0'],
      content === undefined ? {} : { [file]: content },
    );
    expect(code).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toContain(message);
  });

  test('a busy port exits 1 with a one-line error', async () => {
    const busy = await serve(async () => new Response(null));
    running.push(busy);
    const { code, err } = await run(['serve', '--port', String(busy.port)]);
    expect(code).toBe(1);
    expect(err).toStrictEqual([
      `error: port ${busy.port} on 127.0.0.1 is already in use; choose another with --port, or --port 0 for a free one`,
    ]);
  });

  test('a host other than loopback is warned about; one that is not local exits 1', async () => {
    const { code, err } = await run(['serve', '--port', '0', '--host', '192.0.2.1']);
    expect(code).toBe(1);
    expect(err).toStrictEqual([
      'warning: listening on 192.0.2.1: other machines may reach this emulator and its tokens',
      'error: cannot listen on host 192.0.2.1: no such local address',
    ]);
  });
});

describe('auth0-metadata serve with the demo seed', () => {
  test('examples/demo-users.json holds jane.doe with hobby surfing and plan full', () => {
    const parsed = parseSeed(readFileSync(DEMO, 'utf8'), DEMO);
    expect(parsed.ok && parsed.users.map((user) => [user.email, user.user_metadata, user.app_metadata])).toStrictEqual([
      ['jane.doe@example.com', { hobby: 'surfing' }, { plan: 'full' }],
    ]);
  });

  test('prints the base URL, the client, a token curl and a PATCH curl that work; stops on the signal', async () => {
    const { io, out, err, stop, ready } = session();
    const exit = runCli(['serve', '--port', '0', '--seed', DEMO, '--client-secret', 'shh'], io);
    await Promise.race([ready, exit]);
    const banner = out.join('\n');
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1];
    expect(url).toBeDefined();
    expect(banner).toContain('Client ID      auth0-metadata-emulator');
    expect(banner).toContain('Client secret  shh');
    expect(banner).toContain('jane.doe@example.com  auth0|6650a1b2c3d4e5f6a7b8c9d0  password: Surfing-Jane-2026!');
    expect(banner).toContain(`curl -s ${url}/oauth/token`);
    expect(banner).toContain(`curl -s -X PATCH ${url}/api/v2/users/auth0%7C6650a1b2c3d4e5f6a7b8c9d0`);

    // The token request the banner prints, made with fetch.
    const tokenBody = /-d '(\{"grant_type":"client_credentials"[^']*\})'/.exec(banner)?.[1] ?? '';
    const tokenResponse = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: tokenBody,
    });
    expect(tokenResponse.status).toBe(200);
    const token: unknown = await tokenResponse.json();
    const accessToken =
      typeof token === 'object' && token !== null && 'access_token' in token ? String(token.access_token) : '';
    const patchBody = /-d '(\{"user_metadata"[^']*\})'/.exec(banner)?.[1] ?? '';
    const patched = await fetch(`${url}/api/v2/users/auth0%7C6650a1b2c3d4e5f6a7b8c9d0`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: patchBody,
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({
      user_metadata: { hobby: 'surfing', addresses: { home: '123 Main Street, Springfield' } },
      app_metadata: { plan: 'full' },
    });
    expect(out).toContain('PATCH /api/v2/users/auth0%7C6650a1b2c3d4e5f6a7b8c9d0 200');

    stop();
    expect(await exit).toBe(0);
    expect(out.at(-1)).toBe('Stopped.');
    expect(err).toStrictEqual([]);
    await expect(fetch(`${url}/api/v2/users`)).rejects.toThrow();
  });

  test('without a seed: no users and no PATCH in the banner; --client-id and --domain are used', async () => {
    const { io, out, stop, ready } = session();
    const exit = runCli(['serve', '--port', '0', '--client-id', 'my-app', '--domain', 'acme.auth0.test'], io);
    await Promise.race([ready, exit]);
    stop();
    expect(await exit).toBe(0);
    const banner = out.join('\n');
    expect(banner).toContain('Client ID      my-app');
    expect(banner).toMatch(
      /Audience {7}https:\/\/acme\.auth0\.test\/api\/v2\/ {2}\(or http:\/\/127\.0\.0\.1:\d+\/api\/v2\/\)/,
    );
    expect(banner).not.toContain('Users from');
    expect(banner).not.toContain('PATCH the metadata');
  });

  test('bound to 0.0.0.0, every audience and URL the banner prints works through loopback', async () => {
    // The banner of a server bound to every interface, for a server listening on 127.0.0.1 (tests bind loopback only).
    const emulator = createEmulator({ clientSecret: 'shh' });
    const server = await serve(emulator);
    try {
      const everywhere = { ...server, host: '0.0.0.0', url: `http://0.0.0.0:${server.port}` };
      const banner = startupBanner(everywhere, emulator, undefined).join('\n');
      expect(banner).not.toContain('curl -s http://0.0.0.0');
      // The inspector answers loopback Host names only: 0.0.0.0 would be refused 403.
      expect(banner).toContain(`Inspector      http://127.0.0.1:${server.port}/__emulator/`);
      const audiences = [...banner.matchAll(/https?:\/\/[^\s'"()]+\/api\/v2\//g)].map((match) => match[0]);
      expect(audiences[0]).toBe(emulator.audience);
      expect(audiences.length).toBeGreaterThan(1);
      for (const audience of new Set(audiences)) {
        const response = await fetch(`${server.url}/oauth/token`, {
          method: 'POST',
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: emulator.clientId,
            client_secret: 'shh',
            audience,
          }),
        });
        expect([audience, response.status]).toStrictEqual([audience, 200]);
      }
    } finally {
      await server.close();
    }
  });

  test('a write over the 10 KB profile limit succeeds and is warned about on stderr', async () => {
    const { io, out, err, stop, ready } = session();
    const exit = runCli(['serve', '--port', '0', '--seed', DEMO, '--client-secret', 'shh'], io);
    await Promise.race([ready, exit]);
    const url = listeningUrl(out);
    const tokenResponse = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'auth0-metadata-emulator',
        client_secret: 'shh',
        audience: `${url}/api/v2/`,
      }),
    });
    const token: unknown = await tokenResponse.json();
    const accessToken =
      typeof token === 'object' && token !== null && 'access_token' in token ? String(token.access_token) : '';
    const patched = await fetch(`${url}/api/v2/users/auth0%7C6650a1b2c3d4e5f6a7b8c9d0`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user_metadata: { notes: 'x'.repeat(11_000) } }),
    });
    expect(patched.status).toBe(200);
    stop();
    expect(await exit).toBe(0);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^warning: /);
  });

  test('seeds from a GET payload (JSON) and from a user export (NDJSON) keep their ids and timestamps', async () => {
    const stored = {
      user_id: 'auth0|jane',
      email: 'jane.doe@example.com',
      identities: [
        { connection: 'Username-Password-Authentication', user_id: 'jane', provider: 'auth0', isSocial: false },
      ],
      created_at: '2025-05-01T10:00:00.000Z',
      updated_at: '2025-06-01T10:00:00.000Z',
      logins_count: 7,
      user_metadata: { hobby: 'surfing' },
    };
    const exported = [
      { user_id: 'auth0|ann', email: 'ann@example.com', created_at: '2025-01-02T03:04:05.000Z', logins_count: 1 },
      {
        user_id: 'google-oauth2|1234',
        email: 'bob@example.com',
        identities: [{ connection: 'google-oauth2', user_id: '1234', provider: 'google-oauth2', isSocial: true }],
        created_at: '2025-02-02T00:00:00.000Z',
      },
    ];
    const { io, out, stop, ready } = session({
      'get.json': JSON.stringify(stored),
      'export.ndjson': `${exported.map((line) => JSON.stringify(line)).join('\n')}\n`,
      'import.json': JSON.stringify([{ user_id: 'carl', email: 'carl@example.com', password_hash: '$2b$10$abc' }]),
    });
    for (const file of ['get.json', 'export.ndjson', 'import.json']) {
      const parsed = parseSeed(await io.readFile(file), file);
      expect(parsed.ok).toBe(true);
    }
    const exit = runCli(['serve', '--port', '0', '--seed', 'export.ndjson'], io);
    await Promise.race([ready, exit]);
    const url = listeningUrl(out);
    expect(out).toContain(
      '  ann@example.com  auth0|ann  no password  (read as a stored user (GET /api/v2/users/{id}, or a line of a user export))',
    );
    const response = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'auth0-metadata-emulator',
        client_secret: /Client secret {2}(\S+)/.exec(out.join('\n'))?.[1] ?? '',
        audience: `${url}/api/v2/`,
      }),
    });
    const token: unknown = await response.json();
    const accessToken =
      typeof token === 'object' && token !== null && 'access_token' in token ? String(token.access_token) : '';
    const read = await fetch(`${url}/api/v2/users/auth0%7Cann`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(await read.json()).toStrictEqual({
      ...exported[0],
      identities: [
        { connection: 'Username-Password-Authentication', user_id: 'ann', provider: 'auth0', isSocial: false },
      ],
      updated_at: '2025-01-02T03:04:05.000Z',
    });
    stop();
    expect(await exit).toBe(0);
  });

  test('an empty seed file lists no users and prints no PATCH', async () => {
    const { io, out, stop, ready } = session({ 'empty.json': '[]' });
    const exit = runCli(['serve', '--port', '0', '--seed', 'empty.json'], io);
    await Promise.race([ready, exit]);
    stop();
    expect(await exit).toBe(0);
    expect(out).toContain('Users from empty.json:');
    expect(out.join('\n')).not.toContain('PATCH the metadata');
  });

  test('a stop signal already given stops right after starting', async () => {
    const { io, out, stop } = session();
    stop();
    expect(await runCli(['serve', '--port', '0'], io)).toBe(0);
    expect(out.at(-1)).toBe('Stopped.');
  });

  test('a request that breaks mid-body is answered 500 and reported on stderr', async () => {
    const { io, out, err, stop, ready } = session();
    let reported: () => void = () => undefined;
    const report = new Promise<void>((resolve) => {
      reported = resolve;
    });
    const exit = runCli(['serve', '--port', '0'], {
      ...io,
      stderr: (line) => {
        err.push(line);
        reported();
      },
    });
    await Promise.race([ready, exit]);
    const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out.join('\n'))?.[1]);
    const outgoing = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/dbconnections/signup',
      headers: { 'content-type': 'application/json', 'content-length': '1000' },
    });
    outgoing.on('error', () => undefined);
    outgoing.write('{"email":');
    outgoing.on('socket', (socket) => socket.on('connect', () => setImmediate(() => outgoing.destroy())));
    await report;
    expect(err[0]).toMatch(/^error while handling a request: /);
    stop();
    expect(await exit).toBe(0);
  });

  test.skipIf(!hasCommand('curl') || !hasCommand('bash'))(
    'the two printed PATCH lines, pasted into bash, patch the demo user',
    async () => {
      const { io, out, stop, ready } = session();
      const exit = runCli(['serve', '--port', '0', '--seed', DEMO], io);
      await Promise.race([ready, exit]);
      const index = out.findIndex((line) => line.startsWith('PATCH the metadata of'));
      const script = out.slice(index + 1, index + 3).join('\n');
      const { stdout } = await promisify(execFile)('bash', ['-c', script]);
      expect(JSON.parse(stdout)).toMatchObject({
        user_metadata: { addresses: { home: '123 Main Street, Springfield' } },
      });
      stop();
      expect(await exit).toBe(0);
    },
  );
});

function hasCommand(name: string): boolean {
  const path = process.env.PATH ?? '';
  return path.split(':').some((folder) => {
    try {
      readFileSync(join(folder, name));
      return true;
    } catch {
      return false;
    }
  });
}
