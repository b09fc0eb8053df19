import { describe, expect, test } from 'vitest';
import {
  analyzePatch,
  applyPatch,
  describeEffect,
  type PatchAnalysis,
  type PatchEffect,
  type User,
} from '../src/index.js';
import { comparable, defineOwn, getOwn, patchedNow, revokedProxy, userAndBody } from './arbitraries.js';
import { at, CONNECTION, deepFreeze, issuesOf, JANE, janeWith, successValue } from './helpers.js';
import { prop } from './prop.js';

/** The analysis of a PATCH body sent to `user`; fails the test on issues. */
function analysis(user: User, patch: unknown): PatchAnalysis {
  return successValue(analyzePatch(user, deepFreeze(patch), at()));
}

function effectsOf(user: User, patch: unknown): PatchAnalysis['effects'] {
  return analysis(user, patch).effects;
}

function droppedPaths(user: User, patch: unknown): PatchAnalysis['dropped'][number]['path'][] {
  return analysis(user, patch).dropped.map((effect) => effect.path);
}

describe('analyzePatch: first-level effects', () => {
  test('reports a metadata key the user did not have as added', () => {
    const user = janeWith({ user_metadata: { theme: 'dark' } });
    expect(effectsOf(user, { user_metadata: { lang: 'fr' } })).toStrictEqual([
      { kind: 'add', path: ['user_metadata', 'lang'], value: 'fr' },
    ]);
  });

  test('reports a key added to metadata the user lacks entirely', () => {
    expect(effectsOf(JANE, { app_metadata: { plan: 'pro' } })).toStrictEqual([
      { kind: 'add', path: ['app_metadata', 'plan'], value: 'pro' },
    ]);
  });

  test('reports a changed first-level value as replaced, with both values', () => {
    const user = janeWith({ app_metadata: { plan: 'free', seats: 3 } });
    expect(effectsOf(user, { app_metadata: { plan: 'pro' } })).toStrictEqual([
      { kind: 'replace', path: ['app_metadata', 'plan'], before: 'free', value: 'pro' },
    ]);
  });

  test('reports a value whose type alone changes as replaced ("23" is not 23)', () => {
    const user = janeWith({ user_metadata: { age: '23' } });
    expect(effectsOf(user, { user_metadata: { age: 23 } })).toStrictEqual([
      { kind: 'replace', path: ['user_metadata', 'age'], before: '23', value: 23 },
    ]);
  });

  test('reports a null on a stored key as deleted, with the value lost', () => {
    const user = janeWith({ user_metadata: { theme: 'dark', lang: 'en' } });
    expect(effectsOf(user, { user_metadata: { theme: null } })).toStrictEqual([
      { kind: 'delete', path: ['user_metadata', 'theme'], before: 'dark' },
    ]);
  });

  test('reports {} on non-empty metadata as cleared, with the whole object lost', () => {
    const user = janeWith({ user_metadata: { theme: 'dark', lang: 'en' } });
    expect(effectsOf(user, { user_metadata: {} })).toStrictEqual([
      { kind: 'clear', path: ['user_metadata'], before: { theme: 'dark', lang: 'en' } },
    ]);
  });

  test('reports {} on app_metadata as cleared too', () => {
    const user = janeWith({ app_metadata: { plan: 'pro' } });
    expect(effectsOf(user, { app_metadata: {} })).toStrictEqual([
      { kind: 'clear', path: ['app_metadata'], before: { plan: 'pro' } },
    ]);
  });

  test('reports a root attribute the user did not have as added', () => {
    expect(effectsOf(JANE, { given_name: 'Jane' })).toStrictEqual([
      { kind: 'add', path: ['given_name'], value: 'Jane' },
    ]);
  });

  test('reports a changed root attribute as replaced, with the value Auth0 stores (lower-case email)', () => {
    expect(effectsOf(JANE, { email: 'Jane@Example.org' })).toStrictEqual([
      { kind: 'replace', path: ['email'], before: 'jane.doe@example.com', value: 'jane@example.org' },
    ]);
  });

  test('reports a nullable root attribute set to null as deleted', () => {
    const user = janeWith({ phone_number: '+33612345678' });
    expect(effectsOf(user, { phone_number: null })).toStrictEqual([
      { kind: 'delete', path: ['phone_number'], before: '+33612345678' },
    ]);
  });

  test('lists effects in the order of the body, across attributes', () => {
    const user = janeWith({ user_metadata: { theme: 'dark' }, app_metadata: { plan: 'free' } });
    const patch = { nickname: 'jd', app_metadata: { plan: 'pro' }, user_metadata: { theme: null, lang: 'fr' } };
    expect(effectsOf(user, patch).map(({ kind, path }) => ({ kind, path }))).toStrictEqual([
      { kind: 'replace', path: ['nickname'] },
      { kind: 'replace', path: ['app_metadata', 'plan'] },
      { kind: 'delete', path: ['user_metadata', 'theme'] },
      { kind: 'add', path: ['user_metadata', 'lang'] },
    ]);
  });
});

