import type { SearchFieldPath, SearchQuery, SearchRange, SearchWildcard, Steps } from '../parseSearchQuery.js';
import { SEARCH_FIELDS, type SearchField } from '../rules/search.js';

/** A test of one user. */
export type UserPredicate = (user: unknown) => boolean;

/** An indexed value (S24): what a term, a pattern or a range is compared with. */
type Leaf = string | number | boolean;
type LeafTest = (leaf: Leaf) => boolean;

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null;
}

function own(value: Readonly<Record<string, unknown>>, key: string): unknown {
  return Object.hasOwn(value, key) ? value[key] : undefined;
}

/** A test of the value found at some point of a path, arrays included. */
type Visitor = (value: unknown) => boolean;

/**
 * The end of a path: an indexed value passes `test`; an array passes when any element does (S23);
 * `null`, `[]` and `{}` hold nothing (S24). With `below`, an object counts through any value inside
 * it (`_exists_`, S26).
 */
function visitEnd(test: LeafTest, below: boolean): Visitor {
  const visit = (value: unknown): boolean => {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return test(value);
    if (typeof value !== 'object' || value === null) return false;
    if (Array.isArray(value)) {
      for (const element of value) if (visit(element)) return true;
      return false;
    }
    if (!below) return false;
    for (const inner of Object.values(value)) if (visit(inner)) return true;
    return false;
  };
  return visit;
}

/** Whether only own properties can answer a read of a key `Object.prototype` lacks: JSON's plain objects. */
function isPlainRecord(value: Readonly<Record<string, unknown>>): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * One key of a path; arrays on the way are looked through (S23). With `reads: 'own'` the key is
 * read as an own property only: the read comes first and the own-property check only when
 * something was found on an object that could inherit it (`constructor`, `__proto__`, a class
 * instance), so a miss costs one load. With `'any'`, a plain read: what it finds includes what an
 * own-only read finds.
 */
function visitKey(key: string, next: Visitor, reads: 'own' | 'any' = 'own'): Visitor {
  const own = reads === 'own';
  const inherited = key in Object.prototype;
  const visit = (value: unknown): boolean => {
    if (!isRecord(value)) return false;
    if (Array.isArray(value)) {
      for (const element of value) if (visit(element)) return true;
      return false;
    }
    const found = value[key];
    if (found === undefined) return false;
    if (own && (inherited || !isPlainRecord(value)) && !Object.hasOwn(value, key)) return false;
    return next(found);
  };
  return visit;
}

/**
 * The visitors for `path` ending in `end`, built once per query: one closure per key, no per-user
 * work. `loose` walks the path with plain reads; `strict`, reading own properties only, is for what
 * passes `loose` (`undefined` for an empty path, where both are `end`): a plain read finds every
 * own property, so a miss is a miss both ways, and the prototype checks, which cost more than the
 * reads, are paid for hits only.
 */
function visitPath(path: readonly string[], end: Visitor): { readonly loose: Visitor; readonly strict?: Visitor } {
  if (path.length === 0) return { loose: end };
  return {
    loose: path.reduceRight((visitor, key) => visitKey(key, visitor, 'any'), end),
    strict: path.reduceRight((visitor, key) => visitKey(key, visitor), end),
  };
}

/** The root fields a user object may carry, as the readers below see them. */
interface SearchableUser {
  readonly email?: unknown;
  readonly name?: unknown;
  readonly given_name?: unknown;
  readonly family_name?: unknown;
  readonly nickname?: unknown;
  readonly username?: unknown;
  readonly user_id?: unknown;
  readonly phone_number?: unknown;
  readonly last_ip?: unknown;
  readonly email_verified?: unknown;
  readonly blocked?: unknown;
  readonly phone_verified?: unknown;
  readonly logins_count?: unknown;
  readonly created_at?: unknown;
  readonly updated_at?: unknown;
  readonly last_login?: unknown;
  readonly identities?: unknown;
  readonly app_metadata?: unknown;
  readonly user_metadata?: unknown;
}

/**
 * A reader per root field, each with its own property access, so that every read site sees one
 * name on one kind of user object and stays fast; a field without a reader is read generically
 * (same answer, slower). Speed only: which fields are searchable is {@link SEARCH_FIELDS}.
 */
