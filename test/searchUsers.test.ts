import { describe, expect, test } from 'vitest';
import { findUsersByEmail, type SearchUsersQuery, searchUsers, toAuth0Error, type User } from '../src/index.js';
import { minimalUser } from './helpers.js';

function user(id: string, extra: Partial<User> = {}): User {
  return minimalUser({ user_id: `auth0|${id}`, ...extra });
}

const USERS: readonly User[] = [
  user('1', {
    email: 'Jane.Doe@Example.com',
    name: 'Jane Smith',
    nickname: 'jane',
    email_verified: true,
    created_at: '2025-12-31T18:30:00.000Z',
    identities: [{ connection: 'google-oauth2', provider: 'google-oauth2', user_id: '1', isSocial: true }],
    user_metadata: { addresses: { cities: ['Paris', 'Seattle'] }, age: 30, display: { fontSize: 13 } },
    app_metadata: { plan: 'gold', roles: ['admin'], subscription: { plan: 'gold' }, tags: [], empty: {}, gone: null },
  }),
  user('2', {
    email: 'john@example.com',
    name: 'john richard doe',
    email_verified: false,
    created_at: '2024-06-01T00:00:00.000Z',
    identities: [{ connection: 'Username-Password-Authentication', provider: 'auth0', user_id: '2', isSocial: false }],
    user_metadata: { addresses: [{ city: 'Paris' }, { city: 'Lyon' }], age: '30' },
    app_metadata: { plan: 'free', logins: [1, [2, 3]] },
  }),
  user('3', { username: 'Zed', created_at: '2025-01-01T00:00:00.000Z', app_metadata: { plan: 'Gold' } }),
];
const WITH_LOGINS: readonly User[] = USERS.map((stored, index) =>
  index === 2 ? stored : { ...stored, logins_count: index === 0 ? 150 : 0, last_login: '2025-12-31T23:59:00.000Z' },
);

/** The ids found for `q` (or the error code), in order. */
function ids(q: string, users: Iterable<User> = USERS, extra: SearchUsersQuery = {}): readonly string[] | string {
  const result = searchUsers(users, { q, fields: 'user_id', ...extra });
  if (!result.success) return result.issues[0].code;
  const body = result.value;
  const page = Array.isArray(body) ? body : 'users' in body ? body.users : [];
  return page.map((found: Partial<User>) => String(found.user_id).slice('auth0|'.length));
}