describe('analyzePatch: no effect', () => {
  test('reports nothing for a metadata value sent unchanged', () => {
    const user = janeWith({ user_metadata: { addresses: { home: 'Paris', work: 'Lyon' } } });
    expect(effectsOf(user, { user_metadata: { addresses: { work: 'Lyon', home: 'Paris' } } })).toStrictEqual([]);
  });

  test('reports nothing for a null on a key the user lacks', () => {
    const user = janeWith({ user_metadata: { theme: 'dark' } });
    expect(effectsOf(user, { user_metadata: { lang: null } })).toStrictEqual([]);
  });

  test('reports nothing for a null on metadata the user lacks', () => {
    expect(effectsOf(JANE, { app_metadata: { plan: null } })).toStrictEqual([]);
  });

  test('reports nothing for {} on empty user_metadata', () => {
    expect(effectsOf(janeWith({ user_metadata: {} }), { user_metadata: {} })).toStrictEqual([]);
  });

  test('reports nothing for {} on app_metadata the user lacks', () => {
    expect(effectsOf(JANE, { app_metadata: {} })).toStrictEqual([]);
  });

  test('reports nothing for a root attribute sent unchanged', () => {
    expect(effectsOf(JANE, { email_verified: false, nickname: 'jane.doe' })).toStrictEqual([]);
  });

  test('reports nothing for a null on a root attribute the user lacks', () => {
    expect(effectsOf(JANE, { given_name: null })).toStrictEqual([]);
  });

  test('reports nothing for request-only attributes, which are not stored', () => {
    expect(effectsOf(JANE, { connection: CONNECTION, verify_email: false })).toStrictEqual([]);
  });
});

