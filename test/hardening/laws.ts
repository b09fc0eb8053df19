/**
 * The fuzzing laws of the library, shared by `fuzz.test.ts` (a bounded number of cases, CI seed) and
 * `npm run fuzz` (a million cases). Each law puts a hostile value somewhere in the arguments of one
 * function and checks, for every case:
 *
 * 1. the call returns a result (it never throws);
 * 2. it changes nothing in its input (a fingerprint of the arguments, taken before and after, is the
 *    same; most inputs are deep-frozen, so a write would throw and show up as an issue instead);
 * 3. when it succeeds, its result survives `JSON.parse(JSON.stringify(result))` unchanged and every
 *    object in it has `Object.prototype` (arrays: `Array.prototype`).
 *
 * This module imports no test runner, so the fuzz script can bundle and run it on its own.
 */
import { types } from 'node:util';
import fc from 'fast-check';
import {
  analyzePatch,
  applyPatch,
  createUser,
  diffToPatch,
  selectFields,
  type User,
  validatePatch,
  validateSignupMetadata,
} from '../../src/index.js';
import {
  comparable,
  defineOwn,
  isResult,
  jsonValue,
  metadataKey,
  patchedNow,
  revokedProxy,
  storedUser,
  TRICKY_KEYS,
  throwing,
  trapsThrowing,
} from '../arbitraries.js';
import { at } from '../helpers.js';
import { fingerprint, fingerprintDifference, lockAll, own, shapeIssues } from './support.js';

const CONNECTION = 'Username-Password-Authentication';

// ---------------------------------------------------------------------------------------------
// Large values: built once, deep-frozen, shared by every case (a case must stay cheap).
// ---------------------------------------------------------------------------------------------

/** Ten mebibytes of text. Strings are immutable, so one is enough. */
export const TEN_MB_STRING: string = 'x'.repeat(10 * 1024 * 1024);

function nest(depth: number, wrap: (inner: unknown) => object): object {
  let value: object = wrap('bottom');
  for (let level = 1; level < depth; level++) value = wrap(value);
  return value;
}

/** Shared inputs too large to fingerprint or freeze on every case; frozen once, never walked again. */
export const LARGE: Readonly<Record<string, object>> = {
  'objects nested 100,000 deep': Object.freeze(nest(100_000, (inner) => Object.freeze({ a: inner }))),
  'arrays nested 100,000 deep': Object.freeze(nest(100_000, (inner) => Object.freeze([inner]))),
  'an object with 10,000 keys': Object.freeze(
    Object.fromEntries(Array.from({ length: 10_000 }, (_, index) => [`k${index}`, index])),
  ),
};

/** The shared objects of {@link LARGE}: skipped by the fingerprint and by the freezing. */
export const OPAQUE: ReadonlySet<object> = new Set(Object.values(LARGE));

// ---------------------------------------------------------------------------------------------
// Hostile leaves
// ---------------------------------------------------------------------------------------------

class Point {
  readonly x = 1;
  readonly y = 2;
}

function fail(): never {
  return throwing(new Error('hostile input'));
}

/** What a hostile trap or getter throws: not always an Error, not always printable. */
const THROWN: Readonly<Record<string, () => unknown>> = {
  'an Error': () => new Error('hostile input'),
  'a string': () => 'hostile input',
  undefined: () => undefined,
  'a symbol': () => Symbol('hostile'),
  'an object with no prototype': () => Object.create(null),
  'a revoked proxy': () => revokedProxy({}),
  'an Error whose message throws': () => Object.defineProperty(new Error(), 'message', { get: fail }),
};

/**
 * A proxy whose property `a` reads `'ok'` the first time and a function afterwards: code that
 * validates one read and copies another lets the function through.
 */
function changingProxy(): object {
  let reads = 0;
  const next = (value: unknown): unknown => {
    reads++;
    return reads > 1 ? () => 'changed' : value;
  };
  return new Proxy(
    { a: 'ok' },
    {
      get: (target, key, receiver) =>
        key === 'a' ? next(Reflect.get(target, key, receiver)) : Reflect.get(target, key),
      getOwnPropertyDescriptor: (target, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(target, key);
        return key === 'a' && descriptor !== undefined ? { ...descriptor, value: next(descriptor.value) } : descriptor;
      },
    },
  );
}

/** A proxy whose `ownKeys` names keys the target does not have. */
function lyingKeysProxy(): object {
  return new Proxy({ a: 1 }, { ownKeys: () => ['a', 'ghost', '__proto__'] });
}

