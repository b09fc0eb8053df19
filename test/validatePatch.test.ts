/** validatePatch: a PATCH body checked on its own, before any stored user is read. */
import { describe, expect, test } from 'vitest';
import { validatePatch } from '../src/index.js';

describe('size limits', () => {
  test('validatePatch alone accepts a small metadata value without warnings', () => {
    expect(validatePatch({ user_metadata: { a: 1 } })).toStrictEqual({
      success: true,
      value: { user_metadata: { a: 1 } },
      warnings: [],
    });
  });
});
