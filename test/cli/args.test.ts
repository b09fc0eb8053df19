/** The one-line messages of a command line parseArgs refuses. */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { describe, expect, test } from 'vitest';
import { APPLY_OPTIONS, closestOption, SERVE_OPTIONS, usageError } from '../../src/cli/args.js';

/** What parseArgs throws for these arguments of `serve`. */
function refusal(args: readonly string[], options: ParseArgsConfig['options'] = SERVE_OPTIONS): unknown {
  try {
    parseArgs({ args: [...args], options, strict: true });
  } catch (error) {
    return error;
  }
  throw new Error(`parseArgs accepted ${args.join(' ')}`);
}

describe('usageError', () => {
  const known = Object.keys(SERVE_OPTIONS);

  test('an unknown option near a known one: did you mean', () => {
    expect(usageError(refusal(['--prot', '3000']), known)).toBe("unknown option '--prot'; did you mean --port?");
  });

  test('an unknown option near none: how to pass a value that starts with -', () => {
    expect(usageError(refusal(['--zzzzzz']), known)).toBe(
      "unknown option '--zzzzzz' (a value starting with '-' goes after '--', as in: -- '--zzzzzz')",
    );
  });

  test("an option of other commands names them: apply's options refuse --port", () => {
    expect(usageError(refusal(['--port', '1'], APPLY_OPTIONS), Object.keys(APPLY_OPTIONS))).toBe(
      "unknown option '--port' (an option of serve, exec)",
    );
    expect(usageError(refusal(['--json'], APPLY_OPTIONS), Object.keys(APPLY_OPTIONS))).toBe(
      "unknown option '--json' (an option of explain)",
    );
  });

  test('any other refusal is said in its own words', () => {
    const error = refusal(['--port']);
    expect(usageError(error, known)).toMatch(/^Option '--port <value>' argument missing/);
    expect(usageError(new Error('something else'))).toBe('something else');
  });
});

describe('closestOption', () => {
  test.each([
    ['--prot', ['host', 'port'], '--port'],
    ['--hots', ['port', 'host'], '--host'],
    ['--seeds', ['seed', 'search-lag'], '--seed'],
    ['--client-i=abc', ['client-id', 'client-secret'], '--client-id'],
    ['--d', ['data', 'domain'], undefined],
    ['--ab', ['ax', 'ab'], '--ab'],
    ['--datum', ['data'], '--data'],
    ['', ['a'], undefined],
    ['--help', [], undefined],
  ])('%s among %j: %s', (option, known, expected) => {
    expect(closestOption(option, known)).toBe(expected);
  });

  test('the nearest wins over one found first', () => {
    expect(closestOption('--portt', ['host', 'pert', 'port'])).toBe('--port');
    expect(closestOption('--hostx', ['hast', 'host'])).toBe('--host');
  });
});