function cycle(): object {
  const root = { a: { b: {} } };
  defineOwn(root.a.b, 'back', root);
  return root;
}

function sparse(): unknown[] {
  const holes: unknown[] = [];
  holes[2] = 'x';
  return holes;
}

function withKey(key: PropertyKey, descriptor: PropertyDescriptor): object {
  return Object.defineProperty({}, key, descriptor);
}

/**
 * Every kind of value JSON cannot carry, and shapes no JSON parser produces. Built fresh for each
 * case (a hostile value may have state), except the shared large ones.
 */
const LEAVES: Readonly<Record<string, () => unknown>> = {
  undefined: () => undefined,
  function: () => () => 1,
  'async function': () => async () => 1,
  class: () => Point,
  symbol: () => Symbol('value'),
  bigint: () => 10n ** 30n,
  NaN: () => Number.NaN,
  Infinity: () => Number.POSITIVE_INFINITY,
  '-Infinity': () => Number.NEGATIVE_INFINITY,
  '-0': () => -0,
  Date: () => new Date(0),
  'invalid Date': () => new Date(Number.NaN),
  Map: () => new Map([['a', 1]]),
  Set: () => new Set([1]),
  WeakMap: () => new WeakMap(),
  'class instance': () => new Point(),
  Uint8Array: () => new Uint8Array([1, 2]),
  Float64Array: () => new Float64Array([1.5]),
  BigInt64Array: () => new BigInt64Array([1n]),
  ArrayBuffer: () => new ArrayBuffer(4),
  DataView: () => new DataView(new ArrayBuffer(4)),
  RegExp: () => /a/g,
  Error: () => new Error('e'),
  Promise: () => Promise.resolve(1),
  'boxed string': () => Object('a'),
  'boxed number': () => Object(1),
  'boxed boolean': () => Object(true),
  'boxed symbol': () => Object(Symbol('s')),
  'object with toJSON': () => ({ a: 1, toJSON: () => 'replaced' }),
  'null-prototype object': () => Object.assign(Object.create(null), { a: 1 }),
  'null-prototype object with __proto__ key': () => {
    const value: object = Object.create(null);
    defineOwn(value, '__proto__', { polluted: 'yes' });
    return value;
  },
  'object with Array.prototype': () => Object.create(Array.prototype),
  'array with an extra key': () => Object.assign([1], { extra: 2 }),
  'array with a symbol key': () => Object.assign([1], { [Symbol('s')]: 2 }),
  'sparse array': sparse,
  'array of 3 holes': () => new Array(3),
  'object cycle': cycle,
  'array cycle': () => {
    const value: unknown[] = [1];
    value.push(value);
    return value;
  },
  'shared subtree (valid JSON)': () => {
    const shared = { x: 1 };
    return { a: shared, b: [shared, shared] };
  },
  'symbol key': () => ({ [Symbol('key')]: 1, a: 1 }),
  'non-enumerable key': () => withKey('hidden', { value: 1, enumerable: false }),
  'throwing getter': () => withKey('a', { get: fail, enumerable: true, configurable: true }),
  'throwing getter named __proto__': () => withKey('__proto__', { get: fail, enumerable: true, configurable: true }),
  getter: () => withKey('a', { get: () => 'b', enumerable: true, configurable: true }),
  'setter only': () => withKey('a', { set: () => undefined, enumerable: true, configurable: true }),
  'frozen object': () => Object.freeze({ a: Object.freeze({ b: 1 }) }),
  'sealed object': () => Object.seal({ a: { b: 1 } }),
  'non-extensible object': () => Object.preventExtensions({ a: 1 }),
  'frozen array': () => Object.freeze([1, 2]),
  'transparent proxy of an object': () => new Proxy({ a: 'b' }, {}),
  'transparent proxy of an array': () => new Proxy([1, 2], {}),
  'revoked proxy of an object': () => revokedProxy({}),
  'revoked proxy of an array': () => revokedProxy([]),
  'proxy whose value changes between reads': changingProxy,
  'proxy whose ownKeys lies': lyingKeysProxy,
  'proxy whose getPrototypeOf says Array': () => new Proxy({ 0: 'a' }, { getPrototypeOf: () => Array.prototype }),
  'string with a lone surrogate': () => 'a\uD800b',
  'string with NUL': () => 'a\u0000b',
  'string of 10 MB': () => TEN_MB_STRING,
  ...Object.fromEntries(Object.keys(LARGE).map((name) => [name, () => LARGE[name]])),
  ...Object.fromEntries(
    Object.entries(THROWN).flatMap(([thrown, make]) => [
      [`proxy of an object whose traps throw ${thrown}`, () => new Proxy({}, trapsThrowing(make))],
      [`proxy of an array whose traps throw ${thrown}`, () => new Proxy([], trapsThrowing(make))],
      [`getter that throws ${thrown}`, () => withKey('a', { get: () => throwing(make()), enumerable: true })],
    ]),
  ),
};

