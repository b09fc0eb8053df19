import { describe, expect, test } from 'vitest';
import { applyPatch, diffToPatch, type JsonObject, type JsonValue, type User } from '../src/index.js';
import { defineOwn } from './arbitraries.js';
import {
  at,
  codesAndPaths,
  deepFreeze,
  FIXED_ID,
  issuesOf,
  JANE,
  janeAttributes,
  janeWith,
  LATER,
  successValue,
} from './helpers.js';

/** An object with these entries as own data properties, so that `__proto__` stays a plain key. */
function objectOf(entries: readonly (readonly [string, JsonValue])[]): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of entries) defineOwn(out, key, value);
  return out;
}

/** JANE without the given attributes, deep-frozen. */
function janeWithout(...names: readonly string[]): User {
  const copy: User = { ...JANE };
  for (const name of names) Reflect.deleteProperty(copy, name);
  return deepFreeze(copy);
}

/** The PATCH body diffToPatch gives; fails the test on issues. */
function bodyOf(before: User, after: User): unknown {
  return successValue(diffToPatch(before, after));
}

/** A user without `updated_at`, to compare users up to the write time. */
function withoutUpdatedAt(user: User): Omit<User, 'updated_at'> {
  const { updated_at: _ignored, ...rest } = user;
  return rest;
}

/** Checks that the body diffToPatch gives turns `before` into `after`. */
function expectReaches(before: User, after: User): void {
  const body = successValue(diffToPatch(before, after));
  if (body === null) throw new Error('Expected a PATCH body, got null');
  const applied = successValue(applyPatch(before, body, at(LATER)));
  expect(withoutUpdatedAt(applied)).toStrictEqual(withoutUpdatedAt(after));
}

describe('diffToPatch: nothing to do', () => {
  test('returns null for the same user', () => {
    const user = janeWith({ user_metadata: { theme: 'dark' }, app_metadata: { plan: 'pro' } });
    expect(diffToPatch(user, user)).toStrictEqual({ success: true, value: null, warnings: [] });
  });

  test('returns null for an equal copy of the user', () => {
    const before = janeWith({ user_metadata: { addresses: { home: 'Paris' } } });
    const after = janeWith({ user_metadata: { addresses: { home: 'Paris' } } });
    expect(bodyOf(before, after)).toBeNull();
  });

  test('returns null when only updated_at differs', () => {
    expect(bodyOf(JANE, janeWith({ updated_at: LATER }))).toBeNull();
  });

  test('returns null when only last_password_reset differs (it changes with the password alone)', () => {
    expect(bodyOf(JANE, janeWith({ last_password_reset: LATER }))).toBeNull();
  });

  test('returns null for an empty user_metadata on both sides', () => {
    const user = janeWith({ user_metadata: {} });
    expect(bodyOf(user, janeWith({ user_metadata: {} }))).toBeNull();
  });

  test('returns null for the same metadata written in another key order', () => {
    const before = janeWith({ user_metadata: { a: 1, b: { c: 2, d: 3 } } });
    const after = janeWith({ user_metadata: { b: { d: 3, c: 2 }, a: 1 } });
    expect(bodyOf(before, after)).toBeNull();
  });
});

