/**
 * `serve --data` as people leave it running, in real child processes: the tenant's identity
 * survives SIGKILL and a restart, one process at a time holds a data file (a SIGKILLed holder's
 * lock is taken over), and a write whose save fails for real (`ulimit -f`: EFBIG; every descriptor
 * in use: EMFILE) changes nothing.
 */
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadDataFile, readJournal } from '../../src/cli/journal.js';
import { CONNECTION, JANE } from '../emulator/helpers.js';
import { bundleCli, type ChildServer, killChild, runCliChild, startCli } from './child.js';

let folder: string;
let cli: string;
const started: ChildServer[] = [];

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'auth0-metadata-durable-'));
  cli = await bundleCli(folder);
  await writeFile(join(folder, 'seed.json'), JSON.stringify([{ ...JANE, user_id: 'jane' }]));
}, 60_000);

afterAll(async () => {
  await Promise.all(started.map((server) => killChild(server)));
  await rm(folder, { recursive: true, force: true });
});

async function serve(args: readonly string[], limits?: string): Promise<ChildServer> {
  const server = await startCli(cli, ['serve', '--port', '0', ...args], limits === undefined ? {} : { limits });
  started.push(server);
  return server;
}

function secretOf(server: ChildServer): string {
  return /Client secret {2}(\S+)/.exec(server.output())?.[1] ?? '';
}

