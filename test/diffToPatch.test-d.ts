// Type tests of diffToPatch: checked by `npm run typecheck` (tsc), never executed.
import { expectTypeOf } from 'vitest';
import { diffToPatch } from '../src/index.js';
import { fromGet, user } from './type-fixtures.js';

// diffToPatch takes independent types for before and after, and types the body by `after`.
const diffed = diffToPatch(fromGet, user);
if (diffed.success && diffed.value !== null) {
  expectTypeOf(diffed.value.user_metadata?.theme).toEqualTypeOf<'light' | 'dark' | null | undefined>();
  expectTypeOf(diffed.value.app_metadata?.plan).toEqualTypeOf<'free' | 'full' | null | undefined>();
}
// @ts-expect-error - `after` is a user object, not a patch body string
diffToPatch(fromGet, 'x');
