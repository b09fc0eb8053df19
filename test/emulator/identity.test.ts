/**
 * The identity of an emulator (signing key, password hashes) exported and given to a new one, and
 * the undo of a recording of changes: what the dev server needs to survive a restart and a failed save.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { readIdentity } from '../../src/emulator/identity.js';
import type { Emulator } from '../../src/emulator/index.js';
import { seed } from '../prop.js';
import {
  AUDIENCE,
  CONNECTION,
  field,
  JANE,
  send,
  sequentialIds,
  testClock,
  testEmulator,
  userIdOf,
  userPath,
} from './helpers.js';

async function login(emulator: Emulator, password: string): Promise<number> {
  const reply = await send(emulator, 'POST', '/oauth/token', {
    json: {
      grant_type: 'password',
      client_id: emulator.clientId,
      client_secret: emulator.clientSecret,
      username: JANE.email,
      password,
      audience: AUDIENCE,
    },
  });
  return reply.status;
}

describe('exportIdentity and the identity option', () => {
  test('a token issued before verifies after, and a user created with a password logs in with it', async () => {
    const { emulator: before } = testEmulator();
    const created = await send(before, 'POST', '/api/v2/users', {
      token: await before.issueToken(),
      json: { ...JANE, password: 'Pw1!before' },
    });
    expect(created.status).toBe(201);
    const token = await before.issueToken({ scopes: ['read:users'] });
    const identity = await before.exportIdentity();
    expect(JSON.stringify(identity)).not.toContain('Pw1!before');

    const after = testEmulator({ users: before.snapshot(), identity: JSON.parse(JSON.stringify(identity)) }).emulator;
    expect((await send(after, 'GET', userPath(userIdOf(created.body)), { token })).status).toBe(200);
    expect(await login(after, 'Pw1!before')).toBe(200);
    expect(await login(after, 'Pw1!wrong!')).toBe(403);

    const stranger = testEmulator({ users: before.snapshot() }).emulator;
    expect((await send(stranger, 'GET', userPath(userIdOf(created.body)), { token })).status).toBe(401);
    expect(await login(stranger, 'Pw1!before')).toBe(403);
  });

  test('a seed entry with a password wins over a kept hash; a hash for no seeded user is ignored', async () => {
    const { emulator: first } = testEmulator({ users: [{ ...JANE, user_id: 'jane' }] });
    const identity = await first.exportIdentity();
    expect(Object.keys(identity.passwords)).toStrictEqual(['auth0|jane']);
    const { emulator } = testEmulator({ users: [{ ...JANE, user_id: 'jane', password: 'Pw1!seeded' }], identity });
    expect(await login(emulator, 'Pw1!seeded')).toBe(200);
    expect(await login(emulator, String(JANE.password))).toBe(403);
    expect(Object.keys((await testEmulator({ identity }).emulator.exportIdentity()).passwords)).toStrictEqual([]);
  });

  test('a user id named __proto__ is data', async () => {
    const { emulator } = testEmulator({ users: [{ ...JANE, user_id: '__proto__' }] });
    const identity = readIdentity(JSON.parse(JSON.stringify(await emulator.exportIdentity())));
    expect(Object.keys(identity.passwords)).toStrictEqual(['auth0|__proto__']);
    expect(Object.hasOwn(identity.passwords, '__proto__')).toBe(false);
  });

  test.each([
    [{}, /signingKey must be an EC P-256 JWK/],
    [{ signingKey: { kty: 'oct', k: 'AAAA' }, passwords: {} }, /signingKey must be an EC P-256 JWK/],
    [{ signingKey: { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' }, passwords: {} }, /d must be a base64url string/],
    [{ signingKey: { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA', d: 'AA' }, passwords: [] }, /passwords must be/],
    [
      {
        signingKey: { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA', d: 'AA' },
        passwords: { a: { salt: '+', hash: 'A', iterations: 1 } },
      },
      /passwords\["a"\]: salt must be a base64url string/,
    ],
    [
      {
        signingKey: { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA', d: 'AA' },
        passwords: { a: { salt: 'AA', hash: 'AA', iterations: 0 } },
      },
      /iterations must be a positive integer/,
    ],
  ])('an identity that is not one is a TypeError naming the field: %j', (identity, message) => {
    expect(() => readIdentity(identity)).toThrow(message);
    // Through createEmulator, with its name.
    expect(() => testEmulator({ identity: JSON.parse(JSON.stringify(identity)) })).toThrow(/createEmulator|identity/);
  });
});

/** One write through the API, by kind. */
type Step =
  | { readonly kind: 'create'; readonly name: string }
  | { readonly kind: 'patch'; readonly index: number; readonly value: string }
  | { readonly kind: 'password'; readonly index: number }
  | { readonly kind: 'delete'; readonly index: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), name: fc.constantFrom('a', 'b', 'c', 'd') }),
  fc.record({ kind: fc.constant('patch' as const), index: fc.nat(5), value: fc.string({ maxLength: 3 }) }),
  fc.record({ kind: fc.constant('password' as const), index: fc.nat(5) }),
  fc.record({ kind: fc.constant('delete' as const), index: fc.nat(5) }),
);