describe('searchUsers: matching', () => {
  test('S15: a term or phrase must equal the whole value', () => {
    expect(ids('name:jane')).toStrictEqual([]);
    expect(ids('name:"jane smith"')).toStrictEqual(['1']);
    expect(ids('name:richard')).toStrictEqual([]);
    expect(ids('name:*richard*')).toStrictEqual(['2']);
    expect(ids('user_id:auth0')).toStrictEqual([]);
    expect(ids('user_id:auth0*')).toStrictEqual(['1', '2', '3']);
  });

  test('S22: email, name, given_name, family_name, nickname ignore case; the rest does not', () => {
    expect(ids('email:jane.doe@example.com')).toStrictEqual(['1']);
    expect(ids('name:"JANE SMITH"')).toStrictEqual(['1']);
    expect(ids('nickname:JANE')).toStrictEqual(['1']);
    expect(ids('username:zed')).toStrictEqual([]);
    expect(ids('username:Zed')).toStrictEqual(['3']);
    expect(ids('app_metadata.plan:gold')).toStrictEqual(['1']);
    expect(ids('app_metadata.plan:Gold')).toStrictEqual(['3']);
    expect(ids('email:JANE*')).toStrictEqual(['1']);
  });

  test('S20: email.domain, identities.<field>, organization_id', () => {
    expect(ids('email.domain:EXAMPLE.com')).toStrictEqual(['1', '2']);
    expect(ids('identities.connection:"google-oauth2"')).toStrictEqual(['1']);
    expect(ids('identities.provider:auth0')).toStrictEqual(['2']);
    expect(ids('organization_id:org_1')).toStrictEqual([]);
  });

  test('S23: nested objects by path; arrays match when any element does; arrays of objects ignore the array level', () => {
    expect(ids('app_metadata.subscription.plan:"gold"')).toStrictEqual(['1']);
    expect(ids('user_metadata.display.fontSize:13')).toStrictEqual(['1']);
    expect(ids('user_metadata.addresses.cities:"Paris"')).toStrictEqual(['1']);
    expect(ids('user_metadata.addresses.city:"Paris"')).toStrictEqual(['2']);
    expect(ids('app_metadata.roles:admin')).toStrictEqual(['1']);
    expect(ids('app_metadata.logins:3')).toStrictEqual(['2']);
  });

  test('S24: [], {} and null are not indexed: no term, no _exists_', () => {
    expect(ids('_exists_:app_metadata.tags')).toStrictEqual([]);
    expect(ids('_exists_:app_metadata.empty')).toStrictEqual([]);
    expect(ids('_exists_:app_metadata.gone')).toStrictEqual([]);
    expect(ids('app_metadata.gone:null')).toStrictEqual([]);
    expect(ids('app_metadata.tags:*')).toStrictEqual([]);
  });

  test('S25: numbers match by value and booleans by text, quoted or not', () => {
    expect(ids('user_metadata.age:30')).toStrictEqual(['1', '2']);
    expect(ids('user_metadata.age:"30.0"')).toStrictEqual(['1']);
    expect(ids('email_verified:"false"')).toStrictEqual(['2']);
    expect(ids('email_verified:true')).toStrictEqual(['1']);
  });

  test('S26: _exists_ is true for any indexed value at or below the path', () => {
    expect(ids('_exists_:app_metadata.subscription')).toStrictEqual(['1']);
    expect(ids('_exists_:user_metadata.display.fontSize')).toStrictEqual(['1']);
    expect(ids('NOT _exists_:logins_count', WITH_LOGINS)).toStrictEqual(['3']);
  });

  test('S14: the documented NOT … OR … examples mean what the docs say', () => {
    expect(ids('NOT _exists_:email_verified OR email_verified:false')).toStrictEqual(['2', '3']);
    expect(ids('NOT _exists_:logins_count OR logins_count:0', WITH_LOGINS)).toStrictEqual(['2', '3']);
    expect(ids('NOT app_metadata.plan:gold')).toStrictEqual(['2', '3']);
  });

  test('S27: prefix, inner, contains and bare * wildcards; app_metadata allows them', () => {
    expect(ids('name:j*')).toStrictEqual(['1', '2']);
    expect(ids('name:jane*smith')).toStrictEqual(['1']);
    expect(ids('name:*doe')).toStrictEqual(['2']);
    expect(ids('app_metadata.plan:*')).toStrictEqual(['1', '2', '3']);
    expect(ids('app_metadata.plan:go*')).toStrictEqual(['1']);
    expect(ids('app_metadata.logins:3*')).toStrictEqual([]);
    expect(ids('app_metadata.logins:*')).toStrictEqual(['2']);
    expect(ids('name:j*n*n')).toStrictEqual([]);
  });

  test('S28: ranges on numbers, with open ends and exclusive bounds', () => {
    expect(ids('logins_count:[100 TO 200}', WITH_LOGINS)).toStrictEqual(['1']);
    expect(ids('logins_count:{0 TO *]', WITH_LOGINS)).toStrictEqual(['1']);
    expect(ids('logins_count:[* TO 0]', WITH_LOGINS)).toStrictEqual(['2']);
    expect(ids('logins_count:[200 TO 100]', WITH_LOGINS)).toStrictEqual([]);
    expect(ids('logins_count:[a TO b]', WITH_LOGINS)).toStrictEqual([]);
  });

  test('S28: partial dates round: [X from its start, X] to its end, {X after its end, X} before its start', () => {
    expect(ids('created_at:[2025-12-01 TO 2025-12-31]')).toStrictEqual(['1']);
    expect(ids('created_at:[2025 TO *]')).toStrictEqual(['1', '3']);
    expect(ids('created_at:[* TO 2024-12-31]')).toStrictEqual(['2']);
    expect(ids('created_at:{2024 TO 2025-12}')).toStrictEqual(['3']);
    expect(ids('created_at:{2025-01-01 TO *]')).toStrictEqual(['1']);
    expect(ids('created_at:[2025-01-01T00:00:00.000Z TO 2025-01-01T00:00:00.000Z]')).toStrictEqual(['3']);
    expect(ids('created_at:2025-12')).toStrictEqual(['1']);
    expect(ids('created_at:[nonsense TO *]')).toStrictEqual([]);
  });

  test('S28: string ranges by code unit on app_metadata, folded on S22 fields', () => {
    expect(ids('app_metadata.plan:[a TO g]')).toStrictEqual(['2']);
    expect(ids('app_metadata.plan:[A TO Z]')).toStrictEqual(['3']);
    expect(ids('name:[JANE TO JOHN]')).toStrictEqual(['1']);
    expect(ids('app_metadata.logins:[2 TO 3]')).toStrictEqual(['2']);
    expect(ids('app_metadata.plan:[* TO *]')).toStrictEqual(['1', '2', '3']);
  });

  test('S28: a string range open at one end; values that are not dates never match a date range', () => {
    expect(ids('app_metadata.plan:[* TO g]')).toStrictEqual(['2', '3']);
    expect(ids('app_metadata.plan:{free TO *]')).toStrictEqual(['1']);
    const undatedUser = { ...user('u'), last_login: 'yesterday' };
    const undated = [undatedUser, ...WITH_LOGINS];
    expect(ids('last_login:[2025 TO *]', undated)).toStrictEqual(['1', '2']);
    expect(ids('', undated, { sort: 'last_login:-1' })).toStrictEqual(['1', '2', 'u', '3']);
  });

  test('S20: email.domain of an email without @ is absent', () => {
    expect(ids('email.domain:nodomain', [user('n', { email: 'nodomain' })])).toStrictEqual([]);
  });

  test('bare values search the root fields, never metadata (DOC-QS)', () => {
    expect(ids('jane')).toStrictEqual(['1']);
    expect(ids('gold')).toStrictEqual([]);
    expect(ids('"john richard doe"')).toStrictEqual(['2']);
  });

  test('hostile: __proto__ and constructor below metadata are own keys only', () => {
    const polluted = user('9', { app_metadata: JSON.parse('{"__proto__":{"polluted":"yes"}}') });
    expect(ids('app_metadata.__proto__.polluted:yes', [polluted, ...USERS])).toStrictEqual(['9']);
    expect(ids('app_metadata.constructor:*', [polluted, ...USERS])).toStrictEqual([]);
    expect(ids('app_metadata.plan.length:4')).toStrictEqual([]);
  });
});

