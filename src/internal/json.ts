import { type Issue, MAX_METADATA_DEPTH, type Path, type PathSegment } from '../issues.js';
import type { JsonValue } from '../types.js';
import { describeThrown, hasOwn, isPlainObject, setOwn } from './object.js';

/**
 * Byte size (UTF-8, as `JSON.stringify` writes it) of frozen containers that were measured once.
 * Only frozen values whose descendants are all frozen are cached, so a cached size can never go
 * stale: nothing can change under it.
 */
const sizes = new WeakMap<object, number>();

/**
 * The size of `source` once `updates` are applied (a value replaces or adds its key, `null`
 * removes it), from the size of `source` and of the entries that change only: an untouched
 * subtree is never measured again, and the keys of `source` are not even counted (an object is
 * empty exactly when it is 2 bytes, and every entry is at least 4). `undefined` if something is
 * not JSON.
 */
export function sizeAfter(
  source: object,
  sourceBytes: number | undefined,
  updates: ReadonlyMap<string, unknown>,
  knownBytes?: ReadonlyMap<string, number>,
): number | undefined {
  if (sourceBytes === undefined) return undefined;
  let bytes = sourceBytes;
  for (const [key, value] of updates) {
    if (hasOwn(source, key)) {
      const old = measureJson(Reflect.get(source, key));
      if (old === undefined) return undefined;
      const entry = entryBytes(key, old);
      // The entry and its comma go; the last entry leaves `{}`.
      bytes = bytes === 2 + entry ? 2 : bytes - entry - 1;
    }
    if (value === null) continue;
    const known = knownBytes?.get(key) ?? measureJson(value);
    if (known === undefined) return undefined;
    // The entry comes, with a comma unless the object was empty.
    bytes += entryBytes(key, known) + (bytes === 2 ? 0 : 1);
  }
  return bytes;
}

/** Records the size of a frozen container built from values whose sizes are cached. */
export function rememberSize(container: object, bytes: number): void {
  sizes.set(container, bytes);
}

/** Whether a container's size is cached, which holds only for deep-frozen JSON. */
export function hasCachedSize(container: object): boolean {
  return sizes.has(container);
}