/** The names of the leaves that cost more than the rest (a million cases must stay cheap). */
export const COSTLY_LEAVES: readonly string[] = ['string of 10 MB', ...Object.keys(LARGE)];

/** The name of every hostile leaf, for tests that go through them all. */
export const LEAF_NAMES: readonly string[] = Object.keys(LEAVES);

/** Builds the hostile leaf called `name`. */
export function buildLeaf(name: string): unknown {
  const make = LEAVES[name];
  if (make === undefined) throw new Error(`No hostile leaf named ${name}`);
  return make();
}

// ---------------------------------------------------------------------------------------------
// Hostile trees: a leaf planted at any depth, under keys such as __proto__ and constructor
// ---------------------------------------------------------------------------------------------

type Segment = string | number;

/** Keys that break code which reads with `in` or writes with `obj[key] = value`, often; any key, sometimes. */
const segmentKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype') },
  { weight: 2, arbitrary: fc.constantFrom(...TRICKY_KEYS) },
  { weight: 2, arbitrary: metadataKey },
  { weight: 1, arbitrary: fc.string({ maxLength: 4 }) },
);

const segment: fc.Arbitrary<Segment> = fc.oneof(
  { weight: 3, arbitrary: segmentKey },
  { weight: 1, arbitrary: fc.nat({ max: 2 }) },
);

/** Copies `base` (an object or array) and puts `leaf` at `path` in the copy; the copy's keys are own data. */
export function plant(base: unknown, path: readonly Segment[], leaf: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return leaf;
  if (typeof head === 'number') {
    const items: unknown[] = Array.isArray(base) ? [...base] : [];
    while (items.length < head) items.push(null);
    items[head] = plant(items[head], rest, leaf);
    return items;
  }
  const object: object = {};
  if (typeof base === 'object' && base !== null && !Array.isArray(base)) {
    for (const key of Object.keys(base)) defineOwn(object, key, own(base, key));
  }
  defineOwn(object, head, plant(own(object, head), rest, leaf));
  return object;
}

/** A hostile value and what it is, for counterexamples. */
export interface HostileTree {
  readonly value: unknown;
  readonly description: string;
}

/**
 * JSON leaves too, so that many cases are valid and the success path (round trip, prototypes) is
 * exercised. The costly leaves come about once in 700 cases: a million cases stay affordable, and the
 * example pass of `fuzz.test.ts` puts each of them in every position anyway.
 */
const leaf: fc.Arbitrary<HostileTree> = fc.oneof(
  {
    weight: 400,
    arbitrary: fc
      .constantFrom(...LEAF_NAMES.filter((name) => !COSTLY_LEAVES.includes(name)))
      .map((name) => ({ value: buildLeaf(name), description: name })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...COSTLY_LEAVES).map((name) => ({ value: buildLeaf(name), description: name })),
  },
  {
    weight: 250,
    arbitrary: jsonValue.map((value) => ({ value, description: `JSON ${JSON.stringify(value)}` })),
  },
  {
    weight: 80,
    arbitrary: fc
      .anything({
        key: segmentKey,
        maxDepth: 2,
        maxKeys: 3,
        withBigInt: true,
        withBoxedValues: true,
        withDate: true,
        withMap: true,
        withNullPrototype: true,
        withObjectString: true,
        withSet: true,
        withSparseArray: true,
        withTypedArray: true,
        withUnicodeString: true,
      })
      .map((value) => ({ value, description: `anything ${fc.stringify(value)}` })),
  },
);

/** A hostile leaf planted under a path of tricky keys and indexes, next to the keys of a JSON object. */
export const hostileTree: fc.Arbitrary<HostileTree> = fc
  .tuple(leaf, fc.array(segment, { maxLength: 4 }), jsonValue)
  .map(([planted, path, base]) => ({
    value: plant(base, path, planted.value),
    description: `${planted.description} at ${JSON.stringify(path)}`,
  }));

