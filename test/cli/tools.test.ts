import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, test } from 'vitest';
import { minimalUser } from '../helpers.js';
import { type CliRun, runCliOn as cli } from './helpers.js';

const root = join(import.meta.dirname, '..', '..');
const user = minimalUser({ user_metadata: { addresses: { home: 'Paris', work: 'Lyon' }, theme: 'dark' } });

const files = {
  'user.json': JSON.stringify(user),
  'patch.json': JSON.stringify({ user_metadata: { addresses: { work: 'Nice' }, theme: null } }),
  'bad-patch.json': JSON.stringify({ user_metadata: { 'a.b': 1 } }),
  'empty.json': '{}',
  'after.json': JSON.stringify(minimalUser({ user_metadata: { addresses: { work: 'Lyon' }, theme: 'dark' } })),
  'broken.json': '{"user_metadata":',
  'array.json': '[]',
};

describe('auth0-metadata apply', () => {
  test('prints the patched user', async () => {
    const run = await cli(['apply', '--user', 'user.json', '--patch', 'patch.json'], files);
    expect(run.code).toBe(0);
    const printed: unknown = JSON.parse(run.out);
    expect(printed).toMatchObject({ user_id: 'auth0|1', user_metadata: { addresses: { work: 'Nice' } } });
    expect(run.out).not.toContain('theme');
  });

  test('a local user file whose metadata is no object is named as the fault, not answered as Auth0', async () => {
    const local = { ...files, 'odd-user.json': JSON.stringify(minimalUser({ user_metadata: 'x' })) };
    for (const command of ['apply', 'explain']) {
      const run = await cli([command, '--user', 'odd-user.json', '--patch', 'patch.json'], local);
      expect(run.code).toBe(1);
      expect(run.out).toBe('');
      expect(run.err).toMatch(/^error: in the local user file odd-user\.json \(not an Auth0 answer\): /);
    }
  });

  test("prints Auth0's error body and exits 1 for an invalid PATCH", async () => {
    const run = await cli(['apply', '--user', 'user.json', '--patch', 'bad-patch.json'], files);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.out)).toStrictEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Fields with "." are not allowed, please remove all dotted fields. Example: user_metadata.a.b',
      errorCode: 'invalid_body',
    });
    expect(run.err).toContain('Auth0 would answer 400');
  });

  test('an empty body is the empty-body error', async () => {
    const run = await cli(['apply', '--user', 'user.json', '--patch', 'empty.json'], files);
    expect(run.code).toBe(1);
    expect(run.out).toContain('None of the valid schemas were met');
  });

  test('unreadable and invalid files are one-line errors', async () => {
    const missing = await cli(['apply', '--user', 'nope.json', '--patch', 'patch.json'], files);
    expect(missing).toMatchObject({ code: 1, out: '' });
    expect(missing.err).toMatch(/^error: cannot read nope\.json: ENOENT/);
    const broken = await cli(['apply', '--user', 'user.json', '--patch', 'broken.json'], files);
    expect(broken.err).toMatch(/^error: broken\.json is not valid JSON/);
    const notUser = await cli(['apply', '--user', 'array.json', '--patch', 'patch.json'], files);
    expect(notUser).toMatchObject({ code: 1 });
    expect(notUser.err).toContain('array.json must hold a user');
  });

  test('missing options are a usage error', async () => {
    const run = await cli(['apply', '--user', 'user.json'], files);
    expect(run.code).toBe(2);
    expect(run.err).toContain('apply needs --user');
  });
});

