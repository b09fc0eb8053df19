/**
 * Laws of searchUsers over random users and random queries built from a small clause grammar.
 * Replay a failure with the seed it prints: FC_SEED=<seed> npx vitest run test/searchUsers.prop.test.ts
 */
import fc from 'fast-check';
import { describe } from 'vitest';
import { parseSearchQuery, searchUsers, type User } from '../src/index.js';
import { TRICKY_KEYS } from './arbitraries.js';
import { prop } from './prop.js';

const scalar = fc.oneof(
  fc.constantFrom('gold', 'Gold', 'free', 'a b', '30', ''),
  fc.integer({ min: -2, max: 40 }),
  fc.boolean(),
  fc.constant(null),
);
const metadataKey = fc.constantFrom('plan', 'roles', 'age', 'sub', ...TRICKY_KEYS);
const metadataValue = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(metadataKey, scalar, { maxKeys: 2 }) },
);
const metadata = fc.dictionary(metadataKey, metadataValue, { maxKeys: 4 });

const users: fc.Arbitrary<readonly User[]> = fc
  .array(
    fc.record(
      {
        email: fc.constantFrom('jane@example.com', 'JANE@example.com', 'bob@example.org'),
        name: fc.constantFrom('Jane Smith', 'bob', 'gold'),
        logins_count: fc.nat({ max: 300 }),
        email_verified: fc.boolean(),
        created_at: fc.constantFrom('2024-06-01T00:00:00.000Z', '2025-12-31T23:00:00.000Z', '2026-01-01T00:00:00.000Z'),
        user_metadata: metadata,
        app_metadata: metadata,
      },
      { requiredKeys: ['created_at'] },
    ),
    { maxLength: 12 },
  )
  .map((records) =>
    records.map((record, index) => ({
      ...record,
      user_id: `auth0|${index}`,
      identities: [],
      updated_at: record.created_at,
    })),
  );

const clause = fc.constantFrom(
  'app_metadata.plan:gold',
  'app_metadata.plan:"Gold"',
  'app_metadata.roles:free',
  'user_metadata.age:30',
  'app_metadata.sub.plan:gold',
  'app_metadata.__proto__:gold',
  'app_metadata.constructor.plan:*',
  'email:jane@example.com',
  'name:*mith',
  'name:j*',
  'gold',
  'logins_count:[100 TO 200}',
  'created_at:[2025 TO *]',
  'created_at:{* TO 2025-12-31]',
  'email_verified:true',
  '_exists_:user_metadata.plan',
  '_exists_:app_metadata.sub',
  'app_metadata.age:[0 TO 30]',
);

/** Random queries from the clauses with NOT, AND, OR, juxtaposition and parentheses. */
const query: fc.Arbitrary<string> = fc.letrec<{ query: string }>((tie) => ({
  query: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    clause,
    tie('query').map((inner) => `NOT (${inner})`),
    fc.tuple(tie('query'), tie('query')).map(([left, right]) => `(${left}) AND (${right})`),
    fc.tuple(tie('query'), tie('query')).map(([left, right]) => `(${left}) OR (${right})`),
    fc.tuple(tie('query'), tie('query')).map(([left, right]) => `(${left}) (${right})`),
  ),
})).query;

const sort = fc.constantFrom(undefined, 'created_at:1', 'logins_count:-1', 'email:1', 'app_metadata.plan:1');

function found(all: readonly User[], q: string, sortBy?: string): readonly User[] {
  const result = searchUsers(all, { q, per_page: 100, ...(sortBy === undefined ? {} : { sort: sortBy }) });
  if (!result.success) throw new Error(`${q}: ${result.issues[0].message}`);
  const body = result.value;
  if (!Array.isArray(body)) throw new Error('expected an array');
  return body;
}

