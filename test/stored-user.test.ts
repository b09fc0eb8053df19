import { describe, expect, test } from 'vitest';
import { analyzePatch, applyPatch, diffToPatch, selectFields } from '../src/index.js';
import { minimalUser } from './helpers.js';

/** Values a JavaScript caller could pass where a stored user belongs (typed callers cannot). */
const notUsers: readonly [string, unknown][] = [
  ['null', null],
  ['array', []],
  ['string', 'auth0|1'],
  ['undefined', undefined],
];

const real = minimalUser();

/** Calls a function with arguments the types would refuse, as plain JavaScript would. */
function untyped(fn: (...parameters: never[]) => unknown, ...parameters: unknown[]): unknown {
  return Reflect.apply(fn, undefined, parameters);
}

describe('a stored user that is not an object is an issue, never a throw', () => {
  test.each(notUsers)('%s', (received, value) => {
    const results = [
      untyped(applyPatch, value, { blocked: true }),
      untyped(selectFields, value, {}),
      untyped(analyzePatch, value, { blocked: true }),
      untyped(diffToPatch, value, real),
      untyped(diffToPatch, real, value),
    ];
    for (const result of results) {
      expect(result).toMatchObject({ success: false, issues: [{ code: 'invalid_stored_user', path: [], received }] });
    }
  });

  test('a stored object without the attributes Auth0 users have is a user all the same: only what a function reads is checked', () => {
    const result = untyped(applyPatch, { ...real, user_id: 7 }, { blocked: true });
    expect(result).toMatchObject({ success: true, value: { user_id: 7, blocked: true } });
  });

  test('a root key that cannot be read as data (a getter) is reported, never dropped', () => {
    const user = Object.defineProperty({ ...real }, 'email', { get: () => 'jane@example.com', enumerable: true });
    const expected = { code: 'invalid_stored_user', path: ['email'], received: 'accessor property' };
    for (const result of [
      applyPatch(user, { blocked: true }),
      selectFields(user, { fields: 'email' }),
      analyzePatch(user, { blocked: true }),
      diffToPatch(user, real),
      diffToPatch(real, user),
    ]) {
      expect(result).toMatchObject({ success: false, issues: [expected] });
    }
  });
});
