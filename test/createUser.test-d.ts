// Type tests of createUser: checked by `npm run typecheck` (tsc), never executed.
import { expectTypeOf } from 'vitest';
import { createUser, type Result, type User } from '../src/index.js';
import type { Preferences } from './type-fixtures.js';

// createUser types the metadata you name, never the body's literal: a user made from
// `{ theme: 'dark' }` takes any key later.
expectTypeOf(
  createUser({ connection: 'db', email: 'a@b.c', password: 'x', user_metadata: { theme: 'dark' } }),
).toEqualTypeOf<Result<User>>();
expectTypeOf(
  createUser<Preferences>({ connection: 'db', email: 'a@b.c', password: 'x', user_metadata: { theme: 'dark' } }),
).toEqualTypeOf<Result<User<Preferences>>>();
// @ts-expect-error - 'blue' is not a theme of the Preferences named
createUser<Preferences>({ connection: 'db', email: 'a@b.c', password: 'x', user_metadata: { theme: 'blue' } });