describe('searchUsers: parameters', () => {
  test('S3: v3 and no engine search; v1 and v2 are 400 operation_not_supported; others invalid_query_string', () => {
    expect(ids('name:j*', USERS, { search_engine: 'v3' })).toStrictEqual(['1', '2']);
    const v1 = searchUsers(USERS, { search_engine: 'v1' });
    expect(v1.success ? v1 : toAuth0Error(v1.issues).body).toStrictEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'You are not allowed to use search_engine=v1.',
      errorCode: 'operation_not_supported',
    });
    const v2 = searchUsers(USERS, { search_engine: 'v2' });
    expect(v2.success ? v2 : toAuth0Error(v2.issues).body).toMatchObject({
      message: 'You are not allowed to use search_engine=v2. Use search_engine=v3 instead.',
      errorCode: 'operation_not_supported',
    });
    const v4 = searchUsers(USERS, { search_engine: 'v4' });
    expect(v4.success ? v4 : toAuth0Error(v4.issues).body).toStrictEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: `Query validation error: 'No enum match for: "v4"' on property search_engine (The version of the search engine).`,
      errorCode: 'invalid_query_string',
    });
  });

  test('S4, S9: connection and primary_order are accepted and ignored', () => {
    expect(ids('', USERS, { connection: 'google-oauth2', primary_order: 'false' })).toStrictEqual(['1', '2', '3']);
  });

  test('S5: page is 0-based, per_page defaults to 50, 0 gives []', () => {
    const many = Array.from({ length: 120 }, (_, index) => user(String(index)));
    expect(ids('', many)).toHaveLength(50);
    expect(ids('', many, { page: 2, per_page: '10' })).toStrictEqual(
      Array.from({ length: 10 }, (_, index) => String(20 + index)),
    );
    expect(ids('', many, { per_page: 0 })).toStrictEqual([]);
    expect(ids('', many, { page: 7 })).toStrictEqual([]);
    expect(ids('', many, { per_page: 101 })).toBe('invalid_query');
    expect(ids('', many, { per_page: 'ten' })).toBe('invalid_query');
    expect(ids('', many, { page: -1 })).toBe('invalid_query');
  });

  test('S6: a page ending past the 1000th result is 400 invalid_paging, with or without q', () => {
    expect(ids('', USERS, { page: 9, per_page: 100 })).toStrictEqual([]);
    expect(ids('', USERS, { page: 10, per_page: 100 })).toBe('invalid_paging');
    expect(ids('name:x', USERS, { page: 20, per_page: 50 })).toBe('invalid_paging');
    expect(ids('', USERS, { page: 5000, per_page: 0 })).toStrictEqual([]);
    const paging = searchUsers(USERS, { page: 10, per_page: 100 });
    expect(paging.success ? paging : toAuth0Error(paging.issues).body).toStrictEqual({
      statusCode: 400,
      error: 'Bad Request',
      message:
        'You can only page through the first 1000 records. See https://auth0.com/docs/users/search/v3/view-search-results-by-page#limitation',
      errorCode: 'invalid_paging',
    });
  });

  test('S7: include_totals gives start, limit, length, users, total in that order; total counts every match', () => {
    const many = Array.from({ length: 30 }, (_, index) => user(String(index)));
    const result = searchUsers(many, { page: 1, per_page: 10, include_totals: 'true', fields: 'user_id' });
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(Object.keys(result.value)).toStrictEqual(['start', 'limit', 'length', 'users', 'total']);
    expect(result.value).toMatchObject({ start: 10, limit: 10, length: 10, total: 30 });
    expect(searchUsers(many, { include_totals: 'yes' }).success).toBe(false);
  });

  test('S8: fields and include_fields apply after matching and sorting, which read the whole user', () => {
    const result = searchUsers(USERS, { q: 'app_metadata.plan:gold', fields: 'email', include_fields: 'true' });
    expect(result).toStrictEqual({ success: true, warnings: [], value: [{ email: 'Jane.Doe@Example.com' }] });
    expect(searchUsers(USERS, { q: 'app_metadata.plan:nobody', include_fields: 'maybe' }).success).toBe(false);
  });

  test('S29: a malformed sort is 400 invalid_query_string', () => {
    for (const sort of ['email', 'email:2', ':1']) {
      const result = searchUsers(USERS, { sort });
      expect(result.success ? result : toAuth0Error(result.issues).body).toStrictEqual({
        statusCode: 400,
        error: 'Bad Request',
        message:
          "Query validation error: 'String does not match pattern ^[A-Za-z0-9_.]+:(1|-1)$' on property sort (Field to sort by. Use field:order where order is 1 for ascending and -1 for descending. e.g. created_at:1).",
        errorCode: 'invalid_query_string',
      });
    }
  });

  test('S30: sort by dates, numbers, booleans and folded text; users lacking the field last both ways', () => {
    expect(ids('', USERS, { sort: 'created_at:1' })).toStrictEqual(['2', '3', '1']);
    expect(ids('', USERS, { sort: 'created_at:-1' })).toStrictEqual(['1', '3', '2']);
    expect(ids('', WITH_LOGINS, { sort: 'logins_count:-1' })).toStrictEqual(['1', '2', '3']);
    expect(ids('', WITH_LOGINS, { sort: 'logins_count:1' })).toStrictEqual(['2', '1', '3']);
    expect(ids('', USERS, { sort: 'email_verified:1' })).toStrictEqual(['2', '1', '3']);
    expect(ids('', USERS, { sort: 'email:1' })).toStrictEqual(['1', '2', '3']);
    expect(ids('', USERS, { sort: 'email:-1' })).toStrictEqual(['2', '1', '3']);
    const cased = [user('a', { name: 'b' }), user('b', { name: 'B' }), user('c', { name: 'a' })];
    expect(ids('', cased, { sort: 'name:1' })).toStrictEqual(['c', 'b', 'a']);
  });

  test('S31: a sort on metadata, identities or an unknown field is accepted and ignored', () => {
    for (const sort of ['app_metadata.plan:1', 'user_metadata.age:-1', 'identities:1', 'cheesy_variable_names:1']) {
      expect(ids('', USERS, { sort })).toStrictEqual(['1', '2', '3']);
    }
  });

  test('S34: search_engine is checked before paging, paging before the window, the window before q', () => {
    expect(ids('(', USERS, { search_engine: 'v1', per_page: 'x' })).toBe('search_engine_not_allowed');
    expect(ids('(', USERS, { per_page: 'x', page: 100 })).toBe('invalid_query');
    expect(ids('(', USERS, { page: 100 })).toBe('invalid_paging');
    expect(ids('(', USERS)).toBe('invalid_search_query');
  });

  test('a user that is not an object (from JavaScript) is an invalid_stored_user issue', () => {
    const result: unknown = Reflect.apply(searchUsers, undefined, [[42], {}]);
    expect(result).toMatchObject({ success: false, issues: [{ code: 'invalid_stored_user' }] });
  });

  test('a per_page that is a fraction is invalid_query', () => {
    expect(ids('', USERS, { per_page: 1.5 })).toBe('invalid_query');
  });

  test('a throwing getter in a user is an issue, not an exception', () => {
    const hostile = Object.defineProperty(user('h'), 'email', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    expect(searchUsers([hostile], { q: 'email:x' })).toMatchObject({ success: false, issues: [{ code: 'not_json' }] });
  });
});

