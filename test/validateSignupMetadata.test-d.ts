// Type tests of validateSignupMetadata: checked by `npm run typecheck` (tsc), never executed.
import { expectTypeOf } from 'vitest';
import { validateSignupMetadata } from '../src/index.js';

// Signup metadata is a record of strings.
const signup = validateSignupMetadata({});
if (signup.success) expectTypeOf(signup.value).toEqualTypeOf<Readonly<Record<string, string>>>();
