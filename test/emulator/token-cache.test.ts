import { describe, expect, test } from 'vitest';
import { createEmulator } from '../../src/emulator/index.js';

// Verified tokens are remembered until they expire: the cache must never accept what a full check refuses.
describe('verified-token cache', () => {
  const at = { time: Date.parse('2026-01-01T00:00:00.000Z') };
  const emulator = createEmulator({ now: () => new Date(at.time), tokenLifetime: 60, passwordHashIterations: 1000 });
  const get = (token: string, origin = emulator.baseUrl): Promise<Response> =>
    emulator.fetch(`${origin}/api/v2/users?per_page=1`, { headers: { authorization: `Bearer ${token}` } });

  test('a token that verified once is refused once it expires', async () => {
    const token = await emulator.issueToken({ scopes: ['read:users'] });
    expect((await get(token)).status).toBe(200);
    expect((await get(token)).status).toBe(200);
    at.time += 61_000;
    const expired = await get(token);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ message: 'Expired token received for JSON Web Token validation' });
  });

  test('a token remembered for one audience is still refused for another', async () => {
    const local = 'http://127.0.0.1:4000';
    const token = await emulator.issueToken({ scopes: ['read:users'], audience: `${local}/api/v2/` });
    expect((await get(token, local)).status).toBe(200);
    const elsewhere = await get(token);
    expect(elsewhere.status).toBe(401);
    expect(await elsewhere.json()).toMatchObject({ errorCode: 'invalid_token', message: 'Bad audience' });
  });

  test('a tampered copy of a remembered token is refused', async () => {
    const token = await emulator.issueToken({ scopes: ['read:users'] });
    expect((await get(token)).status).toBe(200);
    const [header, payload, signature] = token.split('.');
    const claims: unknown = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'));
    const widened = Buffer.from(JSON.stringify({ ...Object(claims), scope: 'read:users delete:users' })).toString(
      'base64url',
    );
    expect((await get(`${header}.${widened}.${signature}`)).status).toBe(401);
  });
  test('a header read before is not a pass: another form of it, after it, is refused', async () => {
    const token = await emulator.issueToken({ scopes: ['read:users'] });
    const send = (authorization: string): Promise<Response> =>
      emulator.fetch(`${emulator.baseUrl}/api/v2/users?per_page=1`, { headers: { authorization } });
    expect((await send(`Bearer ${token}`)).status).toBe(200);
    for (const other of [`Bearer ${token} x`, `Basic ${token}`, `Bearer${token}`]) {
      const refused = await send(other);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ message: 'Bad HTTP authentication header format' });
    }
    expect((await send(`bearer  ${token} `)).status).toBe(200);
    expect((await send(`Bearer ${token}`)).status).toBe(200);
  });
});
