// Type tests: checked by `npm run typecheck` (tsc), never executed.
import { expectTypeOf } from 'vitest';
import {
  type Auth0Error,
  applyPatch,
  createUser,
  type Issue,
  type JsonObject,
  type MetadataPatch,
  type Result,
  selectFields,
  type User,
  type UserPatch,
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

// Metadata generics default to JsonObject and flow through.
expectTypeOf(anyUser.user_metadata).toEqualTypeOf<Readonly<JsonObject> | undefined>();
expectTypeOf(user.user_metadata).toEqualTypeOf<Readonly<Preferences> | undefined>();
expectTypeOf(user.app_metadata).toEqualTypeOf<Readonly<Billing> | undefined>();

// A typed patch keeps the user's metadata types; null deletes any key.
expectTypeOf(applyPatch(user, { user_metadata: { theme: 'dark', addresses: null } })).toEqualTypeOf<
  Result<User<Preferences, Billing>>
>();
expectTypeOf<MetadataPatch<Preferences>>().toEqualTypeOf<{
  readonly theme?: 'light' | 'dark' | null;
  readonly addresses?: { home?: string; work?: string } | null;
}>();
// @ts-expect-error - 'blue' is not a theme of Preferences
applyPatch(user, { user_metadata: { theme: 'blue' } } satisfies UserPatch<Preferences, Billing>);

// An untyped body (from JSON) is accepted and gives a JsonObject-shaped user.
const body: unknown = JSON.parse('{"user_metadata":{"theme":"dark"}}');
expectTypeOf(applyPatch(user, body)).toEqualTypeOf<Result<User>>();

// Results are discriminated on `success`.
const result = applyPatch(anyUser, body);
if (result.success) {
  expectTypeOf(result.value).toEqualTypeOf<User>();
  // @ts-expect-error - a success has no issues
  void result.issues;
} else {
  expectTypeOf(result.issues).toEqualTypeOf<readonly [Issue, ...Issue[]]>();
}

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

// createUser with typed metadata gives a typed user.
expectTypeOf(
  createUser({ connection: 'db', email: 'a@b.c', password: 'x', user_metadata: { theme: 'dark' } }),
).toEqualTypeOf<Result<User<{ theme: string }, JsonObject>>>();

// selectFields returns a partial user of the same metadata types.
expectTypeOf(selectFields(user, { fields: 'user_metadata' })).toEqualTypeOf<
  Result<Partial<User<Preferences, Billing>>>
>();

// Signup metadata is a record of strings.
const signup = validateSignupMetadata({});
if (signup.success) expectTypeOf(signup.value).toEqualTypeOf<Readonly<Record<string, string>>>();

// Auth0 errors are discriminated on `api`.
declare const error: Auth0Error;
if (error.api === 'authentication') expectTypeOf(error.body.description).toEqualTypeOf<string>();
else expectTypeOf(error.body.errorCode).toEqualTypeOf<string>();
