/**
 * authorizeUserRequest: the examples of section 6 of the specification (rules 29-30), a table of
 * every scope rule, and its laws. Scopes are matched exactly, whether the token's scopes come as its
 * space-separated `scope` claim or as an array: no scope is granted by a longer or shorter name that
 * contains it.
 */

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { authorizeUserRequest, type TokenGrant, toAuth0Error, type UserRequest } from '../src/index.js';
import { deepFreeze, httpErrorOf, issuesOf, JANE_ID, OTHER_ID } from './helpers.js';
import { prop } from './prop.js';

/** Every scope the users endpoints check, and one request each grants alone (on another user). */
const GRANTS: readonly (readonly [string, UserRequest])[] = [
  ['read:users', { action: 'list' }],
  ['read:user_idp_tokens', { action: 'get', userId: 'auth0|other' }],
  ['create:users', { action: 'create' }],
  ['delete:users', { action: 'delete', userId: 'auth0|other' }],
  ['update:users', { action: 'update', userId: 'auth0|other', patch: { email: 'a@b.c' } }],
  ['update:users_app_metadata', { action: 'update', userId: 'auth0|other', patch: { app_metadata: { a: 1 } } }],
];

function allowed(scopes: TokenGrant['scopes'], request: UserRequest, subject = 'client@clients'): boolean {
  return authorizeUserRequest({ scopes, subject }, request).success;
}

describe('exact scope matching', () => {
  test.each<[string, string, UserRequest]>([
    [
      'update:users_app_metadata does not change an email',
      'update:users_app_metadata',
      { action: 'update', userId: 'auth0|other', patch: { email: 'a@b.c' } },
    ],
    ['xxread:usersxx does not list users', 'xxread:usersxx', { action: 'list' }],
    ['read:user does not list users', 'read:user', { action: 'list' }],
    ['read:users_ does not list users', 'read:users_', { action: 'list' }],
    ['a comma-separated claim is one unknown scope', 'read:users,create:users', { action: 'create' }],
    ['a tab is not a separator', 'create:users\tread:users', { action: 'create' }],
    ['delete:users_x does not delete', 'delete:users_x', { action: 'delete', userId: 'auth0|other' }],
  ])('as a claim: %s', (_name, claim, request) => {
    expect(allowed(claim, request)).toBe(false);
    expect(allowed([claim], request)).toBe(false);
  });

  test.each(GRANTS)('%s is granted from a claim, alone or among others, and from an array', (scope, request) => {
    expect(allowed(scope, request)).toBe(true);
    expect(allowed(`openid  ${scope} profile`, request)).toBe(true);
    expect(allowed(['openid', scope], request)).toBe(true);
  });

  test('an array entry holding two names is one unknown scope', () => {
    expect(allowed(['read:users create:users'], { action: 'list' })).toBe(false);
  });

  test('current-user scopes from a claim act on the token subject only', () => {
    const patch: UserRequest = { action: 'update', userId: JANE_ID, patch: { user_metadata: { a: 1 } } };
    expect(allowed('update:current_user_metadata', patch, JANE_ID)).toBe(true);
    expect(allowed('update:current_user_metadata', { ...patch, userId: 'auth0|other' }, JANE_ID)).toBe(false);
    expect(allowed('xupdate:current_user_metadata', patch, JANE_ID)).toBe(false);
  });

  test.each<[string, unknown]>([
    ['a number', 42],
    ['null', null],
    ['an object', { 'read:users': true }],
    ['an array of non-strings', [1, null, {}]],
  ])('scopes given as %s grant nothing', (_name, scopes) => {
    const token = { scopes, subject: 'client@clients' };
    // A caller without types can send anything; the answer is a refusal, never an exception.
    expect(Reflect.apply(authorizeUserRequest, undefined, [token, { action: 'list' }])).toMatchObject({
      success: false,
      issues: [{ code: 'insufficient_scope' }],
    });
  });
});