const ROOT_READERS: Readonly<Record<string, (user: SearchableUser) => unknown>> = Object.freeze({
  email: (user) => user.email,
  name: (user) => user.name,
  given_name: (user) => user.given_name,
  family_name: (user) => user.family_name,
  nickname: (user) => user.nickname,
  username: (user) => user.username,
  user_id: (user) => user.user_id,
  phone_number: (user) => user.phone_number,
  last_ip: (user) => user.last_ip,
  email_verified: (user) => user.email_verified,
  blocked: (user) => user.blocked,
  phone_verified: (user) => user.phone_verified,
  logins_count: (user) => user.logins_count,
  created_at: (user) => user.created_at,
  updated_at: (user) => user.updated_at,
  last_login: (user) => user.last_login,
  identities: (user) => user.identities,
  app_metadata: (user) => user.app_metadata,
  user_metadata: (user) => user.user_metadata,
});

/** `email.domain`: the part of the email after its last `@` (DOC-QS). */
function emailDomain(user: unknown): unknown {
  const email = isRecord(user) ? own(user, 'email') : undefined;
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
  const end = visitEnd(leafTest, below);
  const { loose, strict } = visitPath(field.path, end);
  const visit: Visitor = strict === undefined ? loose : (value) => loose(value) && strict(value);
  const { root, path } = field;
  if (root === 'email.domain') return (user) => visit(emailDomain(user));
  const read = Object.hasOwn(ROOT_READERS, root) ? ROOT_READERS[root] : undefined;
  if (read === undefined) return visitKey(root, visit);
  const general: UserPredicate = (user) => {
    if (!isRecord(user)) return false;
    const found = read(user);
    // Root field names are not `Object.prototype`'s: only a user that is not a plain object could
    // inherit one, and that is checked for a hit only (as below the root).
    return (
      found !== undefined &&
      loose(found) &&
      (strict === undefined || strict(found)) &&
      (isPlainRecord(user) || Object.hasOwn(user, root))
    );
  };
  return path.length === 0 ? general : directPath(read, root, path, leafTest, end, general);
}

/**
 * The predicate of a path of one to three keys below a root field, for the usual user: the keys
 * read one after the other in one function (one per length, no loop), the value at the end tested
 * at once, no visitor per key. An array on the way is left to `general` (the visitors, S23). The
 * keys are read plainly; only for a hit is each object on the way asked whether it owns its key
 * (a plain read finds every own property, so a miss is a miss both ways): an inherited key is never
 * found, and a miss costs plain reads only. Longer paths are left to `general`. The three cases
 * repeat each other on purpose: a loop over the keys, even with its extra branch never taken,
 * cost a quarter of the time of a two-key path (BENCHMARKS.md, `searchUsers`).
 */
