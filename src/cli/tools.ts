import { analyzePatch, describeEffect, type PatchEffect } from '../analyzePatch.js';
import { applyPatch } from '../applyPatch.js';
import { diffToPatch } from '../diffToPatch.js';
import type { Issues } from '../issues.js';
import { toAuth0Error } from '../toAuth0Error.js';
import type { CliIo } from './io.js';
import { issueLine, messageOf } from './messages.js';

/** A JSON file (or `-` for standard input), parsed; a one-line reason when it cannot be. */
export async function readJson(path: string, io: CliIo): Promise<{ readonly value: unknown } | string> {
  let text: string;
  try {
    text = await io.readFile(path);
  } catch (error) {
    return `cannot read ${path === '-' ? 'standard input' : path}: ${messageOf(error)}`;
  }
  try {
    const value: unknown = JSON.parse(text);
    return { value };
  } catch (error) {
    return `${path === '-' ? 'standard input' : path} is not valid JSON: ${messageOf(error)}`;
  }
}

/** Reads every file named; the first one that fails is reported on stderr. */
async function readAll(paths: readonly string[], io: CliIo): Promise<unknown[] | undefined> {
  if (paths.filter((path) => path === '-').length > 1) {
    io.stderr('error: only one file can be read from standard input (-)');
    return undefined;
  }
  const values: unknown[] = [];
  for (const path of paths) {
    const read = await readJson(path, io);
    if (typeof read === 'string') {
      io.stderr(`error: ${read}`);
      return undefined;
    }
    values.push(read.value);
  }
  return values;
}

/** A stored user read from JSON: any object is handed to the core, which reports what is wrong with it. */
export function isUserLike(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Prints Auth0's error body for the issues on stdout, and one line saying so on stderr. */
export function printFailure(issues: Issues, io: CliIo, userFile?: string): void {
  // A fault in the local user file (its metadata is not an object, say) is said to be one, naming
  // the file: Auth0 never stores such a user, so it would never answer it.
  const local = userFile === undefined ? [] : issues.filter((issue) => issue.code === 'invalid_stored_user');
  if (local.length > 0) {
    for (const issue of local) {
      io.stderr(`error: in the local user file ${userFile} (not an Auth0 answer): ${issue.message}`);
    }
    return;
  }
  const error = toAuth0Error(issues);
  io.stdout(JSON.stringify(error.body, null, 2));
  io.stderr(
    `error: Auth0 would answer ${error.status}: ${'message' in error.body ? error.body.message : error.body.description}`,
  );
}

function notAUser(path: string, io: CliIo): number {
  io.stderr(`error: ${path} must hold a user: a JSON object such as GET /api/v2/users/{id} returns`);
  return 1;
}

/** Reads a user file and a PATCH body file; `undefined` once what is wrong is printed. */
async function readUserAndPatch(
  userPath: string,
  patchPath: string,
  io: CliIo,
): Promise<{ readonly user: object; readonly patch: unknown } | undefined> {
  const values = await readAll([userPath, patchPath], io);
  if (values === undefined) return undefined;
  const [user, patch] = values;
  if (!isUserLike(user)) {
    notAUser(userPath, io);
    return undefined;
  }
  return { user, patch };
}

/**
 * `auth0-metadata apply --user user.json --patch patch.json`: prints the user the PATCH gives, or
 * Auth0's error body (exit code 1).
 */
export async function runApply(userPath: string, patchPath: string, io: CliIo): Promise<number> {
  const read = await readUserAndPatch(userPath, patchPath, io);
  if (read === undefined) return 1;
  const result = applyPatch(read.user, read.patch);
  if (!result.success) {
    printFailure(result.issues, io, userPath);
    return 1;
  }
  io.stdout(JSON.stringify(result.value, null, 2));
  for (const warning of result.warnings) io.stderr(`warning: ${warning.message}`);
  return 0;
}

/**
 * `auth0-metadata diff before.json after.json`: prints the smallest PATCH body from one user to
 * the other; nothing (and a note on stderr) when they are the same; the reasons (exit code 1)
 * when no PATCH can get there.
 */
export async function runDiff(beforePath: string, afterPath: string, io: CliIo): Promise<number> {
  const values = await readAll([beforePath, afterPath], io);
  if (values === undefined) return 1;
  const [before, after] = values;
  if (!isUserLike(before)) return notAUser(beforePath, io);
  if (!isUserLike(after)) return notAUser(afterPath, io);
  const result = diffToPatch(before, after);
  if (!result.success) {
    for (const issue of result.issues) {
      const file = issue.code === 'invalid_stored_user' ? `in the local user files ${beforePath}, ${afterPath}: ` : '';
      io.stderr(`error: ${file}${issueLine(issue)}`);
    }
    return 1;
  }
  if (result.value === null) {
    io.stderr('nothing to do: the users differ in no attribute a PATCH sets (Auth0 rejects an empty body)');
    return 0;
  }
  io.stdout(JSON.stringify(result.value, null, 2));
  return 0;
}

/**
 * `auth0-metadata explain --user user.json --patch patch.json`: says in plain words what the PATCH
 * will do, above all which nested data it will silently drop; Auth0's error (exit code 1) for an
 * invalid PATCH.
 */
export async function runExplain(userPath: string, patchPath: string, io: CliIo, json = false): Promise<number> {
  const read = await readUserAndPatch(userPath, patchPath, io);
  if (read === undefined) return 1;
  const result = analyzePatch(read.user, read.patch);
  if (!result.success) {
    printFailure(result.issues, io, userPath);
    return 1;
  }
  const { effects, dropped } = result.value;
  if (json) {
    const described = (list: readonly PatchEffect[]): unknown[] =>
      list.map((effect) => ({ ...effect, description: describeEffect(effect) }));
    io.stdout(JSON.stringify({ effects: described(effects), dropped: described(dropped) }, null, 2));
    return 0;
  }
  if (effects.length === 0) {
    io.stdout('This PATCH changes nothing but updated_at.');
    return 0;
  }
  for (const effect of effects) io.stdout(`- ${describeEffect(effect)}`);
  if (dropped.length > 0) {
    const noun = dropped.length === 1 ? 'value' : 'values';
    io.stdout('');
    io.stdout(
      `Warning: ${dropped.length} nested ${noun} will be lost without being named. Auth0 merges metadata at the first level only: resend the whole first-level object, or use 'auth0-metadata diff' to build the PATCH.`,
    );
  }
  return 0;
}