const scopeName = fc.stringMatching(/^[a-z_:]{1,30}$/);

const grant = fc.constantFrom(...GRANTS);

describe('laws', () => {
  prop(
    'a claim and the array of its names authorize the same requests',
    [
      fc.array(
        fc.oneof(
          scopeName,
          grant.map(([scope]) => scope),
        ),
        { maxLength: 6 },
      ),
      grant,
    ],
    (names, [, request]) => {
      expect(allowed(names.join(' '), request)).toBe(allowed(names, request));
      return true;
    },
  );

  prop(
    'a name that contains a scope, or is contained in it, never grants what the scope grants',
    [grant, fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 })],
    ([scope, request], before, after) => {
      const name = `${before}${scope}${after}`;
      fc.pre(name !== scope && !name.split(' ').includes(scope));
      expect(allowed(name, request)).toBe(false);
      expect(allowed([name], request)).toBe(false);
      expect(allowed(scope.slice(0, -1), request)).toBe(false);
      return true;
    },
  );
});

describe('section 6: scopes (authorizeUserRequest)', () => {
  const machine = (...scopes: string[]): TokenGrant => ({ scopes, subject: 'client@clients' });
  const janeToken = (...scopes: string[]): TokenGrant => ({ scopes, subject: JANE_ID });

  test('rule 29: read:users reads any user', () => {
    const result = authorizeUserRequest(machine('read:users'), { action: 'get', userId: OTHER_ID });
    expect(result.success).toBe(true);
  });

  test('rule 29: create:users creates, and nothing else does', () => {
    const allowed = authorizeUserRequest(machine('create:users'), { action: 'create' });
    const denied = authorizeUserRequest(machine('update:users', 'read:users'), { action: 'create' });
    expect([allowed.success, httpErrorOf(denied).status, httpErrorOf(denied).errorCode]).toStrictEqual([
      true,
      403,
      'insufficient_scope',
    ]);
  });

  test('rule 29: update:users patches any attribute of any user', () => {
    const patch = { email: 'x@example.com', blocked: true, user_metadata: { a: 1 }, app_metadata: { b: 2 } };
    const result = authorizeUserRequest(machine('update:users'), { action: 'update', userId: OTHER_ID, patch });
    expect(result).toStrictEqual({
      success: true,
      value: { action: 'update', userId: OTHER_ID, patch },
      warnings: [],
    });
  });

  test('rule 29: update:users_app_metadata patches app_metadata of any user', () => {
    const request = { action: 'update', userId: OTHER_ID, patch: { app_metadata: { plan: 'full' } } } as const;
    expect(authorizeUserRequest(machine('update:users_app_metadata'), request).success).toBe(true);
  });

  test('rule 29: update:users_app_metadata cannot patch user_metadata or root attributes', () => {
    const token = machine('update:users_app_metadata');
    const results = [{ user_metadata: { a: 1 } }, { blocked: true }, { app_metadata: { a: 1 }, name: 'x' }].map(
      (patch) => httpErrorOf(authorizeUserRequest(token, { action: 'update', userId: OTHER_ID, patch })).errorCode,
    );
    expect(results).toStrictEqual(['insufficient_scope', 'insufficient_scope', 'insufficient_scope']);
  });

  test('rule 29: read:current_user reads the token’s own user only', () => {
    const own = authorizeUserRequest(janeToken('read:current_user'), { action: 'get', userId: JANE_ID });
    const other = authorizeUserRequest(janeToken('read:current_user'), { action: 'get', userId: OTHER_ID });
    expect([own.success, httpErrorOf(other).status]).toStrictEqual([true, 403]);
  });

  test.each(['update:current_user_metadata', 'create:current_user_metadata'])(
    'rule 29: %s patches user_metadata of the token’s own user, deletes included',
    (scope) => {
      const patches = [{ user_metadata: { theme: 'dark' } }, { user_metadata: { theme: null } }, { user_metadata: {} }];
      const results = patches.map(
        (patch) => authorizeUserRequest(janeToken(scope), { action: 'update', userId: JANE_ID, patch }).success,
      );
      expect(results).toStrictEqual([true, true, true]);
    },
  );

  test.each(['update:current_user_metadata', 'create:current_user_metadata'])(
    'rule 29: %s cannot patch app_metadata or root attributes, even its own',
    (scope) => {
      const patches = [
        { app_metadata: { plan: 'full' } },
        { password: 'N3w-passw0rd!' },
        { user_metadata: { a: 1 }, name: 'x' },
      ];
      const results = patches.map(
        (patch) =>
          httpErrorOf(authorizeUserRequest(janeToken(scope), { action: 'update', userId: JANE_ID, patch })).errorCode,
      );
      expect(results).toStrictEqual(['insufficient_scope', 'insufficient_scope', 'insufficient_scope']);
    },
  );

  test('rule 30: a current-user token acting on another user is a 403 with the subject message', () => {
    const result = authorizeUserRequest(janeToken('update:current_user_metadata'), {
      action: 'update',
      userId: OTHER_ID,
      patch: { user_metadata: { theme: 'dark' } },
    });
    expect(toAuth0Error(issuesOf(result))).toStrictEqual({
      api: 'management',
      status: 403,
      body: {
        statusCode: 403,
        error: 'Forbidden',
        message: 'User to be acted on does not match subject in bearer token.',
        errorCode: 'insufficient_scope',
      },
    });
  });

  test('rule 30: a PATCH touching fields its scopes do not cover is a 403 insufficient_scope', () => {
    const result = authorizeUserRequest(machine('read:users', 'create:users'), {
      action: 'update',
      userId: OTHER_ID,
      patch: { user_metadata: { theme: 'dark' } },
    });
    expect(httpErrorOf(result)).toStrictEqual({
      status: 403,
      errorCode: 'insufficient_scope',
      message:
        'Insufficient scope, expected any of: update:users,update:users_app_metadata,update:current_user_metadata',
    });
  });
});

