/**
 * A long poll of the control API (`GET /__emulator/requests/wait`) in a real child `serve`: SIGTERM
 * during the poll stops the process long before the poll's own timeout, and a client that goes
 * away frees its waiter at once (the server answers and logs it) rather than when the timeout ends.
 * A delay fault in progress ends on SIGTERM alike.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bundleCli, type ChildServer, killChild, startCli } from './child.js';

let folder: string;
let cli: string;
const started: ChildServer[] = [];

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'auth0-metadata-long-poll-'));
  cli = await bundleCli(folder);
}, 60_000);

afterAll(async () => {
  await Promise.all(started.map((server) => killChild(server)));
  await rm(folder, { recursive: true, force: true });
});

/** The poll: waits up to 60 s for a request that never comes. */
const POLL = '/__emulator/requests/wait?path=/never&timeoutMs=60000';

async function serve(): Promise<ChildServer> {
  const server = await startCli(cli, ['serve', '--port', '0']);
  started.push(server);
  return server;
}

/**
 * Sends `GET <target>` on a raw socket; resolves with the socket and everything it will receive,
 * once a request answered on another connection shows the server has read it (one process, the
 * request's bytes first on loopback), so its waiter or delay is registered.
 */
async function openRequest(
  url: string,
  target: string,
): Promise<{ readonly socket: Socket; readonly received: Promise<string> }> {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port) });
  let text = '';
  const received = new Promise<string>((resolve) => {
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('close', () => resolve(text));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
  expect((await fetch(`${url}/__emulator/health`)).status).toBe(200);
  return { socket, received };
}

/** Opens the poll on a raw socket. */
function openPoll(url: string): Promise<{ readonly socket: Socket; readonly received: Promise<string> }> {
  return openRequest(url, POLL);
}

/**
 * The child's exit code. The test's own timeout (20 s) is far below the poll's (60 s): a process
 * held by the poll's waiter fails the test by not exiting.
 */
function exitOf(server: ChildServer): Promise<number | null> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null) resolve(server.child.exitCode);
    else server.child.once('exit', (code) => resolve(code));
  });
}

describe('a long poll of the control API in a real serve', () => {
  test('SIGTERM during the poll: the process exits (code 0) before the poll would time out, the poll gets a 503', async () => {
    const server = await serve();
    const poll = await openPoll(server.url);
    server.child.kill('SIGTERM');
    expect(await exitOf(server)).toBe(0);
    const answer = await poll.received;
    expect(answer).toMatch(/^HTTP\/1\.1 503 /);
    expect(answer).toContain('the server is stopping or the client went away');
    expect(server.output()).toContain('Stopped.');
  }, 20_000);

  test('SIGTERM during a delay fault (60 s): the process exits before the delay ends, the delayed request gets a 503', async () => {
    const server = await serve();
    const fault = await fetch(`${server.url}/__emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ path: '/api/v2/users', delayMs: 60_000 }),
    });
    expect(fault.status).toBe(201);
    const { received } = await openRequest(server.url, '/api/v2/users');
    server.child.kill('SIGTERM');
    expect(await exitOf(server)).toBe(0);
    expect(await received).toMatch(/^HTTP\/1\.1 503 /);
  }, 20_000);

  test('a client that disconnects frees its waiter: the server ends the wait at once (logged), and still stops promptly', async () => {
    const server = await serve();
    const poll = await openPoll(server.url);
    poll.socket.destroy();
    const logged = new Promise<string>((resolve) => {
      const check = (): void => {
        const line = /^GET \/__emulator\/requests\/wait\S* (\d+)$/m.exec(server.output());
        if (line !== null) resolve(String(line[1]));
        else setTimeout(check, 20);
      };
      check();
    });
    // Without the signal the wait would hold its waiter (and log its 408) only after 60 s.
    expect(await logged).toBe('503');
    // Still serving; another poll that its client keeps is ended by SIGTERM.
    const second = await openPoll(server.url);
    server.child.kill('SIGTERM');
    expect(await exitOf(server)).toBe(0);
    expect(await second.received).toMatch(/^HTTP\/1\.1 503 /);
  }, 20_000);
});
