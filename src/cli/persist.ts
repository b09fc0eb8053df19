import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `text` to `file` so that a crash at any moment leaves either the previous content or the
 * new one, never a mix: the text goes to a temporary file in the same folder, is flushed to disk
 * (`fsync`), then renamed over `file` (atomic on POSIX file systems), and the folder is flushed so
 * the rename itself survives a power cut.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const folder = dirname(file);
  const temporary = join(folder, `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  const directory = await open(folder, 'r');
  try {
    await directory.sync();
  } catch {
    // Some file systems cannot flush a folder; the rename is still atomic there.
  } finally {
    await directory.close();
  }
}

/** The content of a data file, or `undefined` when there is none yet. */
export async function readDataFile(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Serialises saves: each call writes the state `current()` gives when its turn comes, after every
 * earlier save, and resolves once that state is on disk. A save that starts after a change therefore
 * holds it, and a later one never loses it to an earlier one finishing last.
 */
export function createSaver(file: string, current: () => string): () => Promise<void> {
  let queue: Promise<void> = Promise.resolve();
  return () => {
    const saved = queue.then(() => writeFileAtomic(file, current()));
    queue = saved.catch(() => undefined);
    return saved;
  };
}
