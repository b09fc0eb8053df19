/**
 * The tests mirror the sources (docs/development.md): every function of the core's entry point
 * is exported from a module `src/<name>.ts` that has its own `test/<name>.test.ts`, and that file
 * calls the function by name. A module in a folder of `src/` has its tests in the same folder of
 * `test/`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import * as core from '../src/index.js';
import { sourceFiles } from './examples.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** `[name, module]` for every value re-exported by src/index.ts, the module relative to src/ without `.js`. */
function reExports(): [string, string][] {
  const path = join(root, 'src', 'index.ts');
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: [string, string][] = [];
  for (const statement of source.statements) {
    if (!ts.isExportDeclaration(statement) || statement.isTypeOnly) continue;
    const { exportClause, moduleSpecifier } = statement;
    if (exportClause === undefined || !ts.isNamedExports(exportClause)) continue;
    if (moduleSpecifier === undefined || !ts.isStringLiteral(moduleSpecifier)) continue;
    const module = moduleSpecifier.text.replace(/^\.\//, '').replace(/\.js$/, '');
    for (const element of exportClause.elements) if (!element.isTypeOnly) found.push([element.name.text, module]);
  }
  return found;
}

const functions = reExports().filter(([name]) => typeof Reflect.get(core, name) === 'function');

describe('every function of the core has its test file', () => {
  test('the entry point re-exports functions (the walk found them)', () => {
    expect(functions.length).toBeGreaterThan(15);
  });

  test.each(functions)('%s (src/%s.ts)', (name, module) => {
    const folder = dirname(module);
    if (folder !== '.') {
      // A module in a folder of src/ (rules/): its tests are in that folder of test/.
      expect(existsSync(join(root, 'test', folder)), `test/${folder}/`).toBe(true);
      return;
    }
    const file = join(root, 'test', `${module}.test.ts`);
    expect(existsSync(file), `test/${module}.test.ts`).toBe(true);
    expect(readFileSync(file, 'utf8'), `test/${module}.test.ts calls ${name}`).toMatch(new RegExp(`\\b${name}\\(`));
  });
});

/** The names a file of src/ declares with `export` (re-exports left out), once each. */
function declaredExports(path: string): string[] {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const names = new Set<string>();
  for (const statement of source.statements) {
    const exported = ts.canHaveModifiers(statement)
      ? ts.getModifiers(statement)?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)
      : false;
    if (!exported) continue;
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations)
        if (ts.isIdentifier(declaration.name)) names.add(declaration.name.text);
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isEnumDeclaration(statement)) &&
      statement.name !== undefined
    ) {
      names.add(statement.name.text);
    }
  }
  return [...names];
}

describe('one name per thing', () => {
  test('no two files of src/ export a declaration of the same name', () => {
    const files = sourceFiles(join(root, 'src'));
    const owners = new Map<string, string[]>();
    for (const file of files) {
      for (const name of declaredExports(file)) owners.set(name, [...(owners.get(name) ?? []), relative(root, file)]);
    }
    expect(owners.size).toBeGreaterThan(300);
    expect([...owners].filter(([, where]) => where.length > 1)).toStrictEqual([]);
  });
});

describe('the main entry', () => {
  /**
   * The values of `auth0-metadata`: the functions users call and Auth0's rules as data. A function
   * or table only the emulator or the command line needs is imported by them from its module
   * (test/offEntry.ts lists those modules); adding one here is a change of the public API.
   */
  test('exports the library, not the emulator', () => {
    expect(Object.keys(core).sort()).toStrictEqual([
      'ATTRIBUTES',
      'CREATABLE_ATTRIBUTES',
      'CURRENT_USER_SCOPES',
      'EXPECTED_SCOPES',
      'MAX_ACTIONS_METADATA_BYTES',
      'MAX_METADATA_BYTES',
      'MAX_METADATA_DEPTH',
      'MAX_PROFILE_BYTES',
      'MAX_SIGNUP_NAME_LENGTH',
      'MAX_SIGNUP_PROPERTIES',
      'MAX_SIGNUP_VALUE_LENGTH',
      'METADATA',
      'PATCHABLE_ATTRIBUTES',
      'RESERVED_APP_METADATA_KEYS',
      'SCOPE_GRANTS',
      'SEARCH_FIELDS',
      'analyzePatch',
      'applyPatch',
      'authorizeUserRequest',
      'createActionsFlow',
      'createUser',
      'describeEffect',
      'diffToPatch',
      'findUsersByEmail',
      'formatPath',
      'parseSearchQuery',
      'runPostLoginActions',
      'searchUsers',
      'selectFields',
      'signupUser',
      'toAuth0Error',
      'validateCreateUser',
      'validateFieldQuery',
      'validatePatch',
      'validateSignupMetadata',
    ]);
  });
});