describe('authorizeUserRequest: every scope rule (29-30)', () => {
  type Outcome = 'allowed' | 'insufficient_scope' | 'subject_mismatch';

  interface ScopeCase {
    readonly name: string;
    readonly scopes: readonly string[];
    /** `jane` acts as Jane (a current-user token), `machine` as a client. */
    readonly as: 'jane' | 'machine';
    readonly request: UserRequest;
    readonly outcome: Outcome;
  }
  const get = (userId: string): UserRequest => ({ action: 'get', userId });
  const update = (userId: string, patch: Extract<UserRequest, { action: 'update' }>['patch']): UserRequest => ({
    action: 'update',
    userId,
    patch,
  });
  const create: UserRequest = { action: 'create' };
  const cases: readonly ScopeCase[] = [
    {
      name: 'read:users reads another user',
      scopes: ['read:users'],
      as: 'machine',
      request: get(OTHER_ID),
      outcome: 'allowed',
    },
    {
      name: 'read:users reads its own user',
      scopes: ['read:users'],
      as: 'jane',
      request: get(JANE_ID),
      outcome: 'allowed',
    },
    {
      name: 'read:current_user reads its own user',
      scopes: ['read:current_user'],
      as: 'jane',
      request: get(JANE_ID),
      outcome: 'allowed',
    },
    {
      name: 'read:current_user on another user',
      scopes: ['read:current_user'],
      as: 'jane',
      request: get(OTHER_ID),
      outcome: 'subject_mismatch',
    },
    { name: 'no scope cannot read', scopes: [], as: 'machine', request: get(OTHER_ID), outcome: 'insufficient_scope' },
    {
      name: 'update:users cannot read',
      scopes: ['update:users'],
      as: 'machine',
      request: get(OTHER_ID),
      outcome: 'insufficient_scope',
    },
    {
      name: 'update:current_user_metadata cannot read',
      scopes: ['update:current_user_metadata'],
      as: 'jane',
      request: get(JANE_ID),
      outcome: 'insufficient_scope',
    },
    { name: 'create:users creates', scopes: ['create:users'], as: 'machine', request: create, outcome: 'allowed' },
    { name: 'no scope cannot create', scopes: [], as: 'machine', request: create, outcome: 'insufficient_scope' },
    {
      name: 'update:users cannot create',
      scopes: ['update:users', 'read:users'],
      as: 'machine',
      request: create,
      outcome: 'insufficient_scope',
    },
    {
      name: 'create:current_user_metadata cannot create users',
      scopes: ['create:current_user_metadata'],
      as: 'jane',
      request: create,
      outcome: 'insufficient_scope',
    },
    {
      name: 'update:users patches root attributes of another user',
      scopes: ['update:users'],
      as: 'machine',
      request: update(OTHER_ID, { email: 'x@y.test', blocked: true, password: 'pw' }),
      outcome: 'allowed',
    },
    {
      name: 'update:users patches both metadata of another user',
      scopes: ['update:users'],
      as: 'machine',
      request: update(OTHER_ID, { user_metadata: { a: 1 }, app_metadata: { b: null } }),
      outcome: 'allowed',
    },
    {
      name: 'update:users_app_metadata patches app_metadata of another user',
      scopes: ['update:users_app_metadata'],
      as: 'machine',
      request: update(OTHER_ID, { app_metadata: { plan: 'full' } }),
      outcome: 'allowed',
    },
    {
      name: 'update:users_app_metadata deletes and clears app_metadata',
      scopes: ['update:users_app_metadata'],
      as: 'machine',
      request: update(OTHER_ID, { app_metadata: {} }),
      outcome: 'allowed',
    },
    {
      name: 'update:users_app_metadata patches app_metadata of its own user',
      scopes: ['update:users_app_metadata'],
      as: 'jane',
      request: update(JANE_ID, { app_metadata: { plan: null } }),
      outcome: 'allowed',
    },
    {
      name: 'update:users_app_metadata cannot patch user_metadata',
      scopes: ['update:users_app_metadata'],
      as: 'machine',
      request: update(OTHER_ID, { user_metadata: { a: 1 } }),
      outcome: 'insufficient_scope',
    },
    {
      name: 'update:users_app_metadata cannot patch a root attribute',
      scopes: ['update:users_app_metadata'],
      as: 'machine',
      request: update(OTHER_ID, { blocked: true }),
      outcome: 'insufficient_scope',
    },
    {
      name: 'update:users_app_metadata cannot add a root attribute to app_metadata',
      scopes: ['update:users_app_metadata'],
      as: 'machine',
      request: update(OTHER_ID, { app_metadata: { a: 1 }, nickname: 'x' }),
      outcome: 'insufficient_scope',
    },
    {
      name: 'update:current_user_metadata sets its own user_metadata',
      scopes: ['update:current_user_metadata'],
      as: 'jane',
      request: update(JANE_ID, { user_metadata: { theme: 'dark' } }),
      outcome: 'allowed',
    },
    {
      name: 'update:current_user_metadata deletes its own keys',
      scopes: ['update:current_user_metadata'],
      as: 'jane',
      request: update(JANE_ID, { user_metadata: { theme: null } }),
      outcome: 'allowed',
    },
    {
      name: 'update:current_user_metadata clears its own user_metadata',
      scopes: ['update:current_user_metadata'],
      as: 'jane',
      request: update(JANE_ID, { user_metadata: {} }),
      outcome: 'allowed',
    },
    {
      name: 'create:current_user_metadata sets its own user_metadata',
      scopes: ['create:current_user_metadata'],
      as: 'jane',
      request: update(JANE_ID, { user_metadata: { theme: 'dark' } }),
      outcome: 'allowed',
    },
    {
      name: 'create:current_user_metadata deletes its own keys',
      scopes: ['create:current_user_metadata'],
      as: 'jane',
      request: update(JANE_ID, { user_metadata: { theme: null } }),
      outcome: 'allowed',
    },
    {
      name: 'update:current_user_metadata on another user',
      scopes: ['update:current_user_metadata'],
      as: 'jane',
      request: update(OTHER_ID, { user_metadata: { theme: 'dark' } }),
      outcome: 'subject_mismatch',
    },
    {
      name: 'create:current_user_metadata on another user',
      scopes: ['create:current_user_metadata'],
      as: 'jane',
      request: update(OTHER_ID, { user_metadata: { theme: null } }),
      outcome: 'subject_mismatch',
    },
    {
      name: 'update:current_user_metadata cannot patch its own app_metadata',
      scopes: ['update:current_user_metadata'],
      as: 'jane',
      request: update(JANE_ID, { app_metadata: { plan: 'full' } }),
      outcome: 'insufficient_scope',
    },
    {
      name: 'update:current_user_metadata cannot change its own password',
      scopes: ['update:current_user_metadata'],
      as: 'jane',
      request: update(JANE_ID, { password: 'N3w-passw0rd!' }),
      outcome: 'insufficient_scope',
    },
    {
      name: 'update:current_user_metadata cannot add a root attribute to user_metadata',
      scopes: ['update:current_user_metadata'],
      as: 'jane',
      request: update(JANE_ID, { user_metadata: { a: 1 }, username: 'jane' }),
      outcome: 'insufficient_scope',
    },
    {
      name: 'both metadata scopes together patch both metadata of its own user',
      scopes: ['update:current_user_metadata', 'update:users_app_metadata'],
      as: 'jane',
      request: update(JANE_ID, { user_metadata: { a: 1 }, app_metadata: { b: 2 } }),
      outcome: 'allowed',
    },
    {
      name: 'both metadata scopes together: user_metadata of another user',
      scopes: ['update:current_user_metadata', 'update:users_app_metadata'],
      as: 'jane',
      request: update(OTHER_ID, { user_metadata: { a: 1 } }),
      outcome: 'subject_mismatch',
    },
    {
      name: 'read:users cannot patch',
      scopes: ['read:users'],
      as: 'machine',
      request: update(OTHER_ID, { user_metadata: { a: 1 } }),
      outcome: 'insufficient_scope',
    },
    {
      name: 'read:current_user cannot patch',
      scopes: ['read:current_user'],
      as: 'jane',
      request: update(JANE_ID, { user_metadata: { a: 1 } }),
      outcome: 'insufficient_scope',
    },
    {
      name: 'no scope cannot patch',
      scopes: [],
      as: 'jane',
      request: update(JANE_ID, { user_metadata: { a: 1 } }),
      outcome: 'insufficient_scope',
    },
  ];

  /** The 403 message of each refusal; the PATCH text is the one Auth0 sends (section 2). */
  function expectedMessage(outcome: Outcome, request: UserRequest): unknown {
    if (outcome === 'subject_mismatch') return 'User to be acted on does not match subject in bearer token.';
    if (request.action === 'update') {
      return 'Insufficient scope, expected any of: update:users,update:users_app_metadata,update:current_user_metadata';
    }
    return expect.stringMatching(/^Insufficient scope[,;] expected any of: /);
  }

  test.each(cases)('rule 29-30: $name ($outcome)', ({ scopes, as, request, outcome }) => {
    const token: TokenGrant = deepFreeze({
      scopes: [...scopes],
      subject: as === 'jane' ? JANE_ID : 'client-id@clients',
    });
    const result = authorizeUserRequest(token, deepFreeze(request));
    if (outcome === 'allowed') {
      expect(result).toStrictEqual({ success: true, value: request, warnings: [] });
    } else {
      expect(httpErrorOf(result)).toStrictEqual({
        status: 403,
        errorCode: 'insufficient_scope',
        message: expectedMessage(outcome, request),
      });
    }
  });
});
