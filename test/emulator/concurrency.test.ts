import { describe, expect, test } from 'vitest';
import { JANE, send, testEmulator, userPath } from './helpers.js';

describe('concurrent requests', () => {
  // A thousand requests take a few seconds on a loaded machine: the default 5 s timeout made this a timing test.
  test('1,000 concurrent PATCHes on different first-level keys of one user all land', async () => {
    const { emulator } = testEmulator({ users: [JANE] });
    const token = await emulator.issueToken({ scopes: ['update:users', 'read:users'] });
    const [jane] = emulator.snapshot();
    const path = userPath(jane?.user_id ?? '');
    const keys = Array.from({ length: 1000 }, (_, index) => `key${index}`);
    const replies = await Promise.all(
      keys.map((key, index) => send(emulator, 'PATCH', path, { token, json: { user_metadata: { [key]: index } } })),
    );
    expect(replies.filter((reply) => reply.status !== 200)).toStrictEqual([]);
    const final = await send(emulator, 'GET', `${path}?fields=user_metadata`, { token });
    const expected = Object.fromEntries([['hobby', 'surfing'], ...keys.map((key, index) => [key, index])]);
    expect(final.body).toStrictEqual({ user_metadata: expected });
  }, 60_000);

  test('concurrent creates of one email: exactly one 201, the rest 409', async () => {
    const { emulator } = testEmulator();
    const token = await emulator.issueToken({ scopes: ['create:users'] });
    const replies = await Promise.all(
      Array.from({ length: 50 }, () => send(emulator, 'POST', '/api/v2/users', { token, json: JANE })),
    );
    const statuses = replies.map((reply) => reply.status).sort();
    expect(statuses).toStrictEqual([201, ...Array.from({ length: 49 }, () => 409)]);
    expect(emulator.snapshot()).toHaveLength(1);
  });

  test('concurrent password changes leave one consistent hash', async () => {
    const { emulator } = testEmulator({ users: [JANE] });
    const token = await emulator.issueToken({ scopes: ['update:users'] });
    const [jane] = emulator.snapshot();
    const passwords = Array.from({ length: 20 }, (_, index) => `password-${index}`);
    await Promise.all(
      passwords.map((password) =>
        send(emulator, 'PATCH', userPath(jane?.user_id ?? ''), { token, json: { password } }),
      ),
    );
    const logins = await Promise.all(
      passwords.map((password) =>
        send(emulator, 'POST', '/oauth/token', {
          json: {
            grant_type: 'password',
            client_id: emulator.clientId,
            username: JANE.email,
            password,
            audience: emulator.audience,
          },
        }),
      ),
    );
    expect(logins.filter((reply) => reply.status === 200)).toHaveLength(1);
  });
});