describe('diffToPatch: metadata', () => {
  test('gives the documented example: nested data resent with its parent, a null for the removed key', () => {
    const before = janeWith({ user_metadata: { addresses: { home: 'Paris', work: 'Lyon' }, theme: 'dark' } });
    const after = janeWith({ user_metadata: { addresses: { work: 'Lyon' }, lang: 'fr' } });
    expect(bodyOf(before, after)).toStrictEqual({
      user_metadata: { addresses: { work: 'Lyon' }, lang: 'fr', theme: null },
    });
  });

  test('adds a new first-level key', () => {
    const before = janeWith({ user_metadata: { theme: 'dark' } });
    const after = janeWith({ user_metadata: { theme: 'dark', lang: 'fr' } });
    expect(bodyOf(before, after)).toStrictEqual({ user_metadata: { lang: 'fr' } });
  });

  test('creates user_metadata on a user that has none', () => {
    expect(bodyOf(JANE, janeWith({ user_metadata: { theme: 'dark' } }))).toStrictEqual({
      user_metadata: { theme: 'dark' },
    });
  });

  test('creates app_metadata on a user that has none', () => {
    expect(bodyOf(JANE, janeWith({ app_metadata: { plan: 'pro' } }))).toStrictEqual({ app_metadata: { plan: 'pro' } });
  });

  test('replaces only the first-level key that changed, never an unchanged one', () => {
    const before = janeWith({ user_metadata: { theme: 'dark', lang: 'en', prefs: { a: 1 } } });
    const after = janeWith({ user_metadata: { theme: 'dark', lang: 'fr', prefs: { a: 1 } } });
    expect(bodyOf(before, after)).toStrictEqual({ user_metadata: { lang: 'fr' } });
  });

  test('keeps value types exactly: "23" and 23 differ', () => {
    const before = janeWith({ user_metadata: { age: '23' } });
    expect(bodyOf(before, janeWith({ user_metadata: { age: 23 } }))).toStrictEqual({ user_metadata: { age: 23 } });
  });

  test('deletes a removed first-level key with null', () => {
    const before = janeWith({ app_metadata: { plan: 'pro', seats: 3 } });
    const after = janeWith({ app_metadata: { plan: 'pro' } });
    expect(bodyOf(before, after)).toStrictEqual({ app_metadata: { seats: null } });
  });

  test('resends the whole first-level object to remove a nested key', () => {
    const before = janeWith({ user_metadata: { prefs: { ui: { theme: 'dark', font: 'serif' } }, lang: 'en' } });
    const after = janeWith({ user_metadata: { prefs: { ui: { theme: 'dark' } }, lang: 'en' } });
    expect(bodyOf(before, after)).toStrictEqual({ user_metadata: { prefs: { ui: { theme: 'dark' } } } });
  });

  test('resends the whole array when one element changes', () => {
    const before = janeWith({ user_metadata: { tags: ['a', 'b'] } });
    const after = janeWith({ user_metadata: { tags: ['a', 'c'] } });
    expect(bodyOf(before, after)).toStrictEqual({ user_metadata: { tags: ['a', 'c'] } });
  });

  test('keeps a nested null as a value, not as a deletion', () => {
    const before = janeWith({ user_metadata: { prefs: { theme: 'dark' } } });
    const after = janeWith({ user_metadata: { prefs: { theme: null } } });
    expect(bodyOf(before, after)).toStrictEqual({ user_metadata: { prefs: { theme: null } } });
    expectReaches(before, after);
  });

  test('clears user_metadata with {} when the target is empty', () => {
    const before = janeWith({ user_metadata: { theme: 'dark', lang: 'en' } });
    expect(bodyOf(before, janeWith({ user_metadata: {} }))).toStrictEqual({ user_metadata: {} });
  });

  test('clears a single-key user_metadata with {}, shorter than a null', () => {
    const before = janeWith({ user_metadata: { theme: 'dark' } });
    expect(bodyOf(before, janeWith({ user_metadata: {} }))).toStrictEqual({ user_metadata: {} });
  });

  test('sends user_metadata: {} to give a user without metadata an empty one (rule 4: {} is kept)', () => {
    const after = janeWith({ user_metadata: {} });
    expect(bodyOf(JANE, after)).toStrictEqual({ user_metadata: {} });
    expectReaches(JANE, after);
  });

  test('removes app_metadata entirely with {} (rule 4: an empty app_metadata is absent)', () => {
    const before = janeWith({ app_metadata: { plan: 'pro', seats: 3 } });
    expect(bodyOf(before, JANE)).toStrictEqual({ app_metadata: {} });
    expectReaches(before, JANE);
  });

  test('sends nothing for app_metadata absent on both sides', () => {
    const before = janeWith({ user_metadata: { theme: 'dark' } });
    const after = janeWith({ user_metadata: { theme: 'light' } });
    expect(bodyOf(before, after)).toStrictEqual({ user_metadata: { theme: 'light' } });
  });

  test('changes both metadata objects in one body', () => {
    const before = janeWith({ user_metadata: { theme: 'dark' }, app_metadata: { plan: 'free' } });
    const after = janeWith({ user_metadata: { theme: 'light' }, app_metadata: { plan: 'pro' } });
    expect(bodyOf(before, after)).toStrictEqual({
      user_metadata: { theme: 'light' },
      app_metadata: { plan: 'pro' },
    });
  });

  test('handles a __proto__ key as plain data', () => {
    const before = janeWith({
      user_metadata: objectOf([
        ['__proto__', { polluted: true }],
        ['a', 1],
      ]),
    });
    const after = janeWith({
      user_metadata: objectOf([
        ['__proto__', { polluted: false }],
        ['a', 1],
      ]),
    });
    const body = bodyOf(before, after);
    expect(JSON.stringify(body)).toBe('{"user_metadata":{"__proto__":{"polluted":false}}}');
    expectReaches(before, after);
  });
});

