import { type FileHandle, open, readFile, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import { readPasswordHash } from '../emulator/identity.js';
import type { Emulator, StoredPasswordHash, UserChanges } from '../emulator/index.js';
import { isSeedEntry } from '../emulator/seedDocument.js';
import type { SeedEntry } from '../readSeedUser.js';
import { type DataFileContent, readDataFileContent, renderDataFile } from './data-file.js';
import { readDataFile, writeFileAtomic } from './persist.js';

/**
 * The journal beside a data file, `<data>.journal`: one JSON line per saved write, appended and
 * flushed (`fsync`) before the write is answered, so the cost of a write is the size of what it
 * changed, not of every user. Each line holds its generation and, for each user the write touched,
 * the user as it now is with its password hash, or `null` once deleted. The data file is rewritten
 * whole (compaction, a new generation) when the journal outgrows it, after a reset, at a start that
 * found lines to replay, and at a clean stop: at rest the data file alone holds everything.
 */
export function journalFile(dataFile: string): string {
  return `${dataFile}.journal`;
}

interface JournalChange {
  readonly id: string;
  readonly user: SeedEntry | null;
  readonly password: StoredPasswordHash | null;
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? Object.getOwnPropertyDescriptor(value, name)?.value : undefined;
}

/** The changes of one journal line of `generation`; `undefined` for a line of another one, or one that does not parse. */
function changesOf(line: string, generation: number): readonly JournalChange[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    // Only the last line can be torn (a crash while it was written): it was never acknowledged.
    return undefined;
  }
  const changes = field(value, 'changes');
  if (field(value, 'g') !== generation || !Array.isArray(changes)) return undefined;
  return changes.flatMap((change: unknown) => {
    const id = field(change, 'id');
    const user = field(change, 'user');
    const password = field(change, 'password');
    if (typeof id !== 'string') return [];
    let hash: StoredPasswordHash | null;
    try {
      hash = password === null ? null : readPasswordHash(password);
    } catch {
      hash = null;
    }
    return [{ id, user: isSeedEntry(user) ? user : null, password: hash }];
  });
}

/**
 * The longest journal line the saver appends, newline included: a write whose line would be longer
 * (an import of many users) rewrites the data file instead. So a reader holds at most one line of
 * this size in memory, whatever the size of the journal. Our decision: 8 MiB, far above one user
 * (a typical stored user is a few KB) and below any memory concern. A user whose metadata nears
 * Auth0's 16 MB cap (docs/rules.md, "Sizes") is saved by rewriting the data file.
 */
export const MAX_JOURNAL_LINE_BYTES: number = 8 * 1024 * 1024;

