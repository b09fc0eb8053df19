// Type tests of selectFields: checked by `npm run typecheck` (tsc), never executed.
import { expectTypeOf } from 'vitest';
import { type FieldQuery, selectFields } from '../src/index.js';
import { anyUser, fromGet, user } from './type-fixtures.js';

// selectFields returns any of the user's attributes, metadata partial.
const projected = selectFields(fromGet, { fields: 'logins_count' });
if (projected.success) expectTypeOf(projected.value.logins_count).toEqualTypeOf<number | undefined>();

// A literal list names the user's fields: root attributes and declared metadata keys, trimmed.
selectFields(user, { fields: 'email, user_metadata.theme,app_metadata.plan', include_fields: 'true' });
selectFields(anyUser, { fields: ['email', 'user_metadata.anything'] as const, include_fields: false });
// @ts-expect-error - user_metadta is not a field of a User (a typo Auth0 would silently ignore)
selectFields(anyUser, { fields: 'user_metadta', include_fields: 'true' });
// @ts-expect-error - Preferences declares no `lang`
selectFields(user, { fields: 'email,user_metadata.lang' });
// @ts-expect-error - an `as const` array is checked name by name
selectFields(user, { fields: ['email', 'emial'] as const });
// @ts-expect-error - include_fields is true or false (Auth0 refuses "maybe" with a 400)
selectFields(user, { include_fields: 'maybe' });
// Values that are not literals (a URL's query, a FieldQuery) are taken as they are.
declare const fields: string;
declare const include: string;
declare const query: FieldQuery;
selectFields(user, { fields, include_fields: include });
selectFields(user, query);
// Open metadata (an index signature) takes any key.
selectFields(fromGet, { fields: 'logins_count,user_metadata.anything' });
