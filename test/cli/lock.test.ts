/** The lock of a data file, in process: held, refused, stale, unreadable, released only by its holder. */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { lockDataFile } from '../../src/cli/lock.js';

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'auth0-metadata-lock-'));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** The id of a process that has ended (and was reaped). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('lockDataFile', () => {
  test('held: a second lock is refused naming the holder; the port is recorded once listening; released by its holder', async () => {
    const data = join(folder, 'a.json');
    const held = await lockDataFile(data, '127.0.0.1', 0);
    if (typeof held === 'string') throw new Error(held);
    expect(await lockDataFile(data, '127.0.0.1', 0)).toMatch(
      new RegExp(`^data file ${data} is in use by another serve \\(pid ${process.pid}, not listening yet, since `),
    );
    await held.lock.listening(4321);
    expect(JSON.parse(await readFile(`${data}.lock`, 'utf8'))).toMatchObject({ pid: process.pid, port: 4321 });
    expect(await lockDataFile(data, '127.0.0.1', 0)).toContain(`(pid ${process.pid}, port 4321, since `);
    await held.lock.release();
    expect(await readdir(folder)).toStrictEqual([]);
  });

  test('a lock whose process has ended is taken over; the old holder no longer releases it', async () => {
    const data = join(folder, 'b.json');
    const pid = deadPid();
    await writeFile(`${data}.lock`, JSON.stringify({ pid, port: 4000, host: '127.0.0.1', startedAt: 'then' }));
    const taken = await lockDataFile(data, '::1', 4100);
    if (typeof taken === 'string') throw new Error(taken);
    expect(JSON.parse(await readFile(`${data}.lock`, 'utf8'))).toMatchObject({
      pid: process.pid,
      host: '::1',
      port: 4100,
    });
    await taken.lock.release();
    await expect(readFile(`${data}.lock`, 'utf8')).rejects.toThrow(/ENOENT/);
  });

  test('a lock that is not one of ours is never removed by release', async () => {
    const data = join(folder, 'c.json');
    const held = await lockDataFile(data, '127.0.0.1', 0);
    if (typeof held === 'string') throw new Error(held);
    const other = JSON.stringify({ pid: 1, port: 1, host: 'h', startedAt: 'other' });
    await writeFile(`${data}.lock`, other);
    await held.lock.listening(1234);
    await held.lock.release();
    expect(await readFile(`${data}.lock`, 'utf8')).toBe(other);
    await rm(`${data}.lock`);
  });

  test.each([
    ['not JSON', '{'],
    ['no pid', '{"port": 1}'],
  ])('a lock file that cannot be read (%s) is reported, never taken over', async (_, content) => {
    const data = join(folder, 'd.json');
    await writeFile(`${data}.lock`, content);
    expect(await lockDataFile(data, '127.0.0.1', 0)).toBe(
      `the lock file ${data}.lock of data file ${data} cannot be read; if no serve uses this data file, delete it`,
    );
    expect(await readFile(`${data}.lock`, 'utf8')).toBe(content);
    await rm(`${data}.lock`);
  });
});