async function token(url: string, secret: string): Promise<Response> {
  return fetch(`${url}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'auth0-metadata-emulator',
      client_secret: secret,
      // The tenant's audience: a token for it is accepted at any port, so one issued before a
      // restart (on another free port) can be sent after it.
      audience: 'https://tenant.auth0.test/api/v2/',
    }),
  });
}

async function accessToken(url: string, secret: string): Promise<string> {
  const body: unknown = await (await token(url, secret)).json();
  return String(Reflect.get(Object(body), 'access_token'));
}

async function login(url: string, email: string, password: string, secret: string): Promise<number> {
  const response = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: 'auth0-metadata-emulator',
      client_secret: secret,
      username: email,
      password,
      audience: `${url}/api/v2/`,
    }),
  });
  await response.arrayBuffer();
  return response.status;
}

describe('the identity lives with the data', () => {
  test('after SIGKILL and a restart: a token issued before verifies, the same secret works, users log in with their password', async () => {
    const data = join(folder, 'identity.json');
    const first = await serve(['--data', data, '--seed', join(folder, 'seed.json')]);
    const secret = secretOf(first);
    const before = await accessToken(first.url, secret);
    const created = await fetch(`${first.url}/api/v2/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${before}`, 'content-type': 'application/json' },
      body: JSON.stringify({ connection: CONNECTION, email: 'new@example.com', password: 'Pw1!created' }),
    });
    expect(created.status).toBe(201);
    expect(first.output()).toContain('keeps the signing key, client id and secret and password hashes (mode 0600)');
    await killChild(first);

    const file = `${await readFile(data, 'utf8')}${await readJournal(data)}`;
    expect(file).toContain('new@example.com');
    expect(file).not.toContain('Pw1!created');
    expect(file).not.toContain(String(JANE.password));
    expect((await stat(data)).mode & 0o777).toBe(0o600);

    const second = await serve(['--data', data]);
    expect(second.output()).toContain(`Data file ${data} (2 users loaded)`);
    expect(secretOf(second)).toBe(secret);
    const read = await fetch(`${second.url}/api/v2/users/auth0%7Cjane`, {
      headers: { authorization: `Bearer ${before}` },
    });
    expect(read.status).toBe(200);
    expect(await login(second.url, 'new@example.com', 'Pw1!created', secret)).toBe(200);
    expect(await login(second.url, JANE.email ?? '', String(JANE.password), secret)).toBe(200);
    expect(await login(second.url, 'new@example.com', 'Pw1!wrong!!', secret)).toBe(403);
    await killChild(second);
  }, 60_000);
});

describe('identity: the command line and the first format', () => {
  test('--client-secret wins for the run and leaves the kept secret as it is', async () => {
    const data = join(folder, 'override.json');
    const first = await serve(['--data', data]);
    const kept = secretOf(first);
    await killChild(first);
    const second = await serve(['--data', data, '--client-secret', 'from-the-command-line']);
    expect(secretOf(second)).toBe('from-the-command-line');
    expect((await token(second.url, kept)).status).toBe(401);
    expect((await token(second.url, 'from-the-command-line')).status).toBe(200);
    await killChild(second);
    const third = await serve(['--data', data]);
    expect(secretOf(third)).toBe(kept);
    await killChild(third);
  }, 60_000);

  test('a data file of the first format (a plain array of users) loads, and keeps an identity from then on', async () => {
    const data = join(folder, 'first-format.json');
    const user = { user_id: 'auth0|old', email: 'old@example.com', created_at: '2025-01-01T00:00:00.000Z' };
    await writeFile(data, JSON.stringify([user]));
    const first = await serve(['--data', data]);
    expect(first.output()).toContain(`Data file ${data} (1 users loaded)`);
    expect(first.output()).toContain('(added to this file now)');
    const secret = secretOf(first);
    await killChild(first);
    const saved: unknown = JSON.parse(await readFile(data, 'utf8'));
    expect(saved).toMatchObject({ users: [user], identity: { clientSecret: secret, signingKey: { kty: 'EC' } } });
    const second = await serve(['--data', data]);
    expect(secretOf(second)).toBe(secret);
    expect(second.output()).not.toContain('(added to this file now)');
    await killChild(second);
  }, 60_000);

  test('an identity that cannot be read stops the start with a one-line error naming the file and the field', async () => {
    const data = join(folder, 'bad-identity.json');
    await writeFile(
      data,
      JSON.stringify({ users: [], identity: { clientId: 'a', clientSecret: 'b', signingKey: {} } }),
    );
    const { code, output } = await runCliChild(cli, ['serve', '--port', '0', '--data', data]);
    expect(code).toBe(1);
    expect(output.trim()).toBe(
      `error: data file ${data}, identity: signingKey must be an EC P-256 JWK (kty "EC", crv "P-256")`,
    );
  });
});

describe('one writer per data file', () => {
  test('a second serve on the same data file refuses, naming the file and the holder; a SIGKILLed holder is taken over', async () => {
    const data = join(folder, 'locked.json');
    const holder = await serve(['--data', data]);
    const port = new URL(holder.url).port;
    const second = await runCliChild(cli, ['serve', '--port', '0', '--data', data]);
    expect(second.code).toBe(1);
    const lines = second.output.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(`^error: data file ${data} is in use by another serve \\(pid ${holder.pid}, port ${port}, since `),
    );
    expect(lines[0]).toContain(`(lock file ${data}.lock)`);
    const lock: unknown = JSON.parse(await readFile(`${data}.lock`, 'utf8'));
    expect(lock).toMatchObject({ pid: holder.pid, port: Number(port), host: '127.0.0.1' });

    await killChild(holder);
    // The lock is still there, its process gone: stale, taken over.
    expect(JSON.parse(await readFile(`${data}.lock`, 'utf8'))).toMatchObject({ pid: holder.pid });
    const next = await serve(['--data', data]);
    expect(JSON.parse(await readFile(`${data}.lock`, 'utf8'))).toMatchObject({ pid: next.pid });
    // Stopped with Ctrl+C (SIGINT), it removes its lock.
    expect(await killChild(next, 'SIGINT')).toBe(0);
    await expect(readFile(`${data}.lock`, 'utf8')).rejects.toThrow(/ENOENT/);
  }, 60_000);
});

/** A connection kept for several requests, so that a request can be sent when no new one is accepted. */
function keptConnection(url: string): {
  readonly send: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: unknown }>;
  readonly close: () => void;
  token: string;
} {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const target = new URL(url);
  const connection = {
    token: '',
    close: () => agent.destroy(),
    send: (method: string, path: string, body?: unknown) =>
      new Promise<{ status: number; body: unknown }>((resolve, reject) => {
        const text = body === undefined ? undefined : JSON.stringify(body);
        const outgoing = httpRequest(
          {
            agent,
            host: target.hostname,
            port: target.port,
            method,
            path,
            headers: {
              authorization: `Bearer ${connection.token}`,
              ...(text === undefined ? {} : { 'content-type': 'application/json' }),
            },
          },
          (response) => {
            let answer = '';
            response.setEncoding('utf8').on('data', (chunk: string) => {
              answer += chunk;
            });
            response.on('end', () =>
              resolve({ status: response.statusCode ?? 0, body: answer === '' ? undefined : JSON.parse(answer) }),
            );
          },
        );
        outgoing.on('error', reject);
        outgoing.end(text);
      }),
  };
  return connection;
}

/** Opens connections until the server, out of descriptors, closes new ones at once; answers them. */
async function exhaustDescriptors(url: string): Promise<Socket[]> {
  const target = new URL(url);
  const sockets: Socket[] = [];
  for (let opened = 0; opened < 500; opened++) {
    const socket = connect(Number(target.port), target.hostname);
    sockets.push(socket);
    socket.on('error', () => undefined);
    const closed = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 100);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (closed) return sockets;
  }
  throw new Error('the server never ran out of descriptors');
}

async function leftovers(): Promise<string[]> {
  return (await readdir(folder)).filter((name) => name.endsWith('.tmp'));
}

describe('a write whose save fails changes nothing', () => {
  test('EFBIG (ulimit -f): 500, the users as before, the file untouched, and the same email then created with 201', async () => {
    const data = join(folder, 'efbig.json');
    // 64 blocks (32 KiB in sh's 512-byte blocks, 64 KiB in bash's): the seed fits, 200 KB of metadata does not.
    const server = await serve(['--data', data, '--seed', join(folder, 'seed.json')], 'ulimit -f 64');
    const connection = keptConnection(server.url);
    connection.token = await accessToken(server.url, secretOf(server));
    const before = await readFile(data, 'utf8');
    const big = {
      connection: CONNECTION,
      email: 'big@example.com',
      password: 'Pw1!bigone',
      user_metadata: { blob: 'x'.repeat(200_000) },
    };
    const failed = await connection.send('POST', '/api/v2/users', big);
    expect(failed.status).toBe(500);
    expect(server.output()).toMatch(/error: cannot write data file .*efbig\.json: .*EFBIG.*; the change was undone/);
    const listed = await connection.send('GET', '/api/v2/users?q=email:"big@example.com"');
    expect(listed).toStrictEqual({ status: 200, body: [] });
    expect(await readFile(data, 'utf8')).toBe(before);
    expect(await leftovers()).toStrictEqual([]);
    const retried = await connection.send('POST', '/api/v2/users', { ...big, user_metadata: { blob: 'small' } });
    expect(retried.status).toBe(201);
    expect(JSON.stringify(await loadDataFile(data))).toContain('big@example.com');
    connection.close();
    await killChild(server);
  }, 60_000);

  test('EMFILE (every descriptor in use): 500, the users as before, and once descriptors are free the retry is 201, not 409', async () => {
    const data = join(folder, 'emfile.json');
    const server = await serve(['--data', data, '--seed', join(folder, 'seed.json')], 'ulimit -n 64');
    const connection = keptConnection(server.url);
    connection.token = await accessToken(server.url, secretOf(server));
    const body = { connection: CONNECTION, email: 'retry@example.com', password: 'Pw1!retry!' };
    const before = await readFile(data, 'utf8');
    expect((await connection.send('GET', '/api/v2/users')).status).toBe(200);
    const sockets = await exhaustDescriptors(server.url);
    const failed = await connection.send('POST', '/api/v2/users', body);
    expect(failed.status).toBe(500);
    const listed = await connection.send('GET', '/api/v2/users');
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain('retry@example.com');
    for (const socket of sockets) socket.destroy();
    // The server sees the connections close before the next request on the kept one.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.output()).toMatch(/error: cannot write data file .*emfile\.json: .*EMFILE.*; the change was undone/);
    expect(await readFile(data, 'utf8')).toBe(before);
    expect(await leftovers()).toStrictEqual([]);
    const retried = await connection.send('POST', '/api/v2/users', body);
    expect(retried.status).toBe(201);
    connection.close();
    await killChild(server);
  }, 60_000);
});
