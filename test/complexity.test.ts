// The cost of a PATCH must follow the patch, not the user: pinned here without clocks.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { applyPatch, createUser, type JsonObject, type User } from '../src/index.js';

/**
 * A deep copy of `value` in which every object and array is frozen and seen through a Proxy that
 * counts each read of it. Children are proxies themselves, so the Proxy invariants of frozen
 * objects hold, and the library can cache the sizes of these (frozen) values like any other.
 */
function counting(value: unknown, counter: { reads: number }): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const copy: unknown = Array.isArray(value)
    ? value.map((item) => counting(item, counter))
    : Object.fromEntries(Object.entries(value).map(([key, item]) => [key, counting(item, counter)]));
  const frozen = Object.freeze(copy);
  if (typeof frozen !== 'object' || frozen === null) return frozen;
  return new Proxy(frozen, {
    get(target, key, receiver) {
      counter.reads++;
      return Reflect.get(target, key, receiver);
    },
    getOwnPropertyDescriptor(target, key) {
      counter.reads++;
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
    ownKeys(target) {
      counter.reads++;
      return Reflect.ownKeys(target);
    },
  });
}

function bigUser(): { user: User<Record<string, unknown>>; counters: { reads: number }[] } {
  const metadata: JsonObject = {};
  for (let index = 0; index < 64; index++) {
    metadata[`key${index}`] = {
      index,
      history: Array.from({ length: 50 }, (_, item) => ({ item, note: 'x'.repeat(20) })),
    };
  }
  const created = createUser({ connection: 'db', email: 'big@example.com', password: 'pw', user_metadata: metadata });
  if (!created.success) throw new Error('invalid fixture');
  const counters = Array.from({ length: 64 }, () => ({ reads: 0 }));
  const wrapped: Record<string, unknown> = {};
  for (const [index, counter] of counters.entries())
    wrapped[`key${index}`] = counting(metadata[`key${index}`], counter);
  return { user: Object.freeze({ ...created.value, user_metadata: Object.freeze(wrapped) }), counters };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a PATCH costs the patch, not the user', () => {
  test('untouched first-level values are never read once their sizes are known', () => {
    const { user, counters } = bigUser();
    // The first write measures the stored metadata once (its sizes are then cached: it is frozen).
    const first = applyPatch(user, { user_metadata: { key0: 'replaced' } });
    expect(first.success).toBe(true);
    // The proxies do count: measuring the stored metadata the first time read every value.
    expect(counters.every((counter) => counter.reads > 0)).toBe(true);
    for (const counter of counters) counter.reads = 0;
    const second = applyPatch(first.success ? first.value : user, { user_metadata: { key1: 'replaced', extra: 1 } });
    expect(second.success).toBe(true);
    const untouched = counters.slice(2).map((counter) => counter.reads);
    expect(untouched).toStrictEqual(untouched.map(() => 0));
  });

  test('untouched subtrees are the same objects after the patch', () => {
    const { user } = bigUser();
    const result = applyPatch(user, { user_metadata: { key0: null } });
    if (!result.success) throw new Error('patch failed');
    const before = user.user_metadata ?? {};
    const after = result.value.user_metadata ?? {};
    for (let index = 1; index < 64; index++) expect(after[`key${index}`]).toBe(before[`key${index}`]);
    expect(result.value.identities).toBe(user.identities);
  });

  test('the size checks serialise nothing', () => {
    const created = createUser({ connection: 'db', email: 'a@example.com', password: 'pw', user_metadata: { a: 1 } });
    if (!created.success) throw new Error('invalid fixture');
    const stringify = vi.spyOn(JSON, 'stringify');
    const result = applyPatch(created.value, {
      user_metadata: { b: { c: [1, 2, 3] } },
      app_metadata: { plan: 'full' },
    });
    expect(result.success).toBe(true);
    expect(stringify).not.toHaveBeenCalled();
  });
});
