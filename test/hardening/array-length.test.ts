/**
 * Found by fuzzing: an array-like Proxy that claims 2^32 - 1 elements, each one present. The body
 * can never be valid (16 MB is at most about 8.4 million one-digit elements). The library used to
 * copy element after element until V8 aborted the whole process ("Fatal JavaScript invalid size
 * error"), which no `try` can catch; it now refuses the array from its length before copying. The
 * call runs in a child process so that a regression fails this test instead of killing the runner.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const LIBRARY = fileURLToPath(new URL('../../src/index.ts', import.meta.url));

/** The child: builds the proxy, calls one function, prints the outcome as JSON. */
const CHILD = `
import * as library from './library.mjs';
const LENGTH = 2 ** 32 - 1;
const isIndex = (key) => typeof key === 'string' && /^(0|[1-9][0-9]*)$/.test(key);
const huge = new Proxy([], {
  get: (target, key, receiver) => (key === 'length' ? LENGTH : isIndex(key) ? 0 : Reflect.get(target, key, receiver)),
  has: (target, key) => isIndex(key) || Reflect.has(target, key),
  getOwnPropertyDescriptor: (target, key) =>
    key === 'length'
      ? { value: LENGTH, writable: true, enumerable: false, configurable: false }
      : isIndex(key)
        ? { value: 0, writable: true, enumerable: true, configurable: true }
        : Reflect.getOwnPropertyDescriptor(target, key),
});
const user = { user_id: 'auth0|1', identities: [], created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' };
const calls = {
  applyPatch: () => library.applyPatch(user, { user_metadata: { a: huge } }),
  createUser: () => library.createUser({ connection: 'c', email: 'a@b.c', password: 'Passw0rd!', app_metadata: { a: huge } }),
};
const result = calls[process.argv[2]]();
process.stdout.write(JSON.stringify({ success: result.success, codes: result.success ? [] : result.issues.map((issue) => issue.code) }));
`;

let directory = '';

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'auth0-metadata-array-length-'));
  await build({
    entryPoints: [LIBRARY],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    outfile: join(directory, 'library.mjs'),
    logLevel: 'silent',
  });
  await writeFile(join(directory, 'child.mjs'), CHILD);
});

afterAll(async () => {
  if (directory !== '') await rm(directory, { recursive: true, force: true });
});

interface ChildOutcome {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runChild(call: string): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(directory, 'child.mjs'), call], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk.slice(0, 2000);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr: stderr.slice(0, 500) }));
  });
}

describe('an array Proxy that claims 2^32 - 1 elements', () => {
  test.each(['applyPatch', 'createUser'])(
    '%s answers with an issue and the process survives',
    async (call) => {
      const outcome = await runChild(call);
      expect({ code: outcome.code, signal: outcome.signal, stderr: outcome.stderr }).toStrictEqual({
        code: 0,
        signal: null,
        stderr: '',
      });
      expect(JSON.parse(outcome.stdout)).toStrictEqual({ success: false, codes: ['metadata_too_large'] });
    },
    240_000,
  );
});
