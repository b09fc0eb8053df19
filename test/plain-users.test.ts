/**
 * Users as callers hold them: the Auth0 document's own user, exactly as written (no user_id,
 * identities or timestamps), through every function that takes a stored user and through the CLI.
 * Each function reads only what it uses, keeps every other attribute, and reports stored data it
 * must read and cannot (metadata that is an array, a Map, ...) at its path, never replacing it.
 */
import { describe, expect, test } from 'vitest';
import {
  analyzePatch,
  applyPatch,
  diffToPatch,
  type Issue,
  type StoredUser,
  searchUsers,
  selectFields,
  toAuth0Error,
} from '../src/index.js';
import { runCliOn as cli } from './cli/helpers.js';
import { at, deepFreeze, issuesOf, successValue } from './helpers.js';

/** The document's user, as written there. */
const JANE: StoredUser = deepFreeze({
  email: 'jane.doe@example.com',
  user_metadata: { hobby: 'surfing' },
  app_metadata: { plan: 'full' },
});
const HOME = { street: '123 Main Street', city: 'Anytown', state: 'ST', zip: '12345' };
const WORK = { street: '100 Industrial Way', city: 'Anytown', state: 'ST', zip: '12345' };
const LATER = '2026-03-01T00:00:00.000Z';

describe("the document's user through every entry point", () => {
  test('applyPatch: each step of the walkthrough, the other attributes kept, updated_at set', () => {
    const withHome = successValue(applyPatch(JANE, { user_metadata: { addresses: { home: HOME } } }, at(LATER)));
    expect(withHome).toStrictEqual({
      email: 'jane.doe@example.com',
      user_metadata: { hobby: 'surfing', addresses: { home: HOME } },
      app_metadata: { plan: 'full' },
      updated_at: LATER,
    });
    const both = successValue(applyPatch(withHome, { user_metadata: { addresses: { home: HOME, work: WORK } } }));
    const noHobby = successValue(applyPatch(both, { user_metadata: { hobby: null } }));
    expect(noHobby.user_metadata).toStrictEqual({ addresses: { home: HOME, work: WORK } });
    const cleared = successValue(applyPatch(noHobby, { user_metadata: {}, app_metadata: {} }, at(LATER)));
    expect(cleared).toStrictEqual({ email: 'jane.doe@example.com', user_metadata: {}, updated_at: LATER });
  });

  test('applyPatch keeps attributes of any kind it does not read, and the caller shape', () => {
    const own = deepFreeze({ ...JANE, logins_count: 3, last_login: '2026-01-01T00:00:00.000Z', tenant: { id: 7 } });
    const patched = successValue(applyPatch(own, { user_metadata: { lang: 'fr' } }, at(LATER)));
    expect(patched).toStrictEqual({ ...own, user_metadata: { hobby: 'surfing', lang: 'fr' }, updated_at: LATER });
    expect(patched.tenant).toBe(own.tenant);
  });

  test('analyzePatch names what the PATCH drops', () => {
    const user = successValue(applyPatch(JANE, { user_metadata: { addresses: { home: HOME, work: WORK } } }));
    const analysis = successValue(analyzePatch(user, { user_metadata: { addresses: { work: WORK } } }));
    expect(analysis.dropped).toStrictEqual([
      { kind: 'drop', path: ['user_metadata', 'addresses', 'home'], before: HOME },
    ]);
  });

  test('diffToPatch gives the smallest PATCH between two such users', () => {
    const after = { ...JANE, user_metadata: { addresses: { home: HOME } } };
    expect(successValue(diffToPatch(JANE, after))).toStrictEqual({
      user_metadata: { addresses: { home: HOME }, hobby: null },
    });
    expect(successValue(diffToPatch(JANE, JANE))).toBeNull();
  });

  test('searchUsers finds it by its metadata, and with the same fields', () => {
    const other: StoredUser = { email: 'john@example.com', user_metadata: { hobby: 'chess' } };
    expect(
      successValue(searchUsers([JANE, other], { q: 'user_metadata.hobby:"surfing"', fields: 'email' })),
    ).toStrictEqual([{ email: 'jane.doe@example.com' }]);
  });

  test('selectFields projects it, whole fields and keys inside metadata', () => {
    expect(successValue(selectFields(JANE, { fields: 'user_metadata' }))).toStrictEqual({
      user_metadata: { hobby: 'surfing' },
    });
    expect(successValue(selectFields(JANE, { fields: 'user_metadata.hobby,email' }))).toStrictEqual({
      email: 'jane.doe@example.com',
      user_metadata: { hobby: 'surfing' },
    });
    expect(successValue(selectFields(JANE, { fields: 'email', include_fields: false }))).toStrictEqual({
      user_metadata: { hobby: 'surfing' },
      app_metadata: { plan: 'full' },
    });
  });
});

class Preferences {
  readonly theme = 'dark';
}

