/**
 * `serve --data`: the CLI, bundled from the sources, runs in a child process that is killed with
 * SIGKILL in the middle of a stream of PATCHes. Every PATCH answered 200 must be in the data file
 * afterwards, the file must always be whole JSON, and a restart on it must serve those writes.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadDataFile } from '../../src/cli/journal.js';
import { JANE } from '../emulator/helpers.js';
import { bundleCli, type ChildServer, killChild, startCli } from './child.js';
import { clientToken } from './helpers.js';

const SECRET = 'persistence-secret';
const JANE_PATH = '/api/v2/users/auth0%7Cjane';

let folder: string;
let cli: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'auth0-metadata-data-'));
  cli = await bundleCli(folder);
  await writeFile(join(folder, 'seed.json'), JSON.stringify([{ ...JANE, user_id: 'jane' }]));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** Starts `serve --data` in a child process; resolves with its URL once the banner is printed. */
function start(data: string): Promise<ChildServer> {
  return startCli(cli, [
    'serve',
    '--port',
    '0',
    '--data',
    data,
    '--seed',
    join(folder, 'seed.json'),
    '--client-secret',
    SECRET,
  ]);
}

const token = (url: string): Promise<string> => clientToken(url, SECRET);

async function kill(server: ChildServer): Promise<void> {
  await killChild(server);
}

async function storedMetadata(data: string): Promise<Record<string, unknown>> {
  // What a restart loads: the data file and its journal (a torn file fails the test here).
  const loaded = await loadDataFile(data);
  if (typeof loaded !== 'object') throw new Error(`cannot load ${data}: ${String(loaded)}`);
  const jane = loaded.content.users.find((user) => Reflect.get(user, 'user_id') === 'auth0|jane');
  const metadata: unknown = Reflect.get(Object(jane), 'user_metadata');
  return typeof metadata === 'object' && metadata !== null ? { ...metadata } : {};
}

describe('serve --data survives SIGKILL during a stream of PATCHes', () => {
  test('every acknowledged write is in the file, whole, and served again after a restart', async () => {
    const data = join(folder, 'users.json');
    const acknowledged: string[] = [];
    let next = 0;
    // Three runs, each killed after a different number of answers, with 4 PATCHes always in flight.
    for (const killAfter of [15, 40, 70]) {
      const server = await start(data);
      const authorization = `Bearer ${await token(server.url)}`;
      let killed = false;
      const stream = async (): Promise<void> => {
        while (!killed) {
          const key = `k${next++}`;
          try {
            const response = await fetch(`${server.url}${JANE_PATH}`, {
              method: 'PATCH',
              headers: { authorization, 'content-type': 'application/json' },
              body: JSON.stringify({ user_metadata: { [key]: key } }),
            });
            await response.arrayBuffer();
            if (response.status === 200) acknowledged.push(key);
          } catch {
            // The server died with this PATCH in flight: it was never acknowledged.
          }
          if (!killed && acknowledged.length >= killAfter) {
            killed = true;
            await kill(server);
          }
        }
      };
      await Promise.all([stream(), stream(), stream(), stream()]);
      const metadata = await storedMetadata(data);
      expect(acknowledged.filter((key) => metadata[key] !== key)).toStrictEqual([]);
    }
    expect(acknowledged.length).toBeGreaterThanOrEqual(70);

    const restarted = await start(data);
    try {
      expect(restarted.output()).toContain(`Data file ${data} (1 users loaded)`);
      const response = await fetch(`${restarted.url}${JANE_PATH}`, {
        headers: { authorization: `Bearer ${await token(restarted.url)}` },
      });
      const user: unknown = await response.json();
      const metadata: unknown = Reflect.get(Object(user), 'user_metadata');
      for (const key of acknowledged) expect(Reflect.get(Object(metadata), key)).toBe(key);
      expect(Reflect.get(Object(metadata), 'hobby')).toBe('surfing');
    } finally {
      await kill(restarted);
    }
    // Only the data file, its lock (the last run was killed), the seed and the bundle remain besides
    // any temporary file a kill left.
    const names = await readdir(folder);
    expect(names.filter((name) => !name.endsWith('.tmp')).sort()).toStrictEqual([
      'cli.mjs',
      'seed.json',
      'users.json',
      'users.json.journal',
      'users.json.lock',
    ]);
  }, 120_000);
});
