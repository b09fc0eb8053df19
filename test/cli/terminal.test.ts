/**
 * What the CLI prints from user data is shown, never obeyed: control characters (C0, ESC
 * sequences, DEL, C1, bidirectional overrides) come out as `\uXXXX`, in the banner, the request
 * log and the tools' output; and each command reads only its own options, with a "did you mean".
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { closestOption } from '../../src/cli/args.js';
import { escapeControls } from '../../src/cli/terminal.js';
import { CONNECTION } from '../emulator/helpers.js';
import { prop } from '../prop.js';
import { runCliOn, serveInProcess } from './helpers.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: what must never be printed raw.
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
/** A window title, a hidden-text switch, a cursor move, a one-character CSI, DEL and a right-to-left override. */
const PLANTED = 'a\u001b]0;owned\u0007\u001b[8m\u001b[2A\u009b31m\u007f\u202e@example.com';

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'auth0-metadata-terminal-'));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('escapeControls', () => {
  test('writes each control character as its \\uXXXX escape, keeps tab, line feed and printable text', () => {
    expect(escapeControls(PLANTED)).toBe(
      'a\\u001b]0;owned\\u0007\\u001b[8m\\u001b[2A\\u009b31m\\u007f\\u202e@example.com',
    );
    expect(escapeControls('tab\there\nnext line, ünïcødé, 東京, 👍')).toBe('tab\there\nnext line, ünïcødé, 東京, 👍');
    expect(escapeControls('\r\u2028')).toBe('\\u000d\\u2028');
  });

  prop('law: no control character survives', [fc.string({ unit: 'binary' })], (text) => {
    expect(escapeControls(text)).not.toMatch(RAW_CONTROL);
  });

  prop('law: JSON output stays JSON with the same value', [fc.jsonValue()], (value) => {
    const json = JSON.stringify(value);
    expect(JSON.parse(escapeControls(json))).toStrictEqual(JSON.parse(json));
  });
});

describe('the CLI prints user data escaped', () => {
  test('the banner: an email planted in a seed file, and the seed file name', async () => {
    const seed = join(folder, 'seed-\u001b[8m.json');
    await writeFile(seed, JSON.stringify([{ connection: CONNECTION, email: PLANTED, password: 'Pw1!planted' }]));
    const server = await serveInProcess(['serve', '--port', '0', '--seed', seed]);
    try {
      const printed = [...server.out, ...server.err].join('\n');
      expect(printed).not.toMatch(RAW_CONTROL);
      expect(printed).toContain('seed-\\u001b[8m.json');
      expect(printed).toContain('a\\u001b]0;owned\\u0007');
      // The request log: a signup planting another email, and a path.
      const signup = await fetch(`${server.url}/dbconnections/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ connection: CONNECTION, email: `b${PLANTED}`, password: 'Pw1!planted' }),
      });
      await signup.arrayBuffer();
      await (await fetch(`${server.url}/api/v2/users/%1B%5B2J`)).arrayBuffer();
      expect([...server.out, ...server.err].join('\n')).not.toMatch(RAW_CONTROL);
    } finally {
      server.stop();
      await server.exit;
    }
  });

  test('the tools: apply prints the user as JSON with its control characters escaped, the same value', async () => {
    const user = { user_id: 'auth0|x', created_at: '2025-01-01T00:00:00.000Z', user_metadata: { note: PLANTED } };
    const { code, out } = await runCliOn(['apply', '--user', 'u.json', '--patch', 'p.json'], {
      'u.json': JSON.stringify(user),
      'p.json': JSON.stringify({ user_metadata: { also: '\u009b2J' } }),
    });
    expect(code).toBe(0);
    expect(out).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(out)).toMatchObject({ user_metadata: { note: PLANTED, also: '\u009b2J' } });
  });
});

describe('one option set per command', () => {
  test.each([
    [['apply', '--port', '1'], "error: unknown option '--port' (an option of serve, exec)"],
    [['diff', '--json', 'a', 'b'], "error: unknown option '--json'"],
    [['serve', '--user', 'u.json'], "error: unknown option '--user'"],
    [['search', '--port', '1'], "error: unknown option '--port'"],
  ])('%j is refused (exit 2)', async (argv, message) => {
    const { code, err } = await runCliOn(argv, {});
    expect(code).toBe(2);
    expect(err.split('\n')[0]).toContain(message);
  });

  test.each([
    [['serve', '--prot', '1'], "error: unknown option '--prot'; did you mean --port?"],
    [['serve', '--seeds', 'x'], "error: unknown option '--seeds'; did you mean --seed?"],
    [['serve', '--client-secrt', 'x'], "error: unknown option '--client-secrt'; did you mean --client-secret?"],
    [['apply', '--pach', 'x'], "error: unknown option '--pach'; did you mean --patch?"],
    [['explain', '--jsno'], "error: unknown option '--jsno'; did you mean --json?"],
    [['search', '--user', 'x'], "error: unknown option '--user'; did you mean --users?"],
  ])('%j says which option was meant', async (argv, message) => {
    const { code, err } = await runCliOn(argv, {});
    expect(code).toBe(2);
    expect(err.split('\n')).toStrictEqual([message, `Run 'auth0-metadata ${argv[0]} --help' for usage.`]);
  });

  test('closestOption: within two edits, or a prefix; nothing for an option far from every known one', () => {
    expect(closestOption('--hots', ['host', 'port'])).toBe('--host');
    expect(closestOption('--dat', ['data', 'domain'])).toBe('--data');
    expect(closestOption('--nope', ['user', 'patch', 'help'])).toBeUndefined();
    expect(closestOption('--', ['user'])).toBeUndefined();
  });
});
