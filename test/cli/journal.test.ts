/** The journal beside a data file, replayed: lines of the data file's generation, in order; others skipped. */
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { DataFileContent } from '../../src/cli/data-file.js';
import { durableHandle } from '../../src/cli/durable.js';
import { createDataSaver, journalFile, loadDataFile, readJournal, replayJournal } from '../../src/cli/journal.js';
import { createEmulator } from '../../src/emulator/index.js';
import { BASE, JANE, testEmulator } from '../emulator/helpers.js';

const HASH = { salt: 'AAAA', hash: 'BBBB', iterations: 1 };

async function content(): Promise<DataFileContent> {
  const { signingKey } = await createEmulator().exportIdentity();
  return {
    users: [
      { user_id: 'auth0|a', email: 'a@example.com' },
      { user_id: 'auth0|b', email: 'b@example.com' },
    ],
    identity: { clientId: 'c', clientSecret: 's', signingKey, passwords: { 'auth0|a': HASH } },
    generation: 3,
  };
}

const line = (g: number, changes: readonly unknown[]): string => JSON.stringify({ g, changes });

describe('replayJournal', () => {
  test('applies each line of the generation in order: a user replaced in place, one added, one deleted, with their hashes', async () => {
    const journal = [
      line(3, [{ id: 'auth0|a', user: { user_id: 'auth0|a', email: 'a2@example.com' }, password: null }]),
      line(3, [{ id: 'auth0|c', user: { user_id: 'auth0|c' }, password: HASH }]),
      line(3, [{ id: 'auth0|b', user: null, password: null }]),
      '',
    ].join('\n');
    const { content: replayed, applied } = replayJournal(await content(), journal);
    expect(applied).toBe(3);
    expect(replayed.users).toStrictEqual([{ user_id: 'auth0|a', email: 'a2@example.com' }, { user_id: 'auth0|c' }]);
    expect({ ...replayed.identity?.passwords }).toStrictEqual({ 'auth0|c': HASH });
  });

  test('skips lines of an older generation (already in the data file) and a torn last line (never acknowledged)', async () => {
    const journal = [
      line(2, [{ id: 'auth0|a', user: null, password: null }]),
      line(3, [{ id: 'auth0|b', user: { user_id: 'auth0|b', email: 'b2@example.com' }, password: HASH }]),
      line(3, [{ id: 'auth0|a', user: null, password: null }]).slice(0, 20),
    ].join('\n');
    const start = await content();
    const { content: replayed, applied } = replayJournal(start, journal);
    expect(applied).toBe(1);
    expect(replayed.users).toStrictEqual([
      { user_id: 'auth0|a', email: 'a@example.com' },
      { user_id: 'auth0|b', email: 'b2@example.com' },
    ]);
    expect(replayJournal(start, '')).toStrictEqual({ content: start, applied: 0 });
  });

  test('a change whose password is no hash loses its hash; one without an id is skipped; a user that is no object is deleted', async () => {
    const journal = [
      line(3, [
        { id: 'auth0|a', user: { user_id: 'auth0|a', email: 'a3@example.com' }, password: { salt: 1 } },
        { id: 7, user: { user_id: 'auth0|x' }, password: null },
        { id: 'auth0|b', user: 'gone', password: null },
      ]),
      JSON.stringify({ g: 3, changes: 'none' }),
      'null',
      '12',
    ].join('\n');
    const { content: replayed, applied } = replayJournal(await content(), journal);
    expect(applied).toBe(1);
    expect(replayed.users).toStrictEqual([{ user_id: 'auth0|a', email: 'a3@example.com' }]);
    expect({ ...replayed.identity?.passwords }).toStrictEqual({});
  });
});

describe('createDataSaver', () => {
  test('an append that fails (a full disk) rejects the save; the next save rewrites the data file whole', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'auth0-metadata-journal-'));
    const data = join(folder, 'users.json');
    await symlink('/dev/full', journalFile(data));
    const { emulator } = testEmulator({ users: [{ ...JANE, user_id: 'jane' }] });
    const client = { clientId: emulator.clientId, clientSecret: emulator.clientSecret };
    const saver = createDataSaver(data, emulator, client, { generation: 0, clean: true, dataBytes: 0 });
    const errors: unknown[] = [];
    const handle = durableHandle(emulator, saver.save, (error) => errors.push(error));
    const token = await emulator.issueToken();
    const patch = (city: string) =>
      handle({
        method: 'PATCH',
        url: `${BASE}/api/v2/users/auth0%7Cjane`,
        headers: new Headers({ authorization: `Bearer ${token}`, 'content-type': 'application/json' }),
        body: new TextEncoder().encode(JSON.stringify({ user_metadata: { city } })),
      });
    expect((await patch('Paris')).status).toBe(500);
    expect(errors.map(String)).toStrictEqual([expect.stringMatching(/ENOSPC/)]);
    expect(saver.pending()).toBe(true);
    expect((await patch('Rome')).status).toBe(200);
    // The data file alone holds the write (a device is no journal to read back).
    await rm(journalFile(data));
    const loaded = await loadDataFile(data);
    if (typeof loaded !== 'object') throw new Error(String(loaded));
    expect(loaded.content.users).toStrictEqual([
      expect.objectContaining({ user_id: 'auth0|jane', user_metadata: { hobby: 'surfing', city: 'Rome' } }),
    ]);
    await rm(folder, { recursive: true });
  });

  test('a deleted user is one line with no user and no hash', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'auth0-metadata-journal-'));
    const data = join(folder, 'users.json');
    const { emulator } = testEmulator({ users: [{ ...JANE, user_id: 'jane' }] });
    const client = { clientId: emulator.clientId, clientSecret: emulator.clientSecret };
    const saver = createDataSaver(data, emulator, client, { generation: 5, clean: true, dataBytes: 0 });
    const handle = durableHandle(emulator, saver.save, () => undefined);
    const token = await emulator.issueToken();
    const answer = await handle({
      method: 'DELETE',
      url: `${BASE}/api/v2/users/auth0%7Cjane`,
      headers: new Headers({ authorization: `Bearer ${token}` }),
      body: null,
    });
    expect(answer.status).toBe(204);
    expect(await readJournal(data)).toBe(
      `${JSON.stringify({ g: 5, changes: [{ id: 'auth0|jane', user: null, password: null }] })}\n`,
    );
    expect(saver.pending()).toBe(true);
    await rm(folder, { recursive: true });
  });
});
