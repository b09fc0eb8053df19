// The typing patterns of real code, compiled against the packed package (not the sources) by
// test/consumers/packed.spec.ts, in a strict project (skipLibCheck off, resolveJsonModule). Every
// `@ts-expect-error` says why the line must not compile; the control project (the package typed
// as `any`) proves that each of them depends on the package's types.
import {
  applyPatch,
  type PostLoginAction,
  runPostLoginActions,
  type StoredUser,
  selectFields,
  type User,
  type UserPatch,
  validatePatch,
} from 'auth0-metadata';
import { z } from 'zod';
import jane from './jane.json';

// 1. Generic helpers over typed users: the patch is checked against the constraint's metadata.
interface Meta {
  hobby?: string;
  theme?: 'light' | 'dark';
}
interface App {
  plan?: 'free' | 'full';
}
export function setHobby<U extends StoredUser<Meta, App>>(u: U, hobby: string) {
  return applyPatch(u, { user_metadata: { hobby } });
}
export function upgrade<U extends User<Meta, App>>(u: U) {
  return applyPatch(u, { app_metadata: { plan: 'full' }, blocked: false });
}
export function setTheme<U extends User<Meta, App>>(u: U, theme: string) {
  // @ts-expect-error a string is not a theme of Meta ('light' | 'dark'), inside a helper as outside
  return applyPatch(u, { user_metadata: { theme } });
}
export function setPlan<U extends StoredUser<Meta, App>>(u: U) {
  // @ts-expect-error App declares no `seats`: a key the shape lacks is refused
  return applyPatch(u, { app_metadata: { seats: 3 } });
}

// 2. A fixture from a JSON module: its metadata's keys are the shape.
const fromJson = applyPatch(jane, { user_metadata: { theme: 'light', langs: ['fr', 'en'] } });
export const logins: number | undefined = fromJson.success ? fromJson.value.logins_count : undefined;
// @ts-expect-error the JSON fixture's user_metadata has no `them` (a typo of `theme`)
applyPatch(jane, { user_metadata: { them: 'light' } });
// @ts-expect-error the JSON fixture's langs is a list of strings
applyPatch(jane, { user_metadata: { langs: 'fr' } });

// 3. Shapes inferred from a zod schema: the same schema checks bodies at run time.
const Preferences = z.object({ theme: z.enum(['light', 'dark']).optional(), newsletter: z.boolean().optional() });
type Preferences = z.infer<typeof Preferences>;
declare const subscriber: User<Preferences>;
applyPatch(subscriber, { user_metadata: { newsletter: true, theme: null } });
const sent = Preferences.safeParse(JSON.parse('{"theme":"dark"}'));
if (sent.success) applyPatch(subscriber, { user_metadata: sent.data });
// @ts-expect-error 'blue' is not in the schema's enum
applyPatch(subscriber, { user_metadata: { theme: 'blue' } });
// @ts-expect-error the schema's newsletter is a boolean
applyPatch(subscriber, { user_metadata: { newsletter: 'yes' } });

// 4. `satisfies` and `as const` fixtures.
const satisfying = {
  user_id: 'auth0|1',
  identities: [],
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
  user_metadata: { hobby: 'surfing', theme: 'dark' },
} satisfies StoredUser<Meta>;
applyPatch(satisfying, { user_metadata: { hobby: 'diving', theme: null } });
// @ts-expect-error `satisfies` keeps the literal's own type (theme 'dark'): annotate it (`: StoredUser<Meta>`) to patch other values
applyPatch(satisfying, { user_metadata: { theme: 'light' } });
// @ts-expect-error the fixture's hobby is a string
applyPatch(satisfying, { user_metadata: { hobby: 42 } });
const constant = { user_id: 'auth0|2', user_metadata: { theme: 'dark', langs: ['en'] } } as const;
applyPatch(constant, { user_metadata: { theme: 'dark', langs: ['en'] } });
// @ts-expect-error an `as const` fixture's type is its literal values: annotate it (`: User<Meta>`) to patch others
applyPatch(constant, { user_metadata: { theme: 'light' } });
selectFields(constant, { fields: 'user_id,user_metadata.theme', include_fields: 'true' });
// @ts-expect-error the fixture has no `user_metadata.lang` (field lists are checked against the user)
selectFields(constant, { fields: 'user_id,user_metadata.lang' });

// 5. A helper taking `User` without metadata types: the metadata's shape is open, nothing else is.
export function block(user: User) {
  return applyPatch(user, { blocked: true, user_metadata: { blocked_by: 'support', at: [2026, 1, 1] } });
}
export function rawBody(user: User, body: unknown) {
  // A body not looked at yet (parsed JSON) is validated at run time.
  return applyPatch(user, body);
}
export function checkedFirst(user: User, body: unknown) {
  const checked = validatePatch(body);
  return checked.success ? applyPatch(user, checked.value) : checked;
}
export function typo(user: User) {
  // @ts-expect-error user_metdata is not an attribute (Auth0: "Additional properties not allowed")
  return applyPatch(user, { user_metdata: { a: 1 } });
}
export function notABody(user: User) {
  // @ts-expect-error a PATCH body is an object (Auth0: "Expected type object but found type number")
  return applyPatch(user, 42);
}
export function projection(user: User, fields: string) {
  // A field list from a URL (a string variable) is taken as it is.
  selectFields(user, { fields, include_fields: 'false' });
  // @ts-expect-error user_metadta is not a field of a User (a typo Auth0 would silently ignore)
  return selectFields(user, { fields: 'user_metadta', include_fields: 'true' });
}
export const asBody: UserPatch = { email: 'jane@example.com', user_metadata: { any: ['value'] } };

// 6. Actions code, typed by the user the flow starts from.
const countLogins: PostLoginAction<User<Meta, { logins?: number }>> = (event, api) => {
  const logins = event.user.app_metadata.logins ?? 0;
  api.user.setAppMetadata('logins', logins + 1);
  api.user.setUserMetadata('theme', event.user.user_metadata.theme ?? 'light');
  // @ts-expect-error metadata values are JSON: a function cannot be stored
  api.user.setUserMetadata('callback', () => 1);
  // @ts-expect-error event.user is read-only: changes go through api.user
  event.user.user_metadata.theme = 'dark';
};
declare const member: User<Meta, { logins?: number }>;
export const flow = runPostLoginActions(member, [countLogins]);
