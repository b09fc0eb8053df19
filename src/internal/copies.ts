/** Deep-frozen JSON copies of caller values, validated while they are copied. */

import type { Path, PathSegment } from '../issues.js';
import type { JsonPrimitive } from '../types.js';
import { describeThrown } from './describeThrown.js';
import { isPlainObject, setOwn } from './object.js';
import { entryBytes, frameBytes, isOnStack, type Located, pathFrom, primitiveBytes, rememberSize } from './sizes.js';
import { isJsonPrimitive, nonJsonKind, normalize, type WalkIssue, type WalkLimits } from './values.js';

/** A JSON value as copied: frozen containers of JSON values. */
export type CopiedJson = JsonPrimitive | readonly CopiedJson[] | { readonly [key: string]: CopiedJson };

/**
 * What a copy is built into: array elements, or object entries. Objects of up to
 * {@link SMALL_OBJECT} keys are written key by key; larger ones are made with `Object.fromEntries`.
 * Keyed stores past a dozen or so keys leave V8 with a dictionary-mode object, which `Object.freeze`
 * keeps, and every later spread of it (each PATCH of that metadata) costs ten times more: measured
 * at 64 keys, 18.6 µs against 1.3 µs. Both ways define `__proto__` as data.
 */
type Target =
  | { readonly elements: CopiedJson[] }
  | { readonly object: Record<string, CopiedJson> }
  | { readonly entries: [string, CopiedJson][] };

/** The most keys an object is built with key by key (see {@link Target}). */
export const SMALL_OBJECT = 16;

/** A container being copied. */
interface Frame extends Located {
  readonly source: object;
  readonly target: Target;
  /** Own enumerable string keys for an object; `undefined` for an array (walked by index). */
  readonly keys: readonly string[] | undefined;
  readonly count: number;
  /** The running total when this container opened. */
  readonly start: number;
  readonly parent: Frame | undefined;
  index: number;
}

/** Which key characters a copy reports, and where it stops. */
export interface CopyRules<Character extends string> {
  /** The characters no key may contain, at any depth: the first key holding one is reported. */
  readonly forbiddenKeyCharacters: readonly Character[];
  /**
   * Depth and size bounds. The size is checked on the running total, and an array is refused as
   * soon as its length alone (one byte per element, at least) passes it: a Proxy may claim 2^32 - 1
   * elements for free.
   */
  readonly limits: WalkLimits;
}

/** A key with a forbidden character, and where it is. */
export interface ForbiddenKey<Character extends string> {
  readonly path: Path;
  readonly character: Character;
}

/** What copying a value found. */
export interface CopyOutcome<Character extends string> {
  /** What made the value unusable, with its path; `undefined` when the copy is good. */
  readonly issue: WalkIssue | undefined;
  /** The first key holding one of the `forbiddenKeyCharacters`, in the order the copy met keys. */
  readonly forbidden: ForbiddenKey<Character> | undefined;
  /** A deep-frozen JSON copy of the input (meaningful only without an issue). */
  readonly value: CopiedJson;
  /** UTF-8 bytes of `JSON.stringify(value)`. */
  readonly bytes: number;
  /** The bytes of each first-level value of an object, by key: what merging it needs. */
  readonly firstLevel: ReadonlyMap<string, number>;
}

function forbiddenCharacterIn<Character extends string>(
  key: string,
  characters: readonly Character[],
): Character | undefined {
  for (const character of characters) if (key.includes(character)) return character;
  return undefined;
}

function targetFor(value: object, count: number): Target {
  if (Array.isArray(value)) return { elements: [] };
  return count <= SMALL_OBJECT ? { object: {} } : { entries: [] };
}

function build(target: Target): readonly CopiedJson[] | { readonly [key: string]: CopiedJson } {
  if ('elements' in target) return target.elements;
  if ('object' in target) return target.object;
  return Object.fromEntries(target.entries);
}

/** The most values (containers and primitives) {@link copySmall} copies before leaving a value to the general walk. */
const SMALL_VALUE_NODES = 64;

/** The deepest container {@link copySmall} opens (the root is at depth 0). */
const SMALL_VALUE_DEPTH = 4;

/** What {@link copySmall} returns for a value it leaves to the general walk. */
const NOT_SMALL: unique symbol = Symbol('not small');

/** The state of one {@link copySmall}. */
interface SmallWalk {
  nodes: number;
  /** The bytes of the value copied last. */
  bytes: number;
  /** The bytes met so far, counted as the general walk counts them, so the copy stops where it stops. */
  running: number;
  readonly maxBytes: number;
  /** Every container met so far: one met twice (a cycle, a shared object) goes to the general walk. */
  readonly seen: object[];
  readonly characters: readonly string[];
  /** Containers at this depth or deeper go to the general walk. */
  readonly depth: number;
  readonly firstLevel: Map<string, number>;
}

