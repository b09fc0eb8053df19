import { invalidSearchQuery } from './issueConstructors.js';
import { fail, type InvalidSearchQueryIssue, type Result, type SearchQueryReason, succeed } from './issues.js';
import {
  EXISTS_FIELD,
  MAX_QUERY_CLAUSES,
  MAX_QUERY_DEPTH,
  MIN_SUFFIX_WILDCARD_LITERALS,
  SEARCH_FIELDS,
  SEARCH_OPERATORS,
  type SearchField,
} from './rules/search.js';
import { safely } from './safely.js';

/** A field a clause searches: a root field of {@link SEARCH_FIELDS}, and the path below it (`app_metadata.plan`). */
export interface SearchFieldPath {
  /** As written in the query (`app_metadata.subscription.plan`). */
  readonly name: string;
  /** The root field (`app_metadata`), a key of {@link SEARCH_FIELDS}. */
  readonly root: string;
  /** The keys below the root (`['subscription', 'plan']`); empty for a root field. */
  readonly path: readonly string[];
}

/** Every user: an empty or blank `q` (S18). */
export interface SearchAll {
  readonly kind: 'all';
}

/** At least one clause matches (`OR`, `||`, or clauses side by side, S14). */
export interface SearchOr {
  readonly kind: 'or';
  readonly clauses: readonly SearchQuery[];
}

/** Every clause matches (`AND`, `&&`). */
export interface SearchAnd {
  readonly kind: 'and';
  readonly clauses: readonly SearchQuery[];
}

/** The clause does not match (`NOT`, `!`, `-`). */
export interface SearchNot {
  readonly kind: 'not';
  readonly clause: SearchQuery;
}

/** A term or a phrase: equals a whole value (S15, S25). `field` is `null` for a value without a field name. */
export interface SearchTerm {
  readonly kind: 'term';
  readonly field: SearchFieldPath | null;
  /** The text, unescaped. */
  readonly text: string;
  readonly phrase: boolean;
}

/** A term with `*` (S27): the literal pieces between the stars, so `jo*n` is `['jo', 'n']` and `*` is `['', '']`. */
export interface SearchWildcard {
  readonly kind: 'wildcard';
  readonly field: SearchFieldPath | null;
  readonly parts: readonly [string, ...string[]];
}

/** `[lower TO upper]`, `{…}` or mixed (S28); a `null` bound is an open end (`*`). */
export interface SearchRange {
  readonly kind: 'range';
  readonly field: SearchFieldPath | null;
  readonly lower: string | null;
  readonly upper: string | null;
  readonly includeLower: boolean;
  readonly includeUpper: boolean;
}

/** `_exists_:field` (S26). */
export interface SearchExists {
  readonly kind: 'exists';
  readonly field: SearchFieldPath;
}

/** A parsed `q`. */
export type SearchQuery =
  | SearchAll
  | SearchOr
  | SearchAnd
  | SearchNot
  | SearchTerm
  | SearchWildcard
  | SearchRange
  | SearchExists;

/** What a value applies to: a field, the default fields (`null`), or `_exists_`. */
type ClauseField = SearchFieldPath | null | 'exists';

/** Thrown inside the parser only, caught by {@link parseSearchQuery}. */
class QueryFailure {
  constructor(readonly issue: InvalidSearchQueryIssue) {}
}

interface State {
  readonly text: string;
  position: number;
  depth: number;
  clauses: number;
  /** The clause count at which the parse next pauses (see {@link parseSteps}). */
  pauseAt: number;
}

/** A computation run a piece at a time: each `yield` is a point where its driver may pause it. */
export type Steps<Value> = Generator<undefined, Value, undefined>;

/** Clauses parsed between two pauses of {@link parseSteps}. */
const CLAUSES_PER_STEP = 16;

/** A pause once every {@link CLAUSES_PER_STEP} clauses, between two clauses of a list. */
function* pause(state: State): Steps<void> {
  if (state.clauses < state.pauseAt) return;
  state.pauseAt = state.clauses + CLAUSES_PER_STEP;
  yield;
}

function failure(reason: SearchQueryReason, position: number, message?: string): QueryFailure {
  return new QueryFailure(invalidSearchQuery(reason, position, message));
}

function isSpace(character: string | undefined): boolean {
  return character === ' ' || character === '\t' || character === '\n' || character === '\r' || character === '\u3000';
}

/** Characters that end an unquoted term. */
function endsTerm(character: string | undefined): boolean {
  return (
    character === undefined ||
    isSpace(character) ||
    character === '(' ||
    character === ')' ||
    character === '"' ||
    character === ':' ||
    character === '[' ||
    character === ']' ||
    character === '{' ||
    character === '}'
  );
}

