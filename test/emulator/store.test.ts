/**
 * The store's indexes against the core's rules: the store finds a conflict exactly when
 * `findDuplicateUser` finds a duplicate among the users it holds, and its login and
 * users-by-email candidates hold every user `findLoginUser` and `findUsersByEmail` would pick.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createStore } from '../../src/emulator/store.js';
import { findUsersByEmail, type User } from '../../src/index.js';
import { findLoginUser } from '../../src/recordLogin.js';
import { findDuplicateUser } from '../../src/uniqueKeysOf.js';
import { prop } from '../prop.js';

const NOW = '2026-01-01T00:00:00.000Z';

function userOf(id: string, connection: string, email: string | undefined, username: string | undefined): User {
  return {
    user_id: `auth0|${id}`,
    identities: [{ connection, user_id: id, provider: 'auth0', isSocial: false }],
    created_at: NOW,
    updated_at: NOW,
    ...(email === undefined ? {} : { email }),
    ...(username === undefined ? {} : { username }),
  };
}

/** Few distinct values, so that collisions of every kind are common. */
const user: fc.Arbitrary<User> = fc
  .tuple(
    fc.constantFrom('1', '2', '3', '4', '5'),
    fc.constantFrom('db', 'other-db'),
    fc.option(fc.constantFrom('a@example.com', 'A@example.com', 'b@example.com'), { nil: undefined }),
    fc.option(fc.constantFrom('ann', 'Ann', 'bob'), { nil: undefined }),
  )
  .map(([id, connection, email, username]) => userOf(id, connection, email, username));

type Step =
  | { readonly kind: 'insert' | 'update'; readonly user: User }
  | { readonly kind: 'delete'; readonly id: string };

const step: fc.Arbitrary<Step> = fc.oneof(
  user.map((value) => ({ kind: 'insert' as const, user: value })),
  user.map((value) => ({ kind: 'update' as const, user: value })),
  fc.constantFrom('1', '2', '3').map((id) => ({ kind: 'delete' as const, id: `auth0|${id}` })),
);

describe('the store indexes by the core rule', () => {
  prop(
    'a conflict is found exactly when findDuplicateUser finds a duplicate (create), or one among the others (update)',
    [fc.array(step, { maxLength: 30 })],
    (steps) => {
      const store = createStore([]);
      for (const current of steps) {
        const held = store.all().map((record) => record.user);
        if (current.kind === 'delete') {
          store.delete(current.id);
          continue;
        }
        const update = current.kind === 'update';
        if (update && store.get(current.user.user_id) === undefined) continue;
        const others = update ? held.filter((other) => other.user_id !== current.user.user_id) : held;
        const rule = findDuplicateUser(others, current.user);
        const conflict = store.conflict(current.user, update);
        expect(rule.success).toBe(true);
        expect(conflict !== undefined).toBe(rule.success && rule.value !== null);
        if (conflict === undefined) store.set({ user: current.user, password: undefined });
      }
      return undefined;
    },
  );

  prop(
    'the candidates of a login or an email hold every user the core picks, in creation order',
    [fc.array(user, { maxLength: 12 }), fc.constantFrom('a@example.com', 'A@EXAMPLE.COM', 'ann', 'Ann', 'bob', 'x')],
    (users, name) => {
      const store = createStore([]);
      for (const value of users)
        if (store.conflict(value) === undefined) store.set({ user: value, password: undefined });
      const all = store.all().map((record) => record.user);
      const candidates = store.candidates({ email: name, username: name });
      for (const realm of [undefined, 'db', 'other-db']) {
        const login = { username: name, realm };
        expect(findLoginUser(candidates, login)).toStrictEqual(findLoginUser(all, login));
      }
      const byEmail = store.candidates({ email: name });
      expect(findUsersByEmail(byEmail, { email: name })).toStrictEqual(findUsersByEmail(all, { email: name }));
      const order = all.filter((value) => candidates.includes(value));
      expect(candidates).toStrictEqual(order);
      return undefined;
    },
  );
});

describe('the store', () => {
  test('a changed email frees the old one and takes the new one; reset restores the seed and its indexes', () => {
    const jane = userOf('1', 'db', 'jane@example.com', undefined);
    const store = createStore([{ user: jane, password: undefined }]);
    const moved = { ...jane, email: 'new@example.com' };
    store.set({ user: moved, password: undefined });
    expect(store.conflict(userOf('2', 'db', 'jane@example.com', undefined))).toBeUndefined();
    expect(store.conflict(userOf('2', 'db', 'NEW@example.com', undefined))?.attribute).toBe('email');
    expect(store.candidates({ email: 'jane@example.com' })).toStrictEqual([]);
    store.reset();
    expect(store.size()).toBe(1);
    expect(store.candidates({ email: 'JANE@example.com' })).toStrictEqual([jane]);
    expect(store.conflict(moved, true)).toBeUndefined();
  });

  test('one email on three connections: each user is a candidate until deleted, in creation order', () => {
    const users = ['db', 'other-db', 'third-db'].map((connection, index) =>
      userOf(String(index + 1), connection, 'jane@example.com', 'jane'),
    );
    const store = createStore(users.map((each) => ({ user: each, password: undefined })));
    const [first, second, third] = users;
    expect(store.candidates({ email: 'Jane@example.com' })).toStrictEqual(users);
    expect(store.candidates({ username: 'jane' })).toStrictEqual(users);
    store.delete(second?.user_id ?? '');
    expect(store.candidates({ email: 'jane@example.com' })).toStrictEqual([first, third]);
    store.delete(first?.user_id ?? '');
    expect(store.candidates({ email: 'jane@example.com', username: 'jane' })).toStrictEqual([third]);
  });

  test('a deleted user frees its keys', () => {
    const jane = userOf('1', 'db', 'jane@example.com', 'jane');
    const store = createStore([{ user: jane, password: undefined }]);
    store.delete(jane.user_id);
    expect(store.conflict(jane)).toBeUndefined();
    expect(store.candidates({ email: 'jane@example.com', username: 'jane' })).toStrictEqual([]);
  });
});