describe('analyzePatch: nested data silently dropped', () => {
  test('reports user_metadata.addresses.home lost when only addresses.work is sent', () => {
    const user = janeWith({ user_metadata: { addresses: { home: 'Paris', work: 'Lyon' } } });
    const result = analysis(user, { user_metadata: { addresses: { work: 'Nice' } } });
    expect(result.dropped).toStrictEqual([
      { kind: 'drop', path: ['user_metadata', 'addresses', 'home'], before: 'Paris' },
    ]);
    expect(result.effects).toStrictEqual([
      {
        kind: 'replace',
        path: ['user_metadata', 'addresses'],
        before: { home: 'Paris', work: 'Lyon' },
        value: { work: 'Nice' },
      },
      { kind: 'drop', path: ['user_metadata', 'addresses', 'home'], before: 'Paris' },
    ]);
  });

  test('reports the loss even when the key that is sent keeps its value', () => {
    const user = janeWith({ user_metadata: { addresses: { home: 'Paris', work: 'Lyon' } } });
    expect(droppedPaths(user, { user_metadata: { addresses: { work: 'Lyon' } } })).toStrictEqual([
      ['user_metadata', 'addresses', 'home'],
    ]);
  });

  test('reports a lost key two levels below the first', () => {
    const user = janeWith({ user_metadata: { prefs: { ui: { theme: 'dark', font: 'serif' } } } });
    const result = analysis(user, { user_metadata: { prefs: { ui: { theme: 'light' } } } });
    expect(result.dropped).toStrictEqual([
      { kind: 'drop', path: ['user_metadata', 'prefs', 'ui', 'font'], before: 'serif' },
    ]);
  });

  test('reports a lost key three levels below the first', () => {
    const user = janeWith({ app_metadata: { org: { team: { roles: { admin: true, editor: false } } } } });
    expect(droppedPaths(user, { app_metadata: { org: { team: { roles: { admin: true } } } } })).toStrictEqual([
      ['app_metadata', 'org', 'team', 'roles', 'editor'],
    ]);
  });

  test('reports a lost subtree once, at its root, with its whole value', () => {
    const user = janeWith({ user_metadata: { addresses: { home: { city: 'Paris', zip: '75001' }, work: 'Lyon' } } });
    expect(analysis(user, { user_metadata: { addresses: { work: 'Lyon' } } }).dropped).toStrictEqual([
      { kind: 'drop', path: ['user_metadata', 'addresses', 'home'], before: { city: 'Paris', zip: '75001' } },
    ]);
  });

  test('reports every lost key, at every depth, in one PATCH', () => {
    const user = janeWith({
      user_metadata: {
        addresses: { home: 'Paris', work: { city: 'Lyon', floor: 3 } },
        prefs: { ui: { theme: 'dark', font: 'serif' }, lang: 'en' },
        untouched: { a: 1 },
      },
    });
    const patch = {
      user_metadata: {
        addresses: { work: { city: 'Lyon' } },
        prefs: { ui: { theme: 'dark' } },
      },
    };
    const paths = droppedPaths(user, patch).map((path) => path.join('.'));
    expect(paths.sort()).toStrictEqual(
      [
        'user_metadata.addresses.home',
        'user_metadata.addresses.work.floor',
        'user_metadata.prefs.lang',
        'user_metadata.prefs.ui.font',
      ].sort(),
    );
  });

  test('reports nothing dropped when the new object keeps every stored key', () => {
    const user = janeWith({ user_metadata: { addresses: { home: 'Paris' } } });
    expect(droppedPaths(user, { user_metadata: { addresses: { home: 'Nice', work: 'Lyon' } } })).toStrictEqual([]);
  });

  test('reports a deletion, not a drop, for nested data removed with its first-level key', () => {
    const user = janeWith({ user_metadata: { addresses: { home: 'Paris' } } });
    const result = analysis(user, { user_metadata: { addresses: null } });
    expect(result.dropped).toStrictEqual([]);
    expect(result.effects).toStrictEqual([
      { kind: 'delete', path: ['user_metadata', 'addresses'], before: { home: 'Paris' } },
    ]);
  });

  test('reports a replacement, not a drop, when an object is replaced by a non-object', () => {
    const user = janeWith({ user_metadata: { addresses: { home: 'Paris' } } });
    const result = analysis(user, { user_metadata: { addresses: 'none' } });
    expect(result.dropped).toStrictEqual([]);
    expect(result.effects).toStrictEqual([
      { kind: 'replace', path: ['user_metadata', 'addresses'], before: { home: 'Paris' }, value: 'none' },
    ]);
  });

  test('reports nothing dropped for an unchanged object sent again', () => {
    const user = janeWith({ user_metadata: { addresses: { home: 'Paris', work: 'Lyon' } } });
    expect(analysis(user, { user_metadata: { addresses: { home: 'Paris', work: 'Lyon' } } })).toStrictEqual({
      effects: [],
      dropped: [],
    });
  });
});

