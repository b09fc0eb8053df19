/**
 * validatePatch: a PATCH body checked on its own, before any stored user is read. Its answer is the
 * one applyPatch gives for the same body, for every stored user.
 */
import { describe, expect, test } from 'vitest';
import { applyPatch, validatePatch } from '../src/index.js';
import { at, codesAndPaths, deepFreeze, issuesOf, JANE, janeWith, LATER, successValue } from './helpers.js';

describe('a body checked without a user', () => {
  test('a small metadata value is accepted without warnings', () => {
    expect(validatePatch({ user_metadata: { a: 1 } })).toStrictEqual({
      success: true,
      value: { user_metadata: { a: 1 } },
      warnings: [],
    });
  });

  test('the value is a copy: later edits to the body do not reach it', () => {
    const body = { user_metadata: { prefs: { theme: 'dark' } } };
    const value = successValue(validatePatch(body));
    body.user_metadata.prefs.theme = 'light';
    expect(value).toStrictEqual({ user_metadata: { prefs: { theme: 'dark' } } });
  });

  test.each<[string, unknown, { code: string; path: readonly (string | number)[] }[]]>([
    ['an unknown attribute (rule 8)', { nickname: 'j', color: 'red' }, [{ code: 'unknown_keys', path: [] }]],
    ['an empty body (rule 9)', {}, [{ code: 'empty_body', path: [] }]],
    [
      'a dotted metadata key (rule 16)',
      { user_metadata: { 'a.b': 1 } },
      [{ code: 'forbidden_character', path: ['user_metadata', 'a.b'] }],
    ],
    [
      'a reserved app_metadata name (rule 17)',
      { app_metadata: { blocked: true } },
      [{ code: 'reserved_key', path: ['app_metadata', 'blocked'] }],
    ],
    ['user_metadata null (rule 6)', { user_metadata: null }, [{ code: 'invalid_type', path: ['user_metadata'] }]],
  ])('%s is refused with the issue applyPatch gives', (_name, body, expected) => {
    expect(codesAndPaths(issuesOf(validatePatch(deepFreeze(body))))).toStrictEqual(expected);
    for (const user of [JANE, janeWith({ user_metadata: { a: 1 }, app_metadata: { plan: 'full' } })]) {
      expect(codesAndPaths(issuesOf(applyPatch(user, deepFreeze(body), at(LATER))))).toStrictEqual(expected);
    }
  });
});

describe('a checked patch is made by validatePatch only', () => {
  test('an object equal to a checked patch but not made by validatePatch is checked again by applyPatch', () => {
    const checked = successValue(validatePatch({ user_metadata: { theme: 'dark' } }));
    // The same shape, but an invalid value: only the object validatePatch made is taken as checked.
    const lookalike = deepFreeze<unknown>({ ...checked, user_metadata: { 'a.b': 1 } });
    expect([
      applyPatch(JANE, checked, at(LATER)).success,
      applyPatch(JANE, lookalike, at(LATER)).success,
    ]).toStrictEqual([true, false]);
  });

  test('a checked patch applied to a user whose profile grows past 10 KB warns as its body does', () => {
    const big = { user_metadata: { bio: 'x'.repeat(11_000) } };
    const fromChecked = applyPatch(JANE, successValue(validatePatch(big)), at(LATER));
    const fromBody = applyPatch(JANE, deepFreeze(big), at(LATER));
    expect(fromChecked).toStrictEqual(fromBody);
    expect(fromChecked.success && fromChecked.warnings.map((warning) => warning.code)).toStrictEqual([
      'profile_too_large',
    ]);
  });
});