// ---------------------------------------------------------------------------------------------
// Cases and laws
// ---------------------------------------------------------------------------------------------

/** How the arguments are locked before the call. */
export type Lock = 'deep-frozen' | 'sealed' | 'as built';

/** One case of a law: a stored user, a hostile tree, where it goes, and how the arguments are locked. */
export interface FuzzCase {
  readonly user: User;
  readonly tree: HostileTree;
  readonly position: string;
  readonly lock: Lock;
}

/** Where a law puts the hostile tree: the arguments of the call. */
type Position = (tree: unknown, user: User) => unknown[];

/** A fuzzing law over one function. */
export interface Law {
  readonly name: string;
  readonly arbitrary: fc.Arbitrary<FuzzCase>;
  readonly predicate: (fuzzCase: FuzzCase) => boolean;
}

interface LawSpec {
  readonly name: string;
  readonly fn: (...args: never[]) => unknown;
  readonly positions: Readonly<Record<string, Position>>;
  /**
   * When a successful result must be JSON: `always` when the hostile value is in a body, a query or
   * signup metadata; when it is in a stored user, only if that argument (its index here) is JSON.
   * Stored subtrees are returned by reference (docs/library.md: "stored subtrees the patch does not touch are
   * returned by reference"; selectFields: "with nothing to select, the same user object is
   * returned"), so a stored user that is not JSON may come back as it is; a JSON one must give JSON.
   */
  readonly json: 'always' | number;
}

/** Messages of the TypeError a strict-mode write to a frozen or sealed object throws (V8's wording). */
const WRITE_TO_LOCKED =
  /Cannot (assign to read only property|add property|delete property|define property|redefine property)|object is not extensible/;

function lockArguments(args: unknown[], lock: Lock): void {
  if (lock === 'deep-frozen') lockAll(args, Object.freeze, OPAQUE);
  else if (lock === 'sealed') lockAll(args, Object.seal, OPAQUE);
}

function describeCase(spec: LawSpec, fuzzCase: FuzzCase): string {
  return `${spec.name} with ${fuzzCase.tree.description} in ${fuzzCase.position} (${fuzzCase.lock})`;
}

/**
 * Checks one case; throws an Error that says what broke. The checks are hand-written rather than
 * `expect` calls: the fuzz script runs them a million times.
 */
export function checkCase(spec: LawSpec, fuzzCase: FuzzCase): true {
  const position = spec.positions[fuzzCase.position];
  if (position === undefined) throw new Error(`No position ${fuzzCase.position} in ${spec.name}`);
  const args = position(fuzzCase.tree.value, fuzzCase.user);
  lockArguments(args, fuzzCase.lock);
  const before = fingerprint(args, OPAQUE);
  let result: unknown;
  try {
    result = Reflect.apply(spec.fn, undefined, args);
  } catch (error) {
    throw new Error(`${describeCase(spec, fuzzCase)} threw ${String(error)}`, { cause: error });
  }
  if (!isResult(result)) throw new Error(`${describeCase(spec, fuzzCase)} returned ${String(result)}`);
  const changed = fingerprintDifference(before, fingerprint(args, OPAQUE));
  if (changed !== undefined) throw new Error(`${describeCase(spec, fuzzCase)} changed its input: ${changed}`);
  if (own(result, 'success') === false) {
    const issues = own(result, 'issues');
    const text = JSON.stringify(issues);
    if (WRITE_TO_LOCKED.test(text)) {
      throw new Error(`${describeCase(spec, fuzzCase)} tried to write to its locked input: ${text}`);
    }
    return true;
  }
  // Judged after the call: serialising a hostile value runs its getters and traps, which may have state.
  if (spec.json !== 'always' && !isJson(args[spec.json])) return true;
  checkJson(result, () => describeCase(spec, fuzzCase));
  return true;
}

/**
 * Whether a value is plain JSON data: plain objects and arrays only (no Proxy, no accessor, no other
 * prototype), and the same after a JSON round trip (a value that makes JSON.stringify throw is not).
 */
function isJson(value: unknown): boolean {
  try {
    if (shapeIssues(value, { frozen: false }).length > 0) return false;
    const text = JSON.stringify(value);
    return text !== undefined && sameJson(comparable(JSON.parse(text)), comparable(value));
  } catch {
    return false;
  }
}