async function apply(emulator: Emulator, token: string, taken: Step): Promise<void> {
  const ids = emulator.snapshot().map((user) => user.user_id);
  const id = taken.kind === 'create' ? undefined : ids[taken.index % Math.max(ids.length, 1)];
  if (taken.kind === 'create') {
    const json = { connection: CONNECTION, email: `${taken.name}@example.com`, password: 'Pw1!create' };
    await send(emulator, 'POST', '/api/v2/users', { token, json });
  } else if (id === undefined) {
    return;
  } else if (taken.kind === 'patch') {
    await send(emulator, 'PATCH', userPath(id), { token, json: { user_metadata: { value: taken.value } } });
  } else if (taken.kind === 'password') {
    await send(emulator, 'PATCH', userPath(id), { token, json: { password: 'Pw1!changed' } });
  } else {
    await send(emulator, 'DELETE', userPath(id), { token });
  }
}

describe('recordChanges', () => {
  test('law: undo puts the users, their order and their password hashes back as they were before the recording', async () => {
    const law = fc.asyncProperty(
      fc.array(step, { maxLength: 6 }),
      fc.array(step, { minLength: 1, maxLength: 6 }),
      async (before, recorded) => {
        const clock = testClock();
        const { emulator } = testEmulator({
          now: clock.now,
          generateId: sequentialIds(),
          users: [{ ...JANE, user_id: 'jane' }],
        });
        const token = await emulator.issueToken();
        for (const taken of before) await apply(emulator, token, taken);
        const users = emulator.snapshot();
        const passwords = (await emulator.exportIdentity()).passwords;
        const changes = emulator.recordChanges();
        for (const taken of recorded) await apply(emulator, token, taken);
        changes.undo();
        expect(emulator.snapshot()).toStrictEqual(users);
        for (const [index, user] of emulator.snapshot().entries()) expect(user).toBe(users[index]);
        expect((await emulator.exportIdentity()).passwords).toStrictEqual(passwords);
      },
    );
    try {
      await fc.assert(law, { seed, numRuns: 40 });
    } catch (error) {
      throw new Error(`undo law failed with FC_SEED=${seed}`, { cause: error });
    }
  }, 60_000);

  test('changed says whether a write touched the users; end keeps the changes', async () => {
    const { emulator } = testEmulator({ users: [{ ...JANE, user_id: 'jane' }] });
    const token = await emulator.issueToken();
    const reading = emulator.recordChanges();
    await send(emulator, 'GET', userPath('auth0|jane'), { token });
    expect(reading.changed).toBe(false);
    reading.end();
    const writing = emulator.recordChanges();
    await send(emulator, 'PATCH', userPath('auth0|jane'), { token, json: { user_metadata: { city: 'Paris' } } });
    expect(writing.changed).toBe(true);
    writing.end();
    expect(field(emulator.getUser('auth0|jane')?.user_metadata, 'city')).toBe('Paris');
    const before = emulator.snapshot();
    const reset = emulator.recordChanges();
    emulator.reset();
    expect(field(emulator.getUser('auth0|jane')?.user_metadata, 'city')).toBeUndefined();
    reset.undo();
    expect(emulator.snapshot()).toStrictEqual(before);
  });
});
