/**
 * Every state the API reaches can be loaded again (rule 33): random sequences of creates, PATCHes
 * (metadata, email, username, password, blocked), DELETEs, signups, logins and restarts; after
 * every step the users are snapshotted and loaded again, by `createEmulator({ users })` and
 * through the CLI's data-file reader, to the same users.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { readDataFileContent, renderDataFile } from '../../src/cli/data-file.js';
import { createEmulator, type Emulator, PASSWORD_REALM_GRANT } from '../../src/emulator/index.js';
import type { User } from '../../src/index.js';
import { asyncProp } from '../prop.js';

const CONNECTIONS = ['Username-Password-Authentication', 'other-db'] as const;
const EMAILS = ['a@example.com', 'A@Example.com', 'b@example.com'] as const;
const USERNAMES = ['ann', 'Ann', 'bob'] as const;
const PASSWORD = 'Passw0rd!';

type Step =
  | {
      readonly kind: 'create' | 'signup';
      readonly connection: string;
      readonly email: string;
      readonly username: string | undefined;
    }
  | { readonly kind: 'patch'; readonly target: number; readonly body: Readonly<Record<string, unknown>> }
  | { readonly kind: 'delete' | 'login'; readonly target: number }
  | { readonly kind: 'restart' };

const patchBody: fc.Arbitrary<Readonly<Record<string, unknown>>> = fc.oneof(
  fc.record({ email: fc.constantFrom(...EMAILS) }),
  fc.record({ username: fc.constantFrom(...USERNAMES) }),
  fc.record({
    user_metadata: fc.dictionary(fc.constantFrom('a', 'b', '__proto__'), fc.oneof(fc.integer(), fc.constant(null))),
  }),
  fc.record({ app_metadata: fc.dictionary(fc.constantFrom('plan', 'constructor'), fc.string({ maxLength: 3 })) }),
  fc.constant({ password: PASSWORD }),
  fc.record({ blocked: fc.boolean() }),
);

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constantFrom('create' as const, 'signup' as const),
      connection: fc.constantFrom(...CONNECTIONS),
      email: fc.constantFrom(...EMAILS),
      username: fc.option(fc.constantFrom(...USERNAMES), { nil: undefined }),
    }),
  },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('patch' as const), target: fc.nat(4), body: patchBody }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constantFrom('delete' as const, 'login' as const), target: fc.nat(4) }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
);

function start(users: readonly User[] = []): Emulator {
  return createEmulator({ users, passwordHashIterations: 1 });
}

async function send(emulator: Emulator, method: string, path: string, body?: unknown): Promise<number> {
  const token = await emulator.issueToken();
  const response = await emulator.fetch(`${emulator.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return response.status;
}

async function login(emulator: Emulator, user: User): Promise<number> {
  const response = await emulator.fetch(`${emulator.baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: PASSWORD_REALM_GRANT,
      client_id: emulator.clientId,
      username: user.email ?? user.username,
      password: PASSWORD,
      realm: user.identities[0]?.connection,
      audience: emulator.audience,
    }),
  });
  return response.status;
}

/** Runs one step; the status says whether the API accepted it (only the reload is checked here). */
async function run(emulator: Emulator, current: Step): Promise<Emulator> {
  const users = emulator.snapshot();
  switch (current.kind) {
    case 'create': {
      const username = current.username === undefined ? {} : { username: current.username };
      await send(emulator, 'POST', '/api/v2/users', {
        connection: current.connection,
        email: current.email,
        password: PASSWORD,
        ...username,
      });
      return emulator;
    }
    case 'signup': {
      const username = current.username === undefined ? {} : { username: current.username };
      await emulator.fetch(`${emulator.baseUrl}/dbconnections/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ connection: current.connection, email: current.email, password: PASSWORD, ...username }),
      });
      return emulator;
    }
    case 'restart':
      return restartThroughDataFile(emulator);
    default: {
      const target = users[current.target % Math.max(users.length, 1)];
      if (target === undefined) return emulator;
      const path = `/api/v2/users/${encodeURIComponent(target.user_id)}`;
      if (current.kind === 'patch') await send(emulator, 'PATCH', path, current.body);
      else if (current.kind === 'delete') await send(emulator, 'DELETE', path);
      else await login(emulator, target);
      return emulator;
    }
  }
}

/** The users as a data file holds them: JSON, as `serve --data` writes it. */
function asJson(users: readonly User[]): unknown {
  return JSON.parse(JSON.stringify(users));
}

/** The data file `serve --data` writes for this emulator, read back as the CLI reads it, and loaded. */
async function restartThroughDataFile(emulator: Emulator): Promise<Emulator> {
  const identity = {
    clientId: emulator.clientId,
    clientSecret: emulator.clientSecret,
    ...(await emulator.exportIdentity()),
  };
  const content = readDataFileContent(renderDataFile(emulator.snapshot(), identity, 1), 'users.json');
  if (typeof content === 'string') throw new Error(content);
  return createEmulator({
    users: content.users,
    passwordHashIterations: 1,
    ...(content.identity === undefined ? {} : { identity: content.identity }),
  });
}

async function reloadsToTheSameUsers(emulator: Emulator): Promise<void> {
  const snapshot = emulator.snapshot();
  expect(asJson(start(snapshot).snapshot())).toStrictEqual(asJson(snapshot));
  expect(asJson((await restartThroughDataFile(emulator)).snapshot())).toStrictEqual(asJson(snapshot));
}

describe('every state the API reaches loads again (rule 33)', () => {
  asyncProp(
    'after any sequence of writes, logins and restarts, the users reload to the same users',
    [fc.array(step, { minLength: 1, maxLength: 16 })],
    async (steps) => {
      let emulator = start();
      for (const current of steps) {
        emulator = await run(emulator, current);
        await reloadsToTheSameUsers(emulator);
      }
      return undefined;
    },
    { numRuns: 100 },
  );

  test("POST a, POST b, PATCH b to a's email: refused 400, and the users still reload", async () => {
    const emulator = start();
    expect(
      await send(emulator, 'POST', '/api/v2/users', {
        connection: CONNECTIONS[0],
        email: 'a@example.com',
        password: PASSWORD,
      }),
    ).toBe(201);
    expect(
      await send(emulator, 'POST', '/api/v2/users', {
        connection: CONNECTIONS[0],
        email: 'b@example.com',
        password: PASSWORD,
      }),
    ).toBe(201);
    const b = emulator.snapshot()[1];
    if (b === undefined) throw new Error('b was not stored');
    const token = await emulator.issueToken();
    const response = await emulator.fetch(`${emulator.baseUrl}/api/v2/users/${encodeURIComponent(b.user_id)}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'A@example.com' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toStrictEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'The specified new email already exists',
      errorCode: 'auth0_idp_error',
    });
    expect(emulator.getUser(b.user_id)?.email).toBe('b@example.com');
    await reloadsToTheSameUsers(emulator);
  });

  test("the same email on another connection, and a PATCH to the user's own email, are accepted", async () => {
    const emulator = start();
    await send(emulator, 'POST', '/api/v2/users', {
      connection: CONNECTIONS[0],
      email: 'a@example.com',
      password: PASSWORD,
    });
    await send(emulator, 'POST', '/api/v2/users', {
      connection: CONNECTIONS[1],
      email: 'b@example.com',
      password: PASSWORD,
    });
    const [a, b] = emulator.snapshot();
    if (a === undefined || b === undefined) throw new Error('users were not stored');
    expect(
      await send(emulator, 'PATCH', `/api/v2/users/${encodeURIComponent(b.user_id)}`, { email: 'a@example.com' }),
    ).toBe(200);
    expect(
      await send(emulator, 'PATCH', `/api/v2/users/${encodeURIComponent(a.user_id)}`, { email: 'a@example.com' }),
    ).toBe(200);
    await reloadsToTheSameUsers(emulator);
  });

  test('a PATCH to a username another user of the connection holds is refused 400', async () => {
    const emulator = start();
    const base = { connection: CONNECTIONS[0], password: PASSWORD };
    await send(emulator, 'POST', '/api/v2/users', { ...base, email: 'a@example.com', username: 'ann' });
    await send(emulator, 'POST', '/api/v2/users', { ...base, email: 'b@example.com', username: 'bob' });
    const b = emulator.snapshot()[1];
    if (b === undefined) throw new Error('b was not stored');
    expect(await send(emulator, 'PATCH', `/api/v2/users/${encodeURIComponent(b.user_id)}`, { username: 'ann' })).toBe(
      400,
    );
    expect(await send(emulator, 'POST', '/api/v2/users', { ...base, email: 'c@example.com', username: 'ann' })).toBe(
      400,
    );
    expect(emulator.getUser(b.user_id)?.username).toBe('bob');
  });
});
