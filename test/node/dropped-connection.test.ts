/** A fault with `drop: true` over HTTP: the Node adapter destroys the socket, no status is sent. */
import { describe, expect, test } from 'vitest';
import { createEmulator } from '../../src/emulator/index.js';
import { serve } from '../../src/node/index.js';

describe('a dropped connection', () => {
  test('closes the socket without an answer, then the next request is answered', async () => {
    const emulator = createEmulator();
    emulator.control.faults.add({ path: '/api/v2/users', drop: true, times: 1 });
    const server = await serve(emulator);
    try {
      const failure = await fetch(`${server.url}/api/v2/users`).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(TypeError);
      expect((await fetch(`${server.url}/api/v2/users`)).status).toBe(401);
    } finally {
      await server.close();
    }
  });
});