describe('analyzePatch: invalid bodies', () => {
  const user = janeWith({ user_metadata: { theme: 'dark' }, app_metadata: { plan: 'pro' } });
  const cases: readonly (readonly [string, unknown])[] = [
    ['an empty body', {}],
    ['a body that is not an object', ['user_metadata']],
    ['an unknown attribute', { nickname: 'jd', favourite_color: 'blue' }],
    ['user_metadata: null', { user_metadata: null }],
    ['a string as app_metadata', { app_metadata: 'pro' }],
    ['a reserved app_metadata name', { app_metadata: { email: 'x@example.com' } }],
    ['a dotted metadata key', { user_metadata: { prefs: { 'a.b': 1 } } }],
    ['a too long given_name', { given_name: 'x'.repeat(151) }],
    ['username and email together', { username: 'jane', email: 'jane@example.org' }],
  ];

  test.each(cases)('gives the issues applyPatch gives for %s', (_name, patch) => {
    const frozen = deepFreeze(patch);
    const issues = issuesOf(analyzePatch(user, frozen, at()));
    expect(issues).toStrictEqual(issuesOf(applyPatch(user, frozen, at())));
  });

  test('gives the empty_body issue for an empty body', () => {
    expect(issuesOf(analyzePatch(user, {})).map(({ code }) => code)).toStrictEqual(['empty_body']);
  });
});

describe('analyzePatch: inputs', () => {
  test('never mutates the deep-frozen user and patch', () => {
    const user = janeWith({ user_metadata: { addresses: { home: 'Paris', work: 'Lyon' } } });
    const patch = deepFreeze({ user_metadata: { addresses: { work: 'Nice' }, theme: null } });
    const snapshot = JSON.stringify([user, patch]);
    expect(analyzePatch(user, patch).success).toBe(true);
    expect(JSON.stringify([user, patch])).toBe(snapshot);
  });
});

describe('describeEffect', () => {
  test('words an addition', () => {
    expect(describeEffect({ kind: 'add', path: ['user_metadata', 'lang'], value: 'fr' })).toBe(
      'user_metadata.lang will be added: "fr"',
    );
  });

  test('words a replacement with both values as JSON', () => {
    expect(describeEffect({ kind: 'replace', path: ['app_metadata', 'seats'], before: 3, value: '3' })).toBe(
      'app_metadata.seats will be replaced: 3 -> "3"',
    );
  });

  test('words a deletion', () => {
    expect(describeEffect({ kind: 'delete', path: ['user_metadata', 'theme'], before: 'dark' })).toBe(
      'user_metadata.theme will be deleted (was "dark")',
    );
  });

  test('words a clear', () => {
    expect(describeEffect({ kind: 'clear', path: ['user_metadata'], before: { theme: 'dark' } })).toBe(
      'user_metadata will be cleared entirely (was {"theme":"dark"})',
    );
  });

  test('words a drop', () => {
    expect(describeEffect({ kind: 'drop', path: ['user_metadata', 'addresses', 'home'], before: 'Paris' })).toBe(
      'user_metadata.addresses.home will be lost: its parent is replaced by an object without it (was "Paris")',
    );
  });

  test('writes array indexes in brackets, as Auth0 writes paths', () => {
    expect(describeEffect({ kind: 'drop', path: ['user_metadata', 'list', 0, 'a'], before: 1 })).toBe(
      'user_metadata.list[0].a will be lost: its parent is replaced by an object without it (was 1)',
    );
  });

  test('words every effect of an analysis', () => {
    const user = janeWith({ user_metadata: { addresses: { home: 'Paris', work: 'Lyon' } } });
    const { effects } = analysis(user, { user_metadata: { addresses: { work: 'Lyon' } } });
    expect(effects.map(describeEffect)).toStrictEqual([
      'user_metadata.addresses will be replaced: {"home":"Paris","work":"Lyon"} -> {"work":"Lyon"}',
      'user_metadata.addresses.home will be lost: its parent is replaced by an object without it (was "Paris")',
    ]);
  });
});

