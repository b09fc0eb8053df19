import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type FieldQuery, type Result, selectFields, type User } from '../src/index.js';
import {
  comparable,
  getOwn,
  HOSTILE_RUNS,
  type Hostile,
  hostileValue,
  isResult,
  revokedProxy,
  storedUser,
  throwing,
} from './arbitraries.js';
import { prop } from './prop.js';

function unwrap<Value>(result: Result<Value>): Value {
  if (!result.success) throw new Error(`Expected a success, got ${JSON.stringify(result.issues)}`);
  return result.value;
}

function isRecord(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every key of `part` is in `whole` with an equal value; an object field may keep only some of its keys. */
function expectSubset(part: object, whole: object): void {
  for (const key of Object.keys(part)) {
    expect(Object.hasOwn(whole, key), `${key} is a field of the user`).toBe(true);
    const value = getOwn(part, key);
    const original = getOwn(whole, key);
    if (isRecord(value) && isRecord(original) && value !== original) {
      for (const inner of Object.keys(value)) {
        expect(Object.hasOwn(original, inner), `${key}.${inner} is in the user`).toBe(true);
        expect(comparable(getOwn(value, inner))).toStrictEqual(comparable(getOwn(original, inner)));
      }
    } else {
      expect(comparable(value), key).toStrictEqual(comparable(original));
    }
  }
}

type Form = 'list' | 'comma-separated' | 'comma-separated with spaces';

function fieldsIn(form: Form, names: readonly string[]): FieldQuery['fields'] {
  if (form === 'list') return names;
  return names.join(form === 'comma-separated' ? ',' : ' , ');
}

/** Root names a stored user never has; `toString` and `__proto__` would match an `in` check. */
const NAMES_THE_USER_LACKS: readonly string[] = ['last_login', 'logins_count', 'nope', 'toString', '__proto__'];

const partitionCase = storedUser.chain((user) =>
  fc.record({
    user: fc.constant(user),
    known: fc.subarray(Object.keys(user), { minLength: 1 }),
    unknown: fc.subarray([...NAMES_THE_USER_LACKS]),
    form: fc.constantFrom<Form>('list', 'comma-separated', 'comma-separated with spaces'),
    include: fc.constantFrom(true, 'true'),
    exclude: fc.constantFrom(false, 'false'),
  }),
);

/** Names a query may hold: the user's fields, single metadata keys, unknown and odd names. */
function namesFor(user: User): fc.Arbitrary<string> {
  const metadataNames = (['user_metadata', 'app_metadata'] as const).flatMap((field) =>
    Object.keys(user[field] ?? {}).map((key) => `${field}.${key}`),
  );
  return fc.constantFrom(
    ...Object.keys(user),
    ...metadataNames,
    ...NAMES_THE_USER_LACKS,
    'user_metadata.missing',
    'app_metadata.constructor',
    'identities.0',
    'email.domain',
    ' email ',
    '',
  );
}

const queryCase = storedUser.chain((user) =>
  fc.tuple(
    fc.constant(user),
    fc
      .record({
        names: fc.array(namesFor(user), { maxLength: 5 }),
        form: fc.constantFrom<Form>('list', 'comma-separated', 'comma-separated with spaces'),
        include: fc.constantFrom(true, false, 'true', 'false', undefined),
      })
      .map(({ names, form, include }): FieldQuery => ({ fields: fieldsIn(form, names), include_fields: include })),
  ),
);

/** Where a hostile value goes in a call of `selectFields`. */
const POSITIONS: Readonly<Record<string, (value: unknown, user: User) => readonly [unknown, unknown]>> = {
  'the user': (value) => [value, { fields: 'email' }],
  'the query': (value, user) => [user, value],
  fields: (value, user) => [user, { fields: value }],
  'a field name': (value, user) => [user, { fields: ['email', value] }],
  include_fields: (value, user) => [user, { fields: 'email', include_fields: value }],
  user_metadata: (value, user) => [{ ...user, user_metadata: value }, { fields: 'user_metadata.a' }],
  'user_metadata, excluded': (value, user) => [
    { ...user, user_metadata: value },
    { fields: ['user_metadata.a'], include_fields: false },
  ],
};

function callWith(position: string, input: Hostile, user: User): unknown {
  const args = POSITIONS[position]?.(input.value, user) ?? [];
  return Reflect.apply(selectFields, undefined, args);
}

describe('selectFields', () => {
  prop(
    'include and exclude with the same fields partition the user: their keys split the user’s keys',
    [partitionCase],
    ({ user, known, unknown, form, include, exclude }) => {
      const fields = fieldsIn(form, [...known, ...unknown]);
      const kept = unwrap(selectFields(user, { fields, include_fields: include }));
      const removed = unwrap(selectFields(user, { fields, include_fields: exclude }));
      expect(Object.keys(kept).sort()).toStrictEqual([...known].sort());
      expect([...Object.keys(kept), ...Object.keys(removed)].sort()).toStrictEqual(Object.keys(user).sort());
      return true;
    },
  );

  prop(
    'selectFields output ⊆ user: every key of the result is in the user with an equal value',
    [queryCase],
    ([user, query]) => {
      expectSubset(unwrap(selectFields(user, query)), user);
      return true;
    },
  );
});

describe('no input ever throws', () => {
  prop(
    'selectFields returns a result for any user and query',
    [storedUser, fc.constantFrom(...Object.keys(POSITIONS)), hostileValue],
    (user, position, input) => isResult(callWith(position, input, user)),
    { numRuns: HOSTILE_RUNS },
  );

  test('selectFields returns an issue when the stored user is a proxy that throws a revoked proxy', () => {
    // Shrunk from the law above: `error instanceof Error` reads the prototype of the revoked proxy.
    const user = new Proxy({}, { getPrototypeOf: () => throwing(revokedProxy({})) });
    expect(isResult(Reflect.apply(selectFields, undefined, [user, { fields: 'email' }]))).toBe(true);
  });
});