function directPath(
  read: (user: SearchableUser) => unknown,
  root: string,
  path: readonly string[],
  leafTest: LeafTest,
  end: Visitor,
  general: UserPredicate,
): UserPredicate {
  // The metadata roots are read by name here, not through `read`: a call shared by every root is a
  // call the engine cannot inline once several roots have gone through it.
  const metadata = root === 'app_metadata' ? 1 : root === 'user_metadata' ? 2 : 0;
  const rootOf = (user: SearchableUser): unknown =>
    metadata === 1 ? user.app_metadata : metadata === 2 ? user.user_metadata : read(user);
  const passes = (value: unknown): boolean =>
    typeof value === 'object'
      ? end(value)
      : (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') && leafTest(value);
  const [first = '', second = '', third = ''] = path;
  // `undefined` for a value that is no object; `null` for an array, which the visitors walk.
  const inside = (value: unknown): Readonly<Record<string, unknown>> | undefined | null =>
    !isRecord(value) ? undefined : Array.isArray(value) ? null : value;
  switch (path.length) {
    case 1:
      return (user) => {
        if (!isRecord(user)) return false;
        const top = inside(rootOf(user));
        if (top === undefined) return false;
        if (top === null) return general(user);
        return passes(top[first]) && Object.hasOwn(user, root) && Object.hasOwn(top, first);
      };
    case 2:
      return (user) => {
        if (!isRecord(user)) return false;
        const top = inside(rootOf(user));
        if (top === undefined) return false;
        const middle = top === null ? null : inside(top[first]);
        if (middle === undefined) return false;
        if (top === null || middle === null) return general(user);
        return (
          passes(middle[second]) &&
          Object.hasOwn(user, root) &&
          Object.hasOwn(top, first) &&
          Object.hasOwn(middle, second)
        );
      };
    case 3:
      return (user) => {
        if (!isRecord(user)) return false;
        const top = inside(rootOf(user));
        if (top === undefined) return false;
        const middle = top === null ? null : inside(top[first]);
        if (middle === undefined) return false;
        const low = middle === null ? null : inside(middle[second]);
        if (low === undefined) return false;
        if (top === null || middle === null || low === null) return general(user);
        return (
          passes(low[third]) &&
          Object.hasOwn(user, root) &&
          Object.hasOwn(top, first) &&
          Object.hasOwn(middle, second) &&
          Object.hasOwn(low, third)
        );
      };
    default:
      return general;
  }
}

/** The fields a value without a field name is searched in. */
const DEFAULT_FIELDS: readonly string[] = /* @__PURE__ */ Object.keys(SEARCH_FIELDS).filter(
  (name) => SEARCH_FIELDS[name]?.defaultField === true,
);

/** Applies `test` to the field, or (for a value without a field name) to every default field. */
function targetPredicate(field: SearchFieldPath | null, test: (definition: SearchField) => LeafTest): UserPredicate {
  if (field !== null) return fieldPredicate(field, test);
  return anyOf(DEFAULT_FIELDS.map((name) => fieldPredicate({ name, root: name, path: [] }, test)));
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
    if (definition.type === 'date') {
      const interval = dateInterval(text);
      // A text that is no date only matches itself: no date is parsed per user.
      if (interval === undefined) return (leaf) => leaf === text;
      return (leaf) => {
        if (leaf === text) return true;
        const time = timeOf(leaf);
        return interval !== undefined && time >= interval[0] && time <= interval[1];
      };
    }
    if (definition.caseInsensitive) {
      const wanted = text.toLowerCase();
      return (leaf) => (typeof leaf === 'string' ? leaf.toLowerCase() === wanted : leaf === number || leaf === boolean);
    }
    // One comparison per type: a string equals the text, a number its value, a boolean its word.
    return (leaf) => leaf === text || leaf === number || leaf === boolean;
  };
}

/** Whether `text` matches the pieces of a pattern: starts with the first, ends with the last, holds the rest in order. */
/**
 * The test of any of several terms on one field: a set lookup per value instead of one comparison
 * per term, so that `q=a b c ...` (bare words, `OR`) with a thousand words reads each value once.
 * The same answers as {@link termTest} for each text, together.
 */
function termsTest(texts: readonly string[]): (definition: SearchField) => LeafTest {
  const tests = perFolding((folded, date): LeafTest => {
    if (date) {
      const exact = new Set(texts);
      const intervals = texts.flatMap((text) => {
        const interval = dateInterval(text);
        return interval === undefined ? [] : [interval];
      });
      return (leaf) => {
        if (typeof leaf === 'string' && exact.has(leaf)) return true;
        if (intervals.length === 0) return false;
        const time = timeOf(leaf);
        return intervals.some(([start, end]) => time >= start && time <= end);
      };
    }
    const strings = new Set(texts.map((text) => (folded ? text.toLowerCase() : text)));
    const numbers = new Set(texts.flatMap((text) => numberOf(text) ?? []));
    const booleans = new Set(texts.flatMap((text) => (text === 'true' ? [true] : text === 'false' ? [false] : [])));
    return (leaf) => {
      if (typeof leaf === 'string') return strings.has(folded ? leaf.toLowerCase() : leaf);
      return typeof leaf === 'number' ? numbers.has(leaf) : booleans.has(leaf);
    };
  });
  return (definition) => tests(definition.caseInsensitive, definition.type === 'date');
}

