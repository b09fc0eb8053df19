/**
 * Byte sizes of JSON values (UTF-8, as `JSON.stringify` writes them), counted without serialising,
 * and remembered by identity so that a value seen once is never walked again.
 */

import type { Path, PathSegment } from '../issues.js';
import type { JsonPrimitive } from '../types.js';
import { describeThrown } from './describeThrown.js';
import { getOwn, hasOwn } from './object.js';
import { isJsonPrimitive, nonJsonKind, type WalkIssue, type WalkLimits } from './values.js';

/**
 * Sizes of containers already measured (or built with a known size), by identity. Values given to
 * the library are documented as immutable: a container changed after it was measured keeps its
 * old size here (docs/library.md#objects-prototypes-and-sizes).
 */
const sizes = new WeakMap<object, number>();

/** Sizes of containers smaller than this are not remembered: measuring them again is cheaper than a WeakMap entry. */
const REMEMBER_FROM_BYTES = 256;

/** Records the size of a container, when it is large enough to be worth remembering. */
export function rememberSize(container: object, bytes: number): void {
  if (bytes >= REMEMBER_FROM_BYTES) sizes.set(container, bytes);
}

/** Text that `JSON.stringify` writes as it is, one byte per character: ASCII from space up, but `"` and `\`. */
const PLAIN_ASCII = /^[ !#-[\]-\u007f]*$/;

/** Texts up to this length are checked for plain ASCII by a loop rather than {@link PLAIN_ASCII}. */
const SHORT_TEXT = 32;

/** UTF-8 byte length of `JSON.stringify(text)`, quotes and escapes included. */
export function stringBytes(text: string): number {
  const length = text.length;
  // Most text is plain ASCII. A short text is scanned here (a call to native code costs more than
  // its few characters); a long one by one regular-expression scan (native code) for all of it.
  if (length <= SHORT_TEXT) {
    let index = 0;
    for (; index < length; index++) {
      const unit = text.charCodeAt(index);
      if (unit < 0x20 || unit > 0x7e || unit === 0x22 || unit === 0x5c) break;
    }
    if (index === length) return length + 2;
  } else if (PLAIN_ASCII.test(text)) return length + 2;
  let bytes = 2;
  for (let index = 0; index < length; index++) {
    const unit = text.charCodeAt(index);
    if (unit < 0x80) {
      if (unit >= 0x20 && unit !== 0x22 && unit !== 0x5c) bytes += 1;
      else if (unit === 0x22 || unit === 0x5c || unit === 0x08 || unit === 0x09 || unit === 0x0a) bytes += 2;
      else if (unit === 0x0c || unit === 0x0d) bytes += 2;
      else bytes += 6;
    } else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        index++;
      } else bytes += 6;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) bytes += 6;
    else bytes += 3;
  }
  return bytes;
}

/** Long keys repeat (every record of a list has the same ones): their sizes are kept, up to a bound. */
const keySizes = new Map<string, number>();
const MAX_KEY_SIZES = 4096;

/** Bytes of a quoted key. */
function keyBytes(key: string): number {
  if (key.length <= SHORT_TEXT) return stringBytes(key);
  const known = keySizes.get(key);
  if (known !== undefined) return known;
  const bytes = stringBytes(key);
  if (keySizes.size >= MAX_KEY_SIZES) keySizes.clear();
  keySizes.set(key, bytes);
  return bytes;
}

/** Bytes of a JSON primitive. */
export function primitiveBytes(value: JsonPrimitive): number {
  if (typeof value === 'string') return stringBytes(value);
  if (value === null) return 4;
  if (typeof value === 'boolean') return value ? 4 : 5;
  return Number.isSafeInteger(value) ? integerDigits(value) : String(value).length;
}

/** The characters of a safe integer as JSON writes it (its sign included), without making the text. */
function integerDigits(value: number): number {
  const size = Math.abs(value);
  let digits = value < 0 ? 2 : 1;
  for (let bound = 10; size >= bound; bound *= 10) digits++;
  return digits;
}

/** Bytes of one `"key":value` entry of an object. */
export function entryBytes(key: string, valueBytes: number): number {
  return keyBytes(key) + 1 + valueBytes;
}

/** The brackets and commas of a container of `count` children. */
export function frameBytes(count: number): number {
  return count === 0 ? 2 : count + 1;
}

/** Where a container sits: the container holding it and its key there. */
export interface Located {
  readonly parent: Located | undefined;
  readonly segment: PathSegment | undefined;
}

/** The path of `segment` inside `frame` (or of the root when both are undefined). */
export function pathFrom(base: Path, frame: Located | undefined, segment: PathSegment | undefined): PathSegment[] {
  const reversed: PathSegment[] = segment === undefined ? [] : [segment];
  for (let at = frame; at?.segment !== undefined; at = at.parent) reversed.push(at.segment);
  return [...base, ...reversed.reverse()];
}

