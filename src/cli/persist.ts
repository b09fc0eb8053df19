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
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    // A full disk, a file-size limit (EFBIG) or a failed rename: the file keeps its previous content
    // and no partial temporary file stays beside it.
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
  // The new content is in place from here on: nothing below may report the save as failed.
  try {
    const directory = await open(folder, 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
  } catch {
    // Some file systems cannot flush a folder, and with every descriptor in use (EMFILE) it cannot
    // be opened; the rename is atomic either way.
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
