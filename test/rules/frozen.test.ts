import { describe, expect, it } from 'vitest';
import * as conformance from '../../src/conformance/index.js';
import * as emulator from '../../src/emulator/index.js';
import * as library from '../../src/index.js';
import * as node from '../../src/node/index.js';
import * as rules from '../../src/rules/index.js';
import { JANE } from '../helpers.js';

const ENTRIES: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  'auth0-metadata': library,
  'auth0-metadata/emulator': emulator,
  'auth0-metadata/node': node,
  'auth0-metadata/conformance': conformance,
  'src/rules': rules,
};

/** Every object reachable from `value` through own data properties, with the path to it. */
function reachable(value: unknown, path: string): [string, object][] {
  const found: [string, object][] = [];
  const pending: [string, unknown][] = [[path, value]];
  const seen = new Set<object>();
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [where, item] = next;
    if (typeof item !== 'object' || item === null || seen.has(item)) continue;
    seen.add(item);
    found.push([where, item]);
    for (const key of Reflect.ownKeys(item)) {
      const descriptor = Object.getOwnPropertyDescriptor(item, key);
      if (descriptor !== undefined && 'value' in descriptor)
        pending.push([`${where}.${String(key)}`, descriptor.value]);
    }
  }
  return found;
}

/** The exported values that are data (functions and classes are code, not tables). */
function exportedData(): [string, object][] {
  return Object.entries(ENTRIES).flatMap(([entry, module]) =>
    Object.entries(module)
      .filter(([, value]) => typeof value !== 'function')
      .flatMap(([name, value]) => reachable(value, `${entry}:${name}`)),
  );
}

describe('exported tables', () => {
  it('are deeply frozen, and hold no Set, Map, RegExp or Date, whose contents freezing does not protect', () => {
    const data = exportedData();
    expect(data.length).toBeGreaterThan(20);
    const open = data.filter(([, value]) => !Object.isFrozen(value)).map(([path]) => path);
    const live = data
      .filter(
        ([, value]) => value instanceof Set || value instanceof Map || value instanceof RegExp || value instanceof Date,
      )
      .map(([path]) => path);
    expect(open).toStrictEqual([]);
    expect(live).toStrictEqual([]);
  });

  it('cannot be changed by a consumer: every write throws and validation is unchanged', () => {
    const before = library.validatePatch({ app_metadata: { plan: 'pro' }, given_name: 'x'.repeat(150) });
    const writes: (() => unknown)[] = [
      () => Reflect.apply(Array.prototype.push, library.RESERVED_APP_METADATA_KEYS, ['plan']),
      () => Reflect.apply(Array.prototype.push, library.PATCHABLE_ATTRIBUTES, ['user_id']),
      () => Reflect.apply(Array.prototype.push, library.METADATA.app_metadata.reservedNames, ['plan']),
      () => Reflect.apply(Array.prototype.pop, library.RESERVED_APP_METADATA_KEYS, []),
      () => Reflect.apply(Array.prototype.push, emulator.CURRENT_USER_SCOPES, ['update:users']),
      () => Reflect.apply(Array.prototype.push, emulator.DEFAULT_CLIENT_SCOPES, ['read:everything']),
      () => Object.assign(library.ATTRIBUTES.given_name, { maxLength: 1 }),
      () => Object.assign(library.METADATA.app_metadata, { whenEmpty: 'kept' }),
      () => Object.assign(library.SCOPE_GRANTS[0] ?? {}, { scope: 'none' }),
      () => Object.assign(rules.REASON_PHRASES, { 404: 'Gone' }),
    ];
    for (const write of writes) expect(write).toThrow(TypeError);
    expect(library.validatePatch({ app_metadata: { plan: 'pro' }, given_name: 'x'.repeat(150) })).toStrictEqual(before);
    expect(before.success).toBe(true);
    expect(library.validatePatch({ app_metadata: { email: 'a' } }).success).toBe(false);
    const cleared = library.applyPatch({ ...JANE, app_metadata: { plan: 'pro' } }, { app_metadata: {} });
    expect(cleared.success && 'app_metadata' in cleared.value).toBe(false);
  });
});