describe('stored data a function must read and cannot is an issue naming the path and what was found', () => {
  const cases: readonly [string, unknown, string][] = [
    ['an array', ['keep', 'me'], 'array'],
    ['a Map', new Map([['a', 1]]), 'Map'],
    ['a class instance', new Preferences(), 'Preferences'],
    ['null', null, 'null'],
    ['a string', 'dark', 'string'],
  ];
  for (const [name, stored, received] of cases) {
    test(`user_metadata that is ${name}: never replaced`, () => {
      const user = { email: 'jane.doe@example.com', user_metadata: stored };
      const expected: Issue[] = [
        {
          code: 'invalid_stored_user',
          path: ['user_metadata'],
          expected: 'a JSON object (or absent)',
          received,
          message: `Expected the stored user_metadata to be a JSON object (or absent) but found ${received}`,
        },
      ];
      expect(issuesOf(applyPatch(user, { user_metadata: { a: 1 } }))).toStrictEqual(expected);
      expect(issuesOf(analyzePatch(user, { user_metadata: { a: 1 } }))).toStrictEqual(expected);
      expect(issuesOf(diffToPatch(user, { ...user, user_metadata: { a: 1 } }))).toStrictEqual(expected);
      expect(issuesOf(selectFields(user, { fields: 'user_metadata.a' }))).toStrictEqual(expected);
    });
  }

  test('something JSON cannot carry inside the metadata being merged, at its path', () => {
    const user: { user_metadata: Record<string, unknown> } = { user_metadata: { visits: [1, new Date(0)] } };
    expect(issuesOf(applyPatch(user, { user_metadata: { a: 1 } }))).toStrictEqual([
      {
        code: 'invalid_stored_user',
        path: ['user_metadata', 'visits', 1],
        expected: 'JSON',
        received: 'Date',
        message: 'Expected the stored user_metadata.visits[1] to be JSON but found Date',
      },
    ]);
  });

  test('what a function does not read is not checked: a Date elsewhere in the user', () => {
    const user: { created_at: Date; user_metadata: Record<string, unknown> } = {
      created_at: new Date(0),
      user_metadata: { hobby: 'surfing' },
    };
    const patched = successValue(applyPatch(user, { user_metadata: { lang: 'fr' } }));
    expect(patched.created_at).toBe(user.created_at);
    expect(patched.user_metadata).toStrictEqual({ hobby: 'surfing', lang: 'fr' });
  });

  test('an emulator answers it as its own fault (500), not the client’s', () => {
    const issues = issuesOf(applyPatch<{ user_metadata: unknown }>({ user_metadata: [] }, { user_metadata: { a: 1 } }));
    const [first, ...rest] = issues;
    if (first === undefined) throw new Error('expected an issue');
    expect(toAuth0Error([first, ...rest]).status).toBe(500);
  });
});

describe('the CLI with the document user', () => {
  const files = {
    'jane.json': JSON.stringify(JANE),
    'home.json': JSON.stringify({ user_metadata: { addresses: { home: HOME } } }),
    'after.json': JSON.stringify({ ...JANE, user_metadata: { addresses: { home: HOME } } }),
    'broken-user.json': JSON.stringify({ ...JANE, user_metadata: ['keep', 'me'] }),
  };

  test('apply prints the patched user', async () => {
    const run = await cli(['apply', '--user', 'jane.json', '--patch', 'home.json'], files);
    expect(run.code).toBe(0);
    const printed: unknown = JSON.parse(run.out);
    expect(printed).toMatchObject({
      email: 'jane.doe@example.com',
      user_metadata: { hobby: 'surfing', addresses: { home: HOME } },
      app_metadata: { plan: 'full' },
    });
  });

  test('explain says what the PATCH adds', async () => {
    const run = await cli(['explain', '--user', 'jane.json', '--patch', 'home.json'], files);
    expect([run.code, run.out]).toStrictEqual([
      0,
      `- user_metadata.addresses will be added: ${JSON.stringify({ home: HOME })}`,
    ]);
  });

  test('diff prints the PATCH', async () => {
    const run = await cli(['diff', 'jane.json', 'after.json'], files);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toStrictEqual({ user_metadata: { addresses: { home: HOME }, hobby: null } });
  });

  test('a fault in the local user file is said to be one, not printed as an Auth0 answer', async () => {
    const message = 'Expected the stored user_metadata to be a JSON object (or absent) but found array';
    for (const command of ['apply', 'explain']) {
      const run = await cli([command, '--user', 'broken-user.json', '--patch', 'home.json'], files);
      expect([run.code, run.out, run.err]).toStrictEqual([
        1,
        '',
        `error: in the local user file broken-user.json (not an Auth0 answer): ${message}`,
      ]);
    }
    const diff = await cli(['diff', 'broken-user.json', 'after.json'], files);
    expect([diff.code, diff.err]).toStrictEqual([
      1,
      `error: in the local user files broken-user.json, after.json: user_metadata: ${message}`,
    ]);
  });
});

describe('sizes remembered by identity: what a caller who mutates a user in place gets', () => {
  const metadata = (): Record<string, unknown> => ({ notes: 'n'.repeat(1000) });

  test('the old size is used for an object changed after it was measured; a fresh copy is measured anew', () => {
    const user: { user_metadata: Record<string, unknown> } = { user_metadata: metadata() };
    expect(applyPatch(user, { user_metadata: { a: 1 } }).success).toBe(true);
    // Changed in place, against the documented contract: 17 MB more in the same object.
    user.user_metadata.huge = 'x'.repeat(17 * 1024 * 1024);
    const stale = applyPatch(user, { user_metadata: { b: 2 } });
    expect(stale.success).toBe(true);
    // The same content in a fresh object is measured: stored metadata over 16 MB is no user Auth0
    // could hold, so it is reported as the stored data's fault.
    const fresh = { user_metadata: { ...user.user_metadata } };
    expect(issuesOf(applyPatch(fresh, { user_metadata: { b: 2 } })).map((issue) => issue.code)).toStrictEqual([
      'invalid_stored_user',
    ]);
  });

  test('nothing the library returns can be changed in place: results are frozen', () => {
    const result = successValue(applyPatch({ user_metadata: metadata() }, { user_metadata: { a: 1 } }));
    expect(Object.isFrozen(result) && Object.isFrozen(result.user_metadata)).toBe(true);
  });
});