function skipSpaces(state: State): void {
  while (isSpace(state.text[state.position])) state.position++;
}

interface OperatorAt {
  readonly operator: 'AND' | 'OR' | 'NOT';
  readonly length: number;
}

/** The operator words with their meaning, built once (the table is frozen): no allocation per lookup. */
const OPERATOR_ENTRIES: readonly (readonly [string, OperatorAt])[] = /* @__PURE__ */ Object.entries(
  SEARCH_OPERATORS,
).map(([word, operator]) => [word, { operator, length: word.length }]);

/** The operator word at the cursor (`AND`, `&&`, …), if it stands alone. */
function operatorAt(state: State): OperatorAt | undefined {
  const { text, position } = state;
  const first = text[position];
  // Most positions start a term: only these characters can start an operator.
  if (first !== 'A' && first !== 'O' && first !== 'N' && first !== '&' && first !== '|') return undefined;
  for (const [word, entry] of OPERATOR_ENTRIES) {
    const after = text[position + word.length];
    if (text.startsWith(word, position) && after !== ':' && endsTerm(after)) return entry;
  }
  return undefined;
}

function atGroupEnd(state: State): boolean {
  const character = state.text[state.position];
  return character === undefined || (character === ')' && state.depth > 0);
}

function countClause(state: State, position: number): void {
  state.clauses++;
  if (state.clauses > MAX_QUERY_CLAUSES) throw failure('too_many_clauses', position);
}

function* parseOr(state: State, target: ClauseField): Steps<SearchQuery> {
  const clauses = [yield* parseAnd(state, target)];
  for (;;) {
    skipSpaces(state);
    if (atGroupEnd(state)) break;
    const operator = operatorAt(state);
    if (operator?.operator === 'OR') {
      const at = state.position;
      state.position += operator.length;
      skipSpaces(state);
      if (atGroupEnd(state) || isBinary(state)) throw failure('missing_operand', at);
    }
    yield* pause(state);
    clauses.push(yield* parseAnd(state, target));
  }
  return clauses.length === 1 && clauses[0] !== undefined ? clauses[0] : { kind: 'or', clauses };
}

function isBinary(state: State): boolean {
  const operator = operatorAt(state)?.operator;
  return operator === 'AND' || operator === 'OR';
}

function* parseAnd(state: State, target: ClauseField): Steps<SearchQuery> {
  const clauses = [yield* parseNot(state, target)];
  for (;;) {
    skipSpaces(state);
    const operator = operatorAt(state);
    if (operator?.operator !== 'AND') break;
    const at = state.position;
    state.position += operator.length;
    skipSpaces(state);
    if (atGroupEnd(state) || isBinary(state)) throw failure('missing_operand', at);
    yield* pause(state);
    clauses.push(yield* parseNot(state, target));
  }
  return clauses.length === 1 && clauses[0] !== undefined ? clauses[0] : { kind: 'and', clauses };
}

/** Negations in a row, counted without recursion (`NOT NOT … x` of any length). */
function* parseNot(state: State, target: ClauseField): Steps<SearchQuery> {
  let negated = false;
  for (;;) {
    skipSpaces(state);
    const at = state.position;
    const character = state.text[at];
    const operator = operatorAt(state);
    if (operator?.operator === 'AND' || operator?.operator === 'OR') throw failure('missing_operand', at);
    if (operator?.operator === 'NOT') state.position += operator.length;
    else if (character === '!' || character === '-') state.position++;
    else if (character === '+') {
      state.position++;
      continue;
    } else break;
    negated = !negated;
    skipSpaces(state);
    if (atGroupEnd(state) || isBinary(state)) throw failure('missing_operand', at);
  }
  const clause = yield* parsePrimary(state, target);
  return negated ? { kind: 'not', clause } : clause;
}

function* parsePrimary(state: State, target: ClauseField): Steps<SearchQuery> {
  const start = state.position;
  const character = state.text[start];
  if (character === '(') return yield* parseGroup(state, target);
  if (character === ')') throw failure('unbalanced_parenthesis', start);
  if (character === '"') return valueClause(state, target, start, { kind: 'phrase', text: readPhrase(state) });
  if (character === '[' || character === '{') return rangeClause(state, target, start);
  if (character === undefined || endsTerm(character)) throw failure('unexpected_character', start);
  const term = readTerm(state);
  const afterTerm = state.position;
  skipSpaces(state);
  if (state.text[state.position] !== ':') {
    state.position = afterTerm;
    return valueClause(state, target, start, term);
  }
  if (term.kind === 'wildcard') throw failure('unknown_field', start, unknownFieldMessage(term.raw));
  state.position++;
  skipSpaces(state);
  const field = term.text === EXISTS_FIELD ? 'exists' : resolveField(term.text, start);
  const valueStart = state.position;
  const next = state.text[valueStart];
  if (next === '(') return yield* parseGroup(state, field);
  if (next === '"') return valueClause(state, field, valueStart, { kind: 'phrase', text: readPhrase(state) });
  if (next === '[' || next === '{') return rangeClause(state, field, valueStart);
  if (endsTerm(next) || operatorAt(state) !== undefined) throw failure('missing_value', start);
  return valueClause(state, field, valueStart, readTerm(state));
}