describe('diffToPatch: stored first-level nulls (users created with one, rule 23)', () => {
  // Shrunk from the law "the diff is no longer than the random body that reached the same user".
  test('deletes one key with a single null and keeps a stored null untouched', () => {
    const before = janeWith({ user_metadata: { kept: null, theme: 'dark' } });
    const after = janeWith({ user_metadata: { kept: null } });
    expect(bodyOf(before, after)).toStrictEqual({ user_metadata: { theme: null } });
    expectReaches(before, after);
  });

  test('reaches an app_metadata that keeps a stored null after another key is deleted', () => {
    const before = janeWith({ app_metadata: { kept: null, plan: 'pro' } });
    const after = janeWith({ app_metadata: { kept: null } });
    expect(bodyOf(before, after)).toStrictEqual({ app_metadata: { plan: null } });
    expectReaches(before, after);
  });
});

describe('diffToPatch: root attributes', () => {
  test('replaces a changed attribute', () => {
    expect(bodyOf(JANE, janeWith({ name: 'Jane Doe' }))).toStrictEqual({ name: 'Jane Doe' });
  });

  test('sets an attribute the user did not have', () => {
    expect(bodyOf(JANE, janeWith({ blocked: true }))).toStrictEqual({ blocked: true });
  });

  test('unsets a removed nullable attribute with null', () => {
    const before = janeWith({ given_name: 'Jane', phone_number: '+33612345678' });
    expect(bodyOf(before, JANE)).toStrictEqual({ given_name: null, phone_number: null });
    expectReaches(before, JANE);
  });

  test('changes an email to a lower-case address', () => {
    const after = janeWith({ email: 'jane@example.org' });
    expect(bodyOf(JANE, after)).toStrictEqual({ email: 'jane@example.org' });
    expectReaches(JANE, after);
  });

  test('combines root attributes and metadata in one body', () => {
    const before = janeWith({ user_metadata: { theme: 'dark' } });
    const after = janeWith({ nickname: 'jd', user_metadata: { theme: 'dark', lang: 'fr' } });
    expect(bodyOf(before, after)).toStrictEqual({ nickname: 'jd', user_metadata: { lang: 'fr' } });
  });
});