/**
 * The copy of a small, ordinary value by recursion: what most request bodies are, for a fraction of
 * the general walk's cost (no frames, maps or closures). It gives up, returning {@link NOT_SMALL},
 * on anything the general walk would report or treat specially: more than
 * {@link SMALL_VALUE_NODES} values, a container at {@link SMALL_VALUE_DEPTH} or at the walk's
 * depth limit, a running total past the walk's size limit, an object of more than {@link SMALL_OBJECT} keys, a key holding a forbidden
 * character, a container met twice, an accessor, a hole, a symbol key, anything but a JSON
 * primitive, an array or a plain object. The general walk then starts over, so every issue is
 * still found, and worded, in one place. It reads a value in the general walk's order and stops
 * no later than it, so it calls no trap the general walk would not. Its copies are the general walk's exactly
 * (`test/internal/copies.prop.test.ts`).
 */
function copySmall(value: unknown, depth: number, walk: SmallWalk): CopiedJson | typeof NOT_SMALL {
  if (++walk.nodes > SMALL_VALUE_NODES) return NOT_SMALL;
  if (isJsonPrimitive(value)) {
    const primitive = normalize(value);
    walk.bytes = primitiveBytes(primitive);
    walk.running += walk.bytes;
    return walk.running > walk.maxBytes ? NOT_SMALL : primitive;
  }
  if (typeof value !== 'object' || value === null || depth >= walk.depth || walk.seen.includes(value)) {
    return NOT_SMALL;
  }
  walk.seen.push(value);
  // The traps a Proxy answers are the general walk's, in its order: the prototype, then the keys.
  const isArray = Array.isArray(value);
  if (!isArray && !isPlainObject(value)) return NOT_SMALL;
  if (Object.getOwnPropertySymbols(value).length > 0) return NOT_SMALL;
  let built: CopiedJson[] | Record<string, CopiedJson>;
  let bytes: number;
  if (isArray) {
    const length: unknown = Reflect.get(value, 'length');
    if (typeof length !== 'number' || length > SMALL_VALUE_NODES) return NOT_SMALL;
    if (walk.running + frameBytes(length) + length > walk.maxBytes) return NOT_SMALL;
    const elements: CopiedJson[] = [];
    bytes = frameBytes(length);
    walk.running += bytes;
    if (walk.running > walk.maxBytes) return NOT_SMALL;
    for (let index = 0; index < length; index++) {
      const descriptor = Object.getOwnPropertyDescriptor(value, index);
      if (descriptor === undefined || !('value' in descriptor)) return NOT_SMALL;
      const copied = copySmall(descriptor.value, depth + 1, walk);
      if (copied === NOT_SMALL) return NOT_SMALL;
      elements.push(copied);
      bytes += walk.bytes;
    }
    built = elements;
  } else {
    const keys = Object.keys(value);
    if (keys.length > SMALL_OBJECT) return NOT_SMALL;
    const object: Record<string, CopiedJson> = {};
    bytes = frameBytes(keys.length);
    walk.running += bytes;
    if (walk.running > walk.maxBytes) return NOT_SMALL;
    for (const key of keys) {
      if (forbiddenCharacterIn(key, walk.characters) !== undefined) return NOT_SMALL;
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor === undefined || !('value' in descriptor)) return NOT_SMALL;
      walk.running += entryBytes(key, 0);
      const copied = copySmall(descriptor.value, depth + 1, walk);
      if (copied === NOT_SMALL) return NOT_SMALL;
      if (depth === 0) walk.firstLevel.set(key, walk.bytes);
      setOwn(object, key, copied);
      bytes += entryBytes(key, walk.bytes);
    }
    built = object;
  }
  const frozen = Object.freeze(built);
  rememberSize(frozen, bytes);
  walk.bytes = bytes;
  return frozen;
}

/**
 * Validates `input` as JSON and returns a deep-frozen copy of it, with its serialised size.
 *
 * Iterative (an explicit stack), so 100,000 levels of nesting give an issue, not a stack overflow.
 * An object met twice (a DAG) is copied once and shared, so its size is known at once and the
 * running total passes the limit early instead of the copy expanding every path. Keys are written
 * as data, so `__proto__`, `constructor` and `prototype` stay data. Getters are never called; a
 * Proxy whose traps throw is an issue at the path being read. Paths are built only for an issue.
 */
export function copyJson<Character extends string>(
  input: unknown,
  basePath: Path,
  rules: CopyRules<Character>,
): CopyOutcome<Character> {
  if (typeof input === 'object' && input !== null) {
    const walk: SmallWalk = {
      nodes: 0,
      bytes: 0,
      running: 0,
      maxBytes: rules.limits.maxBytes,
      seen: [],
      characters: rules.forbiddenKeyCharacters,
      depth: Math.min(SMALL_VALUE_DEPTH, rules.limits.maxDepth),
      firstLevel: new Map(),
    };
    let value: CopiedJson | typeof NOT_SMALL;
    try {
      value = copySmall(input, 0, walk);
    } catch {
      // A Proxy's trap threw: the general walk reads it again and reports where.
      value = NOT_SMALL;
    }
    if (value !== NOT_SMALL && walk.bytes <= rules.limits.maxBytes) {
      return { issue: undefined, forbidden: undefined, value, bytes: walk.bytes, firstLevel: walk.firstLevel };
    }
  }
  return walkCopy(input, basePath, rules);
}

