/**
 * Type-checks every `@example` of the TSDoc in src/ and every ts code block of README.md and of the
 * pages of docs/ under `strict`, as a consumer's code: those blocks with their own imports of `auth0-metadata`, TSDoc
 * examples with every export of the entry points in scope (as `test/docs.test.ts` runs them). An
 * example that runs but would not compile in a strict project fails here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import * as conformance from '../src/conformance/index.js';
import * as emulator from '../src/emulator/index.js';
import * as core from '../src/index.js';
import * as node from '../src/node/index.js';
import { documentationExamples, type Example, sourceFiles, tsdocExamples } from './examples.js';
import { OFF_ENTRY_MODULES } from './offEntry.js';

const root = join(import.meta.dirname, '..');

/** Each entry point, its import specifier, and the names it exports (values and types). */
const ENTRIES: readonly (readonly [string, string])[] = [
  ['auth0-metadata', 'src/index.ts'],
  ['auth0-metadata/emulator', 'src/emulator/index.ts'],
  ['auth0-metadata/node', 'src/node/index.ts'],
  ['auth0-metadata/conformance', 'src/conformance/index.ts'],
  ['auth0-metadata/testing', 'src/testing/index.ts'],
  // Not entry points: the core modules only the emulator imports, by their source paths.
  ...OFF_ENTRY_MODULES.map((path): [string, string] => [`#internal/${path.slice(4, -3)}`, path]),
];

/** The import lines that put every export of every entry point in scope (each name from the first entry that has it). */
function scopeImports(program: ts.Program): string {
  const checker = program.getTypeChecker();
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const [specifier, path] of ENTRIES) {
    const file = program.getSourceFile(join(root, path));
    const symbol = file === undefined ? undefined : checker.getSymbolAtLocation(file);
    const names = symbol === undefined ? [] : checker.getExportsOfModule(symbol).map((entry) => entry.name);
    const fresh = names.filter((name) => !seen.has(name));
    for (const name of fresh) seen.add(name);
    if (fresh.length > 0) lines.push(`import { ${fresh.join(', ')} } from '${specifier}';`);
  }
  return lines.join('\n');
}

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  types: ['node'],
  noEmit: true,
  skipLibCheck: true,
  allowImportingTsExtensions: false,
  baseUrl: root,
  paths: Object.fromEntries(ENTRIES.map(([specifier, path]) => [specifier, [path]])),
};

/** A program over the examples, each a virtual module file, and the diagnostics of each. */
function check(examples: readonly Example[], withScope: boolean): Map<string, string[]> {
  const base = ts.createProgram(
    ENTRIES.map(([, path]) => join(root, path)),
    OPTIONS,
  );
  const prefix = withScope ? `${scopeImports(base)}\n` : '';
  const files = new Map<string, string>();
  examples.forEach((example, index) => {
    // `export {}` makes each a module, so top-level await and local names stay its own.
    files.set(join(root, '.examples', `example-${index}.ts`), `${prefix}${example.code}\nexport {};\n`);
  });
  const host = ts.createCompilerHost(OPTIONS);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (name) => files.get(name) ?? readFile(name);
  host.fileExists = (name) => files.has(name) || fileExists(name);
  host.getSourceFile = (name, language, onError, create) => {
    const text = files.get(name);
    return text === undefined
      ? getSourceFile(name, language, onError, create)
      : ts.createSourceFile(name, text, language, true);
  };
  const program = ts.createProgram([...files.keys()], OPTIONS, host, base);
  const byExample = new Map<string, string[]>();
  [...files.keys()].forEach((name, index) => {
    const file = program.getSourceFile(name);
    const example = examples[index];
    if (file === undefined || example === undefined) return;
    const diagnostics = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
    byExample.set(
      example.name,
      diagnostics.map((diagnostic) => {
        const line = diagnostic.start === undefined ? 0 : file.getLineAndCharacterOfPosition(diagnostic.start).line + 1;
        return `line ${line - (withScope ? 1 : 0)}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
      }),
    );
  });
  return byExample;
}

describe('examples type-check under strict', () => {
  test('the entry points this test imports are the ones it checks against', () => {
    expect(ENTRIES.every(([, path]) => existsSync(join(root, path)))).toBe(true);
    expect([core, emulator, node, conformance].every((module) => Object.keys(module).length > 0)).toBe(true);
    expect(readFileSync(join(root, 'package.json'), 'utf8')).toContain('"./emulator"');
  });

  test('every TSDoc @example', { timeout: 120_000 }, () => {
    const examples = sourceFiles(join(root, 'src')).flatMap(tsdocExamples);
    const failing = [...check(examples, true)].filter(([, diagnostics]) => diagnostics.length > 0);
    expect(Object.fromEntries(failing)).toStrictEqual({});
  });

  test('every ts code block of the README and of docs/', { timeout: 120_000 }, () => {
    const examples = documentationExamples().filter((example) => example.language === 'ts');
    const failing = [...check(examples, false)].filter(([, diagnostics]) => diagnostics.length > 0);
    expect(Object.fromEntries(failing)).toStrictEqual({});
  });
});
