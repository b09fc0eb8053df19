// Type tests of the vocabulary (src/types.ts, src/issues.ts): checked by `npm run typecheck` (tsc), never executed.
import { expectTypeOf } from 'vitest';
import type { Issue, JsonObject, StoredMetadata, StoredUser, User } from '../src/index.js';
import { anyUser, type Billing, type Preferences, user } from './type-fixtures.js';

// Metadata generics default to JsonObject and flow through; stored metadata is partial and
// deep-readonly (any PATCH can delete any key).
expectTypeOf(anyUser.user_metadata).toEqualTypeOf<StoredMetadata<JsonObject> | undefined>();
expectTypeOf(user.user_metadata).toEqualTypeOf<StoredMetadata<Preferences> | undefined>();
expectTypeOf(user.app_metadata).toEqualTypeOf<StoredMetadata<Billing> | undefined>();
expectTypeOf(user.user_metadata?.addresses?.home).toEqualTypeOf<string | undefined>();

// StoredUser: any attributes, typed metadata.
declare const stored: StoredUser<Preferences>;
expectTypeOf(stored.user_metadata?.theme).toEqualTypeOf<'light' | 'dark' | undefined>();
// @ts-expect-error - stored metadata is deep-readonly
stored.user_metadata.addresses.home = 'Lyon';

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

// Every User is a StoredUser, and a StoredUser literal takes any attributes.
expectTypeOf<User<Preferences, Billing>>().toExtend<StoredUser<Preferences, Billing>>();
const literal: StoredUser = { email: 'jane.doe@example.com', logins_count: 3, user_metadata: { hobby: 'surfing' } };
expectTypeOf(literal.logins_count).toEqualTypeOf<unknown>();
