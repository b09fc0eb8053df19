/**
 * Runs every `@example` of the TSDoc in src/ and every ts/js code block of README.md and docs/*.md.
 *
 * An example is code; a statement followed by `// => <value>` lines is checked: the value of the
 * expression statement just before must deep-equal the JavaScript literal after `// =>` (continued
 * on following `//` lines). `import` lines from `auth0-metadata` are dropped: the examples run with
 * every export of the package in scope.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import * as core from '../src/index.js';
import { documentationExamples, documentationFiles, type Example, sourceFiles, tsdocExamples } from './examples.js';
import { OFF_ENTRY_MODULES } from './offEntry.js';

const root = join(import.meta.dirname, '..');

interface Check {
  readonly code: string;
  readonly expected: string;
}

/**
 * Splits an example into chunks of code that end with a checked expression. Returns the program
 * (with each checked expression replaced by `__checks.push(expression)`) and the expected values.
 */
function instrument(code: string): { readonly program: string; readonly expected: readonly string[] } {
  const lines = code.split('\n').filter((line) => !/^\s*import\s.*from\s+'auth0-metadata(\/\w+)?';?\s*$/.test(line));
  const output: string[] = [];
  const expected: string[] = [];
  let pending: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const arrow = /^\s*\/\/ => ?(.*)$/.exec(line);
    if (arrow === null) {
      pending.push(line);
      continue;
    }
    let value = arrow[1] ?? '';
    while (index + 1 < lines.length && /^\s*\/\/(?! =>)/.test(lines[index + 1] ?? '')) {
      index++;
      value += `\n${(lines[index] ?? '').replace(/^\s*\/\/ ?/, '')}`;
    }
    const check = wrapLastExpression(pending.join('\n'));
    output.push(check.code);
    expected.push(value);
    pending = [];
  }
  output.push(pending.join('\n'));
  return { program: output.join('\n'), expected };
}

function wrapLastExpression(chunk: string): Check {
  const file = ts.createSourceFile('chunk.ts', chunk, ts.ScriptTarget.ES2022, true);
  const last = file.statements.at(-1);
  if (last === undefined || !ts.isExpressionStatement(last)) {
    throw new Error(`A "// =>" line must follow an expression statement:\n${chunk}`);
  }
  const expression = last.expression.getText(file);
  const code = `${chunk.slice(0, last.getStart(file))}__checks.push(${expression});${chunk.slice(last.getEnd())}`;
  return { code, expected: '' };
}

const AsyncFunction: new (...parameters: string[]) => (...values: unknown[]) => Promise<void> = Object.getPrototypeOf(
  async () => {},
).constructor;

async function run(example: Example, scope: Readonly<Record<string, unknown>>): Promise<void> {
  const { program, expected } = instrument(example.code);
  const javascript = ts.transpileModule(program, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
  const names = Object.keys(scope);
  const checks: unknown[] = [];
  const body = new AsyncFunction('__checks', ...names, javascript);
  await body(checks, ...names.map((name) => scope[name]));
  expect(checks).toHaveLength(expected.length);
  expected.forEach((text, index) => {
    const value: unknown = new Function(`return (${text});`)();
    expect(checks[index], `check ${index + 1} of ${example.name}`).toStrictEqual(value);
  });
}

async function loadScope(): Promise<Record<string, unknown>> {
  const scope: Record<string, unknown> = { ...core };
  // The entry points, then the modules the emulator imports from the core's sources (not exported
  // from any entry point, their examples still run).
  for (const path of [
    ...['emulator', 'node', 'conformance', 'testing'].map((subpath) => join(root, 'src', subpath, 'index.ts')),
    ...OFF_ENTRY_MODULES.map((module) => join(root, module)),
  ]) {
    try {
      readFileSync(path);
    } catch {
      continue;
    }
    const module: Record<string, unknown> = await import(path);
    Object.assign(scope, module);
  }
  return scope;
}

const tsdoc = sourceFiles(join(root, 'src')).flatMap(tsdocExamples);

describe('TSDoc examples', () => {
  test('every exported function of the core has an example', () => {
    const documented = new Set(tsdoc.map((example) => example.name.split(' ').at(-1)));
    const functions = Object.entries(core)
      .filter(([, value]) => typeof value === 'function')
      .map(([name]) => name);
    expect(functions.filter((name) => !documented.has(name))).toStrictEqual([]);
  });
  test.each(tsdoc.map((example) => [example.name, example] as const))('%s', async (_, example) => {
    await run(example, await loadScope());
  });
});

describe('README and docs/ code blocks', () => {
  test('the walk reads the README and the pages of docs/, and finds their blocks', () => {
    expect(documentationFiles()).toEqual(expect.arrayContaining(['README.md', 'docs/library.md', 'docs/emulator.md']));
    expect(documentationExamples().filter((example) => example.name.startsWith('docs/')).length).toBeGreaterThan(10);
  });
  test.each(documentationExamples().map((example) => [example.name, example] as const))('%s', async (_, example) => {
    await run(example, await loadScope());
  });
});
