/**
 * Scopes are matched exactly, whether the token's scopes come as its space-separated `scope` claim
 * or as an array: no scope is granted by a longer or shorter name that contains it.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { authorizeUserRequest, type TokenGrant, type UserRequest } from '../src/index.js';
import { JANE_ID } from './helpers.js';
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
