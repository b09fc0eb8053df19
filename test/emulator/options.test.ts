/**
 * Every option of createEmulator is read once, through its guard: a getter that throws gives a
 * TypeError naming that option, never the getter's own error.
 */
import { describe, expect, test, vi } from 'vitest';
import { createEmulator, type EmulatorOptions } from '../../src/emulator/index.js';

const OPTION_NAMES: readonly (keyof EmulatorOptions)[] = [
  'domain',
  'users',
  'now',
  'generateId',
  'clientId',
  'clientSecret',
  'clientScopes',
  'tokenLifetime',
  'maxBodyBytes',
  'passwordHashIterations',
  'requestLogSize',
  'rateLimit',
  'searchLagMs',
  'onUsersChange',
  'onWarning',
  'onError',
  'onDroppedData',
  'controlHosts',
];

describe('createEmulator options', () => {
  test.each(OPTION_NAMES)('a throwing getter on %s is a TypeError naming it', (name) => {
    const options = Object.defineProperty({}, name, {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    expect(() => createEmulator(options)).toThrow(
      new TypeError(`createEmulator: options.${name} cannot be read (boom)`),
    );
  });

  test('bad values of the newer options are refused with the option named', () => {
    expect(() => createEmulator({ searchLagMs: -1 })).toThrow(/searchLagMs/);
    expect(() => createEmulator({ requestLogSize: Number.NaN })).toThrow(/requestLogSize/);
    // @ts-expect-error: not a tier
    expect(() => createEmulator({ rateLimit: 'platinum' })).toThrow(/rateLimit must be true, false or one of free/);
    // @ts-expect-error: not a function
    expect(() => createEmulator({ onUsersChange: 1 })).toThrow(/onUsersChange must be a function/);
    // @ts-expect-error: not a function
    expect(() => createEmulator({ aroundRoute: 'queue' })).toThrow(/aroundRoute must be a function/);
  });

  test('users and clientScopes that are not arrays are refused with the option named', () => {
    // @ts-expect-error: not a list
    expect(() => createEmulator({ users: 'jane' })).toThrow(
      new TypeError('createEmulator: users must be an array (got string)'),
    );
    // @ts-expect-error: not a list
    expect(() => createEmulator({ clientScopes: 'read:users' })).toThrow(
      new TypeError('createEmulator: clientScopes must be an array (got string)'),
    );
  });

  test("reset(): a failing onUsersChange is onError's, with the reset as the request", async () => {
    const failure = new Error('disk full');
    const reported: { error: unknown; method: string; url: string; header: string | null }[] = [];
    const emulator = createEmulator({
      onUsersChange: () => Promise.reject(failure),
      onError: (error, request) => {
        reported.push({ error, method: request.method, url: request.url, header: request.headers.get('host') });
      },
    });
    emulator.reset();
    await vi.waitFor(() => expect(reported).toHaveLength(1));
    expect(reported).toStrictEqual([
      { error: failure, method: 'POST', url: `${emulator.baseUrl}/__emulator/reset`, header: null },
    ]);
  });
});
