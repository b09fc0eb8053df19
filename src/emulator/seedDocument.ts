import { describeThrown } from '../internal/describeThrown.js';
import { readSeedUser, type SeedEntry, seedFormOf } from '../readSeedUser.js';
import { SEED_FORM_NAMES, type SeedForm } from '../rules/seeds.js';
import { toAuth0Error } from '../toAuth0Error.js';

/** Whether `value` can be a seed entry: an object that is not an array (its form is `seedFormOf`'s to tell). */
export function isSeedEntry(value: unknown): value is SeedEntry {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A seed document read and validated, or a one-line reason it cannot be used. */
export type SeedDocument =
  | {
      readonly ok: true;
      readonly users: readonly SeedEntry[];
      /** The form each user was read as, in order. */
      readonly forms: readonly SeedForm[];
      /** How the file was read: a JSON document, or NDJSON (one user per line, as user exports are). */
      readonly format: 'json' | 'ndjson';
    }
  | { readonly ok: false; readonly message: string };

/** The users of a JSON document: an array, `{"users": [...]}`, or one user (a GET /api/v2/users/{id} answer). */
function usersOf(document: unknown): readonly unknown[] | undefined {
  if (Array.isArray(document)) return document;
  if (typeof document !== 'object' || document === null) return undefined;
  const users: unknown = Object.getOwnPropertyDescriptor(document, 'users')?.value;
  if (Array.isArray(users)) return users;
  return seedFormOf(document) === 'stored-user' ? [document] : undefined;
}

/** NDJSON: one JSON value per non-blank line; the first line that is not JSON is reported. */
function parseLines(text: string, name: string): { readonly entries: unknown[] } | string {
  const entries: unknown[] = [];
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === '') continue;
    try {
      entries.push(JSON.parse(line));
    } catch (error) {
      return `${name}, line ${index + 1}, is not valid JSON: ${describeThrown(error)}`;
    }
  }
  return { entries };
}

/**
 * Reads a seed document (the `--seed` and `--data` files of the CLI, the body of
 * `POST /__emulator/users`): a JSON array of users, `{"users": [...]}`, one stored user (the body of a
 * GET /api/v2/users/{id}), or NDJSON (one user per line, as Auth0's user export writes them). Each user may be a POST /api/v2/users body, a stored user
 * (GET /api/v2/users/{id}, or an export line) or a bulk-import user; the core reads each and says
 * which form it was read as, and the first issue is reported with that form, in Auth0's words.
 */
export function parseSeed(text: string, file: string, kind = 'seed file'): SeedDocument {
  let entries: readonly unknown[] | undefined;
  let format: 'json' | 'ndjson' = 'json';
  try {
    entries = usersOf(JSON.parse(text));
  } catch (error) {
    const lines = text.trim().split(/\r?\n/);
    if (lines.length < 2 || !lines[0]?.trim().startsWith('{')) {
      return { ok: false, message: `${kind} ${file} is not valid JSON: ${describeThrown(error)}` };
    }
    const parsed = parseLines(text, `${kind} ${file}`);
    if (typeof parsed === 'string') return { ok: false, message: parsed };
    entries = parsed.entries;
    format = 'ndjson';
  }
  return readEntries(entries, format, file, kind);
}

/** A parsed seed document (see {@link parseSeed}): its users read and checked. */
export function parseSeedValue(document: unknown, file: string, kind = 'seed file'): SeedDocument {
  return readEntries(usersOf(document), 'json', file, kind);
}

function readEntries(
  entries: readonly unknown[] | undefined,
  format: 'json' | 'ndjson',
  file: string,
  kind: string,
): SeedDocument {
  if (entries === undefined) {
    return {
      ok: false,
      message: `${kind} ${file} must hold a JSON array of users, {"users": [...]}, one stored user, or one user per line (NDJSON)`,
    };
  }
  const users: SeedEntry[] = [];
  const forms: SeedForm[] = [];
  for (const [index, entry] of entries.entries()) {
    const read = readSeedUser(entry);
    const form = seedFormOf(entry);
    if (!read.success) {
      const error = toAuth0Error(read.issues);
      const reason = error.api === 'management' ? error.body.message : error.body.description;
      const readAs = form === undefined ? '' : ` (read as ${SEED_FORM_NAMES[form]})`;
      return { ok: false, message: `${kind} ${file}, user ${index + 1}${readAs}: ${reason}` };
    }
    if (!isSeedEntry(entry)) continue;
    users.push(entry);
    forms.push(read.value.form);
  }
  return { ok: true, users, forms, format };
}