describe('auth0-metadata diff', () => {
  test('prints the smallest PATCH body', async () => {
    const run = await cli(['diff', 'user.json', 'after.json'], files);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toStrictEqual({ user_metadata: { addresses: { work: 'Lyon' } } });
  });

  test('prints nothing for identical users', async () => {
    const run = await cli(['diff', 'user.json', 'user.json'], files);
    expect(run).toMatchObject({ code: 0, out: '' });
    expect(run.err).toContain('nothing to do');
  });

  test('explains why a target is unreachable, with exit code 1', async () => {
    const moved = JSON.stringify({ ...user, user_id: 'auth0|2' });
    const run = await cli(['diff', 'user.json', 'moved.json'], { ...files, 'moved.json': moved });
    expect(run.code).toBe(1);
    expect(run.err).toContain('error: user_id: user_id is read-only');
  });

  test('needs exactly two files', async () => {
    expect((await cli(['diff', 'user.json'], files)).code).toBe(2);
    expect((await cli(['diff', 'a', 'b', 'c'], files)).code).toBe(2);
    expect((await cli(['diff', '-', '-'], files)).err).toContain('only one file can be read from standard input');
  });
});

describe('auth0-metadata explain', () => {
  test('says what the PATCH does and warns about dropped nested data', async () => {
    const run = await cli(['explain', '--user', 'user.json', '--patch', 'patch.json'], files);
    expect(run.code).toBe(0);
    expect(run.out.split('\n')).toStrictEqual([
      '- user_metadata.addresses will be replaced: {"home":"Paris","work":"Lyon"} -> {"work":"Nice"}',
      '- user_metadata.addresses.home will be lost: its parent is replaced by an object without it (was "Paris")',
      '- user_metadata.theme will be deleted (was "dark")',
      '',
      "Warning: 1 nested value will be lost without being named. Auth0 merges metadata at the first level only: resend the whole first-level object, or use 'auth0-metadata diff' to build the PATCH.",
    ]);
  });

  test('--json prints every effect and the dropped ones, each with its description', async () => {
    const run = await cli(['explain', '--user', 'user.json', '--patch', 'patch.json', '--json'], files);
    expect(run.code).toBe(0);
    const dropped = {
      kind: 'drop',
      path: ['user_metadata', 'addresses', 'home'],
      before: 'Paris',
      description:
        'user_metadata.addresses.home will be lost: its parent is replaced by an object without it (was "Paris")',
    };
    expect(JSON.parse(run.out)).toStrictEqual({
      effects: [
        {
          kind: 'replace',
          path: ['user_metadata', 'addresses'],
          before: { home: 'Paris', work: 'Lyon' },
          value: { work: 'Nice' },
          description: 'user_metadata.addresses will be replaced: {"home":"Paris","work":"Lyon"} -> {"work":"Nice"}',
        },
        dropped,
        {
          kind: 'delete',
          path: ['user_metadata', 'theme'],
          before: 'dark',
          description: 'user_metadata.theme will be deleted (was "dark")',
        },
      ],
      dropped: [dropped],
    });
    const same = JSON.stringify({ user_metadata: { theme: 'dark' } });
    const nothing = await cli(['explain', '--user', 'user.json', '--patch', 'same.json', '--json'], {
      ...files,
      'same.json': same,
    });
    expect(JSON.parse(nothing.out)).toStrictEqual({ effects: [], dropped: [] });
  });

  test('a PATCH that changes nothing says so', async () => {
    const same = JSON.stringify({ user_metadata: { theme: 'dark' } });
    const run = await cli(['explain', '--user', 'user.json', '--patch', 'same.json'], { ...files, 'same.json': same });
    expect(run).toMatchObject({ code: 0, out: 'This PATCH changes nothing but updated_at.' });
  });

  test("an invalid PATCH gives Auth0's error", async () => {
    const run = await cli(['explain', '--user', 'user.json', '--patch', 'bad-patch.json'], files);
    expect(run.code).toBe(1);
    expect(run.out).toContain('invalid_body');
  });
});

