import { describe, expect, test } from 'vitest';
import { createEmulator } from '../../src/emulator/index.js';
import type { PatchEffect } from '../../src/index.js';

describe('onDroppedData: nested data a PATCH loses without naming it', () => {
  test('is reported with its paths, after the PATCH succeeded', async () => {
    const reports: { dropped: readonly PatchEffect[]; url: string }[] = [];
    const emulator = createEmulator({
      passwordHashIterations: 1000,
      users: [
        {
          connection: 'Username-Password-Authentication',
          email: 'jane.doe@example.com',
          password: 'Passw0rd!xyz',
          user_id: 'jane',
          user_metadata: { addresses: { home: { city: 'Paris' }, work: { city: 'Lyon' } }, theme: 'dark' },
        },
      ],
      onDroppedData: (dropped, request) => reports.push({ dropped, url: request.url }),
    });
    const token = await emulator.issueToken();
    const patch = (body: unknown): Promise<Response> =>
      emulator.fetch(`${emulator.baseUrl}/api/v2/users/auth0%7Cjane`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await patch({ user_metadata: { theme: 'light' } })).status).toBe(200);
    expect(reports).toStrictEqual([]);
    expect((await patch({ user_metadata: { addresses: { work: { city: 'Nice' } } } })).status).toBe(200);
    expect(reports).toStrictEqual([
      {
        dropped: [{ kind: 'drop', path: ['user_metadata', 'addresses', 'home'], before: { city: 'Paris' } }],
        url: `${emulator.baseUrl}/api/v2/users/auth0%7Cjane`,
      },
    ]);
    expect((await patch({ user_metadata: { 'a.b': 1 } })).status).toBe(400);
    expect(reports).toHaveLength(1);
  });

  test('a reporter that throws does not change the answer', async () => {
    const emulator = createEmulator({
      passwordHashIterations: 1000,
      users: [
        {
          connection: 'c',
          email: 'a@example.com',
          password: 'Passw0rd!xyz',
          user_id: 'a',
          user_metadata: { a: { b: 1, c: 2 } },
        },
      ],
      onDroppedData: () => {
        throw new Error('reporter broke');
      },
    });
    const token = await emulator.issueToken();
    const response = await emulator.fetch(`${emulator.baseUrl}/api/v2/users/auth0%7Ca`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user_metadata: { a: { b: 1 } } }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ user_metadata: { a: { b: 1 } } });
  });
});
