/**
 * The durable handler of `serve --data`: writes run one at a time, a read never sees a write that
 * is not yet saved, and a save that fails undoes the write and answers 500.
 */
import { describe, expect, test } from 'vitest';
import { type AroundRoute, durableHandle, durableRoute, durableRoutes, readWriteQueue } from '../../src/cli/durable.js';
import type { Emulator, EmulatorRequest, EmulatorResponse } from '../../src/emulator/index.js';
import { BASE, JANE, testEmulator } from '../emulator/helpers.js';

function request(method: string, path: string, token: string, body?: unknown): EmulatorRequest {
  const headers = new Headers({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
  return {
    method,
    url: `${BASE}${path}`,
    headers,
    body: body === undefined ? null : new TextEncoder().encode(JSON.stringify(body)),
  };
}

/** A save that waits until told, then succeeds or fails. */
function gatedSave(): { save: () => Promise<void>; release: (fail: boolean) => void; started: Promise<void> } {
  let release: (fail: boolean) => void = () => undefined;
  let started: () => void = () => undefined;
  const began = new Promise<void>((resolve) => {
    started = resolve;
  });
  const gate = new Promise<boolean>((resolve) => {
    release = resolve;
  });
  return {
    save: async () => {
      started();
      if (await gate) throw new Error('disk full');
    },
    release,
    started: began,
  };
}

/** Steps that record when they start and end, each taking `ms`, and the record. */
function recordedSteps(): {
  readonly order: string[];
  readonly step: (name: string, ms: number) => () => Promise<void>;
} {
  const order: string[] = [];
  const step = (name: string, ms: number) => async (): Promise<void> => {
    order.push(`${name} starts`);
    await new Promise((resolve) => setTimeout(resolve, ms));
    order.push(`${name} ends`);
  };
  return { order, step };
}
/** Jane stored in a test emulator, a token for it, and its handle made durable with `save`. */
async function durableJane(
  save: () => Promise<void> = async () => undefined,
  onSaveError: (error: unknown) => void = () => undefined,
): Promise<{
  readonly emulator: Emulator;
  readonly token: string;
  readonly handle: (request: EmulatorRequest) => Promise<EmulatorResponse>;
}> {
  const { emulator } = testEmulator({ users: [{ ...JANE, user_id: 'jane' }] });
  return { emulator, token: await emulator.issueToken(), handle: durableHandle(emulator, save, onSaveError) };
}

/**
 * A PATCH of jane's city sent through `handle`, then a GET of her while the PATCH is being saved:
 * the GET must wait (it has not answered 20 ms later), then the save is released, failing or not.
 * The PATCH's status and the city the GET saw.
 */
async function readDuringSave(
  handle: (request: EmulatorRequest) => Promise<EmulatorResponse>,
  token: string,
  gate: ReturnType<typeof gatedSave>,
  fail: boolean,
): Promise<{ readonly patched: number; readonly city: unknown }> {
  const patch = handle(request('PATCH', '/api/v2/users/auth0%7Cjane', token, { user_metadata: { city: 'Paris' } }));
  await gate.started;
  let read = false;
  const get = handle(request('GET', '/api/v2/users/auth0%7Cjane', token)).then((answer) => {
    read = true;
    return answer;
  });
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(read).toBe(false);
  gate.release(fail);
  const patched = (await patch).status;
  const body: unknown = JSON.parse((await get).body ?? 'null');
  return { patched, city: Reflect.get(Object(Reflect.get(Object(body), 'user_metadata')), 'city') };
}

describe('durableHandle', () => {
  test.each([
    ['fails', true, 500, undefined],
    ['succeeds', false, 200, 'Paris'],
  ])(
    'a read sent while a write is being saved waits for it, and sees it only if its save succeeds (%s)',
    async (_, fail, status, city) => {
      const errors: unknown[] = [];
      const gate = gatedSave();
      const { token, handle } = await durableJane(gate.save, (error) => errors.push(error));
      expect(await readDuringSave(handle, token, gate, fail)).toStrictEqual({ patched: status, city });
      expect(errors.map(String)).toStrictEqual(fail ? ['Error: disk full'] : []);
    },
  );

  test('writes run one after another: the second starts once the first is saved', async () => {
    const queue = readWriteQueue();
    const { order, step } = recordedSteps();
    await Promise.all([queue.write(step('a', 20)), queue.write(step('b', 1)), queue.read(step('r', 1))]);
    expect(order).toStrictEqual(['a starts', 'a ends', 'b starts', 'b ends', 'r starts', 'r ends']);
  });

  test('a write waits for the reads under way, and runs alone once they end', async () => {
    const queue = readWriteQueue();
    const { order, step } = recordedSteps();
    const first = queue.read(step('r1', 20));
    const second = queue.read(step('r2', 10));
    await new Promise((resolve) => setTimeout(resolve, 1));
    await Promise.all([first, second, queue.write(step('w', 1))]);
    expect(order).toStrictEqual(['r1 starts', 'r2 starts', 'r2 ends', 'r1 ends', 'w starts', 'w ends']);
  });

  test('a read queued behind a write also waits for a write queued while it waited', async () => {
    const queue = readWriteQueue();
    const { order, step } = recordedSteps();
    const first = queue.write(step('a', 10));
    const read = queue.read(step('r', 1));
    await new Promise((resolve) => setTimeout(resolve, 1));
    await Promise.all([first, read, queue.write(step('b', 1))]);
    expect(order).toStrictEqual(['a starts', 'a ends', 'b starts', 'b ends', 'r starts', 'r ends']);
  });

  test('a long poll of the control API is answered while a write is being saved', async () => {
    const { save, release, started } = gatedSave();
    const { token, handle } = await durableJane(save);
    const patch = handle(request('PATCH', '/api/v2/users/auth0%7Cjane', token, { user_metadata: { city: 'Rome' } }));
    await started;
    const poll = handle({
      method: 'GET',
      url: 'http://127.0.0.1/__emulator/requests/wait?path=/nowhere&timeoutMs=0',
      headers: new Headers({ host: '127.0.0.1' }),
      body: null,
    });
    const blocked = new Promise<'blocked'>((resolve) => setTimeout(() => resolve('blocked'), 2000));
    const answer = await Promise.race([poll, blocked]);
    release(false);
    expect(answer === 'blocked' ? answer : answer.status).toBe(408);
    expect((await patch).status).toBe(200);
  });

  test('a HEAD long poll stays out of the queue too: a write is answered while it waits', async () => {
    const { token, handle } = await durableJane();
    const stop = new AbortController();
    const poll = handle({
      method: 'HEAD',
      url: 'http://127.0.0.1/__emulator/requests/wait?path=/nowhere&timeoutMs=60000',
      headers: new Headers({ host: '127.0.0.1' }),
      body: null,
      signal: stop.signal,
    });
    // The poll is under way (waiting) before the write arrives.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const patch = handle(request('PATCH', '/api/v2/users/auth0%7Cjane', token, { user_metadata: { city: 'Oslo' } }));
    const blocked = new Promise<'blocked'>((resolve) => setTimeout(() => resolve('blocked'), 2000));
    const answer = await Promise.race([patch, blocked]);
    stop.abort();
    expect(answer === 'blocked' ? answer : answer.status).toBe(200);
    expect((await poll).status).toBe(503);
  });

  test('a read whose query names the long poll is still a read: it waits for a write being saved', async () => {
    const { save, release, started } = gatedSave();
    const { token, handle } = await durableJane(save);
    const patch = handle(request('PATCH', '/api/v2/users/auth0%7Cjane', token, { user_metadata: { city: 'Lima' } }));
    await started;
    let read = false;
    const get = handle(request('GET', '/api/v2/users/auth0%7Cjane?x=/__emulator/requests/wait', token)).then(
      (answer) => {
        read = true;
        return answer;
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(read).toBe(false);
    release(true);
    expect((await patch).status).toBe(500);
    // The write was undone: the read never saw it.
    expect((await get).body).not.toContain('Lima');
  });

  test('a request that changes nothing is not saved', async () => {
    let saves = 0;
    const { token, handle } = await durableJane(
      async () => {
        saves++;
      },
      () => undefined,
    );
    expect((await handle(request('PATCH', '/api/v2/users/auth0%7Cjane', token, { user_metadata: 'x' }))).status).toBe(
      400,
    );
    expect(saves).toBe(0);
    expect((await handle(request('DELETE', '/api/v2/users/auth0%7Cjane', token))).status).toBe(204);
    expect(saves).toBe(1);
  });
});

describe('durableRoute: only the part of a request that reaches the users is queued', () => {
  /** An emulator saving through `save`, its route queued by durableRoute, and its handle. */
  function durableEmulator(save: () => Promise<void>, errors: unknown[] = []) {
    const queue = readWriteQueue();
    let around: AroundRoute | undefined;
    const { emulator } = testEmulator({
      users: [
        { ...JANE, user_id: 'jane' },
        { ...JANE, user_id: 'john', email: 'john@example.com' },
      ],
      aroundRoute: (request, run) => (around === undefined ? run() : around(request, run)),
    });
    around = durableRoute(
      () => emulator,
      save,
      (error) => errors.push(error),
      queue,
    );
    return { emulator, handle: durableRoutes(emulator, save, (error) => errors.push(error), queue) };
  }

  test('a write an injected fault delays holds no other request: a read and a write of another user answer first', async () => {
    const { emulator, handle } = durableEmulator(async () => undefined);
    const token = await emulator.issueToken();
    emulator.control.faults.add({ path: '/api/v2/users/auth0%7Cjane', method: 'PATCH', delayMs: 300, times: 1 });
    const order: string[] = [];
    const noted = (name: string) => (answer: { readonly status: number }) => {
      order.push(`${name} ${answer.status}`);
      return answer;
    };
    const delayed = handle(request('PATCH', '/api/v2/users/auth0%7Cjane', token, { user_metadata: { a: 1 } })).then(
      noted('delayed PATCH'),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    await handle(request('GET', '/api/v2/users/auth0%7Cjohn', token)).then(noted('GET'));
    await handle(request('PATCH', '/api/v2/users/auth0%7Cjohn', token, { user_metadata: { b: 2 } })).then(
      noted('PATCH'),
    );
    await delayed;
    expect(order).toStrictEqual(['GET 200', 'PATCH 200', 'delayed PATCH 200']);
  });

  test('the whole request queued instead (durableHandle alone): the same read waits for the delay', async () => {
    const { emulator, token, handle } = await durableJane();
    emulator.control.faults.add({ path: '/api/v2/users/auth0%7Cjane', method: 'PATCH', delayMs: 100, times: 1 });
    const order: string[] = [];
    const delayed = handle(request('PATCH', '/api/v2/users/auth0%7Cjane', token, { user_metadata: { a: 1 } })).then(
      () => order.push('delayed PATCH'),
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    await handle(request('GET', '/api/v2/users/auth0%7Cjane', token)).then(() => order.push('GET'));
    await delayed;
    expect(order).toStrictEqual(['delayed PATCH', 'GET']);
  });

  test.each([
    ['fails', true, 500, undefined],
    ['succeeds', false, 200, 'Paris'],
  ])(
    'a read sent while a routed write is being saved waits for it (%s), and a failed save undoes it',
    async (_, fail, status, city) => {
      const errors: unknown[] = [];
      const gate = gatedSave();
      const { emulator, handle } = durableEmulator(gate.save, errors);
      const token = await emulator.issueToken();
      expect(await readDuringSave(handle, token, gate, fail)).toStrictEqual({ patched: status, city });
      expect(errors.map(String)).toStrictEqual(fail ? ['Error: disk full'] : []);
      // The journal holds what the client got.
      expect(emulator.requests.at(-2)?.status).toBe(status);
    },
  );

  test('a failed save answers the 500 of the API called: signup in its envelope, /oauth/token in the OAuth one', async () => {
    const errors: unknown[] = [];
    const { emulator, handle } = durableEmulator(async () => {
      throw new Error('disk full');
    }, errors);
    const post = (path: string, type: string, body: string): EmulatorRequest => ({
      method: 'POST',
      url: `${BASE}${path}`,
      headers: new Headers({ 'content-type': type }),
      body: new TextEncoder().encode(body),
    });
    const signup = await handle(
      post(
        '/dbconnections/signup',
        'application/json',
        JSON.stringify({
          client_id: emulator.clientId,
          connection: JANE.connection,
          email: 'new@example.com',
          password: 'Pw1!surfing',
        }),
      ),
    );
    expect({ status: signup.status, body: JSON.parse(signup.body ?? 'null') }).toStrictEqual({
      status: 500,
      body: {
        name: 'InternalServerError',
        code: 'internal_error',
        description: 'Internal Server Error',
        statusCode: 500,
      },
    });
    // A login is recorded on the user: a write, whose failed save is the OAuth 500.
    const login = await handle(
      post(
        '/oauth/token',
        'application/x-www-form-urlencoded',
        new URLSearchParams({
          grant_type: 'password',
          client_id: emulator.clientId,
          client_secret: emulator.clientSecret,
          username: JANE.email ?? '',
          password: JANE.password ?? '',
          audience: emulator.audience,
        }).toString(),
      ),
    );
    expect({ status: login.status, body: JSON.parse(login.body ?? 'null') }).toStrictEqual({
      status: 500,
      body: { error: 'internal_error', error_description: 'Internal Server Error' },
    });
    expect(errors.map(String)).toStrictEqual(['Error: disk full', 'Error: disk full']);
    expect(emulator.requests.slice(-2).map((entry) => entry.status)).toStrictEqual([500, 500]);
    expect(emulator.snapshot().map((user) => user.email)).not.toContain('new@example.com');
  });

  test('a control API reset is saved like a write: a failed save undoes it', async () => {
    let failing = false;
    const { emulator, handle } = durableEmulator(async () => {
      if (failing) throw new Error('disk full');
    });
    const token = await emulator.issueToken();
    const patched = await handle(
      request('PATCH', '/api/v2/users/auth0%7Cjane', token, { user_metadata: { city: 'Oslo' } }),
    );
    expect(patched.status).toBe(200);
    failing = true;
    const reset = await handle({
      method: 'POST',
      url: 'http://127.0.0.1/__emulator/reset',
      headers: new Headers({ host: '127.0.0.1' }),
      body: null,
    });
    expect(reset.status).toBe(500);
    const body: unknown = JSON.parse(
      (await handle(request('GET', '/api/v2/users/auth0%7Cjane', token))).body ?? 'null',
    );
    expect(Reflect.get(Object(Reflect.get(Object(body), 'user_metadata')), 'city')).toBe('Oslo');
  });
});
