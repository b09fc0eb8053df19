// Type tests of applyPatch: checked by `npm run typecheck` (tsc), never executed.
import { expectTypeOf } from 'vitest';
import { applyPatch, type Issue, type MetadataPatch, type PatchedUser, type Result, type User } from '../src/index.js';
import { anyUser, type Billing, body, fromGet, type Preferences, user } from './type-fixtures.js';

// A typed patch keeps the user's type: every attribute, the metadata types, updated_at set.
const typed = applyPatch(user, { user_metadata: { theme: 'dark', addresses: null } });
expectTypeOf(typed).toEqualTypeOf<Result<PatchedUser<User<Preferences, Billing>>>>();
if (typed.success) {
  expectTypeOf(typed.value.user_id).toEqualTypeOf<string>();
  expectTypeOf(typed.value.updated_at).toEqualTypeOf<string>();
  expectTypeOf(typed.value.user_metadata?.theme).toEqualTypeOf<'light' | 'dark' | undefined>();
  expectTypeOf(typed.value.user_metadata?.addresses?.home).toEqualTypeOf<string | undefined>();
}
expectTypeOf<MetadataPatch<Preferences>>().toEqualTypeOf<{
  readonly theme?: 'light' | 'dark' | null;
  readonly addresses?: { home?: string; work?: string } | null;
}>();
// @ts-expect-error - 'blue' is not a theme of Preferences: a patch that does not fit the declared metadata is refused
applyPatch(user, { user_metadata: { theme: 'blue' } });
// @ts-expect-error - Preferences declares no `lang`: a key the declared shape lacks is refused
applyPatch(user, { user_metadata: { lang: 'fr' } });
const raw: unknown = JSON.parse('{}');
// @ts-expect-error - a body of unknown type does not fit declared metadata: validate it first (validatePatch)
applyPatch(user, raw);

// Any object is a stored user: a GET /api/v2/users/{id} payload keeps its own attributes.
const patchedGet = applyPatch(fromGet, { user_metadata: { hobby: 'surfing' } });
if (patchedGet.success) {
  expectTypeOf(patchedGet.value.logins_count).toEqualTypeOf<number>();
  expectTypeOf(patchedGet.value.last_login).toEqualTypeOf<string>();
  expectTypeOf(patchedGet.value.email).toEqualTypeOf<string>();
}
// A user with open metadata takes a body of unknown type (from JSON), validated at run time.
expectTypeOf(applyPatch(anyUser, body)).toEqualTypeOf<Result<PatchedUser<User>>>();
// @ts-expect-error - a stored user is an object, never a string
applyPatch('auth0|1', body);

// Results are discriminated on `success`.
const result = applyPatch(anyUser, body);
if (result.success) {
  expectTypeOf(result.value.user_id).toEqualTypeOf<string>();
  // @ts-expect-error - a success has no issues
  void result.issues;
} else {
  expectTypeOf(result.issues).toEqualTypeOf<readonly [Issue, ...Issue[]]>();
}
