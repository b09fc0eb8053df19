/**
 * Checks shared by the hardening tests: the state of the built-in prototypes, the shape of what the
 * library returns, and a fingerprint of an input that shows whether a call changed it.
 */
import { types } from 'node:util';
import { comparable } from '../arbitraries.js';

/** Names a prototype-pollution payload tries to plant on `Object.prototype`. */
export const POLLUTION_MARKERS: readonly string[] = ['polluted', 'isAdmin', 'pwned', 'shell', 'toJSON'];

/** What a built-in prototype holds: each own key and the identity of its value, getter and setter. */
type PrototypeState = readonly (readonly [string | symbol, unknown, unknown, unknown])[];

function stateOf(prototype: object): PrototypeState {
  return Reflect.ownKeys(prototype).map((key) => {
    const descriptor = Object.getOwnPropertyDescriptor(prototype, key);
    return [key, descriptor?.value, descriptor?.get, descriptor?.set] as const;
  });
}

const PROTOTYPES: Readonly<Record<string, object>> = {
  'Object.prototype': Object.prototype,
  'Array.prototype': Array.prototype,
  'Function.prototype': Function.prototype,
  'String.prototype': String.prototype,
};

/** The built-in prototypes as they are when this module loads, before any payload ran. */
const PRISTINE: ReadonlyMap<string, PrototypeState> = new Map(
  Object.entries(PROTOTYPES).map(([name, prototype]) => [name, stateOf(prototype)]),
);

/** `Object.getOwnPropertyNames(Object.prototype)` before any payload ran. */
export const OBJECT_PROTOTYPE_NAMES: readonly string[] = Object.getOwnPropertyNames(Object.prototype);

/**
 * The ways the built-in prototypes differ from their pristine state: a key added or removed, a
 * value, getter or setter replaced, and any pollution marker readable on a fresh `{}` or `[]`.
 */
export function prototypeDamage(): string[] {
  const damage: string[] = [];
  for (const [name, prototype] of Object.entries(PROTOTYPES)) {
    const before = PRISTINE.get(name) ?? [];
    const after = stateOf(prototype);
    const beforeKeys = new Set(before.map(([key]) => key));
    for (const [key] of after) if (!beforeKeys.has(key)) damage.push(`${name} gained ${String(key)}`);
    for (const [key, value, get, set] of before) {
      const now = after.find(([other]) => other === key);
      if (now === undefined) damage.push(`${name} lost ${String(key)}`);
      else if (now[1] !== value || now[2] !== get || now[3] !== set) damage.push(`${name}.${String(key)} was replaced`);
    }
  }
  if (Object.getOwnPropertyNames(Object.prototype).join() !== OBJECT_PROTOTYPE_NAMES.join()) {
    damage.push('Object.getOwnPropertyNames(Object.prototype) changed');
  }
  for (const marker of POLLUTION_MARKERS) {
    if (marker in {}) damage.push(`{} has ${marker}`);
    if (marker in []) damage.push(`[] has ${marker}`);
  }
  return damage;
}

/** Where something in a returned value breaks the promise on objects of docs/library.md. */
export interface ShapeIssue {
  readonly path: string;
  readonly issue: string;
}

/**
 * Walks a returned value (iteratively, cycles once) and lists every object whose prototype is not
 * `Object.prototype` (arrays: `Array.prototype`), every accessor property, and, when `frozen` is
 * asked for, every object that is not frozen.
 */
export function shapeIssues(value: unknown, options: { readonly frozen: boolean }): ShapeIssue[] {
  const issues: ShapeIssue[] = [];
  const pending: [unknown, string][] = [[value, '$']];
  const seen = new Set<object>();
  while (pending.length > 0) {
    const next = pending.pop();
    if (next === undefined) break;
    const [item, path] = next;
    if (typeof item === 'function') issues.push({ path, issue: 'a function' });
    if (typeof item !== 'object' || item === null || seen.has(item)) continue;
    seen.add(item);
    if (types.isProxy(item)) {
      issues.push({ path, issue: 'a Proxy' });
      continue;
    }
    const expected = Array.isArray(item) ? Array.prototype : Object.prototype;
    if (Object.getPrototypeOf(item) !== expected) {
      issues.push({ path, issue: `prototype is not ${Array.isArray(item) ? 'Array' : 'Object'}.prototype` });
    }
    if (options.frozen && !Object.isFrozen(item)) issues.push({ path, issue: 'not frozen' });
    for (const key of Reflect.ownKeys(item)) {
      const descriptor = Object.getOwnPropertyDescriptor(item, key);
      if (descriptor === undefined) continue;
      if (!('value' in descriptor)) {
        issues.push({ path: `${path}.${String(key)}`, issue: 'an accessor property' });
        continue;
      }
      pending.push([descriptor.value, `${path}[${JSON.stringify(String(key))}]`]);
    }
  }
  return issues;
}