/** Text that `JSON.stringify` writes as it is, one byte per character: ASCII from space up, but `"` and `\`. */
const PLAIN_ASCII = /^[ !#-[\]-\u007f]*$/;

/** UTF-8 byte length of `JSON.stringify(text)`, quotes and escapes included. */
export function stringBytes(text: string): number {
  // Most text is plain ASCII: one regular-expression scan (native code) answers for all of it.
  if (PLAIN_ASCII.test(text)) return text.length + 2;
  let bytes = 2;
  const length = text.length;
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

function primitiveBytes(value: string | number | boolean | null): number {
  if (typeof value === 'string') return stringBytes(value);
  if (value === null) return 4;
  if (typeof value === 'boolean') return value ? 4 : 5;
  return String(value).length;
}

/** Bytes of an object with `count` entries whose `key:value` parts add up to `content` bytes. */
export function objectBytes(content: number, count: number): number {
  return 2 + content + Math.max(count - 1, 0);
}

/** Bytes of one `"key":value` entry of an object. */
export function entryBytes(key: string, valueBytes: number): number {
  return stringBytes(key) + 1 + valueBytes;
}

type JsonPrimitive = string | number | boolean | null;

function isJsonPrimitive(value: unknown): value is JsonPrimitive {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

/** JSON has no `-0`: `JSON.stringify(-0)` is `0`, so the copy stores what a round trip gives. */
function normalize(value: JsonPrimitive): JsonPrimitive {
  return value === 0 ? 0 : value;
}

/** Describes a value JSON cannot carry, or returns `undefined` for a JSON primitive or container. */
function nonJsonKind(value: unknown): string | undefined {
  if (isJsonPrimitive(value)) return undefined;
  switch (typeof value) {
    case 'number':
      return String(value);
    case 'object': {
      if (Array.isArray(value) || isPlainObject(value)) return undefined;
      const prototype: unknown = Object.getPrototypeOf(value);
      const maker: unknown =
        typeof prototype === 'object' && prototype !== null && hasOwn(prototype, 'constructor')
          ? Reflect.get(prototype, 'constructor')
          : undefined;
      return typeof maker === 'function' && maker.name !== '' ? maker.name : 'class instance';
    }
    default:
      return typeof value;
  }
}

/** A container being walked: its own keys (or indexes), how far the walk got, and its size so far. */
interface Frame<Target> {
  readonly source: object;
  readonly target: Target;
  /** Own enumerable string keys for an object; `undefined` for an array (walked by index). */
  readonly keys: readonly string[] | undefined;
  readonly count: number;
  /** Where this container sits: its parent frame and its key there (paths are built only when needed). */
  readonly parent: Frame<Target> | undefined;
  readonly segment: PathSegment | undefined;
  index: number;
  content: number;
}

function frameFor<Target>(
  source: object,
  makeTarget: (source: object, count: number) => Target,
  parent: Frame<Target> | undefined,
  segment: PathSegment | undefined,
): Frame<Target> {
  const keys = Array.isArray(source) ? undefined : Object.keys(source);
  const length: unknown = keys === undefined ? Reflect.get(source, 'length') : keys.length;
  const count = typeof length === 'number' ? length : 0;
  return {
    source,
    target: makeTarget(source, count),
    keys,
    count,
    parent,
    segment,
    index: 0,
    content: 0,
  };
}

/** Whether `value` is one of the containers being walked (a cycle). A loop: no closure per container. */
function isOnStack<Target>(stack: readonly Frame<Target>[], value: object): boolean {
  for (let index = 0; index < stack.length; index++) if (stack[index]?.source === value) return true;
  return false;
}

/** The path of a frame's child (or of the frame itself when `segment` is undefined). */
function pathOf<Target>(base: Path, frame: Frame<Target> | undefined, segment?: PathSegment): PathSegment[] {
  const reversed: PathSegment[] = segment === undefined ? [] : [segment];
  for (let at = frame; at?.segment !== undefined; at = at.parent) reversed.push(at.segment);
  return [...base, ...reversed.reverse()];
}

/** The key (or index) at `index` of a frame. */
function segmentAt<Target>(frame: Frame<Target>, index: number): PathSegment {
  return frame.keys === undefined ? index : (frame.keys[index] ?? '');
}

/** Adds a finished child's size to its parent: an array element, or an object entry with its key. */
function addChild<Target>(frame: Frame<Target>, bytes: number): void {
  const segment = segmentAt(frame, frame.index - 1);
  frame.content += typeof segment === 'number' ? bytes : entryBytes(segment, bytes);
}

/** How a walk treats keys, and when it gives up on an array. */
export interface WalkRules {
  /** Report the first key containing `.` or `$` (Auth0 forbids them in metadata names). */
  readonly forbidDottedKeys: boolean;
  /**
   * The issue for an array whose length alone proves the value too large: `n` elements serialise
   * to at least `2n + 1` bytes, so an array claiming more than `maxBytes` that way is refused
   * before a single element is copied (a Proxy may claim 2^32 - 1 elements for free, and copying
   * them would abort the process). `undefined` copies arrays of any length.
   */
  readonly tooLarge?: { readonly maxBytes: number; readonly issue: (path: Path, minimumBytes: number) => Issue };
}

/** The fewest bytes an array of `length` elements can take as JSON: `[]`, or one byte per element and the commas. */
function minimumArrayBytes(length: number): number {
  return length === 0 ? 2 : 2 * length + 1;
}

/** A key with a `.` or `$`, and where it is. */
export interface ForbiddenKey {
  readonly path: Path;
  readonly character: '.' | '$';
}

/** What walking a value found. */
export interface WalkOutcome {
  /** Problems that make the value unusable as JSON, with their paths. Empty when the copy is good. */
  readonly issues: readonly Issue[];
  /** The first key with a `.` or `$`, when `forbidDottedKeys` is on. */
  readonly forbidden: ForbiddenKey | undefined;
  /** A deep-frozen JSON copy of the input (meaningful only when `issues` is empty). */
  readonly value: JsonValue;
  /** UTF-8 bytes of `JSON.stringify(value)`. */
  readonly bytes: number;
  /** The bytes of each first-level value of an object, by key: what merging it needs. */
  readonly firstLevel: ReadonlyMap<string, number>;
}

function forbiddenCharacter(key: string): '.' | '$' | undefined {
  if (key.includes('.')) return '.';
  if (key.includes('$')) return '$';
  return undefined;
}

function notJson(path: Path, received: string): Issue {
  return { code: 'not_json', path, received, message: `Expected a JSON value but found ${received}` };
}

/**
 * What a copy is built into: array elements, or object entries. Objects of up to
 * {@link SMALL_OBJECT} keys are written key by key; larger ones are made with `Object.fromEntries`.
 * Keyed stores past a dozen or so keys leave V8 with a dictionary-mode object, which `Object.freeze`
 * keeps, and every later spread of it (each PATCH of that metadata) costs ten times more: measured
 * at 64 keys, 18.6 µs against 1.3 µs. Both ways define `__proto__` as data.
 */
type Target =
  | { readonly elements: JsonValue[] }
  | { readonly object: Record<string, JsonValue> }
  | { readonly entries: [string, JsonValue][] };

/** The most keys an object is built with key by key (see {@link Target}). */
export const SMALL_OBJECT = 16;

/** Sizes of containers smaller than this are not cached: measuring them again is cheaper than a WeakMap entry. */
const CACHE_FROM_BYTES = 256;

function targetFor(value: object, count: number): Target {
  if (Array.isArray(value)) return { elements: [] };
  return count <= SMALL_OBJECT ? { object: {} } : { entries: [] };
}

function build(target: Target): JsonValue[] | { [key: string]: JsonValue } {
  if ('elements' in target) return target.elements;
  if ('object' in target) return target.object;
  return Object.fromEntries(target.entries);
}

/**
 * Validates `input` as JSON and returns a deep-frozen copy of it, with its serialised size.
 *
 * Iterative (an explicit stack), so 100,000 levels of nesting give an issue, not a stack overflow.
 * Keys are written as data (see {@link Target}), so `__proto__`, `constructor` and `prototype`
 * stay data. Getters are never called; a Proxy whose traps throw becomes an issue at the path
 * being read. Paths are built only when an issue needs one.
 */
export function copyJson(input: unknown, basePath: Path, rules: WalkRules): WalkOutcome {
  const issues: Issue[] = [];
  let forbidden: ForbiddenKey | undefined;
  const stack: Frame<Target>[] = [];
  const firstLevel = new Map<string, number>();
  // Where the value being looked at sits: the frame that holds it and its key (none for the root).
  let holder: Frame<Target> | undefined;
  let holderSegment: PathSegment | undefined;
  const here = (): PathSegment[] => pathOf(basePath, holder, holderSegment);
  try {
    if (isJsonPrimitive(input)) {
      const value = normalize(input);
      return { issues, forbidden, value, bytes: primitiveBytes(value), firstLevel };
    }
    let result: JsonValue = null;
    let resultBytes = 0;
    const finish = (value: JsonValue, bytes: number): void => {
      const parent = stack.at(-1);
      if (parent === undefined) {
        result = value;
        resultBytes = bytes;
        return;
      }
      const target = parent.target;
      const segment = segmentAt(parent, parent.index - 1);
      if (stack.length === 1 && typeof segment === 'string') firstLevel.set(segment, bytes);
      if ('elements' in target) target.elements.push(value);
      else if ('object' in target) setOwn(target.object, String(segment), value);
      else target.entries.push([String(segment), value]);
      parent.content += typeof segment === 'number' ? bytes : entryBytes(segment, bytes);
    };
    let value: unknown = input;
    for (;;) {
      if (isJsonPrimitive(value)) {
        const primitive = normalize(value);
        finish(primitive, primitiveBytes(primitive));
      } else {
        const kind = nonJsonKind(value);
        if (kind !== undefined || typeof value !== 'object' || value === null) {
          issues.push(notJson(here(), kind ?? typeof value));
        } else if (isOnStack(stack, value)) {
          issues.push({ code: 'circular_reference', path: here(), message: 'Circular reference' });
        } else if (stack.length >= MAX_METADATA_DEPTH) {
          const message = `Nesting deeper than ${MAX_METADATA_DEPTH} levels`;
          issues.push({ code: 'too_deep', path: here(), maximum: MAX_METADATA_DEPTH, message });
        } else if (Object.getOwnPropertySymbols(value).length > 0) {
          issues.push(notJson(here(), 'symbol key'));
        } else {
          const container = value;
          const frame = frameFor<Target>(container, targetFor, holder, holderSegment);
          const limit = rules.tooLarge;
          if (limit !== undefined && frame.keys === undefined && minimumArrayBytes(frame.count) > limit.maxBytes) {
            issues.push(limit.issue(here(), minimumArrayBytes(frame.count)));
          } else stack.push(frame);
        }
      }
      // Climb out of finished containers, then step into the next child.
      let found = false;
      while (!found && issues.length === 0) {
        const frame = stack.at(-1);
        if (frame === undefined) break;
        if (frame.index >= frame.count) {
          stack.pop();
          const bytes = objectBytes(frame.content, frame.count);
          const built = Object.freeze(build(frame.target));
          if (bytes >= CACHE_FROM_BYTES) sizes.set(built, bytes);
          finish(built, bytes);
          continue;
        }
        const segment = segmentAt(frame, frame.index);
        frame.index++;
        holder = frame;
        holderSegment = segment;
        const descriptor = Object.getOwnPropertyDescriptor(frame.source, segment);
        if (descriptor === undefined) issues.push(notJson(here(), 'array hole'));
        else if (!('value' in descriptor)) issues.push(notJson(here(), 'accessor property'));
        else {
          if (rules.forbidDottedKeys && forbidden === undefined && typeof segment === 'string') {
            const character = forbiddenCharacter(segment);
            if (character !== undefined) forbidden = { path: here(), character };
          }
          value = descriptor.value;
          found = true;
        }
      }
      if (!found) break;
    }
    return { issues, forbidden, value: result, bytes: resultBytes, firstLevel };
  } catch (error) {
    const reason = describeThrown(error);
    issues.push(notJson(here(), `unreadable value (${reason})`));
    return { issues, forbidden, value: null, bytes: 0, firstLevel };
  }
}

/**
 * UTF-8 bytes of `JSON.stringify(value)` for a stored value, reading the cache for frozen
 * containers and filling it on the way. Returns `undefined` if the value is not JSON (a stored
 * user built by hand), so callers can report it instead of crashing.
 */
export function measureJson(value: unknown): number | undefined {
  if (isJsonPrimitive(value)) return primitiveBytes(value);
  if (typeof value !== 'object' || value === null || nonJsonKind(value) !== undefined) return undefined;
  const cached = sizes.get(value);
  if (cached !== undefined) return cached;
  try {
    return measureContainer(value);
  } catch {
    return undefined;
  }
}

interface MeasureTarget {
  frozen: boolean;
}

function measureTargetFor(source: object): MeasureTarget {
  return { frozen: Object.isFrozen(source) };
}

function measureContainer(root: object): number | undefined {
  const stack: Frame<MeasureTarget>[] = [];
  const onStack = new Set<object>();
  const open = (source: object): void => {
    onStack.add(source);
    stack.push(frameFor<MeasureTarget>(source, measureTargetFor, undefined, undefined));
  };
  open(root);
  for (;;) {
    const frame = stack.at(-1);
    if (frame === undefined) return undefined;
    if (frame.index >= frame.count) {
      stack.pop();
      onStack.delete(frame.source);
      const bytes = objectBytes(frame.content, frame.count);
      if (frame.target.frozen) sizes.set(frame.source, bytes);
      const parent = stack.at(-1);
      if (parent === undefined) return bytes;
      addChild(parent, bytes);
      parent.target.frozen &&= frame.target.frozen;
      continue;
    }
    const segment = segmentAt(frame, frame.index);
    frame.index++;
    const descriptor = Object.getOwnPropertyDescriptor(frame.source, segment);
    if (descriptor === undefined || !('value' in descriptor)) return undefined;
    const child: unknown = descriptor.value;
    if (isJsonPrimitive(child)) {
      addChild(frame, primitiveBytes(child));
      continue;
    }
    if (typeof child !== 'object' || child === null || nonJsonKind(child) !== undefined || onStack.has(child)) {
      return undefined;
    }
    const cached = sizes.get(child);
    if (cached !== undefined) addChild(frame, cached);
    // Deeper than any value this library stores (metadata depth, plus the user around it): not ours.
    else if (stack.length > MAX_METADATA_DEPTH + 2) return undefined;
    else open(child);
  }
}

/** Deep equality of two JSON values (key order ignored), without recursion. */
export function jsonEqual(left: unknown, right: unknown): boolean {
  const pending: [unknown, unknown][] = [[left, right]];
  for (let pair = pending.pop(); pair !== undefined; pair = pending.pop()) {
    const [a, b] = pair;
    if (Object.is(a, b)) continue;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    if (Array.isArray(a) && Array.isArray(b)) {
      if (a.length !== b.length) return false;
      for (let index = 0; index < a.length; index++) pending.push([a[index], b[index]]);
      continue;
    }
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    for (const key of keys) {
      if (!hasOwn(b, key)) return false;
      pending.push([Reflect.get(a, key), Reflect.get(b, key)]);
    }
  }
  return true;
}