/**
 * Remembered sizes are looked up and recorded only this many levels below the value measured: the
 * first-level values of metadata, and one level more. Below that, containers are the records of
 * lists, thousands of them, each cheaper to measure than to look up; a value shared down there
 * still stops the walk when the running total passes the limit.
 */
const REMEMBER_DEPTH = 3;

/** What an array slot that reads as `undefined` is (read only when something is wrong). */
function describeSlot(source: object, index: number): string {
  const descriptor = Object.getOwnPropertyDescriptor(source, index);
  if (descriptor === undefined) return 'array hole';
  return 'value' in descriptor ? 'undefined' : 'accessor property';
}

/** The kind of a non-container child, or of a container JSON cannot carry; `undefined` for an array or plain object. */
function childKind(child: object): string | undefined {
  if (Array.isArray(child)) return undefined;
  const prototype: unknown = Object.getPrototypeOf(child);
  return prototype === Object.prototype || prototype === null ? undefined : nonJsonKind(child);
}

/**
 * The bytes of `JSON.stringify(value)`, or the issue that stops the walk: a value JSON cannot
 * carry, a cycle, nesting past `maxDepth`, or a running total past `maxBytes` (so a value that
 * shares one object a million times, which JSON would write out a million times, stops as soon as
 * its total passes the limit, and a remembered shared object is never walked twice).
 *
 * Iterative, on a stack of parallel arrays (no object per container). Object entries are read
 * through their descriptors, so a getter is never called; array elements are read by index (a
 * hole, or an element that reads as `undefined`, is an issue). Containers of 256 bytes or more near
 * the top are remembered by identity (see {@link REMEMBER_DEPTH}). Paths are built only for an issue.
 */
export function measure(value: unknown, basePath: Path, limits: WalkLimits): number | WalkIssue {
  if (isJsonPrimitive(value)) {
    const bytes = primitiveBytes(value);
    return bytes > limits.maxBytes
      ? { code: 'too_large', path: [...basePath], bytes, maximum: limits.maxBytes }
      : bytes;
  }
  const sources: object[] = [];
  const keyLists: (readonly string[] | undefined)[] = [];
  const elementLists: (readonly unknown[] | undefined)[] = [];
  const counts: number[] = [];
  const indexes: number[] = [];
  const starts: number[] = [];
  let top = -1;
  /** The path of the child being read (at `indexes[top] - 1` of the top container). */
  const here = (): PathSegment[] => {
    const path: PathSegment[] = [...basePath];
    for (let level = 0; level <= top; level++) {
      const at = (indexes[level] ?? 1) - 1;
      const keys = keyLists[level];
      path.push(keys === undefined ? at : (keys[at] ?? ''));
    }
    return path;
  };
  const { maxBytes, maxDepth } = limits;
  try {
    if (typeof value !== 'object' || value === null || childKind(value) !== undefined) {
      return { code: 'not_json', path: [...basePath], received: nonJsonKind(value) ?? typeof value };
    }
    const known = sizes.get(value);
    if (known !== undefined) {
      return known > maxBytes ? { code: 'too_large', path: [...basePath], bytes: known, maximum: maxBytes } : known;
    }
    let running = 0;
    const open = (container: object): void => {
      const elements: readonly unknown[] | undefined = Array.isArray(container) ? container : undefined;
      const keys = elements === undefined ? Object.keys(container) : undefined;
      const length: unknown = elements === undefined ? keys?.length : elements.length;
      const count = typeof length === 'number' ? length : 0;
      top++;
      sources[top] = container;
      keyLists[top] = keys;
      elementLists[top] = elements;
      counts[top] = count;
      indexes[top] = 0;
      starts[top] = running;
      running += count === 0 ? 2 : count + 1;
    };
    open(value);
    // The container on top of the stack is read in an inner loop with its state in locals, written
    // back to the stack only when the walk goes down into a child.
    for (;;) {
      const source = sources[top];
      if (source === undefined) return running;
      const keys = keyLists[top];
      const elements = elementLists[top];
      const count = counts[top] ?? 0;
      let index = indexes[top] ?? 0;
      let below: object | undefined;
      while (index < count) {
        let child: unknown;
        if (elements !== undefined) {
          child = elements[index++];
          if (child === undefined) {
            indexes[top] = index;
            return { code: 'not_json', path: here(), received: describeSlot(source, index - 1) };
          }
        } else {
          const key = keys?.[index++] ?? '';
          const descriptor = Object.getOwnPropertyDescriptor(source, key);
          if (descriptor === undefined || !('value' in descriptor)) {
            indexes[top] = index;
            return {
              code: 'not_json',
              path: here(),
              received: descriptor === undefined ? 'deleted key' : 'accessor property',
            };
          }
          child = descriptor.value;
          running += keyBytes(key) + 1;
        }
        if (typeof child === 'string') running += stringBytes(child);
        else if (typeof child === 'object' && child !== null) {
          const remembered = top < REMEMBER_DEPTH ? sizes.get(child) : undefined;
          // Below the remembered levels, an object of JSON primitives only (a record of a list) is
          // measured here, without a level of the stack (it holds no container, so it closes no
          // cycle); anything else is gone down into.
          const flat = remembered ?? (top + 1 >= REMEMBER_DEPTH && top < maxDepth ? flatObjectBytes(child) : undefined);
          if (flat === undefined) {
            below = child;
            break;
          }
          running += flat;
        } else if (isJsonPrimitive(child)) running += primitiveBytes(child);
        else {
          indexes[top] = index;
          return { code: 'not_json', path: here(), received: nonJsonKind(child) ?? typeof child };
        }
        if (running > maxBytes) return { code: 'too_large', path: [...basePath], bytes: running, maximum: maxBytes };
      }
      indexes[top] = index;
      if (below !== undefined) {
        const kind = childKind(below);
        if (kind !== undefined) return { code: 'not_json', path: here(), received: kind };
        if (isAncestor(sources, top, below)) return { code: 'circular_reference', path: here() };
        if (top >= maxDepth) return { code: 'too_deep', path: here(), maximum: maxDepth };
        open(below);
        if (running > maxBytes) return { code: 'too_large', path: [...basePath], bytes: running, maximum: maxBytes };
        continue;
      }
      if (top < REMEMBER_DEPTH) rememberSize(source, running - (starts[top] ?? 0));
      if (top === 0) return running;
      top--;
    }
  } catch (error) {
    return { code: 'not_json', path: here(), received: `unreadable value (${describeThrown(error)})` };
  }
}