/** The start of every line the saver writes: `{"g":<generation>,`. */
const LINE_HEAD = /^\{"g":(\d+),/;

/** Replays journal lines one at a time onto a data file's content. */
interface Replay {
  /** Applies one line (without its newline) if it is of the content's generation and parses. */
  readonly line: (line: string) => void;
  readonly result: () => { readonly content: DataFileContent; readonly applied: number };
}

function replayOnto(content: DataFileContent): Replay {
  const { identity } = content;
  const users = new Map<string, SeedEntry>();
  for (const entry of content.users) users.set(String(field(entry, 'user_id')), entry);
  const passwords: Record<string, StoredPasswordHash> = Object.assign(Object.create(null), identity?.passwords);
  let applied = 0;
  return {
    line: (line) => {
      const changes = line === '' || identity === undefined ? undefined : changesOf(line, content.generation);
      if (changes === undefined) return;
      applied++;
      for (const { id, user, password } of changes) {
        if (user === null) users.delete(id);
        else users.set(id, user);
        if (password === null) delete passwords[id];
        else passwords[id] = password;
      }
    },
    result: () =>
      identity === undefined || applied === 0
        ? { content, applied: 0 }
        : { content: { ...content, users: [...users.values()], identity: { ...identity, passwords } }, applied },
  };
}

/** The content of a data file with the lines of its journal applied: what the server last acknowledged. */
export function replayJournal(
  content: DataFileContent,
  journal: string,
): { readonly content: DataFileContent; readonly applied: number } {
  const replay = replayOnto(content);
  for (const line of journal.split('\n')) replay.line(line);
  return replay.result();
}

/** A line of a journal as {@link journalLines} reads it: its text, or only its head when it is too long. */
type JournalLine =
  | { readonly text: string; readonly number: number }
  | { readonly tooLong: true; readonly head: string; readonly number: number };

/** The byte that ends a line; never part of a multi-byte UTF-8 character. */
const NEWLINE = 0x0a;

/** How much of the journal is read at a time. */
const CHUNK_BYTES = 64 * 1024;

/**
 * The lines of an open journal, read a chunk at a time up to the size it had when opened: at most
 * one line of {@link MAX_JOURNAL_LINE_BYTES} and one chunk are held at once. A longer line is
 * passed over (only its first bytes are kept, to tell whose it is). The last line may have no
 * newline (a torn write).
 */
async function* journalLines(handle: FileHandle, size: number): AsyncGenerator<JournalLine> {
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let parts: Buffer[] = [];
  let held = 0;
  let tooLong = false;
  let head = '';
  let number = 0;
  const take = (piece: Buffer): void => {
    if (tooLong) return;
    if (held + piece.length > MAX_JOURNAL_LINE_BYTES) {
      head = Buffer.concat([...parts, piece], Math.min(64, held + piece.length)).toString('utf8');
      parts = [];
      held = 0;
      tooLong = true;
      return;
    }
    parts.push(Buffer.from(piece));
    held += piece.length;
  };
  const end = (): JournalLine => {
    number++;
    const line: JournalLine = tooLong
      ? { tooLong: true, head, number }
      : { text: Buffer.concat(parts, held).toString('utf8'), number };
    parts = [];
    held = 0;
    tooLong = false;
    return line;
  };
  for (let position = 0; position < size; ) {
    const { bytesRead } = await handle.read(chunk, 0, Math.min(CHUNK_BYTES, size - position), position);
    if (bytesRead === 0) break;
    position += bytesRead;
    const read = chunk.subarray(0, bytesRead);
    let start = 0;
    let newline = read.indexOf(NEWLINE);
    while (newline !== -1) {
      take(read.subarray(start, newline));
      yield end();
      start = newline + 1;
      newline = read.indexOf(NEWLINE, start);
    }
    take(read.subarray(start));
  }
  if (held > 0 || tooLong) yield end();
}

/**
 * Replays the journal of `file` onto `content`, reading it line by line (never whole): its result
 * and size, or a one-line reason to refuse the start. A line of the content's generation that is
 * too long to be one the saver wrote is refused rather than skipped: it may be an acknowledged write.
 */
async function replayFile(
  file: string,
  content: DataFileContent,
): Promise<{ readonly content: DataFileContent; readonly applied: number; readonly journalBytes: number } | string> {
  const journal = journalFile(file);
  let handle: FileHandle;
  try {
    handle = await open(journal, 'r');
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT') {
      return { content, applied: 0, journalBytes: 0 };
    }
    throw error;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return `journal ${journal} is not a regular file: move it aside`;
    // A data file of the first format (no identity) has no journal of its own: nothing to replay.
    if (content.identity === undefined) return { content, applied: 0, journalBytes: stats.size };
    const replay = replayOnto(content);
    for await (const line of journalLines(handle, stats.size)) {
      if (!('tooLong' in line)) {
        replay.line(line.text);
        continue;
      }
      if (Number(LINE_HEAD.exec(line.head)?.[1]) === content.generation) {
        return `journal ${journal}, line ${line.number}: longer than ${MAX_JOURNAL_LINE_BYTES} bytes, so not written by this server; move the journal aside to start from the data file alone`;
      }
    }
    return { ...replay.result(), journalBytes: stats.size };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Reads a data file and its journal: the users and identity the server last acknowledged, how many
 * journal lines were replayed, `undefined` when there is no data file yet, or a one-line reason.
 * The journal is read line by line, so its size does not bound what can be loaded; lines of an
 * older generation (already in the data file) and a torn last line are skipped.
 */
export async function loadDataFile(file: string): Promise<LoadedDataFile | string | undefined> {
  const text = await readDataFile(file);
  if (text === undefined) return undefined;
  const content = readDataFileContent(text, file);
  if (typeof content === 'string') return content;
  const replayed = await replayFile(file, content);
  if (typeof replayed === 'string') return replayed;
  return { ...replayed, dataBytes: text.length };
}

/** A data file loaded with its journal. */
export interface LoadedDataFile {
  readonly content: DataFileContent;
  /** How many journal lines were replayed. */
  readonly applied: number;
  /** The size of the journal found in bytes (lines replayed or not). */
  readonly journalBytes: number;
  readonly dataBytes: number;
}

/** Saves the writes of a running server: a journal line each, the whole data file now and then. */
export interface DataSaver {
  /** Saves what `changes` recorded; rejects (and leaves the files as they were) when it cannot. */
  readonly save: (changes: UserChanges) => Promise<void>;
  /** Rewrites the data file whole and empties the journal. */
  readonly compact: () => Promise<void>;
  /** Whether the journal holds lines the data file does not. */
  readonly pending: () => boolean;
}

/** A journal smaller than this is never compacted, whatever the size of the data file. */
const MIN_COMPACTION_BYTES = 1024 * 1024;

/**
 * The saver of `serve --data`. `generation` is the data file's; `client` the id and secret it keeps.
 * Writes must come one at a time (the durable handler runs them so).
 */
export function createDataSaver(
  file: string,
  emulator: Emulator,
  client: { readonly clientId: string; readonly clientSecret: string },
  start: { readonly generation: number; readonly clean: boolean; readonly dataBytes: number },
): DataSaver {
  const journal = journalFile(file);
  let current = start.generation;
  let snapshotBytes = start.dataBytes;
  let journalBytes = 0;
  // A journal whose last line may be partial (an append failed and could not be cut back), or
  // whose state is unknown at start: the next save rewrites the data file instead of appending.
  let dirty = !start.clean;

  const compact = async (): Promise<void> => {
    const identity = { ...client, ...(await emulator.exportIdentity()) };
    const text = renderDataFile(emulator.snapshot(), identity, current + 1);
    await writeFileAtomic(file, text);
    // From here the data file holds everything; the journal's lines are of an older generation.
    current++;
    snapshotBytes = text.length;
    try {
      await truncate(journal, 0);
      journalBytes = 0;
      dirty = false;
    } catch (error) {
      const missing = typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
      dirty = !missing;
      if (missing) journalBytes = 0;
    }
  };

  const append = async (changes: UserChanges): Promise<void> => {
    const ids = changes.userIds;
    const { passwords } = await emulator.exportIdentity({ users: ids });
    const line = JSON.stringify({
      g: current,
      changes: ids.map((id) => ({
        id,
        user: emulator.getUser(id) ?? null,
        password: Object.hasOwn(passwords, id) ? passwords[id] : null,
      })),
    });
    // A line a reader would not take whole (an import of many users): the data file is rewritten instead.
    if (Buffer.byteLength(line) + 1 > MAX_JOURNAL_LINE_BYTES) return compact();
    const handle = await open(journal, 'a', 0o600);
    try {
      const { size } = await handle.stat();
      try {
        // A write may be short (a file-size limit reached mid-line): the rest is written, or fails.
        const bytes = Buffer.from(`${line}\n`, 'utf8');
        for (let offset = 0; offset < bytes.length; ) {
          const { bytesWritten } = await handle.write(bytes, offset);
          if (bytesWritten === 0) throw new Error(`cannot append to ${journal}: nothing was written`);
          offset += bytesWritten;
        }
        await handle.sync();
      } catch (error) {
        // Cut back what was written of the line; if that fails too, the next save compacts.
        await handle.truncate(size).catch(() => {
          dirty = true;
        });
        throw error;
      }
      if (size === 0) {
        // A new journal: flush the folder so that its name survives a power cut.
        const folder = await open(dirname(journal), 'r').catch(() => undefined);
        await folder?.sync().catch(() => undefined);
        await folder?.close().catch(() => undefined);
      }
      journalBytes = size + Buffer.byteLength(line) + 1;
    } finally {
      await handle.close().catch(() => undefined);
    }
  };

  return {
    save: async (changes) => {
      if (dirty || changes.reset || journalBytes > Math.max(MIN_COMPACTION_BYTES, snapshotBytes)) return compact();
      return append(changes);
    },
    compact,
    pending: () => journalBytes > 0 || dirty,
  };
}

/** The journal's text, for tests and tools: `''` when there is none. */
export async function readJournal(file: string): Promise<string> {
  return readFile(journalFile(file), 'utf8').catch(() => '');
}
