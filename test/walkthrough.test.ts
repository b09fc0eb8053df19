/**
 * The seed walkthrough, step by step: create Jane with metadata, read her user_metadata, add a home
 * address, send the full addresses, delete a key with null, clear both metadata objects with {}.
 * Each step starts from the user the previous step returned.
 */
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { applyPatch, createUser, selectFields, type User } from '../src/index.js';
import { at, deepFreeze, NOW, successValue } from './helpers.js';

const CONNECTION = 'Username-Password-Authentication';
const HOME = { street: '123 Main Street', city: 'Anytown', state: 'ST', zip: '12345' } as const;
const WORK = { street: '100 Industrial Way', city: 'Anytown', state: 'ST', zip: '12345' } as const;
const STEP_1 = '2026-01-02T00:00:00.000Z';
const STEP_2 = '2026-01-03T00:00:00.000Z';
const STEP_3 = '2026-01-04T00:00:00.000Z';
const STEP_4 = '2026-01-05T00:00:00.000Z';

function created(): User {
  const body = {
    connection: CONNECTION,
    email: 'jane.doe@example.com',
    password: 'Passw0rd!',
    user_metadata: { hobby: 'surfing' },
    app_metadata: { plan: 'full' },
  };
  return successValue(createUser(deepFreeze(body), at(NOW)));
}

function withHome(): User {
  return successValue(applyPatch(created(), deepFreeze({ user_metadata: { addresses: { home: HOME } } }), at(STEP_1)));
}

function withBothAddresses(): User {
  const patch = { user_metadata: { addresses: { home: HOME, work: WORK } } };
  return successValue(applyPatch(withHome(), deepFreeze(patch), at(STEP_2)));
}

function withoutHobby(): User {
  return successValue(applyPatch(withBothAddresses(), deepFreeze({ user_metadata: { hobby: null } }), at(STEP_3)));
}

describe('walkthrough: Jane and her metadata', () => {
  test('create jane.doe@example.com with user_metadata and app_metadata', () => {
    const hash = createHash('md5').update('jane.doe@example.com').digest('hex');
    expect(created()).toStrictEqual({
      user_id: 'auth0|65a1f0c2e4b0a1b2c3d4e5f6',
      email: 'jane.doe@example.com',
      email_verified: false,
      name: 'jane.doe@example.com',
      nickname: 'jane.doe',
      picture: expect.stringMatching(new RegExp(`^https://s\\.gravatar\\.com/avatar/${hash}(\\?.*)?$`)),
      identities: [{ connection: CONNECTION, user_id: '65a1f0c2e4b0a1b2c3d4e5f6', provider: 'auth0', isSocial: false }],
      created_at: NOW,
      updated_at: NOW,
      user_metadata: { hobby: 'surfing' },
      app_metadata: { plan: 'full' },
    });
  });

  test('read with fields=user_metadata&include_fields=true gives exactly user_metadata', () => {
    expect(selectFields(created(), { fields: 'user_metadata', include_fields: 'true' })).toStrictEqual({
      success: true,
      value: { user_metadata: { hobby: 'surfing' } },
      warnings: [],
    });
  });

  test('PATCH user_metadata.addresses.home: hobby is kept', () => {
    const user = withHome();
    expect([user.user_metadata, user.app_metadata, user.updated_at]).toStrictEqual([
      { hobby: 'surfing', addresses: { home: HOME } },
      { plan: 'full' },
      STEP_1,
    ]);
  });

  test('PATCH the full addresses with home and work: addresses is replaced, hobby kept', () => {
    const user = withBothAddresses();
    expect([user.user_metadata, user.app_metadata, user.updated_at]).toStrictEqual([
      { hobby: 'surfing', addresses: { home: HOME, work: WORK } },
      { plan: 'full' },
      STEP_2,
    ]);
  });

  test('PATCH only addresses.work would drop home: below the first level nothing merges', () => {
    const user = successValue(
      applyPatch(withBothAddresses(), deepFreeze({ user_metadata: { addresses: { work: WORK } } }), at(STEP_3)),
    );
    expect(user.user_metadata).toStrictEqual({ hobby: 'surfing', addresses: { work: WORK } });
  });

  test('PATCH hobby: null deletes the key', () => {
    const user = withoutHobby();
    expect([user.user_metadata, user.app_metadata, user.updated_at]).toStrictEqual([
      { addresses: { home: HOME, work: WORK } },
      { plan: 'full' },
      STEP_3,
    ]);
  });

  test('PATCH {} clears: user_metadata is kept as {}, the app_metadata key is gone', () => {
    const result = applyPatch(withoutHobby(), deepFreeze({ user_metadata: {}, app_metadata: {} }), at(STEP_4));
    const { app_metadata: _appMetadata, ...before } = withoutHobby();
    expect(result).toStrictEqual({
      success: true,
      value: { ...before, user_metadata: {}, updated_at: STEP_4 },
      warnings: [],
    });
  });

  test('after clearing, a read of user_metadata gives {} and a read of app_metadata gives nothing', () => {
    const user = successValue(
      applyPatch(withoutHobby(), deepFreeze({ user_metadata: {}, app_metadata: {} }), at(STEP_4)),
    );
    expect([
      successValue(selectFields(user, { fields: 'user_metadata', include_fields: 'true' })),
      successValue(selectFields(user, { fields: 'app_metadata', include_fields: 'true' })),
    ]).toStrictEqual([{ user_metadata: {} }, {}]);
  });
});
