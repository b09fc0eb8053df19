// Type tests of selectFields: checked by `npm run typecheck` (tsc), never executed.
import { expectTypeOf } from 'vitest';
import { selectFields } from '../src/index.js';
import { fromGet } from './type-fixtures.js';

// selectFields returns any of the user's attributes, metadata partial.
const projected = selectFields(fromGet, { fields: 'logins_count' });
if (projected.success) expectTypeOf(projected.value.logins_count).toEqualTypeOf<number | undefined>();
