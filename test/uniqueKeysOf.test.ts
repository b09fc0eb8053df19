/** The tenant's duplicate rules (src/uniqueKeysOf.ts) and the issue a duplicate gets (duplicateIssue). */
import { describe, expect, test } from 'vitest';
import { toAuth0Error, type User } from '../src/index.js';
import { duplicateIssue } from '../src/issueConstructors.js';
import { findDuplicateUser, sameUniqueKeys, uniqueKeysOf } from '../src/uniqueKeysOf.js';
import { ANN, JANE, successValue, TENANT_USERS } from './helpers.js';

describe('findDuplicateUser (rules 22, 24)', () => {
  test('the same user_id is a duplicate', () => {
    expect(successValue(findDuplicateUser(TENANT_USERS, { ...ANN, email: 'new@example.com' }))?.user_id).toBe(
      'auth0|ann',
    );
  });

  test('the same email on the same connection is a duplicate; on another connection it is not', () => {
    const sameConnection = { ...JANE, user_id: 'auth0|other' };
    const { username: _username, ...annWithoutUsername } = ANN;
    const otherConnection: User = { ...annWithoutUsername, user_id: 'auth0|other', email: 'jane.doe@example.com' };
    expect(successValue(findDuplicateUser(TENANT_USERS, sameConnection))?.user_id).toBe(JANE.user_id);
    expect(successValue(findDuplicateUser(TENANT_USERS, otherConnection))).toBeNull();
  });

  test('an email is the same whatever its case (rule 15 stores it lower-cased)', () => {
    expect(
      successValue(findDuplicateUser(TENANT_USERS, { ...JANE, user_id: 'auth0|x', email: 'JANE.Doe@example.com' }))
        ?.user_id,
    ).toBe(JANE.user_id);
  });

  test('the same username on the same connection is a duplicate; as stored, not case-folded', () => {
    const sameUsername: User = { ...ANN, user_id: 'auth0|x', email: 'x@example.com' };
    expect(successValue(findDuplicateUser(TENANT_USERS, sameUsername))?.user_id).toBe('auth0|ann');
    expect(successValue(findDuplicateUser(TENANT_USERS, { ...sameUsername, username: 'ANN' }))).toBeNull();
  });

  test('a user without email duplicates only by id', () => {
    const { email: _email, ...bare } = JANE;
    expect(successValue(findDuplicateUser(TENANT_USERS, { ...bare, user_id: 'auth0|x' }))).toBeNull();
  });
});

describe('uniqueKeysOf (UNIQUE_USER_ATTRIBUTES)', () => {
  test('a user holds its id, and its email (lower-cased) and username on its connection', () => {
    expect(uniqueKeysOf(ANN).map((key) => key.attribute)).toStrictEqual(['user_id', 'email', 'username']);
    const upper = uniqueKeysOf({ ...ANN, email: 'ANN@EXAMPLE.COM' });
    expect(upper.map((key) => key.key)).toStrictEqual(uniqueKeysOf(ANN).map((key) => key.key));
  });

  test('the same email on two connections gives two keys', () => {
    const [, janeEmail] = uniqueKeysOf(JANE);
    const [, annEmail] = uniqueKeysOf({ ...ANN, email: 'jane.doe@example.com' });
    expect(janeEmail?.attribute).toBe('email');
    expect(janeEmail?.key).not.toBe(annEmail?.key);
  });

  test('a user with no readable connection holds its email and username on no connection; no id, no id key', () => {
    const bare = (identities: unknown): unknown =>
      Reflect.apply(uniqueKeysOf, undefined, [{ email: 'Ann@Example.com', username: 'Ann', identities }]);
    const expected = [
      { attribute: 'email', key: 'email\u0000\u0000ann@example.com' },
      { attribute: 'username', key: 'username\u0000\u0000Ann' },
    ];
    expect(bare(undefined)).toStrictEqual(expected);
    expect(bare([5])).toStrictEqual(expected);
    expect(bare([{ connection: 7 }])).toStrictEqual(expected);
  });

  test('anything but an object holds no key, never a throw', () => {
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(Reflect.apply(uniqueKeysOf, undefined, [revoked.proxy])).toStrictEqual([]);
    expect(Reflect.apply(uniqueKeysOf, undefined, [null])).toStrictEqual([]);
  });
});

describe('duplicateIssue (rules 22, 24, 33)', () => {
  test('a PATCH to a held email is 400 "The specified new email already exists"', () => {
    expect(toAuth0Error([duplicateIssue('email', 'update')])).toStrictEqual({
      api: 'management',
      status: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        message: 'The specified new email already exists',
        errorCode: 'auth0_idp_error',
      },
    });
  });

  test('a create to a held email or id is the 409 of rule 24; a held username is 400 on both', () => {
    expect(toAuth0Error([duplicateIssue('email', 'create')]).status).toBe(409);
    expect(toAuth0Error([duplicateIssue('user_id', 'create')]).status).toBe(409);
    expect(toAuth0Error([duplicateIssue('username', 'create')]).body).toMatchObject({
      statusCode: 400,
      message: 'The username provided is in use already.',
    });
    expect(toAuth0Error([duplicateIssue('username', 'update')], 'authentication').body).toMatchObject({
      code: 'username_exists',
    });
  });
});

describe('sameUniqueKeys', () => {
  const variants: readonly User[] = [
    JANE,
    ANN,
    { ...JANE, user_metadata: { plan: 'pro' } },
    { ...JANE, email: 'JANE.Doe@example.com' },
    { ...JANE, username: 'other' },
    { ...JANE, user_id: 'auth0|other' },
    { ...JANE, identities: [{ connection: 'other-db', user_id: 'x', provider: 'auth0', isSocial: false }] },
  ];

  test('two users said to hold the same keys hold the same keys (a metadata change keeps them)', () => {
    const keys = (user: User): string[] => uniqueKeysOf(user).map((key) => key.key);
    for (const left of variants) {
      for (const right of variants) {
        if (sameUniqueKeys(left, right)) expect(keys(left)).toStrictEqual(keys(right));
      }
    }
    expect(sameUniqueKeys(JANE, { ...JANE, user_metadata: { plan: 'pro' } })).toBe(true);
    expect(variants.slice(3).some((other) => sameUniqueKeys(JANE, other))).toBe(false);
  });
});
