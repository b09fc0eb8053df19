/**
 * The payload classes of the prototype-pollution advisories of merge and patch libraries, replayed
 * against every function that takes untrusted objects. After each call: the built-in prototypes
 * are untouched (no key added, none replaced, no `polluted` readable on `{}`), every object the
 * call returns has `Object.prototype` (arrays: `Array.prototype`), and the hostile key is either
 * kept as an ordinary own data property or rejected with an issue, as docs/security.md documents
 * ("Objects, prototypes and sizes").
 */
import { afterEach, describe, expect, test } from 'vitest';
import {
  analyzePatch,
  applyPatch,
  createUser,
  diffToPatch,
  type JsonObject,
  type Result,
  selectFields,
  type User,
  validatePatch,
  validateSignupMetadata,
} from '../../src/index.js';
import { comparable, isResult } from '../arbitraries.js';
import { at, deepFreeze, LATER, successValue } from '../helpers.js';
import {
  hasOwnData,
  OBJECT_PROTOTYPE_NAMES,
  own,
  ownPath,
  parse,
  prototypeDamage,
  roundTripped,
  shapeIssues,
} from './support.js';

/** A field list as a URL carries it: a plain string, not checked against the user's type. */
const fromUrl = (fields: string): string => fields;

const CONNECTION = 'Username-Password-Authentication';
const now = (): Date => new Date(LATER);

/** Calls a library function with arguments its types would refuse (parsed JSON, arrays where strings go). */
function call(fn: (...args: never[]) => unknown, ...args: unknown[]): Result<unknown> {
  const result: unknown = Reflect.apply(fn, undefined, args);
  if (!isResultShape(result)) throw new Error(`Not a result: ${String(result)}`);
  return result;
}

function isResultShape(value: unknown): value is Result<unknown> {
  return isResult(value);
}

/**
 * The checks every replay ends with: the prototypes are intact, and every object in the result
 * (value, warnings, issues) is a plain object or array with the standard prototype.
 */
function checked<Value>(result: Result<Value>): Result<Value> {
  expect(prototypeDamage()).toStrictEqual([]);
  expect(Object.getOwnPropertyNames(Object.prototype)).toStrictEqual(OBJECT_PROTOTYPE_NAMES);
  expect(shapeIssues(result, { frozen: false })).toStrictEqual([]);
  const { before, after } = roundTripped(result);
  expect(after).toStrictEqual(before);
  return result;
}

/** The value of a successful, checked result. */
function kept<Value>(result: Result<Value>): Value {
  return successValue(checked(result));
}

/** The issue codes and paths of a failed, checked result. */
function rejected(result: Result<unknown>): { code: string; path: readonly (string | number)[] }[] {
  const outcome = checked(result);
  if (outcome.success) throw new Error(`Expected a failure, got ${JSON.stringify(outcome.value)}`);
  return outcome.issues.map(({ code, path }) => ({ code, path }));
}

/** `container[key]` is an own, enumerable data property equal to `expected`; the container's prototype is standard. */
function expectOwnData(container: unknown, key: string, expected: unknown): void {
  expect(hasOwnData(container, key), `${key} is an own data property`).toBe(true);
  expect(comparable(own(container, key))).toStrictEqual(comparable(expected));
  expect(Object.getPrototypeOf(container)).toBe(Object.prototype);
}

/** The object was not re-parented: its own methods are Object.prototype's, and nothing it inherits is a payload. */
function expectPlainPrototype(container: unknown): void {
  expect(Object.getPrototypeOf(container)).toBe(Object.prototype);
  expect(Reflect.get(Object(container), 'hasOwnProperty')).toBe(Object.prototype.hasOwnProperty);
  expect(Reflect.get(Object(container), 'toString')).toBe(Object.prototype.toString);
  expect(Reflect.get(Object(container), 'polluted')).toBeUndefined();
}

function createdFrom(text: string): User {
  const body = parse(text);
  const result: Result<User> = Reflect.apply(createUser, undefined, [body, at()]);
  return deepFreeze(successValue(result));
}

/** A stored user as the library builds it: frozen, with metadata the payloads can collide with. */
const JANE: User = createdFrom(
  JSON.stringify({
    connection: CONNECTION,
    email: 'jane.doe@example.com',
    password: 'Passw0rd!',
    user_metadata: { prefs: { theme: 'dark' }, lang: 'en' },
    app_metadata: { plan: 'free' },
  }),
);