describe('searchUsers laws', () => {
  prop('every generated query parses', [query], (q) => parseSearchQuery(q).success);

  prop('a result is a subset of the users, each once, in the default order without sort', [users, query], (all, q) => {
    const result = found(all, q);
    const positions = result.map((user) => all.indexOf(user));
    return positions.every(
      (position, index) => position >= 0 && (index === 0 || position > (positions[index - 1] ?? 0)),
    );
  });

  prop('a sorted result holds the same users as the unsorted one', [users, query, sort], (all, q, sortBy) => {
    const sorted = found(all, q, sortBy);
    const unsorted = found(all, q);
    return sorted.length === unsorted.length && sorted.every((user) => unsorted.includes(user));
  });

  prop('NOT q and q partition the users', [users, query], (all, q) => {
    const matching = found(all, q);
    const notMatching = found(all, `NOT (${q})`);
    return (
      matching.length + notMatching.length === all.length &&
      all.every((user) => matching.includes(user) !== notMatching.includes(user))
    );
  });

  prop('AND-ing a clause never adds results', [users, query, query], (all, q, extra) => {
    const narrowed = found(all, `(${q}) AND (${extra})`);
    const wide = found(all, q);
    return narrowed.every((user) => wide.includes(user));
  });

  prop('OR is the union of its sides', [users, query, query], (all, left, right) => {
    const union = found(all, `(${left}) OR (${right})`);
    const sides = new Set([...found(all, left), ...found(all, right)]);
    return union.length === sides.size && union.every((user) => sides.has(user));
  });

  prop(
    'include_totals total is the number of matches; pages concatenate to the whole result',
    [users, query],
    (all, q) => {
      const whole = found(all, q);
      const pages = [0, 1, 2, 3].map((page) => {
        const result = searchUsers(all, { q, page, per_page: 4, include_totals: true });
        return result.success && 'total' in result.value ? result.value : undefined;
      });
      const concatenated = pages.flatMap((page) => page?.users ?? []);
      return (
        pages.every((page) => page?.total === whole.length) &&
        concatenated.length === whole.length &&
        concatenated.every((user, index) => user === whole[index])
      );
    },
  );

  prop('the users are never changed', [users, query], (all, q) => {
    const before = JSON.stringify(all);
    found(all, q, 'email:1');
    return JSON.stringify(all) === before;
  });
});

/** Keys of nested metadata, some of them `Object.prototype`'s. */
const pathKey = fc.constantFrom('a', 'b', 'constructor', 'toString');
/** A term's texts and the values that may equal them (or look alike). */
const leaf = fc.constantFrom<unknown>('x', 'X', '1', 1, 'true', true, null);

/** An object holding `value` at `key`: its own key (in a plain object or one without a prototype) or an inherited one. */
function holder(kind: string, key: string, value: unknown): object {
  if (kind === 'inherited') return Object.create({ [key]: value });
  const made: Record<string, unknown> = Object.create(kind === 'bare' ? null : Object.prototype);
  made[key] = value;
  return made;
}

/**
 * Metadata along `path`: at each step a leaf, an object holding the rest of the path (own or
 * inherited), or an array of such objects and leaves (S23).
 */
function along(path: readonly string[]): fc.Arbitrary<unknown> {
  const [key, ...rest] = path;
  if (key === undefined) return leaf;
  const inner = along(rest);
  const held = fc
    .tuple(inner, fc.constantFrom('plain', 'plain', 'bare', 'inherited'))
    .map(([value, kind]) => holder(kind, key, value));
  return fc.oneof(leaf, held, held, fc.array(fc.oneof(held, leaf), { minLength: 1, maxLength: 2 }));
}

/**
 * What a term on `path` below `app_metadata` finds, read the slow way: own properties only, arrays
 * looked through at every step (S23), a leaf equal to the text as a string, its number or its word
 * (S25).
 */
function holds(value: unknown, path: readonly string[], text: string): boolean {
  if (Array.isArray(value)) return value.some((element) => holds(element, path, text));
  const [key, ...rest] = path;
  if (key === undefined) {
    if (typeof value === 'string') return value === text;
    return (typeof value === 'number' || typeof value === 'boolean') && String(value) === text;
  }
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.hasOwn(value, key) &&
    holds(Reflect.get(value, key), rest, text)
  );
}

describe('searchUsers: paths below a root', () => {
  prop(
    'a term on a path of one to four keys finds exactly the users whose own keys lead to the value',
    [
      fc
        .array(pathKey, { minLength: 1, maxLength: 4 })
        .chain((path) => fc.tuple(fc.constant(path), fc.array(along(path), { maxLength: 6 }))),
      fc.constantFrom('x', 'x', '1', 'true'),
    ],
    ([path, metadata], text) => {
      const all = metadata.map((app_metadata, index) => ({ user_id: `auth0|${index}`, app_metadata }));
      const result = searchUsers(all, { q: `app_metadata.${path.join('.')}:"${text}"`, per_page: 100 });
      if (!result.success) return false;
      const body: readonly unknown[] | object = result.value;
      if (!Array.isArray(body)) return false;
      const expected = all.filter((user) => holds(user.app_metadata, path, text));
      return body.length === expected.length && expected.every((user, index) => body[index] === user);
    },
  );
});
