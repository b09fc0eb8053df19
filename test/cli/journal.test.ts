/** The journal beside a data file, replayed: lines of the data file's generation, in order; others skipped. */
import { describe, expect, test } from 'vitest';
import type { DataFileContent } from '../../src/cli/data-file.js';
import { replayJournal } from '../../src/cli/journal.js';
import { createEmulator } from '../../src/emulator/index.js';

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
});