/** A successful result survives a JSON round trip, and every object in it is plain. */
function checkJson(result: unknown, describe: () => string): void {
  let text: string | undefined;
  try {
    text = JSON.stringify(result);
  } catch (error) {
    throw new Error(`${describe()}: JSON.stringify of the result threw ${String(error)}`, { cause: error });
  }
  const roundTrip: unknown = text === undefined ? undefined : JSON.parse(text);
  if (!sameJson(comparable(roundTrip), comparable(result))) {
    throw new Error(`${describe()}: the result changes in a JSON round trip: ${text?.slice(0, 500)}`);
  }
  const issues = shapeIssues(result, { frozen: false });
  if (issues.length > 0) throw new Error(`${describe()}: ${JSON.stringify(issues.slice(0, 5))}`);
}

/**
 * Deep equality of two `comparable` forms: same types, same keys, same values (`Object.is`, so
 * `-0` is not `0`); an object that is neither plain nor an array compares only to itself.
 */
export function sameJson(left: unknown, right: unknown): boolean {
  const pending: [unknown, unknown][] = [[left, right]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [a, b] = next;
    if (Object.is(a, b)) continue;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    if (types.isProxy(a) || types.isProxy(b)) return false;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    const prototype = Object.getPrototypeOf(a);
    if (prototype !== Object.getPrototypeOf(b) || (prototype !== Object.prototype && prototype !== Array.prototype)) {
      return false;
    }
    const keys = Reflect.ownKeys(a);
    const otherKeys = Reflect.ownKeys(b);
    if (keys.length !== otherKeys.length) return false;
    for (const key of keys) {
      if (typeof key === 'symbol' || !Object.hasOwn(b, key)) return false;
      const mine = Object.getOwnPropertyDescriptor(a, key);
      const theirs = Object.getOwnPropertyDescriptor(b, key);
      if (mine === undefined || theirs === undefined || !('value' in mine) || !('value' in theirs)) return false;
      pending.push([mine.value, theirs.value]);
    }
  }
  return true;
}

const lock: fc.Arbitrary<Lock> = fc.constantFrom<Lock>('deep-frozen', 'deep-frozen', 'sealed', 'as built');

function lawOf(spec: LawSpec): Law {
  const arbitrary = fc.record({
    user: storedUser,
    tree: hostileTree,
    position: fc.constantFrom(...Object.keys(spec.positions)),
    lock,
  });
  return { name: spec.name, arbitrary, predicate: (fuzzCase) => checkCase(spec, fuzzCase) };
}

/** A body or a user with `tree` at `key`, the rest copied from `base`. */
function withField(base: object, key: string, tree: unknown): unknown {
  return plant(base, [key], tree);
}

const VALID_BODIES: readonly object[] = [
  { user_metadata: { a: 1 } },
  { app_metadata: { plan: 'pro' } },
  { blocked: true },
];

/** Where a hostile tree goes in a PATCH body. */
const PATCH_POSITIONS: Readonly<Record<string, Position>> = {
  'the body': (tree) => [tree],
  user_metadata: (tree) => [{ user_metadata: tree }],
  app_metadata: (tree) => [{ app_metadata: tree }],
  'a user_metadata key': (tree) => [{ user_metadata: { a: tree } }],
  'next to valid metadata': (tree) => [{ app_metadata: { plan: 'pro', extra: tree }, user_metadata: { b: 2 } }],
  'a root attribute': (tree) => [{ given_name: tree }],
  password: (tree) => [{ password: tree }],
  blocked: (tree) => [{ blocked: tree }],
};

/** Where a hostile tree goes in a stored user. */
const USER_POSITIONS: Readonly<Record<string, (tree: unknown, user: User) => unknown>> = {
  'the user': (tree) => tree,
  user_metadata: (tree, user) => withField(user, 'user_metadata', tree),
  app_metadata: (tree, user) => withField(user, 'app_metadata', tree),
  'a user_metadata key': (tree, user) => plant(user, ['user_metadata', 'a'], tree),
  identities: (tree, user) => withField(user, 'identities', tree),
  email: (tree, user) => withField(user, 'email', tree),
};

function userPositions(rest: (index: number) => unknown[]): Readonly<Record<string, Position>> {
  return Object.fromEntries(
    Object.entries(USER_POSITIONS).flatMap(([name, place]) =>
      [0, 1, 2].map((index) => [
        `${name}, call ${index}`,
        (tree: unknown, user: User) => [place(tree, user), ...rest(index)],
      ]),
    ),
  );
}