/** {@link copyJson} by the general walk, for any value: exported for the law that {@link copySmall} copies as it does. */
export function walkCopy<Character extends string>(
  input: unknown,
  basePath: Path,
  rules: CopyRules<Character>,
): CopyOutcome<Character> {
  const { maxBytes, maxDepth } = rules.limits;
  let forbidden: ForbiddenKey<Character> | undefined;
  const stack: Frame[] = [];
  const firstLevel = new Map<string, number>();
  const copies = new Map<object, { readonly value: CopiedJson; readonly bytes: number }>();
  let holder: Frame | undefined;
  let holderSegment: PathSegment | undefined;
  const here = (): PathSegment[] => pathFrom(basePath, holder, holderSegment);
  const failed = (issue: WalkIssue): CopyOutcome<Character> => ({
    issue,
    forbidden,
    value: null,
    bytes: 0,
    firstLevel,
  });
  let running = 0;
  try {
    if (isJsonPrimitive(input)) {
      const value = normalize(input);
      return { issue: undefined, forbidden, value, bytes: primitiveBytes(value), firstLevel };
    }
    let result: CopiedJson = null;
    const finish = (value: CopiedJson, bytes: number): void => {
      const parent = stack[stack.length - 1];
      if (parent === undefined) {
        result = value;
        return;
      }
      const target = parent.target;
      const segment = holderSegment ?? '';
      if (stack.length === 1 && typeof segment === 'string') firstLevel.set(segment, bytes);
      if ('elements' in target) target.elements.push(value);
      else if ('object' in target) setOwn(target.object, String(segment), value);
      else target.entries.push([String(segment), value]);
    };
    let value: unknown = input;
    for (;;) {
      if (isJsonPrimitive(value)) {
        const primitive = normalize(value);
        const bytes = primitiveBytes(primitive);
        running += bytes;
        finish(primitive, bytes);
      } else {
        const kind = nonJsonKind(value);
        if (kind !== undefined || typeof value !== 'object' || value === null) {
          return failed({ code: 'not_json', path: here(), received: kind ?? typeof value });
        }
        const copied = copies.get(value);
        if (copied !== undefined) {
          running += copied.bytes;
          finish(copied.value, copied.bytes);
        } else if (isOnStack(stack, value)) return failed({ code: 'circular_reference', path: here() });
        else if (stack.length >= maxDepth) return failed({ code: 'too_deep', path: here(), maximum: maxDepth });
        else if (Object.getOwnPropertySymbols(value).length > 0) {
          return failed({ code: 'not_json', path: here(), received: 'symbol key' });
        } else {
          const keys = Array.isArray(value) ? undefined : Object.keys(value);
          const length: unknown = keys === undefined ? Reflect.get(value, 'length') : keys.length;
          const count = typeof length === 'number' ? length : 0;
          // Every element is at least one byte: an array this long cannot fit.
          if (keys === undefined && running + frameBytes(count) + count > maxBytes) {
            return failed({
              code: 'too_large',
              path: [...basePath],
              bytes: running + frameBytes(count) + count,
              maximum: maxBytes,
            });
          }
          const target = targetFor(value, count);
          stack.push({
            source: value,
            target,
            keys,
            count,
            start: running,
            parent: holder,
            segment: holderSegment,
            index: 0,
          });
          running += frameBytes(count);
        }
      }
      if (running > maxBytes)
        return failed({ code: 'too_large', path: [...basePath], bytes: running, maximum: maxBytes });
      // Climb out of finished containers, then step into the next child.
      let found = false;
      while (!found) {
        const frame = stack[stack.length - 1];
        if (frame === undefined) break;
        if (frame.index >= frame.count) {
          stack.pop();
          const bytes = running - frame.start;
          const built = Object.freeze(build(frame.target));
          rememberSize(built, bytes);
          copies.set(frame.source, { value: built, bytes });
          holder = frame.parent;
          holderSegment = frame.segment;
          finish(built, bytes);
          continue;
        }
        const segment: PathSegment = frame.keys === undefined ? frame.index : (frame.keys[frame.index] ?? '');
        frame.index++;
        holder = frame;
        holderSegment = segment;
        const descriptor = Object.getOwnPropertyDescriptor(frame.source, segment);
        if (descriptor === undefined) return failed({ code: 'not_json', path: here(), received: 'array hole' });
        if (!('value' in descriptor)) return failed({ code: 'not_json', path: here(), received: 'accessor property' });
        if (typeof segment === 'string') {
          running += entryBytes(segment, 0);
          if (forbidden === undefined) {
            const character = forbiddenCharacterIn(segment, rules.forbiddenKeyCharacters);
            if (character !== undefined) forbidden = { path: here(), character };
          }
        }
        value = descriptor.value;
        found = true;
      }
      if (!found) break;
    }
    return { issue: undefined, forbidden, value: result, bytes: running, firstLevel };
  } catch (error) {
    return failed({ code: 'not_json', path: here(), received: `unreadable value (${describeThrown(error)})` });
  }
}

/** Narrows a copy to an object. */
export function isCopiedObject(value: CopiedJson): value is { readonly [key: string]: CopiedJson } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
