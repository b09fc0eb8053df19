import { describe, expect, test } from 'vitest';
import { parseSearchQuery, type SearchQuery, toAuth0Error } from '../src/index.js';
import { MAX_QUERY_CLAUSES, MAX_QUERY_DEPTH } from '../src/rules/search.js';

function parsed(q: string): SearchQuery {
  const result = parseSearchQuery(q);
  if (!result.success) throw new Error(`expected ${q} to parse: ${result.issues[0].message}`);
  return result.value;
}

function reason(q: string): { readonly reason: string; readonly position: number } {
  const result = parseSearchQuery(q);
  if (result.success) throw new Error(`expected ${q} to be refused`);
  const [issue] = result.issues;
  if (issue.code !== 'invalid_search_query') throw new Error(`unexpected ${issue.code}`);
  return { reason: issue.reason, position: issue.position };
}

const name = { name: 'name', root: 'name', path: [] };

describe('parseSearchQuery', () => {
  test('S18: an empty or blank q matches everyone', () => {
    expect(parsed('')).toStrictEqual({ kind: 'all' });
    expect(parsed(' \t ')).toStrictEqual({ kind: 'all' });
  });

  test('S12: field:value, a bare value, a phrase', () => {
    expect(parsed('name:jane')).toStrictEqual({ kind: 'term', field: name, text: 'jane', phrase: false });
    expect(parsed('jane')).toStrictEqual({ kind: 'term', field: null, text: 'jane', phrase: false });
    expect(parsed('name:"jane smith"')).toStrictEqual({ kind: 'term', field: name, text: 'jane smith', phrase: true });
  });

  test('S12: field:( … ) applies the field to every value inside', () => {
    const email = { name: 'email', root: 'email', path: [] };
    expect(parsed('email:("john@exampleco.com" OR "jane@exampleco.com")')).toStrictEqual({
      kind: 'or',
      clauses: [
        { kind: 'term', field: email, text: 'john@exampleco.com', phrase: true },
        { kind: 'term', field: email, text: 'jane@exampleco.com', phrase: true },
      ],
    });
  });

  test('S13: lower-case and/or/not are terms; && || ! are operators', () => {
    expect(parsed('a and b')).toMatchObject({ kind: 'or', clauses: [{ text: 'a' }, { text: 'and' }, { text: 'b' }] });
    expect(parsed('a && b || !c')).toStrictEqual(parsed('a AND b OR NOT c'));
  });

  test('S13: -x is NOT x and +x is x', () => {
    expect(parsed('-a')).toStrictEqual(parsed('NOT a'));
    expect(parsed('+a')).toStrictEqual(parsed('a'));
  });

  test('S14: NOT binds tighter than AND, AND tighter than OR; juxtaposition is OR', () => {
    expect(parsed('NOT a OR b')).toStrictEqual({
      kind: 'or',
      clauses: [{ kind: 'not', clause: parsed('a') }, parsed('b')],
    });
    expect(parsed('a AND b OR c')).toStrictEqual({ kind: 'or', clauses: [parsed('a AND b'), parsed('c')] });
    expect(parsed('a OR b AND c')).toStrictEqual({ kind: 'or', clauses: [parsed('a'), parsed('b AND c')] });
    expect(parsed('a b')).toStrictEqual(parsed('a OR b'));
    expect(parsed('(a OR b) AND c')).toStrictEqual({ kind: 'and', clauses: [parsed('a OR b'), parsed('c')] });
  });

  test('S14: a chain of negations of any length parses without recursion', () => {
    expect(parsed(`${'NOT '.repeat(100_001)}a`)).toStrictEqual(parsed('NOT a'));
    expect(parsed(`${'NOT '.repeat(100_000)}a`)).toStrictEqual(parsed('a'));
  });

  test('S16: an unquoted term ends at white space; \\ escapes', () => {
    expect(parsed('name:John Doe')).toStrictEqual({
      kind: 'or',
      clauses: [parsed('name:John'), { kind: 'term', field: null, text: 'Doe', phrase: false }],
    });
    expect(parsed('name:John\\ Doe')).toStrictEqual({ kind: 'term', field: name, text: 'John Doe', phrase: false });
    expect(parsed('name:a\\*b\\:c')).toStrictEqual({ kind: 'term', field: name, text: 'a*b:c', phrase: false });
  });

  test('S16: inside a phrase only \\" and \\\\ are escapes; * ( : are literal', () => {
    expect(parsed('name:"a \\"b\\" \\\\ (c:*) \\d"')).toStrictEqual({
      kind: 'term',
      field: name,
      text: 'a "b" \\ (c:*) \\d',
      phrase: true,
    });
  });

  test('S16: @ . | _ and inner - + are term characters; non-ASCII works', () => {
    expect(parsed('email:testaccdatasourceuser@acceptance.test.com')).toMatchObject({
      text: 'testaccdatasourceuser@acceptance.test.com',
    });
    expect(parsed('user_id:auth0|a-b+c_d')).toMatchObject({ text: 'auth0|a-b+c_d' });
    expect(parsed('email:面条@玉米片.com')).toMatchObject({ text: '面条@玉米片.com' });
  });

  test('S19: a balanced odd query is no error', () => {
    expect(parsed('email:" or ""="')).toStrictEqual({
      kind: 'or',
      clauses: [
        { kind: 'term', field: { name: 'email', root: 'email', path: [] }, text: ' or ', phrase: true },
        { kind: 'term', field: null, text: '=', phrase: true },
      ],
    });
  });

  test('S23: dotted metadata paths', () => {
    expect(parsed('app_metadata.subscription.plan:"gold"')).toStrictEqual({
      kind: 'term',
      field: { name: 'app_metadata.subscription.plan', root: 'app_metadata', path: ['subscription', 'plan'] },
      text: 'gold',
      phrase: true,
    });
  });

  test('S26: _exists_:field', () => {
    expect(parsed('_exists_:user_metadata.display.lang')).toStrictEqual({
      kind: 'exists',
      field: { name: 'user_metadata.display.lang', root: 'user_metadata', path: ['display', 'lang'] },
    });
  });

  test('S27: wildcard pieces', () => {
    expect(parsed('name:jane*smith')).toStrictEqual({ kind: 'wildcard', field: name, parts: ['jane', 'smith'] });
    expect(parsed('name:*john*')).toStrictEqual({ kind: 'wildcard', field: name, parts: ['', 'john', ''] });
    expect(parsed('name:*')).toStrictEqual({ kind: 'wildcard', field: name, parts: ['', ''] });
    expect(parsed('name:"jo*"')).toStrictEqual({ kind: 'term', field: name, text: 'jo*', phrase: true });
  });

  test('S28: ranges, mixed brackets and open ends', () => {
    const logins = { name: 'logins_count', root: 'logins_count', path: [] };
    expect(parsed('logins_count:[100 TO 200}')).toStrictEqual({
      kind: 'range',
      field: logins,
      lower: '100',
      upper: '200',
      includeLower: true,
      includeUpper: false,
    });
    expect(parsed('logins_count:{100 TO *]')).toStrictEqual({
      kind: 'range',
      field: logins,
      lower: '100',
      upper: null,
      includeLower: false,
      includeUpper: true,
    });
  });

  test('S28: range bounds may be quoted or escaped', () => {
    expect(parsed('name:["a b" TO c\\ d]')).toMatchObject({ kind: 'range', lower: 'a b', upper: 'c d' });
    expect(reason('name:[a TO b\\')).toStrictEqual({ reason: 'trailing_escape', position: 12 });
  });

  test.each([
    ['name:"jane', 'unbalanced_quote', 5],
    ['(a OR b', 'unbalanced_parenthesis', 0],
    ['a OR b)', 'unbalanced_parenthesis', 6],
    ['a AND', 'missing_operand', 2],
    ['AND a', 'missing_operand', 0],
    ['a OR OR b', 'missing_operand', 2],
    ['NOT', 'missing_operand', 0],
    ['()', 'missing_operand', 1],
    ['name:', 'missing_value', 0],
    ['name: AND b', 'missing_value', 0],
    ['logins_count:[1 2]', 'invalid_range', 16],
    ['logins_count:[1 TO 2', 'invalid_range', 20],
    ['logins_count:[ TO 2]', 'invalid_range', 18],
    ['a\\', 'trailing_escape', 1],
    ['name:j?ne', 'unsupported_syntax', 6],
    ['name:jane~', 'unsupported_syntax', 9],
    ['name:jane^2', 'unsupported_syntax', 9],
    ['name:*ab', 'short_suffix_wildcard', 5],
    ['name:*a*b*', 'short_suffix_wildcard', 5],
    ['user_metadata.city:Par*', 'wildcard_not_allowed', 19],
    ['user_metadata.age:[1 TO 2]', 'range_not_allowed', 18],
    ['for:the horde', 'unknown_field', 0],
    ['picture:x', 'unknown_field', 0],
    ['constructor:x', 'unknown_field', 0],
    ['__proto__:x', 'unknown_field', 0],
    ['email.foo:x', 'unknown_field', 0],
    ['app_metadata..a:x', 'unknown_field', 0],
    ['_exists_:nope', 'unknown_field', 9],
    ['a:b:c', 'unknown_field', 0],
    ['name:a:b', 'unexpected_character', 6],
  ])('S17/S21/S27/S28: %s is %s at %i', (q, expected, position) => {
    expect(reason(q)).toStrictEqual({ reason: expected, position });
  });

  test('S17: the issue gives Auth0’s 400 invalid_query_string body', () => {
    const result = parseSearchQuery('for:the horde');
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(toAuth0Error(result.issues)).toStrictEqual({
      api: 'management',
      status: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        message:
          'Query validation error: \'filter can not be used with unknown field "for"\' on property q (Query in Lucene query string syntax).',
        errorCode: 'invalid_query_string',
      },
    });
  });

  test('hostile: 100k-deep parentheses are too_deep, at the first level too many', () => {
    const depth = 100_000;
    expect(reason(`${'('.repeat(depth)}a${')'.repeat(depth)}`)).toStrictEqual({
      reason: 'too_deep',
      position: MAX_QUERY_DEPTH,
    });
    expect(parsed(`${'('.repeat(MAX_QUERY_DEPTH)}a${')'.repeat(MAX_QUERY_DEPTH)}`)).toStrictEqual(parsed('a'));
  });

  test('hostile: a 1 MB query of clauses is too_many_clauses; one 1 MB phrase parses', () => {
    const clauses = Array.from({ length: 100_000 }, (_, index) => `name:${index}`).join(' ');
    expect(clauses.length).toBeGreaterThan(1_000_000);
    expect(reason(clauses).reason).toBe('too_many_clauses');
    const many = Array.from({ length: MAX_QUERY_CLAUSES }, () => 'a').join(' ');
    expect(parsed(many)).toMatchObject({ kind: 'or' });
    expect(reason(`${many} a`)).toStrictEqual({ reason: 'too_many_clauses', position: MAX_QUERY_CLAUSES * 2 });
    const phrase = 'x'.repeat(1_000_000);
    expect(parsed(`name:"${phrase}"`)).toStrictEqual({ kind: 'term', field: name, text: phrase, phrase: true });
  });

  test('hostile: __proto__ below metadata is a key like any other', () => {
    expect(parsed('app_metadata.__proto__.polluted:yes')).toStrictEqual({
      kind: 'term',
      field: { name: 'app_metadata.__proto__.polluted', root: 'app_metadata', path: ['__proto__', 'polluted'] },
      text: 'yes',
      phrase: false,
    });
  });

  test('a q that is not a string (from JavaScript) is an issue, not a crash', () => {
    const result: unknown = Reflect.apply(parseSearchQuery, undefined, [42]);
    expect(result).toMatchObject({ success: false, issues: [{ code: 'invalid_search_query', position: 0 }] });
  });
});