describe('the commands on odd input', () => {
  test('standard input that is missing or not JSON is named as such', async () => {
    const missing = await cli(['apply', '--user', '-', '--patch', 'patch.json'], files);
    expect(missing.err).toMatch(/^error: cannot read standard input/);
    const broken = await cli(['apply', '--user', 'user.json', '--patch', '-'], { ...files, '-': 'nope' });
    expect(broken.err).toMatch(/^error: standard input is not valid JSON/);
  });

  test('apply reports the profile-size warning on stderr', async () => {
    const big = JSON.stringify({ user_metadata: { notes: 'n'.repeat(11_000) } });
    const run = await cli(['apply', '--user', 'user.json', '--patch', 'big.json'], { ...files, 'big.json': big });
    expect(run.code).toBe(0);
    expect(run.err).toMatch(/^warning: The user profile is \d+ bytes of JSON/);
  });

  test('diff names the local user files when one of them is no stored user', async () => {
    const local = { ...files, 'odd-user.json': JSON.stringify(minimalUser({ user_metadata: 'x' })) };
    const run = await cli(['diff', 'odd-user.json', 'user.json'], local);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/^error: in the local user files odd-user\.json, user\.json: /);
  });

  test('diff wants users on both sides, and names the attribute no PATCH can reach', async () => {
    expect((await cli(['diff', 'array.json', 'user.json'], files)).err).toContain('array.json must hold a user');
    expect((await cli(['diff', 'user.json', 'array.json'], files)).err).toContain('array.json must hold a user');
    const upper = JSON.stringify({ ...user, email: 'Jane@Example.com' });
    const run = await cli(['diff', 'user.json', 'upper.json'], { ...files, 'upper.json': upper });
    expect(run.code).toBe(1);
    expect(run.err).toMatch(
      /^error: email: No PATCH produces this user: email is "Jane@Example.com" in the target, and Auth0 stores an email lower-cased/,
    );
  });

  test('explain counts several dropped values, and needs a user', async () => {
    const nested = JSON.stringify(minimalUser({ user_metadata: { a: { b: 1, c: 2, d: 3 } } }));
    const patch = JSON.stringify({ user_metadata: { a: { d: 3 } } });
    const run = await cli(['explain', '--user', 'nested.json', '--patch', 'p.json'], {
      'nested.json': nested,
      'p.json': patch,
    });
    expect(run.out).toContain('Warning: 2 nested values will be lost');
    expect((await cli(['explain', '--user', 'array.json', '--patch', 'patch.json'], files)).code).toBe(1);
    expect((await cli(['explain', '--patch', 'patch.json'], files)).code).toBe(2);
  });
});

describe('the built command', () => {
  const bin = join(root, 'dist', 'cli.js');
  let folder = '';
  beforeAll(async () => {
    if (!existsSync(bin)) await promisify(execFile)('npm', ['run', 'build'], { cwd: root });
    folder = mkdtempSync(join(tmpdir(), 'auth0-metadata-cli-'));
    for (const [name, content] of Object.entries(files)) writeFileSync(join(folder, name), content);
  }, 120_000);

  function run(args: readonly string[], stdin?: string): Promise<CliRun> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [bin, ...args], { cwd: folder });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk) => {
        out += String(chunk);
      });
      child.stderr.on('data', (chunk) => {
        err += String(chunk);
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
      child.stdin.end(stdin ?? '');
    });
  }

  test('apply reads the patch from standard input', async () => {
    const result = await run(
      ['apply', '--user', 'user.json', '--patch', '-'],
      JSON.stringify({ user_metadata: { theme: 'light' } }),
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ user_metadata: { theme: 'light', addresses: { home: 'Paris' } } });
  });

  test('apply exits 1 with the error body', async () => {
    const result = await run(['apply', '--user', 'user.json', '--patch', 'bad-patch.json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.out)).toMatchObject({ statusCode: 400, errorCode: 'invalid_body' });
  });

  test('diff and explain', async () => {
    const diff = await run(['diff', 'user.json', 'after.json']);
    expect(diff.code).toBe(0);
    expect(JSON.parse(diff.out)).toStrictEqual({ user_metadata: { addresses: { work: 'Lyon' } } });
    const explain = await run(['explain', '--user', 'user.json', '--patch', 'patch.json']);
    expect(explain.code).toBe(0);
    expect(explain.out).toContain('user_metadata.addresses.home will be lost');
  });
});
