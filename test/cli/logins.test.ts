/**
 * A password-grant login through `serve --data` records `last_login`, `last_ip` and `logins_count`
 * on the user (rule 34), saved before the token is answered and loaded again at the next start.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { JANE } from '../emulator/helpers.js';
import { clientToken, serveInProcess } from './helpers.js';

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'auth0-metadata-logins-'));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('serve --data keeps what a login records', () => {
  test('a login is saved with the user and loaded again after a restart', async () => {
    const seed = join(folder, 'seed.json');
    const data = join(folder, 'users.json');
    await writeFile(seed, JSON.stringify([{ ...JANE, user_id: 'jane' }]));
    const first = await serveInProcess([
      'serve',
      '--port',
      '0',
      '--client-secret',
      'shh',
      '--data',
      data,
      '--seed',
      seed,
    ]);
    const login = await fetch(`${first.url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: 'auth0-metadata-emulator',
        username: JANE.email ?? '',
        password: JANE.password ?? '',
        audience: `${first.url}/api/v2/`,
      }),
    });
    expect(login.status).toBe(200);
    // Saved before the token was answered: on disk (the data file or its journal) now.
    const onDisk = `${await readFile(data, 'utf8')}${await readFile(`${data}.journal`, 'utf8').catch(() => '')}`;
    expect(onDisk).toMatch(/"logins_count":\s*1\b/);
    first.stop();
    expect(await first.exit).toBe(0);

    const second = await serveInProcess(['serve', '--port', '0', '--client-secret', 'shh', '--data', data]);
    const read = await fetch(`${second.url}/api/v2/users/auth0%7Cjane`, {
      headers: { authorization: `Bearer ${await clientToken(second.url, 'shh')}` },
    });
    const user: unknown = await read.json();
    expect(user).toMatchObject({ logins_count: 1, last_ip: '127.0.0.1' });
    expect(user).toHaveProperty('last_login');
    second.stop();
    expect(await second.exit).toBe(0);
  });
});
