import type { SearchFieldPath, SearchQuery, SearchRange, SearchWildcard } from '../parseSearchQuery.js';
import { SEARCH_FIELDS, type SearchField } from '../rules/search.js';

/** A test of one user. */
export type UserPredicate = (user: object) => boolean;

/** An indexed value (S24): what a term, a pattern or a range is compared with. */
type Leaf = string | number | boolean;
type LeafTest = (leaf: Leaf) => boolean;

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null;
}

function own(value: Readonly<Record<string, unknown>>, key: string): unknown {
  return Object.hasOwn(value, key) ? value[key] : undefined;
}

function isLeaf(value: unknown): value is Leaf {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/**
 * Whether any indexed value at `path` (from `index`) passes `test`. Arrays are looked through at
 * every level, so a path ignores them (S23); `null`, `[]` and `{}` hold nothing (S24). With `below`,
 * an object at the end of the path counts through any value inside it (`_exists_`, S26).
 */
function anyLeaf(value: unknown, path: readonly string[], index: number, test: LeafTest, below: boolean): boolean {
  if (Array.isArray(value)) {
    for (const element of value) if (anyLeaf(element, path, index, test, below)) return true;
    return false;
  }
  const key = path[index];
  if (key !== undefined) return isRecord(value) && anyLeaf(own(value, key), path, index + 1, test, below);
  if (isLeaf(value)) return test(value);
  if (!below || !isRecord(value)) return false;
  for (const inner of Object.values(value)) if (anyLeaf(inner, path, index, test, below)) return true;
  return false;
}

/** The value of a root field; `email.domain` is the part of the email after its last `@` (DOC-QS). */
function rootValue(user: object, root: string): unknown {
  if (!isRecord(user)) return undefined;
  if (root !== 'email.domain') return own(user, root);
  const email = own(user, 'email');
  return typeof email === 'string' && email.includes('@') ? email.slice(email.lastIndexOf('@') + 1) : undefined;
}

function fieldPredicate(
  field: SearchFieldPath,
  test: (definition: SearchField) => LeafTest,
  below = false,
): UserPredicate {
  const definition = SEARCH_FIELDS[field.root];
  if (definition === undefined || definition.type === 'never') return () => false;
  const leafTest = test(definition);
  const { root, path } = field;
  return (user) => anyLeaf(rootValue(user, root), path, 0, leafTest, below);
}

/** Applies `test` to the field, or (for a value without a field name) to every default field. */
function targetPredicate(field: SearchFieldPath | null, test: (definition: SearchField) => LeafTest): UserPredicate {
  if (field !== null) return fieldPredicate(field, test);
  const predicates = Object.keys(SEARCH_FIELDS)
    .filter((name) => SEARCH_FIELDS[name]?.defaultField === true)
    .map((name) => fieldPredicate({ name, root: name, path: [] }, test));
  return anyOf(predicates);
}

function anyOf(predicates: readonly UserPredicate[]): UserPredicate {
  return (user) => {
    for (const predicate of predicates) if (predicate(user)) return true;
    return false;
  };
}

/** A JSON number literal, as the query text of a number term or bound (S25). */
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

function numberOf(text: string): number | undefined {
  return JSON_NUMBER.test(text) ? Number(text) : undefined;
}

const PARTIAL_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/**
 * The first and last millisecond a date text stands for: a year, a month or a day is rounded the
 * way Elasticsearch's date math does (S28); a full timestamp is one instant.
 */
function dateInterval(text: string): readonly [number, number] | undefined {
  const partial = PARTIAL_DATE.exec(text);
  if (partial === null) {
    const time = Date.parse(text);
    return Number.isNaN(time) ? undefined : [time, time];
  }
  const year = Number(partial[1]);
  const month = partial[2] === undefined ? undefined : Number(partial[2]) - 1;
  const day = partial[3] === undefined ? undefined : Number(partial[3]);
  const start = Date.UTC(year, month ?? 0, day ?? 1);
  const end =
    day !== undefined && month !== undefined
      ? Date.UTC(year, month, day + 1)
      : month !== undefined
        ? Date.UTC(year, month + 1, 1)
        : Date.UTC(year + 1, 0, 1);
  return [start, end - 1];
}

function timeOf(leaf: Leaf): number {
  return typeof leaf === 'string' ? Date.parse(leaf) : Number.NaN;
}

function fold(text: string, definition: SearchField): string {
  return definition.caseInsensitive ? text.toLowerCase() : text;
}

/** A term or phrase against one value, by the value's type (S25); dates by rounding (S28). */
function termTest(text: string): (definition: SearchField) => LeafTest {
  const number = numberOf(text);
  const boolean = text === 'true' ? true : text === 'false' ? false : undefined;
  return (definition) => {
    const wanted = fold(text, definition);
    const interval = definition.type === 'date' ? dateInterval(text) : undefined;
    return (leaf) => {
      if (typeof leaf === 'string') {
        if (fold(leaf, definition) === wanted) return true;
        if (interval === undefined) return false;
        const time = timeOf(leaf);
        return time >= interval[0] && time <= interval[1];
      }
      return typeof leaf === 'number' ? leaf === number : leaf === boolean;
    };
  };
}

/** Whether `text` matches the pieces of a pattern: starts with the first, ends with the last, holds the rest in order. */
function matchesParts(text: string, parts: readonly [string, ...string[]]): boolean {
  const first = parts[0];
  const last = parts[parts.length - 1] ?? '';
  if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false;
  let from = first.length;
  const until = text.length - last.length;
  for (let index = 1; index < parts.length - 1; index++) {
    const part = parts[index] ?? '';
    const found = text.indexOf(part, from);
    if (found === -1 || found + part.length > until) return false;
    from = found + part.length;
  }
  return true;
}

function wildcardTest(query: SearchWildcard): (definition: SearchField) => LeafTest {
  // `*` alone (any number of stars) is any indexed value; other patterns only match strings (S27).
  if (query.parts.every((part) => part === '')) return () => () => true;
  return (definition) => {
    const first = fold(query.parts[0], definition);
    const parts: [string, ...string[]] = [first, ...query.parts.slice(1).map((part) => fold(part, definition))];
    return (leaf) => typeof leaf === 'string' && matchesParts(fold(leaf, definition), parts);
  };
}

function dateRangeTest(query: SearchRange): LeafTest {
  const lower = query.lower === null ? undefined : dateInterval(query.lower);
  const upper = query.upper === null ? undefined : dateInterval(query.upper);
  if ((query.lower !== null && lower === undefined) || (query.upper !== null && upper === undefined))
    return () => false;
  return (leaf) => {
    const time = timeOf(leaf);
    if (Number.isNaN(time)) return false;
    if (lower !== undefined && !(query.includeLower ? time >= lower[0] : time > lower[1])) return false;
    return upper === undefined || (query.includeUpper ? time <= upper[1] : time < upper[0]);
  };
}

function within<Value extends number | string>(
  value: Value,
  lower: Value | undefined,
  upper: Value | undefined,
  query: SearchRange,
): boolean {
  if (lower !== undefined && !(query.includeLower ? value >= lower : value > lower)) return false;
  return upper === undefined || (query.includeUpper ? value <= upper : value < upper);
}

/** Numbers compare numerically and strings by code unit; the bounds decide which, and mixed types never match (S28). */
function rangeTest(query: SearchRange): (definition: SearchField) => LeafTest {
  return (definition) => {
    if (definition.type === 'date') return dateRangeTest(query);
    const lowerNumber = query.lower === null ? undefined : numberOf(query.lower);
    const upperNumber = query.upper === null ? undefined : numberOf(query.upper);
    const numeric =
      (query.lower === null || lowerNumber !== undefined) && (query.upper === null || upperNumber !== undefined);
    if (query.lower === null && query.upper === null) return () => true;
    if (numeric) return (leaf) => typeof leaf === 'number' && within(leaf, lowerNumber, upperNumber, query);
    const lower = query.lower === null ? undefined : fold(query.lower, definition);
    const upper = query.upper === null ? undefined : fold(query.upper, definition);
    return (leaf) => typeof leaf === 'string' && within(fold(leaf, definition), lower, upper, query);
  };
}

/** Compiles a parsed query into a test of one user. */
export function compileSearchQuery(query: SearchQuery): UserPredicate {
  switch (query.kind) {
    case 'all':
      return () => true;
    case 'or':
      return anyOf(query.clauses.map(compileSearchQuery));
    case 'and': {
      const predicates = query.clauses.map(compileSearchQuery);
      return (user) => {
        for (const predicate of predicates) if (!predicate(user)) return false;
        return true;
      };
    }
    case 'not': {
      const predicate = compileSearchQuery(query.clause);
      return (user) => !predicate(user);
    }
    case 'term':
      return targetPredicate(query.field, termTest(query.text));
    case 'wildcard':
      return targetPredicate(query.field, wildcardTest(query));
    case 'range':
      return targetPredicate(query.field, rangeTest(query));
    case 'exists':
      return fieldPredicate(query.field, () => () => true, true);
  }
}
