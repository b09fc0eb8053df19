// Type tests of analyzePatch: checked by `npm run typecheck` (tsc), never executed.
import { analyzePatch } from '../src/index.js';
import { user } from './type-fixtures.js';

// analyzePatch checks the patch against the user's type as applyPatch does.
analyzePatch(user, { user_metadata: { theme: 'light' } });
// @ts-expect-error - 'blue' is not a theme of Preferences
analyzePatch(user, { user_metadata: { theme: 'blue' } });
