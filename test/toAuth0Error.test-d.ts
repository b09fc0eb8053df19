// Type tests of toAuth0Error: checked by `npm run typecheck` (tsc), never executed.
import { expectTypeOf } from 'vitest';
import type { Auth0Error } from '../src/index.js';

// Auth0 errors are discriminated on `api`.
declare const error: Auth0Error;
if (error.api === 'authentication') expectTypeOf(error.body.description).toEqualTypeOf<string>();
else expectTypeOf(error.body.errorCode).toEqualTypeOf<string>();
