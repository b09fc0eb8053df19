/**
 * The control API under concurrent load with `serve --data`: resets and imports racing with
 * creates and PATCHes. Whatever order they land in, the users the server shows last are the users
 * a restart on the same data file loads.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { serveInProcess } from './helpers.js';

/** Each user as `id:metadata`, sorted: what must survive a restart. */
function summary(users: unknown): string[] {
  if (!Array.isArray(users)) throw new Error(`not a list of users: ${JSON.stringify(users)}`);
  return users
    .map((user) => `${Reflect.get(user, 'user_id')}:${JSON.stringify(Reflect.get(user, 'user_metadata') ?? null)}`)
    .sort();
}

test('resets and imports racing with creates and PATCHes: the last users shown are the users reloaded', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'auth0-metadata-race-'));
  const data = join(folder, 'users.json');
  const seed = join(folder, 'seed.json');
  const connection = 'Username-Password-Authentication';
  await writeFile(
    seed,
    JSON.stringify([{ connection, email: 'seed@example.com', user_id: 'seed', password: 'Passw0rd!x' }]),
  );
  try {
    const run = await serveInProcess(['serve', '--port', '0', '--data', data, '--seed', seed]);
    let live: string[];
    const statuses: number[] = [];
    try {
      const issued: unknown = await (await fetch(`${run.url}/__emulator/token`, { method: 'POST' })).json();
      const headers = {
        authorization: `Bearer ${String(Reflect.get(Object(issued), 'access_token'))}`,
        'content-type': 'application/json',
      };
      const jobs = Array.from({ length: 40 }, (_, index): Promise<Response> => {
        if (index % 9 === 4) return fetch(`${run.url}/__emulator/reset`, { method: 'POST' });
        if (index % 7 === 3) {
          const user = { connection, email: `import${index}@example.com`, password: 'Passw0rd!x' };
          return fetch(`${run.url}/__emulator/users`, { method: 'POST', body: JSON.stringify([user]) });
        }
        if (index % 3 === 0) {
          const body = JSON.stringify({ user_metadata: { step: index } });
          return fetch(`${run.url}/api/v2/users/auth0%7Cseed`, { method: 'PATCH', headers, body });
        }
        const body = JSON.stringify({ connection, email: `user${index}@example.com`, password: 'Passw0rd!x' });
        return fetch(`${run.url}/api/v2/users`, { method: 'POST', headers, body });
      });
      for (const response of await Promise.all(jobs)) statuses.push(response.status);
      live = summary(await (await fetch(`${run.url}/__emulator/users`)).json());
    } finally {
      run.stop();
    }
    expect(await run.exit).toBe(0);
    // Every request was answered as itself: no 500 from a save racing a reset.
    expect(statuses.filter((status) => status >= 500)).toStrictEqual([]);
    expect(live.length).toBeGreaterThan(1);
    const again = await serveInProcess(['serve', '--port', '0', '--data', data]);
    try {
      expect(summary(await (await fetch(`${again.url}/__emulator/users`)).json())).toStrictEqual(live);
    } finally {
      again.stop();
      await again.exit;
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}, 30_000);
