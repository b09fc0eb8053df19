/** Deep equality of JSON values held by callers: bounded by the pairs of containers, whatever their shape. */
import { getOwn, hasOwn } from './object.js';

/**
 * Deep equality of two JSON values (key order ignored), without recursion.
 *
 * A pair of containers is compared once: met again (a DAG, or a cycle on both sides), it is taken
 * as equal so far, which is what a comparison that kept going would find unless another pair
 * differs. So shared and circular values finish in time proportional to the distinct pairs of
 * containers, never looping. Entries are read as own data properties: getters are not called.
 */
export function jsonEqual(left: unknown, right: unknown): boolean {
  const pending: unknown[] = [left, right];
  const seen = pairMemo();
  while (pending.length > 0) {
    const b = pending.pop();
    const a = pending.pop();
    if (Object.is(a, b)) continue;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    const arrays = Array.isArray(a);
    if (arrays !== Array.isArray(b)) return false;
    if (seen(a, b)) continue;
    if (arrays) {
      const length = Reflect.get(a, 'length');
      if (length !== Reflect.get(b, 'length') || typeof length !== 'number') return false;
      for (let index = 0; index < length; index++) pending.push(getOwn(a, String(index)), getOwn(b, String(index)));
      continue;
    }
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    for (const key of keys) {
      if (!hasOwn(b, key)) return false;
      pending.push(getOwn(a, key), getOwn(b, key));
    }
  }
  return true;
}

/**
 * A memory of pairs of objects: the function it returns says whether a pair was given before, and
 * remembers it. One Map entry per left object; a Set only for a left object met with several
 * partners (a DAG compared against another shape).
 */
export function pairMemo(): (left: object, right: object) => boolean {
  const partner = new Map<object, object>();
  const partners = new Map<object, Set<object>>();
  return (left, right) => {
    const first = partner.get(left);
    if (first === undefined) {
      partner.set(left, right);
      return false;
    }
    if (first === right) return true;
    const more = partners.get(left) ?? new Set<object>();
    if (more.has(right)) return true;
    more.add(right);
    partners.set(left, more);
    return false;
  };
}