/** The JSON round trip of a value, in the form `toStrictEqual` compares safely (own `constructor` keys). */
export function roundTripped(value: unknown): { readonly before: unknown; readonly after: unknown } {
  const text = JSON.stringify(value);
  return { before: comparable(value), after: comparable(text === undefined ? undefined : JSON.parse(text)) };
}

/** Reads an own data property, never calling a getter. */
export function own(value: unknown, key: string): unknown {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  const descriptor = Object.getOwnPropertyDescriptor(value, key);
  return descriptor !== undefined && 'value' in descriptor ? descriptor.value : undefined;
}

/** Reads own data properties along a path: `ownPath(x, ['user_metadata', '__proto__'])`. */
export function ownPath(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) current = own(current, key);
  return current;
}

/** Whether `key` is an own, enumerable data property of `value`. */
export function hasOwnData(value: unknown, key: string): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const descriptor = Object.getOwnPropertyDescriptor(value, key);
  return descriptor !== undefined && 'value' in descriptor && descriptor.enumerable === true;
}

/** Parses JSON text into `unknown`, as a server would. */
export function parse(text: string): unknown {
  return JSON.parse(text);
}

/**
 * A fingerprint of everything reachable from `value` through own properties: keys, descriptors,
 * primitive values, object identities, prototypes, extensibility, and the contents of Maps, Sets
 * and typed arrays. Getters are never called. Proxies are not entered (a hostile trap may answer
 * differently on each call), and neither are the objects in `opaque` (shared, deep-frozen inputs
 * too large to walk on every case). Comparing two fingerprints shows whether a call changed its input.
 */
export function fingerprint(value: unknown, opaque: ReadonlySet<object> = new Set()): unknown[] {
  const tokens: unknown[] = [];
  const ids = new Map<object, number>();
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if ((typeof item !== 'object' && typeof item !== 'function') || item === null) {
      tokens.push(typeof item === 'number' && Object.is(item, -0) ? '-0' : item);
      continue;
    }
    const known = ids.get(item);
    if (known !== undefined) {
      tokens.push(`#${known}`);
      continue;
    }
    ids.set(item, ids.size);
    if (types.isProxy(item)) {
      tokens.push('proxy');
      continue;
    }
    if (opaque.has(item)) {
      tokens.push('opaque', Object.isFrozen(item));
      continue;
    }
    tokens.push(
      '{',
      Object.getPrototypeOf(item),
      Object.isExtensible(item),
      Object.isFrozen(item),
      Object.isSealed(item),
    );
    if (ArrayBuffer.isView(item)) {
      tokens.push(...new Uint8Array(item.buffer, item.byteOffset, item.byteLength));
    } else if (types.isMap(item)) {
      for (const [key, entry] of item) pending.push(key, entry);
      tokens.push('map', item.size);
    } else if (types.isSet(item)) {
      for (const entry of item) pending.push(entry);
      tokens.push('set', item.size);
    } else if (types.isDate(item)) {
      tokens.push('date', item.getTime());
    }
    for (const key of Reflect.ownKeys(item)) {
      const descriptor = Object.getOwnPropertyDescriptor(item, key);
      if (descriptor === undefined) continue;
      tokens.push(
        key,
        descriptor.enumerable,
        descriptor.configurable,
        descriptor.writable,
        descriptor.get,
        descriptor.set,
      );
      if ('value' in descriptor) pending.push(descriptor.value);
    }
    tokens.push('}');
  }
  return tokens;
}

/** The first position where two fingerprints differ, or `undefined` when they are the same. */
export function fingerprintDifference(before: readonly unknown[], after: readonly unknown[]): string | undefined {
  const length = Math.max(before.length, after.length);
  for (let index = 0; index < length; index++) {
    if (!Object.is(before[index], after[index])) {
      return `token ${index}: ${String(before[index])} became ${String(after[index])}`;
    }
  }
  return undefined;
}

/**
 * Freezes (or seals) everything reachable through own data properties that can be frozen, and
 * skips what cannot: a Proxy whose traps throw, a revoked Proxy, a typed array. The helper in
 * `test/helpers.ts` stops at the first of those; hostile inputs are full of them. The objects in
 * `opaque` (already frozen, shared) are not walked.
 */
export function lockAll(value: unknown, lock: (target: object) => void, opaque: ReadonlySet<object> = new Set()): void {
  const pending: unknown[] = [value];
  const seen = new Set<object>(opaque);
  while (pending.length > 0) {
    const item = pending.pop();
    if ((typeof item !== 'object' && typeof item !== 'function') || item === null || seen.has(item)) continue;
    seen.add(item);
    if (types.isProxy(item) || ArrayBuffer.isView(item)) continue;
    lock(item);
    for (const key of Reflect.ownKeys(item)) {
      const descriptor = Object.getOwnPropertyDescriptor(item, key);
      if (descriptor !== undefined && 'value' in descriptor) pending.push(descriptor.value);
    }
  }
}
