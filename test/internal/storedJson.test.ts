import { describe, expect, test } from 'vitest';
import { forgetStoredJson, storedJson } from '../../src/internal/storedJson.js';

/** A frozen user-like object that counts how often it is serialised. */
function counted(): { readonly user: object; readonly reads: () => number } {
  let reads = 0;
  const user = Object.freeze({
    user_id: 'auth0|1',
    get email(): string {
      reads++;
      return 'jane@example.com';
    },
  });
  return { user, reads: () => reads };
}

describe('storedJson', () => {
  test('is JSON.stringify of the user', () => {
    const user = Object.freeze({ user_id: 'auth0|1', user_metadata: Object.freeze({ a: [1, 'b'] }) });
    expect(storedJson(user)).toBe(JSON.stringify(user));
  });

  test('serialises a frozen user once, however often it is answered', () => {
    const { user, reads } = counted();
    expect(storedJson(user)).toBe('{"user_id":"auth0|1","email":"jane@example.com"}');
    storedJson(user);
    storedJson(user);
    expect(reads()).toBe(1);
  });

  test('serialises an object that is not frozen every time (it may have changed)', () => {
    const user: { user_id: string; name?: string } = { user_id: 'auth0|1' };
    expect(storedJson(user)).toBe('{"user_id":"auth0|1"}');
    user.name = 'Jane';
    expect(storedJson(user)).toBe('{"user_id":"auth0|1","name":"Jane"}');
  });

  test('keeps the texts of the most recent users only: an old one is serialised again', () => {
    const { user, reads } = counted();
    storedJson(user);
    for (let index = 0; index < 2048; index++) storedJson(Object.freeze({ index }));
    storedJson(user);
    expect(reads()).toBe(2);
  });

  test('lets go of a forgotten text (a replaced or deleted user): serialised again if asked for', () => {
    const { user, reads } = counted();
    storedJson(user);
    storedJson(user);
    expect(reads()).toBe(1);
    forgetStoredJson(user);
    storedJson(user);
    expect(reads()).toBe(2);
  });
});