describe('findUsersByEmail', () => {
  test('compares the stored email exactly, case-sensitively', () => {
    expect(findUsersByEmail(USERS, { email: 'john@example.com', fields: 'user_id' })).toStrictEqual({
      success: true,
      warnings: [],
      value: [{ user_id: 'auth0|2' }],
    });
    expect(findUsersByEmail(USERS, { email: 'JOHN@example.com' })).toStrictEqual({
      success: true,
      warnings: [],
      value: [],
    });
  });

  test('a missing email or a bad include_fields is invalid_query', () => {
    expect(findUsersByEmail(USERS, {})).toMatchObject({ success: false, issues: [{ code: 'invalid_query' }] });
    expect(findUsersByEmail(USERS, { email: 'x', include_fields: 'maybe' })).toMatchObject({ success: false });
  });
});

describe('searchUsers: many terms of one OR', () => {
  /** The ids of the users a query finds (every page). */
  function idsOf(q: string): string[] {
    const found = searchUsers(USERS, { q, per_page: 100 });
    if (!found.success || !Array.isArray(found.value)) throw new Error(`${q} failed`);
    return found.value.map((entry: { user_id?: unknown }) => String(entry.user_id)).sort();
  }

  const WORDS = ['jane', 'JANE', 'gold', '30', 'true', 'false', '2025-12-31', '2025', 'auth0|2', 'nothing', 'Paris'];

  test('bare words together find the users each word finds alone (dates, numbers, booleans, case)', () => {
    const union = [...new Set(WORDS.flatMap((word) => idsOf(word)))].sort();
    expect(union.length).toBeGreaterThan(0);
    expect(idsOf(WORDS.join(' '))).toStrictEqual(union);
    expect(idsOf(WORDS.join(' OR '))).toStrictEqual(union);
  });

  test('wildcards together find the users each finds alone', () => {
    const patterns = ['ja*', 'JA*', '*@example.com', 'pa*s', 'g*ld', 'no*', '*smith*', 'p*'];
    const union = [...new Set(patterns.flatMap((pattern) => idsOf(pattern)))].sort();
    expect(union.length).toBeGreaterThan(0);
    expect(idsOf(patterns.join(' '))).toStrictEqual(union);
    for (const field of ['email', 'name', 'app_metadata.plan']) {
      const onField = patterns.map((pattern) => `${field}:${pattern}`);
      const found = [...new Set(onField.flatMap((term) => idsOf(term)))].sort();
      expect(idsOf(onField.join(' OR ')), field).toStrictEqual(found);
    }
  });

  test('terms on one field together find what each finds alone', () => {
    const fields = ['email', 'app_metadata.plan', 'email_verified', 'created_at', 'user_metadata.age'];
    for (const field of fields) {
      const terms = WORDS.map((word) => `${field}:"${word}"`);
      const union = [...new Set(terms.flatMap((term) => idsOf(term)))].sort();
      expect(idsOf(terms.join(' OR ')), field).toStrictEqual(union);
    }
  });
});

