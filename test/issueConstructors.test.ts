/**
 * Every issue is built in one file, src/issueConstructors.ts, one constructor per kind of fault: an object
 * literal with both a `code` and a `message` anywhere else in src/ is an issue built by hand, with
 * wording of its own. (The walks of src/internal/ report faults without a message; the core turns
 * them into issues through src/issueConstructors.ts.)
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { diffToPatch, parseSearchQuery, runPostLoginActions, searchUsers } from '../src/index.js';
import { sourceFiles } from './examples.js';

const root = join(import.meta.dirname, '..');

/**
 * Where an object with a `code` and a `message` is not an issue built by hand, and why: the tables
 * of src/rules/, which hold the emulator's answers as data (its HTTP envelopes), not issues.
 */
function allowed(name: string): boolean {
  return name.startsWith('src/rules/');
}

/** `file:line` of every object literal with both a `code` and a `message` property in a file. */
function handBuiltIssues(path: string): string[] {
  const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isObjectLiteralExpression(node)) {
      const names = node.properties.map((property) =>
        property.name !== undefined && ts.isIdentifier(property.name) ? property.name.text : '',
      );
      if (names.includes('code') && names.includes('message')) {
        const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
        found.push(`${relative(root, path)}:${line}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('every issue is built in src/issueConstructors.ts', () => {
  test('the scan finds the constructors of src/issueConstructors.ts (it can see an issue built by hand)', () => {
    expect(handBuiltIssues(join(root, 'src', 'issueConstructors.ts')).length).toBeGreaterThan(30);
  });

  test('every issue code of src/issues.ts has a constructor here', () => {
    const codes = (path: string, pattern: RegExp): Set<string> =>
      new Set([...readFileSync(path, 'utf8').matchAll(pattern)].map((match) => match[1] ?? match[2] ?? ''));
    const declared = codes(join(root, 'src', 'issues.ts'), /extends IssueBase<'([a-z_]+)'>|= IssueBase<'([a-z_]+)'>/g);
    const built = codes(join(root, 'src', 'issueConstructors.ts'), /code: '([a-z_]+)'/g);
    expect(declared.size).toBeGreaterThan(30);
    expect([...declared].filter((code) => !built.has(code))).toStrictEqual([]);
  });

  test('no other file of src/ builds an issue by hand', () => {
    const files = sourceFiles(join(root, 'src')).filter((path) => {
      const name = relative(root, path);
      return name !== 'src/issueConstructors.ts' && !allowed(name);
    });
    expect(files.flatMap(handBuiltIssues)).toStrictEqual([]);
  });
});

describe('the issues folded into src/issueConstructors.ts keep their codes and paths', () => {
  test('a refused search engine and a page past the window (S3.2, S6)', () => {
    expect(searchUsers([], { search_engine: 'v1' })).toMatchObject({
      success: false,
      issues: [{ code: 'search_engine_not_allowed', path: ['search_engine'], engine: 'v1' }],
    });
    expect(searchUsers([], { page: 10, per_page: 100 })).toMatchObject({
      success: false,
      issues: [{ code: 'invalid_paging', path: ['page'] }],
    });
  });

  test('a malformed q names the problem and its position (S17)', () => {
    expect(parseSearchQuery('name:"jane')).toMatchObject({
      success: false,
      issues: [{ code: 'invalid_search_query', path: ['q'], reason: 'unbalanced_quote' }],
    });
  });

  test('Actions that are not an array of functions (rule 31)', async () => {
    expect(await runPostLoginActions({}, [() => undefined, 'x' as unknown as () => undefined])).toMatchObject({
      success: false,
      issues: [{ code: 'invalid_type', path: [1], expected: 'function', received: 'string' }],
    });
  });

  test('diffToPatch: a read-only attribute changed', () => {
    expect(diffToPatch({ user_id: 'auth0|1' }, { user_id: 'auth0|2' })).toMatchObject({
      success: false,
      issues: [{ code: 'unreachable', path: ['user_id'], message: 'user_id is read-only: no PATCH can change it' }],
    });
  });
});
