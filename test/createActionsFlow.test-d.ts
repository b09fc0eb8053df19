// Type tests of actions: checked by `npm run typecheck` (tsc), never executed.
import { expectTypeOf } from 'vitest';
import { createActionsFlow } from '../src/index.js';
import { user } from './type-fixtures.js';

// Actions see the user's own attributes and its typed metadata.
const flow = createActionsFlow(user);
expectTypeOf(flow.event.user.user_id).toEqualTypeOf<string>();
expectTypeOf(flow.event.user.app_metadata.plan).toEqualTypeOf<'free' | 'full' | undefined>();