/**
 * The bytes of a plain object whose values are all JSON primitives, read through descriptors as
 * {@link measure} reads them; `undefined` for any other value (which the walk then goes down into,
 * and where it reports what it finds).
 */
function flatObjectBytes(value: object): number | undefined {
  if (childKind(value) !== undefined || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  let bytes = frameBytes(keys.length);
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index] ?? '';
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (descriptor === undefined || !('value' in descriptor)) return undefined;
    const child: unknown = descriptor.value;
    if (typeof child === 'string') bytes += stringBytes(child);
    else if (isJsonPrimitive(child)) bytes += primitiveBytes(child);
    else return undefined;
    bytes += keyBytes(key) + 1;
  }
  return bytes;
}

/** Whether `child` is one of the containers below `top` on the stack: a loop, cheaper than `lastIndexOf` for the few levels there are. */
function isAncestor(sources: readonly object[], top: number, child: object): boolean {
  for (let level = top; level >= 0; level--) if (sources[level] === child) return true;
  return false;
}

/** Whether `value` is one of the containers being walked. A loop over the (shallow) stack: no Set per walk. */
export function isOnStack(stack: readonly { readonly source: object }[], value: object): boolean {
  for (let index = 0; index < stack.length; index++) if (stack[index]?.source === value) return true;
  return false;
}

/** The bytes of `JSON.stringify(value)`, or `undefined` when the walk meets an issue. */
export function measureJson(value: unknown, limits: WalkLimits): number | undefined {
  const measured = measure(value, [], limits);
  return typeof measured === 'number' ? measured : undefined;
}

/**
 * The size of `source` once `updates` are applied (a value replaces or adds its key, `null`
 * removes it), from the size of `source` and of the entries that change only: an untouched
 * subtree is never measured again. The issue of the first value that cannot be measured, if any.
 */
export function sizeAfter(
  source: object,
  sourceBytes: number,
  updates: ReadonlyMap<string, unknown>,
  knownBytes: ReadonlyMap<string, number> | undefined,
  basePath: Path,
  limits: WalkLimits,
): number | WalkIssue {
  let bytes = sourceBytes;
  for (const [key, value] of updates) {
    if (hasOwn(source, key)) {
      const old = measure(getOwn(source, key), [...basePath, key], limits);
      if (typeof old !== 'number') return old;
      const entry = entryBytes(key, old);
      // The entry and its comma go; the last entry leaves `{}`.
      bytes = bytes === 2 + entry ? 2 : bytes - entry - 1;
    }
    if (value === null) continue;
    const known = knownBytes?.get(key) ?? measure(value, [...basePath, key], limits);
    if (typeof known !== 'number') return known;
    // The entry comes, with a comma unless the object was empty.
    bytes += entryBytes(key, known) + (bytes === 2 ? 0 : 1);
  }
  return bytes;
}