/**
 * `build` for each kind of field a test of many texts tells apart (folded or not, date or not),
 * each built once, when a field of that kind first needs it: the default fields share them.
 */
function perFolding<Built>(
  build: (folded: boolean, date: boolean) => Built,
): (folded: boolean, date: boolean) => Built {
  const built = new Map<string, Built>();
  return (folded, date) => {
    const key = `${folded}${date}`;
    const known = built.get(key);
    if (known !== undefined) return known;
    const made = build(folded, date);
    built.set(key, made);
    return made;
  };
}

/**
 * The predicates of the clauses of an `OR`: the terms on one field (or on the default fields)
 * become one predicate testing them all at once; every other clause keeps its own.
 */
function* orPredicates(clauses: readonly SearchQuery[]): Steps<UserPredicate[]> {
  const predicates: UserPredicate[] = [];
  const terms = new Map<string | null, { readonly field: SearchFieldPath | null; readonly texts: string[] }>();
  const wildcards = new Map<string | null, { readonly field: SearchFieldPath | null; readonly of: SearchWildcard[] }>();
  for (const clause of clauses) {
    if (clause.kind === 'wildcard' && !clause.parts.every((part) => part === '')) {
      const key = clause.field === null ? null : clause.field.name;
      const group = wildcards.get(key);
      if (group === undefined) wildcards.set(key, { field: clause.field, of: [clause] });
      else group.of.push(clause);
      continue;
    }
    if (clause.kind !== 'term') {
      predicates.push(yield* compileSteps(clause));
      continue;
    }
    const key = clause.field === null ? null : clause.field.name;
    const group = terms.get(key);
    if (group === undefined) terms.set(key, { field: clause.field, texts: [clause.text] });
    else group.texts.push(clause.text);
  }
  // A pause after each field's predicate: 1,024 terms on as many fields are as many predicates.
  for (const { field, texts } of terms.values()) {
    const [only] = texts;
    predicates.push(
      targetPredicate(field, texts.length === 1 && only !== undefined ? termTest(only) : termsTest(texts)),
    );
    yield;
  }
  for (const { field, of } of wildcards.values()) {
    predicates.push(targetPredicate(field, wildcardsTest(of)));
    yield;
  }
  return predicates;
}

/**
 * The test of any of several wildcard patterns (none of them `*` alone) on one field: each value
 * is folded once for all of them, not once per pattern. The same answers as {@link wildcardTest}.
 */
function wildcardsTest(queries: readonly SearchWildcard[]): (definition: SearchField) => LeafTest {
  const tests = perFolding((folded): LeafTest => {
    const foldIf = (text: string): string => (folded ? text.toLowerCase() : text);
    const patterns = queries.map((query): [string, ...string[]] => [
      foldIf(query.parts[0]),
      ...query.parts.slice(1).map(foldIf),
    ]);
    return (leaf) => {
      if (typeof leaf !== 'string') return false;
      const text = foldIf(leaf);
      for (const parts of patterns) if (matchesParts(text, parts)) return true;
      return false;
    };
  });
  return (definition) => tests(definition.caseInsensitive, false);
}

function matchesParts(text: string, parts: readonly [string, ...string[]]): boolean {
  const first = parts[0];
  const last = parts[parts.length - 1] ?? '';
  if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false;
  let from = first.length;
  const until = text.length - last.length;
  for (const part of parts.slice(1, -1)) {
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
  const steps = compileSteps(query);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * {@link compileSearchQuery} a piece at a time: it pauses after each clause of an `AND` or an `OR`
 * that is compiled on its own, so that a server can answer other requests while it compiles a
 * long query.
 */
export function* compileSteps(query: SearchQuery): Steps<UserPredicate> {
  switch (query.kind) {
    case 'all':
      return () => true;
    case 'or':
      return anyOf(yield* orPredicates(query.clauses));
    case 'and': {
      const predicates: UserPredicate[] = [];
      for (const clause of query.clauses) {
        predicates.push(yield* compileSteps(clause));
        yield;
      }
      return (user) => {
        for (const predicate of predicates) if (!predicate(user)) return false;
        return true;
      };
    }
    case 'not': {
      const predicate = yield* compileSteps(query.clause);
      yield;
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