const CREATE_BASE = { connection: CONNECTION, email: 'jane.doe@example.com', password: 'Passw0rd!' };

const LAW_SPECS: readonly LawSpec[] = [
  { name: 'validatePatch(hostile body)', fn: validatePatch, positions: PATCH_POSITIONS, json: 'always' },
  {
    name: 'applyPatch(user, hostile body)',
    fn: applyPatch,
    positions: Object.fromEntries(
      Object.entries(PATCH_POSITIONS).map(([name, place]) => [
        name,
        (tree: unknown, user: User) => [user, ...place(tree, user), { now: patchedNow }],
      ]),
    ),
    json: 'always',
  },
  {
    name: 'applyPatch(hostile user, body)',
    fn: applyPatch,
    positions: userPositions((index) => [VALID_BODIES[index], { now: patchedNow }]),
    json: 0,
  },
  {
    name: 'createUser(hostile body)',
    fn: createUser,
    positions: {
      'the body': (tree) => [tree, at()],
      user_metadata: (tree) => [{ ...CREATE_BASE, user_metadata: tree }, at()],
      app_metadata: (tree) => [{ ...CREATE_BASE, app_metadata: tree }, at()],
      'a metadata key': (tree) => [{ ...CREATE_BASE, user_metadata: { a: tree }, app_metadata: { b: tree } }, at()],
      email: (tree) => [{ ...CREATE_BASE, email: tree }, at()],
      user_id: (tree) => [{ ...CREATE_BASE, user_id: tree }, at()],
      connection: (tree) => [{ ...CREATE_BASE, connection: tree }, at()],
    },
    json: 'always',
  },
  {
    name: 'selectFields(user, hostile query)',
    fn: selectFields,
    positions: {
      'the query': (tree, user) => [user, tree],
      fields: (tree, user) => [user, { fields: tree }],
      'a field name': (tree, user) => [user, { fields: ['email', tree] }],
      include_fields: (tree, user) => [user, { fields: 'email,user_metadata', include_fields: tree }],
    },
    json: 'always',
  },
  {
    name: 'selectFields(hostile user, query)',
    fn: selectFields,
    positions: userPositions((index) => [
      [{ fields: 'user_metadata.a,email' }, { fields: 'email', include_fields: false }, {}][index],
    ]),
    json: 0,
  },
  {
    name: 'validateSignupMetadata(hostile metadata)',
    fn: validateSignupMetadata,
    positions: {
      'the metadata': (tree) => [tree],
      'a value': (tree) => [{ plan: 'pro', a: tree }],
    },
    json: 'always',
  },
  {
    name: 'diffToPatch(user, hostile target)',
    fn: diffToPatch,
    positions: Object.fromEntries(
      Object.entries(USER_POSITIONS).map(([name, place]) => [
        name,
        (tree: unknown, user: User) => [user, place(tree, user)],
      ]),
    ),
    json: 'always',
  },
  {
    name: 'diffToPatch(hostile user, target)',
    fn: diffToPatch,
    positions: Object.fromEntries(
      Object.entries(USER_POSITIONS).map(([name, place]) => [
        name,
        (tree: unknown, user: User) => [place(tree, user), user],
      ]),
    ),
    json: 0,
  },
  {
    name: 'analyzePatch(user, hostile body)',
    fn: analyzePatch,
    positions: Object.fromEntries(
      Object.entries(PATCH_POSITIONS).map(([name, place]) => [
        name,
        (tree: unknown, user: User) => [user, ...place(tree, user), { now: patchedNow }],
      ]),
    ),
    json: 'always',
  },
  {
    name: 'analyzePatch(hostile user, body)',
    fn: analyzePatch,
    positions: userPositions((index) => [VALID_BODIES[index], { now: patchedNow }]),
    json: 0,
  },
];

/** Every law, in a fixed order. */
export const LAWS: readonly Law[] = LAW_SPECS.map(lawOf);

/** Checks one hand-made case against the law called `name` (the example tests use it). */
export function checkNamed(name: string, fuzzCase: FuzzCase): true {
  const spec = LAW_SPECS.find((candidate) => candidate.name === name);
  if (spec === undefined) throw new Error(`No law named ${name}`);
  return checkCase(spec, fuzzCase);
}

/** The positions of the law called `name`. */
export function positionsOf(name: string): readonly string[] {
  return Object.keys(LAW_SPECS.find((candidate) => candidate.name === name)?.positions ?? {});
}
