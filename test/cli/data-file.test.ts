import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readDataFileContent } from '../../src/cli/data-file.js';
import { loadDataFile, readJournal } from '../../src/cli/journal.js';
import { readDataFile, writeFileAtomic } from '../../src/cli/persist.js';
import { createEmulator } from '../../src/emulator/index.js';
import { JANE } from '../emulator/helpers.js';
import { clientToken, type ServeRun, serveInProcess } from './helpers.js';

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'auth0-metadata-data-file-'));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** Starts `serve` in process on a free port; resolves once the banner is printed. */
function serveWith(args: readonly string[]): Promise<ServeRun> {
  return serveInProcess(['serve', '--port', '0', '--client-secret', 'shh', ...args]);
}

const token = (url: string): Promise<string> => clientToken(url, 'shh');

function patch(url: string, authorization: string, body: unknown): Promise<Response> {
  return fetch(`${url}/api/v2/users/auth0%7Cjane`, {
    method: 'PATCH',
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('serve --data', () => {
  test('creates the file from the seed, saves each change before answering, and loads it at the next start', async () => {
    const seed = join(folder, 'seed.json');
    const data = join(folder, 'a.json');
    await writeFile(seed, JSON.stringify([{ ...JANE, user_id: 'jane' }]));
    const first = await serveWith(['--data', data, '--seed', seed]);
    expect(first.out).toContain(
      `Data file ${data} (created): every change is saved; restart with the same --data to keep it`,
    );
    const authorization = `Bearer ${await token(first.url)}`;
    const atStart = await readFile(data, 'utf8');
    expect((await patch(first.url, authorization, { user_metadata: { city: 'Paris' } })).status).toBe(200);
    // The write is one journal line: the data file is not rewritten.
    expect(await readFile(data, 'utf8')).toBe(atStart);
    expect((await readJournal(data)).trimEnd().split('\n')).toHaveLength(1);
    const saved = await loadDataFile(data);
    expect(saved).toMatchObject({
      content: { users: [{ user_id: 'auth0|jane', user_metadata: { hobby: 'surfing', city: 'Paris' } }] },
      applied: 1,
    });
    // A refused PATCH and a read change nothing on disk.
    const before = [await readFile(data, 'utf8'), await readJournal(data)];
    expect((await patch(first.url, authorization, { user_metadata: 'x' })).status).toBe(400);
    expect([await readFile(data, 'utf8'), await readJournal(data)]).toStrictEqual(before);
    first.stop();
    expect(await first.exit).toBe(0);
    // A clean stop empties the journal into the data file: at rest it holds everything.
    expect(await readJournal(data)).toBe('');
    expect(JSON.parse(await readFile(data, 'utf8'))).toMatchObject({ users: [{ user_metadata: { city: 'Paris' } }] });

    // The seed now differs from the data file: the data file wins.
    await writeFile(seed, '[]');
    const second = await serveWith(['--data', data, '--seed', seed]);
    expect(second.out.join('\n')).toContain(`Data file ${data} (1 users loaded)`);
    const read = await fetch(`${second.url}/api/v2/users/auth0%7Cjane`, {
      headers: { authorization: `Bearer ${await token(second.url)}` },
    });
    expect(await read.json()).toMatchObject({
      user_id: 'auth0|jane',
      user_metadata: { hobby: 'surfing', city: 'Paris' },
    });
    second.stop();
    expect(await second.exit).toBe(0);
    expect((await readdir(folder)).filter((name) => name.endsWith('.tmp'))).toStrictEqual([]);
  });

  test('a journal that cannot be emptied at stop stays beside the data file, is warned about, and is replayed next start', async () => {
    const data = join(folder, 'kept-journal.json');
    await writeFile(join(folder, 'seed-k.json'), JSON.stringify([{ ...JANE, user_id: 'jane' }]));
    const server = await serveWith(['--data', data, '--seed', join(folder, 'seed-k.json')]);
    const authorization = `Bearer ${await token(server.url)}`;
    expect((await patch(server.url, authorization, { user_metadata: { city: 'Oslo' } })).status).toBe(200);
    // The data file turned into a folder: it cannot be replaced at stop.
    const atStart = await readFile(data, 'utf8');
    await rm(data);
    await mkdir(data);
    await writeFile(join(data, 'inside'), '');
    server.stop();
    expect(await server.exit).toBe(0);
    expect(server.err).toStrictEqual([
      expect.stringMatching(
        new RegExp(`^warning: the journal of ${data} stays beside it \\(.+\\); it is replayed at the next start$`),
      ),
    ]);
    await rm(data, { recursive: true });
    await writeFile(data, atStart);
    const next = await serveWith(['--data', data]);
    const read = await fetch(`${next.url}/api/v2/users/auth0%7Cjane`, {
      headers: { authorization: `Bearer ${await token(next.url)}` },
    });
    expect(await read.json()).toMatchObject({ user_metadata: { hobby: 'surfing', city: 'Oslo' } });
    next.stop();
    expect(await next.exit).toBe(0);
  });

  test('a data file in a seed form (no identity yet) is loaded, and the identity is added to it', async () => {
    const data = join(folder, 'plain.json');
    await writeFile(data, JSON.stringify([{ ...JANE, user_id: 'jane' }]));
    const server = await serveWith(['--data', data]);
    expect(server.out.join('\n')).toContain('survive a restart (added to this file now)');
    expect(JSON.parse(await readFile(data, 'utf8'))).toMatchObject({
      users: [{ user_id: 'auth0|jane' }],
      identity: { clientSecret: 'shh' },
    });
    // The inspector's path is the page's, not the emulator's: from the sources, a 404 saying how to build it.
    const page = await fetch(`${server.url}/__emulator/`);
    expect([page.status, await page.text()]).toStrictEqual([404, expect.stringContaining('npm run build')]);
    server.stop();
    expect(await server.exit).toBe(0);
  });

  test('a change that cannot be saved is answered 500 and reported, never acknowledged', async () => {
    const gone = join(folder, 'gone');
    await mkdir(gone);
    await writeFile(join(folder, 'seed-b.json'), JSON.stringify([{ ...JANE, user_id: 'jane' }]));
    const server = await serveWith(['--data', join(gone, 'users.json'), '--seed', join(folder, 'seed-b.json')]);
    const authorization = `Bearer ${await token(server.url)}`;
    await rm(gone, { recursive: true });
    const response = await patch(server.url, authorization, { user_metadata: { city: 'Paris' } });
    expect(response.status).toBe(500);
    expect(
      server.err.some((line) => line.startsWith(`error: cannot write data file ${join(gone, 'users.json')}: `)),
    ).toBe(true);
    server.stop();
    expect(await server.exit).toBe(0);
  });

  test.each([
    ['a data file that is a folder', async () => folder, /^error: cannot read data file .*: EISDIR/],
    [
      'a data file that is not JSON',
      async () => {
        const file = join(folder, 'bad.json');
        await writeFile(file, '{');
        return file;
      },
      /^error: data file .*bad\.json is not valid JSON: /,
    ],
    [
      'a data file in a folder that does not exist',
      async () => join(folder, 'missing', 'users.json'),
      /^error: cannot lock data file .*missing\/users\.json \(.*users\.json\.lock\): ENOENT/,
    ],
    [
      'a data file with a duplicate user',
      async () => {
        const file = join(folder, 'dup.json');
        const user = { user_id: 'auth0|a', created_at: '2025-01-01T00:00:00.000Z' };
        await writeFile(file, JSON.stringify([user, user]));
        return file;
      },
      /^error: data file .*dup\.json, user 2: The user already exists\.$/,
    ],
    [
      'a data file with an identity whose users are not objects',
      async () => {
        const file = join(folder, 'not-users.json');
        const kept = await createEmulator().exportIdentity();
        const identity = { clientId: 'a', clientSecret: 'b', ...kept };
        await writeFile(file, JSON.stringify({ users: [1], identity }));
        return file;
      },
      /^error: data file .*not-users\.json must hold "users": an array of users \(objects\)$/,
    ],
    [
      'a data file with an identity and an invalid user',
      async () => {
        const file = join(folder, 'invalid-user.json');
        const kept = await createEmulator().exportIdentity();
        const identity = { clientId: 'a', clientSecret: 'b', ...kept };
        await writeFile(
          file,
          JSON.stringify({
            users: [{ user_id: 'auth0|a', created_at: '2025-01-01T00:00:00.000Z', user_metadata: 'x' }],
            identity,
          }),
        );
        return file;
      },
      /^error: data file .*invalid-user\.json, user 1: user_metadata: Expected type object but found type string$/,
    ],
  ])('%s stops serve with a one-line error', async (_, file, message) => {
    const server = await serveWith(['--data', await file()]);
    expect(await server.exit).toBe(1);
    expect(server.err).toHaveLength(1);
    expect(server.err[0]).toMatch(message);
  });
});

describe('writeFileAtomic, readDataFile', () => {
  test('replaces the file whole and leaves no temporary file', async () => {
    const file = join(folder, 'atomic.json');
    await writeFileAtomic(file, 'one');
    await writeFileAtomic(file, 'two');
    expect(await readDataFile(file)).toBe('two');
    expect((await readdir(folder)).filter((name) => name.includes('atomic.json.'))).toStrictEqual([]);
  });

  test('a rename that fails removes the temporary file and rejects', async () => {
    const target = join(folder, 'a-folder');
    await mkdir(join(target, 'inside'), { recursive: true });
    await expect(writeFileAtomic(target, 'x')).rejects.toThrow();
    expect((await readdir(folder)).filter((name) => name.startsWith('.a-folder.'))).toStrictEqual([]);
  });

  test('readDataFile: undefined for no file, the error for anything else', async () => {
    expect(await readDataFile(join(folder, 'nothing.json'))).toBeUndefined();
    await expect(readDataFile(folder)).rejects.toThrow(/EISDIR/);
  });
});

describe('readDataFileContent', () => {
  const file = 'users.json';

  test.each([
    ['no client id', { clientSecret: 'b' }, 'data file users.json, identity: clientId must be a string'],
    [
      'an empty client id',
      { clientId: '', clientSecret: 'b' },
      'data file users.json, identity: clientId must be a string',
    ],
    ['no client secret', { clientId: 'a' }, 'data file users.json, identity: clientSecret must be a string'],
    [
      'a client secret that is no string',
      { clientId: 'a', clientSecret: 7 },
      'data file users.json, identity: clientSecret must be a string',
    ],
  ])('an identity with %s is refused', async (_, client, message) => {
    const kept = await createEmulator().exportIdentity();
    expect(readDataFileContent(JSON.stringify({ users: [], identity: { ...kept, ...client } }), file)).toBe(message);
  });

  test('users that are no array are refused; a generation that is no safe integer reads as 0', async () => {
    const kept = await createEmulator().exportIdentity();
    const identity = { clientId: 'a', clientSecret: 'b', ...kept };
    expect(readDataFileContent(JSON.stringify({ users: {}, identity }), file)).toBe(
      'data file users.json must hold "users": an array of users (objects)',
    );
    const read = (generation: unknown) => {
      const content = readDataFileContent(JSON.stringify({ users: [], identity, generation }), file);
      return typeof content === 'string' ? content : content.generation;
    };
    expect([read(4), read('4'), read(1.5), read(2 ** 60)]).toStrictEqual([4, 0, 0, 0]);
  });
});
