/** The lock of a data file, in process: held, refused, stale, unreadable, released only by its holder. */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
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
    ['a pid that is text', '{"pid": "12"}'],
    ['a pid that is no integer', '{"pid": 1.5}'],
    ['a pid below 1', '{"pid": 0}'],
    ['not an object', '12'],
  ])('a lock file that cannot be read (%s) is reported, never taken over', async (_, content) => {
    const data = join(folder, 'd.json');
    await writeFile(`${data}.lock`, content);
    expect(await lockDataFile(data, '127.0.0.1', 0)).toBe(
      `the lock file ${data}.lock of data file ${data} cannot be read; if no serve uses this data file, delete it`,
    );
    expect(await readFile(`${data}.lock`, 'utf8')).toBe(content);
    await rm(`${data}.lock`);
  });

  test('a lock that is a folder is reported as unreadable, and left in place', async () => {
    const data = join(folder, 'e.json');
    await mkdir(`${data}.lock`);
    expect(await lockDataFile(data, '127.0.0.1', 0)).toMatch(
      new RegExp(`^cannot read the lock of data file ${data} \\(${data}\\.lock\\): .*EISDIR`),
    );
    expect(await readdir(folder)).toStrictEqual(['e.json.lock']);
    await rm(`${data}.lock`, { recursive: true });
  });

  test('a lock that vanishes each time it is read (a dangling link) is given up after three tries', async () => {
    const data = join(folder, 'f.json');
    await symlink(join(folder, 'nowhere'), `${data}.lock`);
    expect(await lockDataFile(data, '127.0.0.1', 0)).toBe(
      `cannot lock data file ${data}: ${data}.lock keeps changing hands`,
    );
    expect(await readdir(folder)).toStrictEqual(['f.json.lock']);
    await rm(`${data}.lock`);
  });

  test('two takers of one stale lock at once: exactly one gets it, the other is told who holds it', async () => {
    const data = join(folder, 'g.json');
    for (let round = 0; round < 5; round++) {
      await writeFile(`${data}.lock`, JSON.stringify({ pid: deadPid(), port: 1, host: 'h', startedAt: 'then' }));
      const results = await Promise.all([1, 2].map(() => lockDataFile(data, '127.0.0.1', 0)));
      const held = results.flatMap((result) => (typeof result === 'string' ? [] : [result.lock]));
      const refused = results.filter((result) => typeof result === 'string');
      expect(held).toHaveLength(1);
      expect(refused).toHaveLength(1);
      for (const message of refused) expect(message).toContain(`is in use by another serve (pid ${process.pid}, `);
      await held[0]?.release();
      expect(await readdir(folder)).toStrictEqual([]);
    }
  });

  test('a live holder whose lock names only its pid is reported with what is unknown', async () => {
    const data = join(folder, 'h.json');
    await writeFile(`${data}.lock`, JSON.stringify({ pid: process.pid, port: '80', host: 1 }));
    expect(await lockDataFile(data, '127.0.0.1', 0)).toBe(
      `data file ${data} is in use by another serve (pid ${process.pid}, not listening yet, since ?); stop it, or choose another --data (lock file ${data}.lock)`,
    );
    await rm(`${data}.lock`);
  });
});
