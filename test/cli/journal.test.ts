/** The journal beside a data file, replayed: lines of the data file's generation, in order; others skipped. */
import { mkdtemp, open, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { DataFileContent } from '../../src/cli/data-file.js';
import { durableHandle } from '../../src/cli/durable.js';
import {
  createDataSaver,
  journalFile,
  loadDataFile,
  MAX_JOURNAL_LINE_BYTES,
  readJournal,
  replayJournal,
} from '../../src/cli/journal.js';
import { createEmulator } from '../../src/emulator/index.js';
import { BASE, JANE, testEmulator } from '../emulator/helpers.js';
import { asyncProp } from '../prop.js';

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

/** A data file of `content` in a fresh folder, with `journal` beside it (bytes written as given). */
async function dataFileWith(
  start: DataFileContent,
  journal: string | ((handle: Awaited<ReturnType<typeof open>>) => Promise<void>),
): Promise<{ readonly data: string; readonly folder: string }> {
  const folder = await mkdtemp(join(tmpdir(), 'auth0-metadata-journal-'));
  const data = join(folder, 'users.json');
  const { users, identity, generation } = start;
  await writeFile(data, JSON.stringify({ users, identity, generation }));
  if (typeof journal === 'string') await writeFile(journalFile(data), journal);
  else {
    const handle = await open(journalFile(data), 'w');
    await journal(handle).finally(() => handle.close());
  }
  return { data, folder };
}

describe('loadDataFile reads the journal line by line', () => {
  asyncProp(
    'streamed, the journal gives what replaying its whole text gives, for lines of any length and characters across chunk edges',
    [
      fc.array(
        fc.record({
          g: fc.constantFrom(2, 3),
          email: fc.string({ unit: 'grapheme', maxLength: 40 }),
          pad: fc.nat({ max: 70_000 }),
          torn: fc.boolean(),
        }),
        { maxLength: 6 },
      ),
    ],
    async (lines) => {
      const start = await content();
      const journal = lines
        .map(({ g, email, pad }, index) =>
          line(g, [
            {
              id: `auth0|${index}`,
              user: { user_id: `auth0|${index}`, email: `${'é'.repeat(pad)}${email}` },
              password: null,
            },
          ]),
        )
        .join('\n');
      const text = lines.at(-1)?.torn === true ? journal.slice(0, -3) : `${journal}\n`;
      const { data, folder } = await dataFileWith(start, text);
      try {
        const loaded = await loadDataFile(data);
        if (typeof loaded !== 'object') throw new Error(String(loaded));
        const whole = replayJournal(start, text);
        expect({ users: loaded.content.users, applied: loaded.applied }).toStrictEqual({
          users: whole.content.users,
          applied: whole.applied,
        });
        expect(loaded.journalBytes).toBe(Buffer.byteLength(text));
      } finally {
        await rm(folder, { recursive: true });
      }
      return true;
    },
    { numRuns: 25 },
  );

  test("a line too long to be anyone's and not the saver's (zero bytes, a hole in the file) is passed over; the lines around it are replayed", async () => {
    const start = await content();
    const before = line(3, [
      { id: 'auth0|a', user: { user_id: 'auth0|a', email: 'before@example.com' }, password: null },
    ]);
    const after = line(3, [{ id: 'auth0|b', user: null, password: null }]);
    const { data, folder } = await dataFileWith(start, async (handle) => {
      await handle.write(`${before}\n`, 0);
      // Sparse: the middle is never written and reads back as zero bytes, one line past the limit.
      await handle.write(`\n${after}\n`, MAX_JOURNAL_LINE_BYTES + 1024);
    });
    try {
      const loaded = await loadDataFile(data);
      if (typeof loaded !== 'object') throw new Error(String(loaded));
      expect(loaded.applied).toBe(2);
      expect(loaded.content.users).toStrictEqual([{ user_id: 'auth0|a', email: 'before@example.com' }]);
    } finally {
      await rm(folder, { recursive: true });
    }
  });

  test("a line too long to be the saver's: skipped when of an older generation, the start refused when of the current one", async () => {
    const start = await content();
    const huge = (g: number): string =>
      line(g, [
        { id: 'auth0|a', user: { user_id: 'auth0|a', padding: 'x'.repeat(MAX_JOURNAL_LINE_BYTES) }, password: null },
      ]);
    const next = line(3, [{ id: 'auth0|c', user: { user_id: 'auth0|c' }, password: null }]);
    const older = await dataFileWith(start, `${huge(2)}\n${next}\n`);
    const current = await dataFileWith(start, `${next}\n${huge(3)}\n`);
    try {
      const loaded = await loadDataFile(older.data);
      if (typeof loaded !== 'object') throw new Error(String(loaded));
      expect(loaded.content.users.map((user) => Reflect.get(user, 'user_id'))).toStrictEqual([
        'auth0|a',
        'auth0|b',
        'auth0|c',
      ]);
      expect(await loadDataFile(current.data)).toBe(
        `journal ${journalFile(current.data)}, line 2: longer than ${MAX_JOURNAL_LINE_BYTES} bytes, so not written by this server; move the journal aside to start from the data file alone`,
      );
    } finally {
      await rm(older.folder, { recursive: true });
      await rm(current.folder, { recursive: true });
    }
  });

  test('a journal that is no regular file is refused, never read (a device would never end)', async () => {
    const start = await content();
    const { data, folder } = await dataFileWith(start, '');
    await rm(journalFile(data));
    await symlink('/dev/zero', journalFile(data));
    try {
      expect(await loadDataFile(data)).toBe(`journal ${journalFile(data)} is not a regular file: move it aside`);
    } finally {
      await rm(folder, { recursive: true });
    }
  });

  test('the saver never appends a line longer than the reader takes: such a write rewrites the data file instead', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'auth0-metadata-journal-'));
    const data = join(folder, 'users.json');
    // 600 users of about 15 KB each: one line holding them all would be about 9 MB.
    const users = Array.from({ length: 600 }, (_, index) => ({
      user_id: `auth0|u${index}`,
      email: `u${index}@example.com`,
      created_at: '2026-01-01T00:00:00.000Z',
      user_metadata: { notes: 'n'.repeat(15_000) },
    }));
    const { emulator } = testEmulator({ users });
    const client = { clientId: emulator.clientId, clientSecret: emulator.clientSecret };
    const saver = createDataSaver(data, emulator, client, { generation: 0, clean: true, dataBytes: 0 });
    try {
      await saver.save({
        changed: true,
        userIds: users.map((user) => user.user_id),
        reset: false,
        undo: () => undefined,
        end: () => undefined,
      });
      expect(await readJournal(data)).toBe('');
      expect(saver.pending()).toBe(false);
      expect(JSON.parse(await readFile(data, 'utf8')).users).toHaveLength(600);
      // A small write is still one line.
      await saver.save({
        changed: true,
        userIds: ['auth0|u1'],
        reset: false,
        undo: () => undefined,
        end: () => undefined,
      });
      expect((await readJournal(data)).split('\n')).toHaveLength(2);
    } finally {
      await rm(folder, { recursive: true });
    }
  });
});