/** `JANE` with `metadata` (parsed JSON) as `user_metadata`, built by createUser so it is a real stored user. */
function janeWithUserMetadata(metadataJson: string): User {
  return createdFrom(
    `{"connection":"${CONNECTION}","email":"jane.doe@example.com","password":"Passw0rd!","user_metadata":${metadataJson},"app_metadata":{"plan":"free"}}`,
  );
}

/** A create body around parsed metadata. */
function createBody(userMetadataJson: string, appMetadataJson = '{"plan":"free"}'): unknown {
  return parse(
    `{"connection":"${CONNECTION}","email":"jane.doe@example.com","password":"Passw0rd!","user_metadata":${userMetadataJson},"app_metadata":${appMetadataJson}}`,
  );
}

/** `JANE` with parsed `user_metadata`, built by spreading: what an application computes as the wanted state. */
function wanted(userMetadataJson: string): unknown {
  const target: JsonObject = {};
  for (const [key, value] of Object.entries(JANE)) {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  }
  Object.defineProperty(target, 'user_metadata', {
    value: parse(userMetadataJson),
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return target;
}

/** Whether applying `patch` to `JANE` gives `after`, up to `updated_at` (the round-trip law of diffToPatch). */
function expectReaches(patch: unknown, after: unknown): void {
  const applied = successValue(applyPatch(JANE, patch, { now }));
  expect(comparable(own(applied, 'user_metadata'))).toStrictEqual(comparable(own(after, 'user_metadata')));
  expect(comparable(own(applied, 'app_metadata'))).toStrictEqual(comparable(own(after, 'app_metadata')));
}

afterEach(() => {
  expect(prototypeDamage()).toStrictEqual([]);
});

describe('lodash CVE-2018-3721: a "__proto__" key from JSON.parse in merged data', () => {
  const PAYLOAD = '{"__proto__":{"polluted":"yes"}}';

  test('applyPatch keeps it as an own user_metadata key, next to the stored keys', () => {
    const user = kept(applyPatch(JANE, parse(`{"user_metadata":${PAYLOAD},"app_metadata":${PAYLOAD}}`), { now }));
    expectOwnData(user.user_metadata, '__proto__', { polluted: 'yes' });
    expectOwnData(user.app_metadata, '__proto__', { polluted: 'yes' });
    expect(Object.keys(user.user_metadata ?? {})).toStrictEqual(['prefs', 'lang', '__proto__']);
    expectPlainPrototype(user.user_metadata);
    expectPlainPrototype(user.app_metadata);
    expectPlainPrototype(user);
  });

  test('validatePatch copies it as own data', () => {
    const body = kept(validatePatch(parse(`{"user_metadata":${PAYLOAD}}`)));
    expectOwnData(own(body, 'user_metadata'), '__proto__', { polluted: 'yes' });
    expectPlainPrototype(own(body, 'user_metadata'));
  });

  test('a "__proto__" at the root of a PATCH body is an unknown attribute', () => {
    expect(rejected(applyPatch(JANE, parse(`{"blocked":true,${PAYLOAD.slice(1)}`), { now }))).toStrictEqual([
      { code: 'unknown_keys', path: [] },
    ]);
  });

  test('createUser stores it as own data in both metadata', () => {
    const user = kept(createUser(createBody(PAYLOAD, PAYLOAD), at()));
    expectOwnData(own(user, 'user_metadata'), '__proto__', { polluted: 'yes' });
    expectOwnData(own(user, 'app_metadata'), '__proto__', { polluted: 'yes' });
    expectPlainPrototype(own(user, 'user_metadata'));
  });

  test('createUser rejects it at the root of the body', () => {
    const body = parse(
      `{"connection":"${CONNECTION}","email":"jane.doe@example.com","password":"Passw0rd!","__proto__":{"polluted":"yes"}}`,
    );
    expect(rejected(createUser(body, at()))).toStrictEqual([{ code: 'unknown_keys', path: [] }]);
  });

  test('selectFields selects it as data, and "__proto__" names no root field', () => {
    const user = janeWithUserMetadata(PAYLOAD);
    const selected = kept(selectFields(user, { fields: 'user_metadata.__proto__' }));
    expectOwnData(own(selected, 'user_metadata'), '__proto__', { polluted: 'yes' });
    expect(kept(selectFields(user, { fields: fromUrl('__proto__') }))).toStrictEqual({});
    const excluded = kept(selectFields(user, { fields: fromUrl('__proto__,user_metadata'), include_fields: false }));
    expect(Object.keys(excluded)).not.toContain('user_metadata');
    expectPlainPrototype(excluded);
  });

  test('validateSignupMetadata rejects an object value and keeps a string one as own data', () => {
    expect(rejected(validateSignupMetadata(parse(PAYLOAD)))).toStrictEqual([
      { code: 'invalid_type', path: ['__proto__'] },
    ]);
    const metadata = kept(validateSignupMetadata(parse('{"__proto__":"polluted"}')));
    expectOwnData(metadata, '__proto__', 'polluted');
    expectPlainPrototype(metadata);
  });

  test('diffToPatch sends it as own data, and the patch reaches the wanted user', () => {
    const after = wanted(`{"prefs":{"theme":"dark"},"lang":"en",${PAYLOAD.slice(1)}`);
    const patch = kept(call(diffToPatch, JANE, after));
    expectOwnData(own(patch, 'user_metadata'), '__proto__', { polluted: 'yes' });
    expect(Object.keys(Object(own(patch, 'user_metadata')))).toStrictEqual(['__proto__']);
    expectReaches(patch, after);
  });

  test('analyzePatch reports it as an added key', () => {
    const analysis = kept(analyzePatch(JANE, parse(`{"user_metadata":${PAYLOAD}}`), { now }));
    expect(comparable(own(analysis, 'effects'))).toStrictEqual(
      comparable([{ kind: 'add', path: ['user_metadata', '__proto__'], value: { polluted: 'yes' } }]),
    );
  });
});

describe('lodash CVE-2018-16487: "__proto__" below a key the target already holds', () => {
  const NESTED = '{"prefs":{"__proto__":{"polluted":"yes"}},"list":[{"__proto__":{"polluted":"yes"}}]}';

  test('applyPatch replaces the stored first-level value wholesale; the nested "__proto__" is own data', () => {
    const user = kept(applyPatch(JANE, parse(`{"user_metadata":${NESTED}}`), { now }));
    const prefs = ownPath(user, ['user_metadata', 'prefs']);
    expectOwnData(prefs, '__proto__', { polluted: 'yes' });
    expect(hasOwnData(prefs, 'theme')).toBe(false);
    expectOwnData(ownPath(user, ['user_metadata', 'list', '0']), '__proto__', { polluted: 'yes' });
    expect(Object.getPrototypeOf(ownPath(user, ['user_metadata', 'list']))).toBe(Array.prototype);
    expectPlainPrototype(prefs);
  });

  test('validatePatch copies the nested keys as own data', () => {
    const body = kept(validatePatch(parse(`{"app_metadata":{"a":{"b":{"c":${NESTED}}}}}`)));
    expectOwnData(ownPath(body, ['app_metadata', 'a', 'b', 'c', 'prefs']), '__proto__', { polluted: 'yes' });
  });

  test('createUser stores the nested keys as own data', () => {
    const user = kept(createUser(createBody(NESTED, NESTED), at()));
    expectOwnData(ownPath(user, ['app_metadata', 'prefs']), '__proto__', { polluted: 'yes' });
    expectOwnData(ownPath(user, ['user_metadata', 'list', '0']), '__proto__', { polluted: 'yes' });
  });

  test('selectFields returns the nested value as stored', () => {
    const user = janeWithUserMetadata(NESTED);
    const selected = kept(selectFields(user, { fields: ['user_metadata.prefs'] }));
    expectOwnData(ownPath(selected, ['user_metadata', 'prefs']), '__proto__', { polluted: 'yes' });
  });

  test('validateSignupMetadata rejects nested objects', () => {
    expect(rejected(validateSignupMetadata(parse(NESTED)))).toStrictEqual([
      { code: 'invalid_type', path: ['prefs'] },
      { code: 'invalid_type', path: ['list'] },
    ]);
  });

  test('diffToPatch resends the whole first-level value, "__proto__" included', () => {
    const after = wanted(`{"prefs":{"theme":"dark","__proto__":{"polluted":"yes"}},"lang":"en"}`);
    const patch = kept(call(diffToPatch, JANE, after));
    expectOwnData(ownPath(patch, ['user_metadata', 'prefs']), '__proto__', { polluted: 'yes' });
    expectOwnData(ownPath(patch, ['user_metadata', 'prefs']), 'theme', 'dark');
    expectReaches(patch, after);
  });

  test('analyzePatch reports the replacement and the nested key it drops', () => {
    const analysis = kept(analyzePatch(JANE, parse(`{"user_metadata":${NESTED}}`), { now }));
    expect(comparable(own(analysis, 'dropped'))).toStrictEqual(
      comparable([{ kind: 'drop', path: ['user_metadata', 'prefs', 'theme'], before: 'dark' }]),
    );
  });
});

describe('lodash CVE-2019-10744: "constructor": {"prototype": ...}', () => {
  const PAYLOAD = '{"constructor":{"prototype":{"polluted":"yes"}}}';

  test('applyPatch keeps "constructor" as an own metadata key', () => {
    const user = kept(applyPatch(JANE, parse(`{"user_metadata":${PAYLOAD},"app_metadata":${PAYLOAD}}`), { now }));
    expectOwnData(user.user_metadata, 'constructor', { prototype: { polluted: 'yes' } });
    expectOwnData(user.app_metadata, 'constructor', { prototype: { polluted: 'yes' } });
    expect(Object.getPrototypeOf(user.user_metadata)).toBe(Object.prototype);
    expect(Reflect.get(Object, 'polluted')).toBeUndefined();
  });

  test('validatePatch and applyPatch reject "constructor" and "prototype" at the root', () => {
    const body = parse(
      `{"blocked":true,"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"}}`,
    );
    expect(rejected(validatePatch(body))).toStrictEqual([{ code: 'unknown_keys', path: [] }]);
    expect(rejected(applyPatch(JANE, body, { now }))).toStrictEqual([{ code: 'unknown_keys', path: [] }]);
  });

  test('createUser stores it as own data in metadata and rejects it at the root', () => {
    const user = kept(createUser(createBody(PAYLOAD, PAYLOAD), at()));
    expectOwnData(own(user, 'user_metadata'), 'constructor', { prototype: { polluted: 'yes' } });
    const root = parse(`{"connection":"${CONNECTION}","email":"a@b.c","password":"Passw0rd!",${PAYLOAD.slice(1)}`);
    expect(rejected(createUser(root, at()))).toStrictEqual([{ code: 'unknown_keys', path: [] }]);
  });

  test('selectFields: "constructor" and "prototype" name no root field; inside metadata they are data', () => {
    expect(kept(selectFields(JANE, { fields: fromUrl('constructor,prototype,constructor.prototype') }))).toStrictEqual(
      {},
    );
    const user = janeWithUserMetadata(PAYLOAD);
    const selected = kept(selectFields(user, { fields: 'user_metadata.constructor' }));
    expectOwnData(own(selected, 'user_metadata'), 'constructor', { prototype: { polluted: 'yes' } });
  });

  test('validateSignupMetadata rejects the object and keeps string values named constructor/prototype', () => {
    expect(rejected(validateSignupMetadata(parse(PAYLOAD)))).toStrictEqual([
      { code: 'invalid_type', path: ['constructor'] },
    ]);
    const metadata = kept(validateSignupMetadata(parse('{"constructor":"a","prototype":"b"}')));
    expectOwnData(metadata, 'constructor', 'a');
    expectOwnData(metadata, 'prototype', 'b');
  });

  test('diffToPatch sends it as own data', () => {
    const after = wanted(`{"prefs":{"theme":"dark"},"lang":"en",${PAYLOAD.slice(1)}`);
    const patch = kept(call(diffToPatch, JANE, after));
    expectOwnData(own(patch, 'user_metadata'), 'constructor', { prototype: { polluted: 'yes' } });
    expectReaches(patch, after);
  });

  test('analyzePatch reports an added key', () => {
    const analysis = kept(analyzePatch(JANE, parse(`{"app_metadata":${PAYLOAD}}`), { now }));
    expect(comparable(own(analysis, 'effects'))).toStrictEqual(
      comparable([{ kind: 'add', path: ['app_metadata', 'constructor'], value: { prototype: { polluted: 'yes' } } }]),
    );
  });
});

describe('immer CVE-2020-28477: paths given as data that name "__proto__"', () => {
  test('applyPatch rejects an immer-style patch list or operation as a body', () => {
    const operations = parse('[{"op":"replace","path":["__proto__","polluted"],"value":"yes"}]');
    expect(rejected(applyPatch(JANE, operations, { now }))).toStrictEqual([{ code: 'invalid_type', path: [] }]);
    const operation = parse('{"op":"replace","path":["__proto__","polluted"],"value":"yes"}');
    expect(rejected(applyPatch(JANE, operation, { now }))).toStrictEqual([{ code: 'unknown_keys', path: [] }]);
  });

  test('validatePatch reports an issue whose path runs through "__proto__" as plain data', () => {
    const issues = rejected(validatePatch(parse('{"user_metadata":{"__proto__":{"polluted.x":"yes"}}}')));
    expect(issues).toStrictEqual([{ code: 'forbidden_character', path: ['user_metadata', '__proto__', 'polluted.x'] }]);
  });

  test('createUser reports the same path without following it', () => {
    const issues = rejected(createUser(createBody('{"__proto__":{"polluted$":"yes"}}'), at()));
    expect(issues).toStrictEqual([{ code: 'forbidden_character', path: ['user_metadata', '__proto__', 'polluted$'] }]);
  });

  test('selectFields treats dotted paths through "__proto__" and "constructor" as names, not as a walk', () => {
    const selected = kept(
      selectFields(JANE, {
        fields: ['__proto__.polluted', 'constructor.prototype.polluted', 'user_metadata.__proto__'],
      }),
    );
    expect(selected).toStrictEqual({});
  });

  test('validateSignupMetadata rejects a path-shaped array', () => {
    expect(rejected(validateSignupMetadata(parse('["__proto__","polluted"]')))).toStrictEqual([
      { code: 'invalid_type', path: [] },
    ]);
  });

  test('diffToPatch and analyzePatch report paths through "__proto__" as data', () => {
    const after = wanted('{"prefs":{"theme":"dark"},"lang":"en","__proto__":{"polluted":"yes"}}');
    const back = kept(call(diffToPatch, after, JANE));
    expect(Object.keys(Object(own(back, 'user_metadata')))).toStrictEqual(['__proto__']);
    expectOwnData(own(back, 'user_metadata'), '__proto__', null);
    const analysis = kept(call(analyzePatch, after, parse('{"user_metadata":{"__proto__":null}}'), { now }));
    expect(comparable(own(analysis, 'effects'))).toStrictEqual(
      comparable([{ kind: 'delete', path: ['user_metadata', '__proto__'], before: { polluted: 'yes' } }]),
    );
  });
});

describe('immer CVE-2021-23436: array keys that dodge === guards', () => {
  /** `["__proto__"]` is not `=== "__proto__"`, but it becomes `"__proto__"` as a property key. */
  const ARRAY_KEY: readonly string[] = ['__proto__'];

  test('applyPatch: a computed key made from an array is the own key "__proto__"', () => {
    const body = { user_metadata: { [String(ARRAY_KEY)]: { polluted: 'yes' } } };
    const user = kept(applyPatch(JANE, body, { now }));
    expectOwnData(user.user_metadata, '__proto__', { polluted: 'yes' });
    expectPlainPrototype(user.user_metadata);
  });

  test('validatePatch: metadata values that are arrays of "__proto__" are plain arrays', () => {
    const body = kept(validatePatch({ user_metadata: { path: [ARRAY_KEY, 'polluted'] } }));
    expect(ownPath(body, ['user_metadata', 'path'])).toStrictEqual([['__proto__'], 'polluted']);
  });

  test('createUser: an array where a string goes is a type error, not a key', () => {
    const issues = rejected(
      createUser({ connection: CONNECTION, email: 'a@b.c', password: 'Passw0rd!', username: ARRAY_KEY }, at()),
    );
    expect(issues).toStrictEqual([{ code: 'invalid_type', path: ['username'] }]);
  });

  test('selectFields: an array in the field list or include_fields is an issue, never a key', () => {
    const nested = call(selectFields, JANE, { fields: [ARRAY_KEY, ['constructor', 'prototype']] });
    expect(checked(nested).success).toBe(false);
    const fake = call(selectFields, JANE, { fields: 'email', include_fields: ['false'] });
    expect(rejected(fake)).toStrictEqual([{ code: 'invalid_query', path: ['include_fields'] }]);
    const coercing = call(selectFields, JANE, { fields: [{ toString: () => '__proto__' }] });
    expect(checked(coercing).success).toBe(false);
  });

  test('validateSignupMetadata: an array value is rejected, an array-made key is own data', () => {
    expect(rejected(validateSignupMetadata({ a: ARRAY_KEY }))).toStrictEqual([{ code: 'invalid_type', path: ['a'] }]);
    const metadata = kept(validateSignupMetadata({ [String(ARRAY_KEY)]: 'yes' }));
    expectOwnData(metadata, '__proto__', 'yes');
  });

  test('diffToPatch and analyzePatch: array-made keys stay own data', () => {
    const after = wanted('{"prefs":{"theme":"dark"},"lang":"en"}');
    const metadata = own(after, 'user_metadata');
    Object.defineProperty(metadata, String(['constructor']), {
      value: { prototype: { polluted: 'yes' } },
      enumerable: true,
      writable: true,
      configurable: true,
    });
    const patch = kept(call(diffToPatch, JANE, after));
    expectOwnData(own(patch, 'user_metadata'), 'constructor', { prototype: { polluted: 'yes' } });
    const analysis = kept(analyzePatch(JANE, patch, { now }));
    expect(comparable(own(analysis, 'effects'))).toStrictEqual(
      comparable([{ kind: 'add', path: ['user_metadata', 'constructor'], value: { prototype: { polluted: 'yes' } } }]),
    );
  });
});

describe('fast-json-patch CVE-2021-4279: JSON Pointer paths to "/__proto__" and "/constructor/prototype"', () => {
  const OPERATIONS =
    '[{"op":"add","path":"/__proto__/polluted","value":"yes"},{"op":"replace","path":"/constructor/prototype/polluted","value":"yes"}]';
  const POINTER_KEYS = '{"/__proto__/polluted":"yes","/constructor/prototype/polluted":"yes"}';

  test('applyPatch rejects a JSON Patch document as a body and stores pointer-shaped names as plain keys', () => {
    expect(rejected(applyPatch(JANE, parse(OPERATIONS), { now }))).toStrictEqual([{ code: 'invalid_type', path: [] }]);
    const user = kept(applyPatch(JANE, parse(`{"user_metadata":${POINTER_KEYS}}`), { now }));
    expectOwnData(user.user_metadata, '/__proto__/polluted', 'yes');
    expectOwnData(user.user_metadata, '/constructor/prototype/polluted', 'yes');
  });

  test('validatePatch copies JSON Patch operations inside metadata as plain data', () => {
    const body = kept(validatePatch(parse(`{"app_metadata":{"ops":${OPERATIONS}}}`)));
    expect(ownPath(body, ['app_metadata', 'ops', '0', 'path'])).toBe('/__proto__/polluted');
  });

  test('createUser stores pointer-shaped names as plain keys', () => {
    const user = kept(createUser(createBody(POINTER_KEYS), at()));
    expectOwnData(own(user, 'user_metadata'), '/__proto__/polluted', 'yes');
  });

  test('selectFields treats a pointer as one unknown name', () => {
    expect(kept(selectFields(JANE, { fields: fromUrl('/__proto__/polluted,/constructor/prototype') }))).toStrictEqual(
      {},
    );
  });

  test('validateSignupMetadata keeps pointer-shaped names as own keys', () => {
    const metadata = kept(validateSignupMetadata(parse(POINTER_KEYS)));
    expectOwnData(metadata, '/__proto__/polluted', 'yes');
  });

  test('diffToPatch and analyzePatch carry pointer-shaped names verbatim', () => {
    const after = wanted(`{"prefs":{"theme":"dark"},"lang":"en","/__proto__/polluted":"yes"}`);
    const patch = kept(call(diffToPatch, JANE, after));
    expectOwnData(own(patch, 'user_metadata'), '/__proto__/polluted', 'yes');
    expectReaches(patch, after);
    const analysis = kept(analyzePatch(JANE, patch, { now }));
    expect(comparable(own(analysis, 'effects'))).toStrictEqual(
      comparable([{ kind: 'add', path: ['user_metadata', '/__proto__/polluted'], value: 'yes' }]),
    );
  });
});

describe('json8-merge-patch CVE-2020-8268: a merge patch with "__proto__" from JSON.parse', () => {
  test('applyPatch: "__proto__": null deletes the own key and leaves the prototype alone', () => {
    const user = janeWithUserMetadata('{"__proto__":{"a":1},"k":1}');
    const patched = kept(applyPatch(user, parse('{"user_metadata":{"__proto__":null}}'), { now }));
    expect(Object.keys(patched.user_metadata ?? {})).toStrictEqual(['k']);
    expectPlainPrototype(patched.user_metadata);
    const untouched = kept(applyPatch(JANE, parse('{"app_metadata":{"__proto__":null}}'), { now }));
    expect(untouched.app_metadata).toStrictEqual({ plan: 'free' });
    expectPlainPrototype(untouched.app_metadata);
  });

  test('applyPatch: a doubly nested "__proto__" is two levels of own data', () => {
    const user = kept(
      applyPatch(JANE, parse('{"user_metadata":{"__proto__":{"__proto__":{"polluted":"yes"}}}}'), { now }),
    );
    expectOwnData(ownPath(user, ['user_metadata', '__proto__']), '__proto__', { polluted: 'yes' });
  });

  test('validatePatch keeps "__proto__": null as a deletion', () => {
    const body = kept(validatePatch(parse('{"user_metadata":{"__proto__":null}}')));
    expectOwnData(own(body, 'user_metadata'), '__proto__', null);
  });

  test('createUser stores a first-level "__proto__": null as data, and the metadata keeps its prototype', () => {
    const user = kept(createUser(createBody('{"__proto__":null}', '{"__proto__":null}'), at()));
    expectOwnData(own(user, 'user_metadata'), '__proto__', null);
    expectPlainPrototype(own(user, 'user_metadata'));
    expectPlainPrototype(own(user, 'app_metadata'));
  });

  test('selectFields on a user whose metadata holds "__proto__": null', () => {
    const user = janeWithUserMetadata('{"__proto__":null,"k":1}');
    const selected = kept(selectFields(user, { fields: 'user_metadata', include_fields: 'true' }));
    expectOwnData(own(selected, 'user_metadata'), '__proto__', null);
    expectPlainPrototype(own(selected, 'user_metadata'));
  });

  test('validateSignupMetadata rejects "__proto__": null', () => {
    expect(rejected(validateSignupMetadata(parse('{"__proto__":null}')))).toStrictEqual([
      { code: 'invalid_type', path: ['__proto__'] },
    ]);
  });

  test('diffToPatch deletes an own "__proto__" key with null', () => {
    const before = janeWithUserMetadata('{"prefs":{"theme":"dark"},"lang":"en","__proto__":{"a":1}}');
    const patch = kept(call(diffToPatch, before, JANE));
    expectOwnData(own(patch, 'user_metadata'), '__proto__', null);
    expect(Object.keys(Object(own(patch, 'user_metadata')))).toStrictEqual(['__proto__']);
  });

  test('analyzePatch reports the deletion of the own key', () => {
    const user = janeWithUserMetadata('{"__proto__":{"a":1}}');
    const analysis = kept(analyzePatch(user, parse('{"user_metadata":{"__proto__":null}}'), { now }));
    expect(comparable(own(analysis, 'effects'))).toStrictEqual(
      comparable([{ kind: 'delete', path: ['user_metadata', '__proto__'], before: { a: 1 } }]),
    );
  });
});

describe('prototype swap: "__proto__" trying to replace the prototype of a returned object', () => {
  /** If any of these became a prototype, `hasOwnProperty`, `toString` or `length` would change on the result. */
  const SWAPS = [
    '{"__proto__":{"hasOwnProperty":"swapped","toString":"swapped","polluted":"yes"}}',
    '{"__proto__":[1,2,3]}',
    '{"__proto__":null}',
    '{"__proto__":"a string"}',
  ];

  test.each(SWAPS)('applyPatch: %s leaves every returned object with Object.prototype', (swap) => {
    const user = kept(applyPatch(JANE, parse(`{"user_metadata":${swap},"app_metadata":${swap}}`), { now }));
    expectPlainPrototype(user);
    expectPlainPrototype(user.user_metadata);
    expect(user.app_metadata === undefined || Object.getPrototypeOf(user.app_metadata) === Object.prototype).toBe(true);
    expect(Array.isArray(user.user_metadata)).toBe(false);
  });

  test.each(SWAPS)('validatePatch: %s stays own data', (swap) => {
    const body = kept(validatePatch(parse(`{"user_metadata":${swap}}`)));
    expect(hasOwnData(own(body, 'user_metadata'), '__proto__')).toBe(true);
    expectPlainPrototype(own(body, 'user_metadata'));
  });

  test.each(SWAPS)('createUser: %s in metadata leaves the created user and its metadata plain', (swap) => {
    const user = kept(createUser(createBody(swap, swap), at()));
    expectPlainPrototype(user);
    expectPlainPrototype(own(user, 'user_metadata'));
    expectPlainPrototype(own(user, 'app_metadata'));
  });

  test.each(SWAPS)('selectFields: a user stored with %s projects to plain objects', (swap) => {
    const user = janeWithUserMetadata(swap);
    for (const query of [{ fields: 'user_metadata' }, { fields: 'email', include_fields: false }, {}]) {
      const selected = kept(selectFields(user, query));
      expectPlainPrototype(selected);
      expectPlainPrototype(own(selected, 'user_metadata'));
    }
  });

  test.each(SWAPS)('validateSignupMetadata: %s never becomes the prototype of the result', (swap) => {
    const result = validateSignupMetadata(parse(swap));
    checked(result);
    if (result.success) expectPlainPrototype(result.value);
  });

  test.each(SWAPS)(
    'diffToPatch: %s as wanted metadata gives a plain patch, or unreachable for a stored null',
    (swap) => {
      const after = wanted(swap);
      const result = call(diffToPatch, JANE, after);
      if (swap === '{"__proto__":null}') {
        // A first-level null cannot be stored by a PATCH: null deletes; the issue names the key.
        expect(rejected(result)).toStrictEqual([{ code: 'unreachable', path: ['user_metadata', '__proto__'] }]);
        return;
      }
      const patch = kept(result);
      expectPlainPrototype(patch);
      expectPlainPrototype(own(patch, 'user_metadata'));
      expectReaches(patch, after);
    },
  );

  test.each(SWAPS)('analyzePatch: %s gives plain effects', (swap) => {
    const analysis = kept(analyzePatch(JANE, parse(`{"user_metadata":${swap}}`), { now }));
    expectPlainPrototype(analysis);
    for (const effect of Object.values(Object(own(analysis, 'effects')))) expectPlainPrototype(effect);
  });
});

describe('docs/library.md: every object the library returns is frozen', () => {
  /** Each function's result value, built from a payload of every class above. */
  const PAYLOAD = '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"/__proto__/x":"y"}';
  const CASES: Readonly<Record<string, () => Result<unknown>>> = {
    applyPatch: () => applyPatch(JANE, parse(`{"user_metadata":${PAYLOAD}}`), { now }),
    validatePatch: () => validatePatch(parse(`{"user_metadata":${PAYLOAD}}`)),
    createUser: () => createUser(createBody(PAYLOAD), at()),
    selectFields: () => selectFields(janeWithUserMetadata(PAYLOAD), { fields: 'user_metadata,email' }),
    validateSignupMetadata: () => validateSignupMetadata(parse('{"__proto__":"a","constructor":"b"}')),
    diffToPatch: () => call(diffToPatch, JANE, wanted(PAYLOAD)),
    analyzePatch: () => analyzePatch(JANE, parse(`{"user_metadata":${PAYLOAD}}`), { now }),
  };

  test.each(Object.keys(CASES))('%s returns a deep-frozen value', (name) => {
    const make = CASES[name];
    if (make === undefined) throw new Error(`No case for ${name}`);
    const value = kept(make());
    expect(shapeIssues(value, { frozen: true })).toStrictEqual([]);
  });
});