/**
 * The reference replay of the first-level effects on one stored metadata: `clear` empties it,
 * `add`/`replace` set the key, `delete` removes it. Drops are consequences, not changes.
 */
function replay(stored: unknown, effects: PatchAnalysis['effects'], key: string): object {
  let out: object = typeof stored === 'object' && stored !== null ? { ...stored } : {};
  for (const effect of effects) {
    if (effect.path[0] !== key) continue;
    const name = effect.path[1];
    if (effect.kind === 'clear') out = {};
    else if (typeof name !== 'string' || effect.path.length !== 2) continue;
    else if (effect.kind === 'delete') Reflect.deleteProperty(out, name);
    else if (effect.kind === 'add' || effect.kind === 'replace') defineOwn(out, name, effect.value);
  }
  return out;
}

describe('analyzePatch laws', () => {
  prop('the effects account for every metadata change applyPatch makes', [userAndBody], ([user, body]) => {
    const applied = successValue(applyPatch(user, body, { now: patchedNow }));
    const { effects } = successValue(analyzePatch(user, body, { now: patchedNow }));
    for (const key of ['user_metadata', 'app_metadata'] as const) {
      const expected = getOwn(applied, key) ?? {};
      expect(comparable(replay(getOwn(user, key), effects, key)), key).toStrictEqual(comparable(expected));
    }
    return true;
  });

  prop('every dropped path exists before the PATCH and is gone after it', [userAndBody], ([user, body]) => {
    const applied = successValue(applyPatch(user, body, { now: patchedNow }));
    const { dropped } = successValue(analyzePatch(user, body, { now: patchedNow }));
    const lookup = (root: object, path: PatchAnalysis['dropped'][number]['path']): { found: boolean } => {
      let node: unknown = root;
      for (const segment of path) {
        if (typeof node !== 'object' || node === null || !Object.hasOwn(node, segment)) return { found: false };
        node = getOwn(node, String(segment));
      }
      return { found: true };
    };
    for (const effect of dropped) {
      expect(lookup(user, effect.path).found, `${effect.path.join('.')} before`).toBe(true);
      expect(lookup(applied, effect.path).found, `${effect.path.join('.')} after`).toBe(false);
    }
    return true;
  });
});

function cycle(): unknown {
  const value: Record<string, unknown> = {};
  Object.defineProperty(value, 'self', { value, enumerable: true });
  return value;
}
describe('describeEffect on what is not an effect', () => {
  /** `depth` objects nested through key `a`. */
  function nest(depth: number): unknown {
    let value: unknown = 'bottom';
    for (let level = 0; level < depth; level++) value = { a: value };
    return value;
  }

  test.each<[string, unknown, string]>([
    ['null', null, 'not an effect of analyzePatch'],
    ['an unknown kind', { kind: 'explode', path: ['a'] }, 'not an effect of analyzePatch'],
    ['a revoked Proxy', revokedProxy({}), 'not an effect of analyzePatch'],
    [
      'a BigInt value',
      { kind: 'add', path: ['user_metadata', 'n'], value: 1n },
      'user_metadata.n will be added: (a value that is not JSON)',
    ],
    [
      'a value 100,000 levels deep',
      { kind: 'delete', path: ['user_metadata', 'deep'], before: nest(100_000) },
      'user_metadata.deep will be deleted (was (a value that is not JSON))',
    ],
    [
      'a cycle',
      { kind: 'clear', path: ['app_metadata'], before: cycle() },
      'app_metadata will be cleared entirely (was (a value that is not JSON))',
    ],
  ])('describeEffect(%s)', (_name, effect, text) => {
    expect(Reflect.apply(describeEffect, undefined, [effect])).toBe(text);
  });

  test('describeEffect still shows JSON as JSON', () => {
    const effect: PatchEffect = { kind: 'replace', path: ['user_metadata', 'a'], before: { b: [1] }, value: 'x' };
    expect(describeEffect(effect)).toBe('user_metadata.a will be replaced: {"b":[1]} -> "x"');
  });
});
