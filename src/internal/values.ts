import type { Path } from '../issues.js';
import type { JsonPrimitive } from '../types.js';
import { hasOwn, isPlainObject } from './object.js';

/** Whether `value` is a JSON primitive (a finite number, a string, a boolean or `null`). */
export function isJsonPrimitive(value: unknown): value is JsonPrimitive {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

/** JSON has no `-0`: `JSON.stringify(-0)` is `0`, so a copy stores what a round trip gives. */
export function normalize(value: JsonPrimitive): JsonPrimitive {
  return value === 0 ? 0 : value;
}

/**
 * Names a value JSON cannot carry (`undefined`, `NaN`, `bigint`, `Map`, `class instance`, ...), or
 * returns `undefined` for a JSON primitive, an array or a plain object.
 */
export function nonJsonKind(value: unknown): string | undefined {
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

/**
 * What stops a walk of a value (a size, a copy): something JSON cannot carry, a container that
 * contains itself, nesting past the depth allowed, or a running total past the bytes allowed. The
 * walks report these; the layers above word them.
 */
export type WalkIssue =
  | { readonly code: 'not_json'; readonly path: Path; readonly received: string }
  | { readonly code: 'circular_reference'; readonly path: Path }
  | { readonly code: 'too_deep'; readonly path: Path; readonly maximum: number }
  /**
   * `bytes` is how far the running total had got when it passed `maximum`: a lower bound. `path`
   * is the value measured (the whole of it is too large), not where the total passed.
   */
  | { readonly code: 'too_large'; readonly path: Path; readonly bytes: number; readonly maximum: number };

/** The bounds of one walk. */
export interface WalkLimits {
  /** Containers deeper than this many levels below the root are a `too_deep` issue. */
  readonly maxDepth: number;
  /** A running total past this many bytes stops the walk with a `too_large` issue. */
  readonly maxBytes: number;
}