describe('searchUsers: values of unusual shapes', () => {
  test('AND needs every clause; a term never matches an object, _exists_ looks inside one (S24, S26)', () => {
    expect(ids('app_metadata.plan:gold AND email_verified:true')).toStrictEqual(['1']);
    expect(ids('app_metadata.plan:gold AND email_verified:false')).toStrictEqual([]);
    const nested = [
      user('4', { app_metadata: { deep: { inner: 'x' } } }),
      user('5', { app_metadata: { deep: { inner: null } } }),
    ];
    expect(ids('app_metadata.deep:x', nested)).toStrictEqual([]);
    expect(ids('_exists_:app_metadata.deep', nested)).toStrictEqual(['4']);
  });

  test('a date field holding a non-date: only the same text matches, alone or in an OR', () => {
    const odd = [
      user('4', { created_at: '2020' }),
      user('5', { app_metadata: {}, logins_count: 2020, last_login: 'never' }),
    ];
    expect(ids('created_at:2020', odd)).toStrictEqual(['4']);
    expect(ids('created_at:2020 OR created_at:2019', odd)).toStrictEqual(['4']);
    expect(ids('last_login:never OR last_login:later', odd)).toStrictEqual(['5']);
    expect(ids('last_login:soon OR last_login:later', odd)).toStrictEqual([]);
  });

  test('a case-insensitive field holding a number or a boolean matches its text', () => {
    const odd: readonly object[] = [
      { user_id: 'auth0|4', email: 42, name: true, created_at: 2020 },
      { user_id: 'auth0|5', email: 'a@b.c', name: 5 },
    ];
    const found = (q: string): readonly unknown[] => {
      const result = searchUsers(odd, { q, fields: 'user_id' });
      return result.success && Array.isArray(result.value) ? result.value.map((u) => u.user_id) : [];
    };
    expect(found('email:42')).toStrictEqual(['auth0|4']);
    // A date field holding a number is no date: neither a term nor a range finds it.
    expect(found('created_at:2020')).toStrictEqual([]);
    expect(found('created_at:[2019 TO 2021]')).toStrictEqual([]);
    expect(found('name:true')).toStrictEqual(['auth0|4']);
    expect(found('name:5')).toStrictEqual(['auth0|5']);
    expect(found('name:a* OR name:b*')).toStrictEqual([]);
    expect(found('email:a* OR email:z*')).toStrictEqual(['auth0|5']);
  });

  test('users with a null prototype or a class are read by their own properties only', () => {
    const bare: Record<string, unknown> = Object.create(null);
    bare.user_id = 'auth0|4';
    bare.email = 'bare@example.com';
    class Inherits {
      get email(): string {
        return 'inherited@example.com';
      }
    }
    const instance = Object.assign(new Inherits(), { user_id: 'auth0|5' });
    class Owns {
      readonly user_id = 'auth0|6';
      readonly email = 'owned@example.com';
    }
    const owned = new Owns();
    // A user that is not a plain object is an invalid_stored_user once it is found: only plain ones may be.
    const found = (q: string, users: readonly object[]): readonly unknown[] => {
      const result = searchUsers(users, { q, fields: 'user_id' });
      if (!result.success) return [result.issues[0].code];
      return Array.isArray(result.value) ? result.value.map((u) => u.user_id) : [];
    };
    expect(found('email:bare@example.com', [bare, instance, owned])).toStrictEqual(['auth0|4']);
    expect(found('email.domain:example.com', [bare])).toStrictEqual(['auth0|4']);
    expect(found('email:inherited@example.com', [bare, instance])).toStrictEqual([]);
    expect(found('NOT email:owned@example.com', [bare, owned])).toStrictEqual(['auth0|4']);
    expect(found('email:owned@example.com', [bare, owned])).toStrictEqual(['invalid_stored_user']);
  });

  test('a key below the root that an object inherits is not found, beside one that owns it', () => {
    const inheriting = user('7', { user_metadata: { profile: Object.create({ lang: 'pt' }) } });
    const owning = user('8', { user_metadata: { profile: { lang: 'pt' } } });
    const inheritingRoot = user('9', { user_metadata: Object.create({ profile: { lang: 'pt' } }) });
    const users = [inheriting, owning, inheritingRoot];
    expect(ids('user_metadata.profile.lang:pt', users)).toStrictEqual(['8']);
    expect(ids('NOT user_metadata.profile.lang:pt', users)).toStrictEqual(['7', '9']);
    expect(ids('user_metadata.profile.lang:(pt OR en)', users)).toStrictEqual(['8']);
    expect(ids('_exists_:user_metadata.profile.lang', users)).toStrictEqual(['8']);
    expect(ids('_exists_:user_metadata.profile.constructor', users)).toStrictEqual([]);
  });

  test('an array is read as its iterator reads it: its own iterator if it has one, holes as undefined', () => {
    const [first, second, third] = USERS;
    if (first === undefined || second === undefined || third === undefined) throw new Error('three users');
    const reversed = [first, second, third];
    Object.defineProperty(reversed, Symbol.iterator, { value: () => [third, second, first].values() });
    expect(ids('', reversed)).toStrictEqual(['3', '2', '1']);
    expect(ids('', new Set([second, first]))).toStrictEqual(['2', '1']);
    const holey: User[] = [first];
    holey[2] = second;
    expect(ids('', holey)).toBe('invalid_stored_user');
    expect(ids('app_metadata.plan:free', holey)).toStrictEqual(['2']);
  });
});
