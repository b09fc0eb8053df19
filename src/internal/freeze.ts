/**
 * Freezes a value built by this library and every object and array in it, so that a table it
 * exports cannot be changed by whoever imports it. Only for the library's own acyclic literals.
 */
export function deepFreeze<Value>(value: Value): Value {
  const pending: unknown[] = [value];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    if (typeof item !== 'object' || item === null) continue;
    Object.freeze(item);
    for (const child of Object.values(item)) pending.push(child);
  }
  return value;
}

/** The frozen empty object every module shares where it needs one (a missing metadata read as `{}`). */
export const EMPTY_OBJECT: Readonly<Record<string, never>> = /* @__PURE__ */ Object.freeze({});
