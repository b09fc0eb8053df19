import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import { lineBuffer } from '../../src/cli/io.js';

describe('lineBuffer', () => {
  test('the lines of one turn are written together, once the turn ends', async () => {
    const writes: string[] = [];
    const out = lineBuffer((text) => writes.push(text));
    out.line('GET /api/v2/users 200');
    out.line('PATCH /api/v2/users/auth0%7C1 200');
    expect(writes).toStrictEqual([]);
    await nextTurn();
    expect(writes).toStrictEqual(['GET /api/v2/users 200\nPATCH /api/v2/users/auth0%7C1 200\n']);
    out.line('later');
    await nextTurn();
    expect(writes).toStrictEqual(['GET /api/v2/users 200\nPATCH /api/v2/users/auth0%7C1 200\n', 'later\n']);
  });

  test('flush writes what is gathered at once, and nothing when nothing is', async () => {
    const writes: string[] = [];
    const out = lineBuffer((text) => writes.push(text));
    out.flush();
    out.line('a');
    out.flush();
    expect(writes).toStrictEqual(['a\n']);
    await nextTurn();
    expect(writes).toStrictEqual(['a\n']);
  });

  test('64 KiB gathered are written without waiting for the turn to end', () => {
    const writes: string[] = [];
    const out = lineBuffer((text) => writes.push(text));
    const line = 'x'.repeat(1023);
    for (let index = 0; index < 64; index++) out.line(line);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toHaveLength(64 * 1024);
  });
});