describe('diffToPatch: unreachable targets', () => {
  test('reports a changed user_id', () => {
    const issues = issuesOf(diffToPatch(JANE, janeWith({ user_id: 'auth0|000000000000000000000001' })));
    expect(codesAndPaths(issues)).toStrictEqual([{ code: 'unreachable', path: ['user_id'] }]);
  });

  test('reports a changed created_at', () => {
    const issues = issuesOf(diffToPatch(JANE, janeWith({ created_at: LATER })));
    expect(codesAndPaths(issues)).toStrictEqual([{ code: 'unreachable', path: ['created_at'] }]);
  });

  test('reports changed identities', () => {
    const identities = [{ connection: 'other', user_id: FIXED_ID, provider: 'auth0', isSocial: false }];
    const issues = issuesOf(diffToPatch(JANE, janeWith({ identities })));
    expect(codesAndPaths(issues)).toStrictEqual([{ code: 'unreachable', path: ['identities'] }]);
  });

  test('reports every read-only attribute that changed', () => {
    const issues = issuesOf(diffToPatch(JANE, janeWith({ user_id: 'auth0|other', created_at: LATER })));
    expect(codesAndPaths(issues)).toEqual(
      expect.arrayContaining([
        { code: 'unreachable', path: ['user_id'] },
        { code: 'unreachable', path: ['created_at'] },
      ]),
    );
    expect(issues).toHaveLength(2);
  });

  test('reports a removed email (it cannot be unset)', () => {
    const issues = issuesOf(diffToPatch(JANE, janeWithout('email')));
    expect(codesAndPaths(issues)).toStrictEqual([{ code: 'unreachable', path: ['email'] }]);
  });

  test('reports a removed email_verified (it cannot be unset)', () => {
    const issues = issuesOf(diffToPatch(JANE, janeWithout('email_verified')));
    expect(codesAndPaths(issues)).toStrictEqual([{ code: 'unreachable', path: ['email_verified'] }]);
  });

  test('reports an empty app_metadata (Auth0 never stores one)', () => {
    const before = janeWith({ app_metadata: { plan: 'pro' } });
    const issues = issuesOf(diffToPatch(before, janeWith({ app_metadata: {} })));
    expect(codesAndPaths(issues)).toStrictEqual([{ code: 'unreachable', path: ['app_metadata'] }]);
  });

  test('reports an empty app_metadata even on a user that has none', () => {
    const issues = issuesOf(diffToPatch(JANE, janeWith({ app_metadata: {} })));
    expect(codesAndPaths(issues)).toStrictEqual([{ code: 'unreachable', path: ['app_metadata'] }]);
  });

  test('reports user_metadata removed entirely (a PATCH leaves {} at best)', () => {
    const before = janeWith({ user_metadata: { theme: 'dark' } });
    const issues = issuesOf(diffToPatch(before, JANE));
    expect(codesAndPaths(issues)).toStrictEqual([{ code: 'unreachable', path: ['user_metadata'] }]);
  });

  test('reports an empty user_metadata removed entirely', () => {
    const issues = issuesOf(diffToPatch(janeWith({ user_metadata: {} }), JANE));
    expect(codesAndPaths(issues)).toStrictEqual([{ code: 'unreachable', path: ['user_metadata'] }]);
  });

  test('reports a reserved app_metadata name in the target with the PATCH validation issue', () => {
    const issues = issuesOf(diffToPatch(JANE, janeWith({ app_metadata: { email: 'x@example.com' } })));
    expect(codesAndPaths(issues)).toStrictEqual([{ code: 'reserved_key', path: ['app_metadata', 'email'] }]);
  });

  test('reports a dotted metadata key in the target', () => {
    const issues = issuesOf(diffToPatch(JANE, janeWith({ user_metadata: { prefs: { 'a.b': 1 } } })));
    expect(codesAndPaths(issues)).toStrictEqual([
      { code: 'forbidden_character', path: ['user_metadata', 'prefs', 'a.b'] },
    ]);
  });

  test('reports an upper-case email (Auth0 stores emails lower-cased, rule 15), naming the email', () => {
    const issues = issuesOf(diffToPatch(JANE, janeWith({ email: 'Jane@Example.org' })));
    expect(issues).toStrictEqual([
      {
        code: 'unreachable',
        path: ['email'],
        message:
          'No PATCH produces this user: email is "Jane@Example.org" in the target, and Auth0 stores an email lower-cased (rule 15)',
      },
    ]);
  });

  test.each([
    ['user_metadata', 'a user without the key', {}],
    ['user_metadata', 'a user with another value there', { theme: 'dark' }],
    ['app_metadata', 'a user without the key', { plan: 'pro' }],
  ] as const)(
    'rule 2: a first-level null in the target %s (from %s) names the path and why no PATCH stores it',
    (key, _, stored) => {
      const before = janeWith({ [key]: stored });
      const after = janeWith({ [key]: { ...stored, theme: null } });
      expect(issuesOf(diffToPatch(before, after))).toStrictEqual([
        {
          code: 'unreachable',
          path: [key, 'theme'],
          message: `No PATCH stores a first-level null: ${key}.theme is null in the target, and a first-level null in a PATCH deletes the key (rule 2)`,
        },
      ]);
    },
  );

  test('rule 2: no message about a first-level null speaks of e-mails', () => {
    const issues = issuesOf(diffToPatch(JANE, janeWith({ user_metadata: { gone: null } })));
    expect(issues.map((issue) => issue.message).join('\n')).not.toMatch(/lower-case|email/);
  });

  test('reports metadata that is not an object (an array)', () => {
    const before: User<readonly string[]> = deepFreeze(janeAttributes());
    const after: User<readonly string[]> = deepFreeze({ ...janeAttributes(), user_metadata: ['dark'] });
    const issues = issuesOf(diffToPatch(before, after));
    expect(codesAndPaths(issues)).toStrictEqual([{ code: 'unreachable', path: ['user_metadata'] }]);
  });
});

describe('diffToPatch: inputs', () => {
  test('never mutates deep-frozen inputs and leaves them equal to their JSON', () => {
    const before = janeWith({ user_metadata: { a: { b: 1 } }, app_metadata: { c: [1, 2] } });
    const after = janeWith({ user_metadata: { a: { b: 2 } }, app_metadata: { d: true } });
    const snapshot = JSON.stringify([before, after]);
    expect(diffToPatch(before, after).success).toBe(true);
    expect(JSON.stringify([before, after])).toBe(snapshot);
  });
});
