// Type tests: checked by `npm run typecheck` (tsc), never executed.
import { expectTypeOf } from 'vitest';
import {
  type Auth0Error,
  analyzePatch,
  applyPatch,
  createActionsFlow,
  createUser,
  diffToPatch,
  type Issue,
  type JsonObject,
  type MetadataPatch,
  type PatchedUser,
  type Result,
  type StoredMetadata,
  type StoredUser,
  selectFields,
  type User,
  validateSignupMetadata,
} from '../src/index.js';

interface Preferences {
  theme?: 'light' | 'dark';
  addresses?: { home?: string; work?: string };
}
interface Billing {
  plan?: 'free' | 'full';
}

declare const user: User<Preferences, Billing>;
declare const anyUser: User;

// Metadata generics default to JsonObject and flow through; stored metadata is partial and
// deep-readonly (any PATCH can delete any key).
expectTypeOf(anyUser.user_metadata).toEqualTypeOf<StoredMetadata<JsonObject> | undefined>();
expectTypeOf(user.user_metadata).toEqualTypeOf<StoredMetadata<Preferences> | undefined>();
expectTypeOf(user.app_metadata).toEqualTypeOf<StoredMetadata<Billing> | undefined>();
expectTypeOf(user.user_metadata?.addresses?.home).toEqualTypeOf<string | undefined>();

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
interface FromGet {
  readonly user_id: string;
  readonly email: string;
  readonly logins_count: number;
  readonly last_login: string;
  readonly user_metadata?: { readonly [key: string]: unknown };
}
declare const fromGet: FromGet;
const patchedGet = applyPatch(fromGet, { user_metadata: { hobby: 'surfing' } });
if (patchedGet.success) {
  expectTypeOf(patchedGet.value.logins_count).toEqualTypeOf<number>();
  expectTypeOf(patchedGet.value.last_login).toEqualTypeOf<string>();
  expectTypeOf(patchedGet.value.email).toEqualTypeOf<string>();
}
// A user with open metadata takes a body of unknown type (from JSON), validated at run time.
const body: unknown = JSON.parse('{"user_metadata":{"theme":"dark"}}');
expectTypeOf(applyPatch(anyUser, body)).toEqualTypeOf<Result<PatchedUser<User>>>();
// @ts-expect-error - a stored user is an object, never a string
applyPatch('auth0|1', body);

// StoredUser: any attributes, typed metadata.
declare const stored: StoredUser<Preferences>;
expectTypeOf(stored.user_metadata?.theme).toEqualTypeOf<'light' | 'dark' | undefined>();
// @ts-expect-error - stored metadata is deep-readonly
stored.user_metadata.addresses.home = 'Lyon';

// Results are discriminated on `success`.
const result = applyPatch(anyUser, body);
if (result.success) {
  expectTypeOf(result.value.user_id).toEqualTypeOf<string>();
  // @ts-expect-error - a success has no issues
  void result.issues;
} else {
  expectTypeOf(result.issues).toEqualTypeOf<readonly [Issue, ...Issue[]]>();
}

// analyzePatch checks the patch against the user's type as applyPatch does.
analyzePatch(user, { user_metadata: { theme: 'light' } });
// @ts-expect-error - 'blue' is not a theme of Preferences
analyzePatch(user, { user_metadata: { theme: 'blue' } });

// diffToPatch takes independent types for before and after, and types the body by `after`.
declare const before: FromGet;
const diffed = diffToPatch(before, user);
if (diffed.success && diffed.value !== null) {
  expectTypeOf(diffed.value.user_metadata?.theme).toEqualTypeOf<'light' | 'dark' | null | undefined>();
  expectTypeOf(diffed.value.app_metadata?.plan).toEqualTypeOf<'free' | 'full' | null | undefined>();
}
// @ts-expect-error - `after` is a user object, not a patch body string
diffToPatch(before, 'x');

// Actions see the user's own attributes and its typed metadata.
const flow = createActionsFlow(user);
expectTypeOf(flow.event.user.user_id).toEqualTypeOf<string>();
expectTypeOf(flow.event.user.app_metadata.plan).toEqualTypeOf<'free' | 'full' | undefined>();

// Issues are discriminated on `code`, with code-specific fields.
declare const issue: Issue;
if (issue.code === 'too_long') expectTypeOf(issue.maximum).toEqualTypeOf<number>();
if (issue.code === 'forbidden_character') expectTypeOf(issue.character).toEqualTypeOf<'.' | '$'>();
// @ts-expect-error - not every issue has `maximum`
void issue.maximum;

// Users are readonly all the way to the metadata.
// @ts-expect-error - readonly
user.user_id = 'x';
declare const metadata: NonNullable<User<Preferences>['user_metadata']>;
// @ts-expect-error - readonly
metadata.theme = 'dark';

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

// selectFields returns any of the user's attributes, metadata partial.
const projected = selectFields(fromGet, { fields: 'logins_count' });
if (projected.success) expectTypeOf(projected.value.logins_count).toEqualTypeOf<number | undefined>();

// Signup metadata is a record of strings.
const signup = validateSignupMetadata({});
if (signup.success) expectTypeOf(signup.value).toEqualTypeOf<Readonly<Record<string, string>>>();

// Auth0 errors are discriminated on `api`.
declare const error: Auth0Error;
if (error.api === 'authentication') expectTypeOf(error.body.description).toEqualTypeOf<string>();
else expectTypeOf(error.body.errorCode).toEqualTypeOf<string>();

// Every User is a StoredUser, and a StoredUser literal takes any attributes.
expectTypeOf<User<Preferences, Billing>>().toExtend<StoredUser<Preferences, Billing>>();
const literal: StoredUser = { email: 'jane.doe@example.com', logins_count: 3, user_metadata: { hobby: 'surfing' } };
expectTypeOf(literal.logins_count).toEqualTypeOf<unknown>();
