// Type tests of applyPatch: checked by `npm run typecheck` (tsc), never executed.
import { expectTypeOf } from 'vitest';
import {
  applyPatch,
  type CheckedPatch,
  type Issue,
  type MetadataPatch,
  type OpenedUser,
  type PatchedUser,
  type Result,
  type StoredUser,
  type User,
  validatePatch,
} from '../src/index.js';
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
// Open metadata is only the metadata's shape: the root attributes and the body's type are checked.
applyPatch(anyUser, { user_metadata: { anything: [1, { deep: true }] }, blocked: true, name: null });
// @ts-expect-error - a PATCH body is an object (Auth0: "Expected type object but found type number")
applyPatch(anyUser, 42);
// @ts-expect-error - user_metdata is not an attribute (Auth0: "Additional properties not allowed")
applyPatch(anyUser, { user_metdata: { a: 1 } });
// @ts-expect-error - blocked is a boolean
applyPatch(anyUser, { blocked: 'yes' });
// @ts-expect-error - metadata is an object of first-level changes, never a string
applyPatch(anyUser, { app_metadata: 'plan' });

// Generic helpers over typed users: the patch is checked against the constraint's metadata.
export function setTheme<U extends StoredUser<Preferences, Billing>>(stored: U, theme: 'light' | 'dark') {
  return applyPatch(stored, { user_metadata: { theme }, app_metadata: { plan: 'full' } });
}
export function setThemeOfUser<U extends User<Preferences>>(stored: U, theme: 'light' | 'dark') {
  const result = applyPatch(stored, { user_metadata: { theme } });
  expectTypeOf(result).toEqualTypeOf<Result<PatchedUser<U>>>();
  return result;
}
export function setColour<U extends User<Preferences>>(stored: U, colour: string) {
  // @ts-expect-error - a string is not a theme of Preferences, inside a generic helper as outside
  return applyPatch(stored, { user_metadata: { theme: colour } });
}

// Metadata inferred from a literal (a fixture, a JSON module): its keys are the shape.
const fixture = { user_id: 'auth0|1', user_metadata: { theme: 'dark', langs: ['en'] } };
applyPatch(fixture, { user_metadata: { theme: 'light', langs: ['fr', 'en'] } });
// @ts-expect-error - the fixture's metadata has no key `them`
applyPatch(fixture, { user_metadata: { them: 'light' } });

// Users whose metadata is not declared as an object are taken; their metadata is open.
declare const record: Record<string, unknown>;
applyPatch(record, { user_metadata: { any: 'key' } });
declare const notLookedAt: { readonly user_id: string; readonly user_metadata?: unknown };
applyPatch(notLookedAt, { user_metadata: { any: 'key' } });
// @ts-expect-error - the root attributes are checked for them too
applyPatch(notLookedAt, { user_metadata: { any: 'key' }, email_verifed: true });
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

// A checked patch (validatePatch) claims nothing about the metadata's shape: a typed user patched
// with it comes back with open metadata, never with a theme the body may not have held.
const checked = validatePatch(body);
if (checked.success) {
  expectTypeOf(checked.value).toEqualTypeOf<CheckedPatch>();
  const opened = applyPatch(user, checked.value);
  expectTypeOf(opened).toEqualTypeOf<Result<PatchedUser<OpenedUser<User<Preferences, Billing>>>>>();
  if (opened.success) {
    expectTypeOf(opened.value.user_metadata?.theme).not.toEqualTypeOf<'light' | 'dark' | undefined>();
    expectTypeOf(opened.value.user_id).toEqualTypeOf<string>();
  }
  expectTypeOf(applyPatch(anyUser, checked.value)).toEqualTypeOf<Result<PatchedUser<OpenedUser<User>>>>();
}
// @ts-expect-error - a CheckedPatch is made by validatePatch only: a literal is not one
export const forged: CheckedPatch = { user_metadata: { theme: 'blue' } };