function* parseGroup(state: State, target: ClauseField): Steps<SearchQuery> {
  const open = state.position;
  if (state.depth >= MAX_QUERY_DEPTH) throw failure('too_deep', open);
  state.position++;
  state.depth++;
  skipSpaces(state);
  if (state.text[state.position] === ')') throw failure('missing_operand', state.position);
  const inner = yield* parseOr(state, target);
  skipSpaces(state);
  if (state.text[state.position] !== ')') throw failure('unbalanced_parenthesis', open);
  state.position++;
  state.depth--;
  return inner;
}

type Value =
  | { readonly kind: 'phrase'; readonly text: string }
  | { readonly kind: 'term'; readonly text: string; readonly raw: string }
  | { readonly kind: 'wildcard'; readonly parts: readonly [string, ...string[]]; readonly raw: string };

function readPhrase(state: State): string {
  const { text } = state;
  const open = state.position;
  let value = '';
  let index = open + 1;
  for (;;) {
    const character = text[index];
    if (character === undefined) throw failure('unbalanced_quote', open);
    if (character === '"') break;
    const next = text[index + 1];
    if (character === '\\' && (next === '"' || next === '\\')) {
      value += next;
      index += 2;
    } else {
      value += character;
      index++;
    }
  }
  state.position = index + 1;
  return value;
}

/** An unquoted term: `\x` is a literal `x`, an unescaped `*` splits the pattern, `?`, `~` and `^` are refused. */
function readTerm(state: State): Value {
  const { text } = state;
  const start = state.position;
  const parts: [string, ...string[]] = [''];
  let current = '';
  let run = start;
  let index = start;
  for (;;) {
    const character = text[index];
    if (endsTerm(character)) break;
    if (character === '\\') {
      const escaped = text[index + 1];
      if (escaped === undefined) throw failure('trailing_escape', index);
      current += text.slice(run, index) + escaped;
      index += 2;
      run = index;
      continue;
    }
    if (character === '?' || character === '~' || character === '^') throw failure('unsupported_syntax', index);
    if (character === '*') {
      parts[parts.length - 1] = current + text.slice(run, index);
      parts.push('');
      current = '';
      run = index + 1;
    }
    index++;
  }
  current += text.slice(run, index);
  parts[parts.length - 1] = current;
  state.position = index;
  const raw = text.slice(start, index);
  return parts.length === 1 ? { kind: 'term', text: current, raw } : { kind: 'wildcard', parts, raw };
}

function unknownFieldMessage(name: string): string {
  return `filter can not be used with unknown field "${name}"`;
}

/** A field name of the query: a root field of {@link SEARCH_FIELDS} or a path below an object field (S20, S21). */
function resolveField(name: string, position: number): SearchFieldPath {
  if (Object.hasOwn(SEARCH_FIELDS, name)) return { name, root: name, path: [] };
  const dot = name.indexOf('.');
  const root = dot === -1 ? name : name.slice(0, dot);
  const path = name.slice(dot + 1).split('.');
  if (dot !== -1 && fieldOf(root)?.type === 'object' && !path.includes('')) return { name, root, path };
  throw failure('unknown_field', position, unknownFieldMessage(name));
}

function fieldOf(root: string): SearchField | undefined {
  return Object.hasOwn(SEARCH_FIELDS, root) ? SEARCH_FIELDS[root] : undefined;
}

function valueClause(state: State, target: ClauseField, position: number, value: Value): SearchQuery {
  countClause(state, position);
  if (target === 'exists') {
    if (value.kind === 'wildcard') throw failure('unsupported_syntax', position);
    return { kind: 'exists', field: resolveField(value.text, position) };
  }
  if (value.kind !== 'wildcard') {
    if (value.kind === 'term' && Object.hasOwn(SEARCH_OPERATORS, value.raw)) throw failure('missing_operand', position);
    return { kind: 'term', field: target, text: value.text, phrase: value.kind === 'phrase' };
  }
  const { parts } = value;
  if (target !== null && fieldOf(target.root)?.noWildcards === true) {
    throw failure('wildcard_not_allowed', position, `Wildcard searches are not available on ${target.root} fields`);
  }
  const literals = parts.reduce((sum, part) => sum + part.length, 0);
  if (parts[0] === '' && literals > 0 && literals < MIN_SUFFIX_WILDCARD_LITERALS) {
    throw failure('short_suffix_wildcard', position);
  }
  return { kind: 'wildcard', field: target, parts };
}

