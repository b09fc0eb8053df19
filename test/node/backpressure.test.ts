/**
 * Back-pressure of the Node adapter: a client that pipelines requests and does not read the
 * answers gets its requests read only as fast as it reads. Bounded: a fixed number of requests.
 */
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, test } from 'vitest';
import type { EmulatorResponse } from '../../src/emulator/index.js';
import { offerRespond } from '../../src/emulator/respond.js';
import { type RunningServer, serve } from '../../src/node/index.js';

/** How many requests the client pipelines at once. */
const PIPELINED = 64;
/** The size of each answer: large enough that a few fill the socket's buffers. */
const ANSWER_BYTES = 512 * 1024;

const running: RunningServer[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(running.splice(0).map((server) => server.close()));
});

/** The JSON body of every answer. */
const ANSWER_BODY = JSON.stringify('x'.repeat(ANSWER_BYTES));

/** A handler counting the requests it was given, each answered with `ANSWER_BYTES` of JSON. */
function countingHandler(): { readonly calls: () => number; readonly handle: () => Promise<EmulatorResponse> } {
  let calls = 0;
  const body = ANSWER_BODY;
  return {
    calls: () => calls,
    handle: async () => {
      calls++;
      return { status: 200, headers: { 'content-type': 'application/json' }, body };
    },
  };
}

/** Opens a connection and writes `count` pipelined GETs without reading anything. */
async function pipeline(server: RunningServer, count: number): Promise<Socket> {
  const socket = connect(server.port, '127.0.0.1');
  sockets.push(socket);
  socket.pause();
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write('GET /api/v2/users HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'.repeat(count));
  return socket;
}

describe('pipelined requests are read only as fast as they are answered', () => {
  for (const kind of ['plain handler', 'Web handler', 'answered at once (the emulator entry)'] as const) {
    test(`${kind}: unread answers stop the handler; reading them lets every request through, in order`, async () => {
      const counting = countingHandler();
      const server = await serve(
        kind === 'plain handler'
          ? counting
          : kind === 'Web handler'
            ? async () => {
                const answer = await counting.handle();
                return new Response(answer.body, { status: answer.status, headers: answer.headers });
              }
            : // The emulator's internal entry, answering without a promise: written in the turn that read the request.
              offerRespond({ handle: counting.handle }, () => {
                counting.handle();
                return { status: 200, headers: { 'content-type': 'application/json' }, body: ANSWER_BODY };
              }),
      );
      running.push(server);
      const socket = await pipeline(server, PIPELINED);
      await sleep(300);
      const handledWhileUnread = counting.calls();
      // A few answers fit in the kernel's and the socket's buffers; the rest wait to be read.
      expect(handledWhileUnread).toBeGreaterThan(0);
      expect(handledWhileUnread).toBeLessThan(PIPELINED / 2);
      // Reading the answers lets the rest through.
      let received = 0;
      const done = new Promise<void>((resolve) => {
        socket.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received >= PIPELINED * ANSWER_BYTES) resolve();
        });
      });
      socket.resume();
      await done;
      expect(counting.calls()).toBe(PIPELINED);
    });
  }
});
