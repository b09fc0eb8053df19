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

/**
 * The vocabulary of docs/architecture.md#words: an `Issue` is what is wrong with an input, a
 * `Warning` what a successful operation dropped, a `Reason` a code union naming why a request is
 * refused, an `Answer` how Auth0 answers one. `Error` names only a thrown JavaScript error (a
 * subclass of `Error`) or an error as Auth0 sends it on the wire; `Fault` only a fault a test
 * injects into the emulator (`InjectedFault…`); `Problem` nothing.
 */
const ENTRIES = [
  'src/index.ts',
  'src/emulator/index.ts',
  'src/node/index.ts',
  'src/conformance/index.ts',
  'src/testing/index.ts',
];

/** Names for Auth0's errors as they travel: bodies, envelopes, statuses, whole answers. */
const WIRE_ERRORS = [
  'Auth0Error',
  'AuthenticationErrorBody',
  'ErrorEnvelope',
  'ErrorStatus',
  'INTERNAL_ERROR',
  'INTERNAL_ERROR_BODY',
  'ManagementErrorBody',
  'OAuthErrorBody',
  'WireError',
];

/** The words of a name: `TokenFault` is Token, Fault; `TOKEN_ERRORS` is TOKEN, ERRORS; `DEFAULT_PORT` has no Fault. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_]+/)
    .filter((word) => word !== '');
}

/**
 * The names of `names` that use a retired word. `allowed` are the names `Error` may appear in
 * (the Error subclasses, the wire's errors, an issue named after its code like `InternalErrorIssue`),
 * also as part of a longer name (`isEmulatorSeedError`, `toAuth0Error`).
 */
function retired(names: readonly string[], allowed: readonly string[]): string[] {
  const longestFirst = [...allowed].sort((a, b) => b.length - a.length);
  return names.filter((name) => {
    let rest = name;
    for (const part of longestFirst) rest = rest.replaceAll(part, ' ');
    rest = rest.replaceAll(/Injected(?=Faults?)|INJECTED_(?=FAULTS?)/g, 'Injected_');
    const found = words(rest).map((word) => word.toLowerCase());
    return found.some(
      (word, index) =>
        word === 'problem' ||
        word === 'problems' ||
        word === 'error' ||
        word === 'errors' ||
        ((word === 'fault' || word === 'faults') && found[index - 1] !== 'injected'),
    );
  });
}

/** The type names (interfaces, type aliases, classes, enums) every file of src/ declares, at any depth; and which classes are Errors. */
function sourceTypes(): { readonly types: string[]; readonly errorClasses: string[] } {
  const types = new Set<string>();
  const extendsOf = new Map<string, string>();
  for (const path of sourceFiles(join(root, 'src'))) {
    const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (
        (ts.isInterfaceDeclaration(node) ||
          ts.isTypeAliasDeclaration(node) ||
          ts.isClassDeclaration(node) ||
          ts.isEnumDeclaration(node)) &&
        node.name !== undefined
      ) {
        types.add(node.name.text);
        const base = ts.isClassDeclaration(node)
          ? node.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]
          : undefined;
        if (base !== undefined) extendsOf.set(node.name.text, base.expression.getText(source));
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  const errorClasses = new Set(['Error', 'TypeError', 'RangeError', 'SyntaxError']);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, base] of extendsOf) {
      if (errorClasses.has(base) && !errorClasses.has(name)) {
        errorClasses.add(name);
        grew = true;
      }
    }
  }
  return { types: [...types], errorClasses: [...errorClasses].filter((name) => types.has(name)) };
}

/** Every name every entry point exports (as scripts/entry-names.mjs lists them). */
function entryNames(): string[] {
  const program = ts.createProgram(
    ENTRIES.map((path) => join(root, path)),
    {
      strict: true,
      module: ts.ModuleKind.Preserve,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      noEmit: true,
    },
  );
  const checker = program.getTypeChecker();
  return ENTRIES.flatMap((path) => {
    const file = program.getSourceFile(join(root, path));
    const symbol = file === undefined ? undefined : checker.getSymbolAtLocation(file);
    return symbol === undefined ? [] : checker.getExportsOfModule(symbol).map((exported) => exported.name);
  });
}

describe('one word for what went wrong (docs/architecture.md#words)', () => {
  const { types, errorClasses } = sourceTypes();
  const issueTypes = types.filter((name) => /^[A-Z]\w*Issue$/.test(name));
  const allowed = [...WIRE_ERRORS, ...errorClasses, ...issueTypes];

  test('the check finds the retired words, and only them', () => {
    expect(
      retired(
        [
          'TokenFault',
          'TransportError',
          'TOKEN_ERRORS',
          'SearchQueryProblem',
          'BODY_FAULTS',
          'FaultSpec',
          'InjectedFault',
          'InjectedFaultSpec',
          'INJECTED_FAULT_REASON_PHRASES',
          'DEFAULT_PORT',
          'EmulatorSeedError',
          'isEmulatorSeedError',
          'toAuth0Error',
          'InternalErrorIssue',
        ],
        allowed,
      ),
    ).toStrictEqual(['TokenFault', 'TransportError', 'TOKEN_ERRORS', 'SearchQueryProblem', 'BODY_FAULTS', 'FaultSpec']);
    expect(errorClasses).toContain('EmulatorSeedError');
    expect(errorClasses).not.toContain('QueryFailure');
  });

  test('no type of src/ uses a retired word', () => {
    expect(types.length).toBeGreaterThan(250);
    expect(retired(types, allowed)).toStrictEqual([]);
  });

  test('no name an entry point exports uses a retired word', { timeout: 60_000 }, () => {
    const names = entryNames();
    expect(names).toContain('TransportAnswer');
    expect(retired(names, allowed)).toStrictEqual([]);
  });
});
