import { describe, expect, test } from 'vitest';
import { createEmulator } from '../src/emulator/index.js';
import { readSeedUser, seedFormOf } from '../src/readSeedUser.js';
import { CONNECTION, deepFreeze, NOW } from './helpers.js';

const now = (): Date => new Date(NOW);

/** A user as GET /api/v2/users/{id} returns it, with attributes only Auth0 fills in. */
const STORED = deepFreeze({
  user_id: 'auth0|jane',
  email: 'jane.doe@example.com',
  email_verified: true,
  identities: [{ connection: CONNECTION, user_id: 'jane', provider: 'auth0', isSocial: false }],
  created_at: '2025-05-01T10:00:00.000Z',
  updated_at: '2025-06-01T10:00:00.000Z',
  last_login: '2025-06-02T10:00:00.000Z',
  logins_count: 7,
  user_metadata: { hobby: 'surfing' },
  app_metadata: { plan: 'full' },
});

describe('readSeedUser', () => {
  test('a stored user is kept exactly: its user_id is never prefixed again, its timestamps kept', () => {
    const read = readSeedUser(STORED, { now });
    expect(read).toStrictEqual({
      success: true,
      warnings: [],
      value: { form: 'stored-user', user: STORED, password: undefined },
    });
    expect(read.success && read.value.user).not.toBe(STORED);
    expect(read.success && Object.isFrozen(read.value.user.identities)).toBe(true);
  });

  test('a user-export line without identities or updated_at: identities from the auth0| id, updated_at = created_at', () => {
    const line = { user_id: 'auth0|ann', email: 'ann@example.com', created_at: '2025-01-02T03:04:05.000Z' };
    const read = readSeedUser(line, { now, connection: 'my-db' });
    expect(read.success && read.value.user).toStrictEqual({
      ...line,
      identities: [{ connection: 'my-db', user_id: 'ann', provider: 'auth0', isSocial: false }],
      updated_at: '2025-01-02T03:04:05.000Z',
    });
  });

  test('an export line with only a user_id gets the clock for its timestamps', () => {
    const read = readSeedUser({ user_id: 'auth0|x' }, { now });
    expect(read.success && [read.value.user.created_at, read.value.user.updated_at]).toStrictEqual([NOW, NOW]);
  });

  test('a POST body is created as POST creates it: a bare user_id gets auth0|, the password is kept apart', () => {
    const read = readSeedUser(
      { connection: CONNECTION, email: 'jane.doe@example.com', password: 'Pw1!xxxx', user_id: 'jane' },
      { now },
    );
    expect(read.success && [read.value.form, read.value.user.user_id, read.value.password]).toStrictEqual([
      'create-body',
      'auth0|jane',
      'Pw1!xxxx',
    ]);
    expect(read.success && 'password' in read.value.user).toBe(false);
  });

  test('a bulk-import user: auth0| prepended, hashes and MFA factors left out, no password', () => {
    const read = readSeedUser(
      {
        user_id: 'carl',
        email: 'carl@example.com',
        email_verified: true,
        password_hash: '$2b$10$abcdefghijklmnopqrstuv',
        mfa_factors: [{ totp: { secret: 'x' } }],
        user_metadata: { a: '1' },
      },
      { now },
    );
    expect(read.success && read.value.form).toBe('bulk-import');
    expect(read.success && read.value.password).toBeUndefined();
    expect(read.success && read.value.user).toMatchObject({
      user_id: 'auth0|carl',
      email_verified: true,
      identities: [{ connection: CONNECTION, user_id: 'carl', provider: 'auth0', isSocial: false }],
      created_at: NOW,
      user_metadata: { a: '1' },
    });
    expect(read.success && Object.keys(read.value.user)).not.toContain('password_hash');
    expect(read.success && Object.keys(read.value.user)).not.toContain('mfa_factors');
  });

  test('a bulk-import user gets the secure.gravatar.com picture an import gives; a POST body the s.gravatar.com one (rule 36)', () => {
    const imported = readSeedUser({ user_id: 'carl', email: 'carl@example.com' }, { now });
    const created = readSeedUser(
      { connection: CONNECTION, user_id: 'carl', email: 'carl@example.com', password: 'Pw1!x' },
      { now },
    );
    const importedPicture = imported.success ? imported.value.user.picture : undefined;
    const createdPicture = created.success ? created.value.user.picture : undefined;
    expect(createdPicture).toMatch(/^https:\/\/s\.gravatar\.com\/avatar\/[0-9a-f]{32}\?s=480&r=pg&d=/);
    expect(importedPicture).toBe(createdPicture?.replace('https://s.gravatar.com/', 'https://secure.gravatar.com/'));
    const chosen = readSeedUser(
      { user_id: 'carl', email: 'carl@example.com', picture: 'https://example.com/c.png' },
      { now },
    );
    expect(chosen.success && chosen.value.user.picture).toBe('https://example.com/c.png');
  });

  test.each([
    ['not an object', 'auth0|jane', [], 'invalid_type'],
    ['a user_id that is not a string', { user_id: 7, created_at: NOW }, ['user_id'], 'invalid_type'],
    ['metadata that is not an object', { user_id: 'auth0|a', user_metadata: 'x' }, ['user_metadata'], 'invalid_type'],
    ['a timestamp that is not a string', { user_id: 'auth0|a', created_at: 1 }, ['created_at'], 'invalid_type'],
    ['identities that are not identities', { user_id: 'auth0|a', identities: [{}] }, ['identities'], 'invalid_type'],
    ['a social user without identities', { user_id: 'google-oauth2|1', created_at: NOW }, [], 'missing_property'],
    ['a bulk-import user without an email', { user_id: 'x' }, [], 'missing_property'],
  ])('%s is an issue at its path', (_, entry, path, code) => {
    const read = readSeedUser(entry, { now });
    expect(read).toMatchObject({ success: false, issues: [{ code, path }] });
  });

  test('a value that is not JSON is an issue, not a crash', () => {
    const read = readSeedUser({ user_id: 'auth0|a', created_at: NOW, user_metadata: { when: new Date(0) } });
    expect(read).toMatchObject({ success: false, issues: [{ code: 'not_json' }] });
  });

  test('__proto__ in a stored user is data, and the argument is not mutated', () => {
    const entry = deepFreeze(
      JSON.parse('{"user_id":"auth0|p","created_at":"2025-01-01T00:00:00.000Z","user_metadata":{"__proto__":{"x":1}}}'),
    );
    const read = readSeedUser(entry, { now });
    expect(read.success && Object.getOwnPropertyNames(read.value.user.user_metadata)).toStrictEqual(['__proto__']);
    expect(read.success && Object.getPrototypeOf(read.value.user.user_metadata)).toBe(Object.prototype);
  });

  test('seedFormOf names the form of each entry, and nothing for a non-object', () => {
    expect([
      seedFormOf(STORED),
      seedFormOf({ user_id: 'a', email: 'a@b.c' }),
      seedFormOf({ connection: 'c' }),
      seedFormOf(null),
    ]).toStrictEqual(['stored-user', 'bulk-import', 'create-body', undefined]);
  });
});

describe('createEmulator seeded with stored users', () => {
  test('GET returns the stored user as seeded; a PATCH keeps its other attributes; reset returns to it', async () => {
    const emulator = createEmulator({ users: [STORED], now, passwordHashIterations: 1 });
    const token = await emulator.issueToken();
    const url = `${emulator.baseUrl}/api/v2/users/auth0%7Cjane`;
    const got = await emulator.fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(await got.json()).toStrictEqual(STORED);
    const patched = await emulator.fetch(url, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user_metadata: { city: 'Paris' } }),
    });
    expect(await patched.json()).toStrictEqual({
      ...STORED,
      updated_at: NOW,
      user_metadata: { hobby: 'surfing', city: 'Paris' },
    });
    emulator.reset();
    expect(emulator.getUser('auth0|jane')).toStrictEqual(STORED);
  });
});
