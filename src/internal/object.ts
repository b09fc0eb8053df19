import type { JsonObject, JsonValue } from '../types.js';

/** Own-property check that ignores the prototype chain (`in` would see `toString`). */
export function hasOwn(object: object, key: PropertyKey): boolean {
  return Object.hasOwn(object, key);
}

/**
 * Writes `key` as an own, enumerable data property of a plain object, safely for any key.
 *
 * A key that `Object.prototype` has (`__proto__`, whose setter would replace the prototype;
 * `constructor`, `toString`, ... which throw on assignment when the prototype is frozen) is
 * written with `Object.defineProperty`. Any other key is absent from the whole prototype chain of
 * a plain object, so plain assignment can only create an own data property, and it is several
 * times faster than `defineProperty`.
 */
export function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key in Object.prototype) {
    Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    object[key] = value;
  }
}

/**
 * Reads an own data property only: inherited members such as `constructor` read as `undefined`,
 * and a getter is never called (it reads as `undefined` too).
 */
export function getOwn(object: object, key: string): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(object, key);
  return descriptor !== undefined && 'value' in descriptor ? descriptor.value : undefined;
}

/** A plain record: `{}` or `Object.create(null)`, not an array, class instance, Date or Map. */
export function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Narrows a JSON value to an object. */
export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The name Auth0's validator uses for the type of a JSON value. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}