function readBound(state: State): { readonly text: string | null; readonly position: number } {
  skipSpaces(state);
  const position = state.position;
  const character = state.text[position];
  if (character === '"') return { text: readPhrase(state), position };
  let value = '';
  let index = position;
  for (;;) {
    const next = state.text[index];
    if (next === undefined || isSpace(next) || next === ']' || next === '}') break;
    if (next === '\\') {
      const escaped = state.text[index + 1];
      if (escaped === undefined) throw failure('trailing_escape', index);
      value += escaped;
      index += 2;
      continue;
    }
    value += next;
    index++;
  }
  if (index === position) throw failure('invalid_range', position);
  state.position = index;
  return { text: state.text.slice(position, index) === '*' ? null : value, position };
}

function rangeClause(state: State, target: ClauseField, position: number): SearchQuery {
  const includeLower = state.text[position] === '[';
  state.position++;
  const lower = readBound(state);
  skipSpaces(state);
  if (!state.text.startsWith('TO', state.position) || !isSpace(state.text[state.position + 2])) {
    throw failure('invalid_range', state.position);
  }
  state.position += 2;
  const upper = readBound(state);
  skipSpaces(state);
  const close = state.text[state.position];
  if (close !== ']' && close !== '}') throw failure('invalid_range', state.position);
  state.position++;
  countClause(state, position);
  if (target === 'exists') throw failure('unsupported_syntax', position);
  if (target !== null && fieldOf(target.root)?.noRanges === true) {
    throw failure('range_not_allowed', position, `Range searches are not available on ${target.root} fields`);
  }
  return {
    kind: 'range',
    field: target,
    lower: lower.text,
    upper: upper.text,
    includeLower,
    includeUpper: close === ']',
  };
}

/**
 * Parses a user search query (`q`) in Auth0's Lucene syntax into a typed query, checking the rules
 * Auth0 refuses with a 400: unknown fields, wildcards and ranges on `user_metadata`, leading
 * wildcards with fewer than 3 characters, `?`, fuzzy and boost operators, and malformed syntax.
 *
 * `AND`, `OR` and `NOT` (upper case only; `&&`, `||`, `!` and a `-` prefix too) bind `NOT` tightest,
 * then `AND`, then `OR`; clauses side by side are ORed. An empty or blank query matches everyone.
 *
 * @param q - The query, as sent in the `q` parameter.
 * @returns The query, or an `invalid_search_query` issue with the `reason` and its `position` in `q`.
 * @example
 * parseSearchQuery('app_metadata.plan:"gold" AND NOT blocked:true');
 * // => { success: true, warnings: [], value: { kind: 'and', clauses: [
 * //      { kind: 'term', field: { name: 'app_metadata.plan', root: 'app_metadata', path: ['plan'] }, text: 'gold', phrase: true },
 * //      { kind: 'not', clause: { kind: 'term', field: { name: 'blocked', root: 'blocked', path: [] }, text: 'true', phrase: false } }] } }
 * parseSearchQuery('name:"jane').success;
 * // => false
 * @see https://auth0.com/docs/manage-users/user-search/user-search-query-syntax
 */
export function parseSearchQuery(q: string): Result<SearchQuery> {
  return safely(() => parseQuery(q));
}

/** @internal {@link parseSearchQuery} without its guard, for other exports (which are guarded themselves). */
export function parseQuery(q: string): Result<SearchQuery> {
  const steps = parseSteps(q);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * @internal {@link parseQuery} a piece at a time: it pauses between clauses, every
 * {@link CLAUSES_PER_STEP} of them, so that a server can answer other requests while it parses a
 * long query (1,024 clauses), as it does while it matches users.
 */
export function* parseSteps(q: string): Steps<Result<SearchQuery>> {
  if (typeof q !== 'string') {
    return fail(
      invalidSearchQuery(
        'unexpected_character',
        0,
        `Expected type string but found type ${q === null ? 'null' : typeof q}`,
      ),
    );
  }
  const state: State = { text: q, position: 0, depth: 0, clauses: 0, pauseAt: CLAUSES_PER_STEP };
  skipSpaces(state);
  if (state.position === q.length) return succeed({ kind: 'all' });
  try {
    // At the top level only the end of `q` ends the query (a stray `)` is an error inside).
    return succeed(yield* parseOr(state, null));
  } catch (error) {
    if (error instanceof QueryFailure) return fail(error.issue);
    throw error;
  }
}
