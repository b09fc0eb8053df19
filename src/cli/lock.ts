import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { messageOf } from './messages.js';

/** Who holds a data file: what `<data>.lock` says. */
export interface LockHolder {
  readonly pid: number;
  /** The port it listens on; the requested one until it listens. */
  readonly port: number;
  readonly host: string;
  readonly startedAt: string;
}

/** A held lock on a data file. */
export interface DataLock {
  /** The lock file: `<data>.lock`. */
  readonly file: string;
  /** Records the port the server listens on, once it does. */
  readonly listening: (port: number) => Promise<void>;
  /** Removes the lock file, if it is still this process's. */
  readonly release: () => Promise<void>;
}

function code(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

/** Whether the process is a zombie: killed, but not yet reaped by its parent (Linux; elsewhere, no). */
function zombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}

/** Whether a process with this id runs (one of another user counts: it cannot be signalled, EPERM). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !zombie(pid);
  } catch (error) {
    return code(error) === 'EPERM' && !zombie(pid);
  }
}

function holderOf(text: string): LockHolder | undefined {
  try {
    const value: unknown = JSON.parse(text);
    const field = (name: string): unknown =>
      typeof value === 'object' && value !== null ? Object.getOwnPropertyDescriptor(value, name)?.value : undefined;
    const pid = field('pid');
    const port = field('port');
    const host = field('host');
    const startedAt = field('startedAt');
    if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid < 1) return undefined;
    return {
      pid,
      port: typeof port === 'number' ? port : -1,
      host: typeof host === 'string' ? host : '?',
      startedAt: typeof startedAt === 'string' ? startedAt : '?',
    };
  } catch {
    return undefined;
  }
}

/** Writes `text` as `file` only if no file has that name: whole (a temporary file linked in place), or EEXIST. */
async function createWhole(file: string, text: string): Promise<void> {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, text, { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, file);
  } finally {
    await rm(temporary, { force: true });
  }
}

/** The one line said when another process holds the data file. */
function heldBy(dataFile: string, lockFile: string, holder: LockHolder): string {
  const port = holder.port > 0 ? `port ${holder.port}` : 'not listening yet';
  return `data file ${dataFile} is in use by another serve (pid ${holder.pid}, ${port}, since ${holder.startedAt}); stop it, or choose another --data (lock file ${lockFile})`;
}

/**
 * Takes the lock of a data file, `<data>.lock`, holding this process's id, port, host and start
 * time: one writer per data file. A lock whose process no longer runs (it was killed) is stale and
 * taken over. Answers the lock, or the one line that says why it cannot be had.
 */
export async function lockDataFile(
  dataFile: string,
  host: string,
  port: number,
): Promise<{ readonly lock: DataLock } | string> {
  const file = `${dataFile}.lock`;
  const mine: LockHolder = { pid: process.pid, port, host, startedAt: new Date().toISOString() };
  const text = (holder: LockHolder): string => `${JSON.stringify(holder)}\n`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await createWhole(file, text(mine));
      return { lock: heldLock(file, mine) };
    } catch (error) {
      if (code(error) !== 'EEXIST') return `cannot lock data file ${dataFile} (${file}): ${messageOf(error)}`;
    }
    let found: string;
    try {
      found = await readFile(file, 'utf8');
    } catch (error) {
      if (code(error) === 'ENOENT') continue;
      return `cannot read the lock of data file ${dataFile} (${file}): ${messageOf(error)}`;
    }
    const holder = holderOf(found);
    if (holder === undefined) {
      return `the lock file ${file} of data file ${dataFile} cannot be read; if no serve uses this data file, delete it`;
    }
    if (alive(holder.pid)) return heldBy(dataFile, file, holder);
    // Stale: its process is gone. Moved aside first, so that of two processes taking it over at
    // once only one removes it; a lock that changed in between (a live one) is put back.
    const aside = `${file}.${randomBytes(6).toString('hex')}.stale`;
    try {
      await rename(file, aside);
    } catch (error) {
      if (code(error) === 'ENOENT') continue;
      return `cannot take over the stale lock ${file}: ${messageOf(error)}`;
    }
    const moved = await readFile(aside, 'utf8').catch(() => '');
    if (moved !== found) await link(aside, file).catch(() => undefined);
    await rm(aside, { force: true });
  }
  return `cannot lock data file ${dataFile}: ${file} keeps changing hands`;
}

function heldLock(file: string, mine: LockHolder): DataLock {
  let current = mine;
  const ours = async (): Promise<boolean> => {
    const holder = holderOf(await readFile(file, 'utf8').catch(() => ''));
    return holder?.pid === mine.pid && holder.startedAt === mine.startedAt;
  };
  return {
    file,
    listening: async (port) => {
      current = { ...current, port };
      if (!(await ours())) return;
      const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(temporary, `${JSON.stringify(current)}\n`, { mode: 0o600, flag: 'wx' });
      try {
        await rename(temporary, file);
      } finally {
        // Gone once renamed; left behind only when the rename failed.
        await rm(temporary, { force: true });
      }
    },
    release: async () => {
      if (await ours()) await rm(file, { force: true });
    },
  };
}
