/**
 * Every option of createEmulator is read once, through its guard: a getter that throws gives a
 * TypeError naming that option, never the getter's own error.
 */
import { describe, expect, test } from 'vitest';
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
  'onWarning',
  'onError',
  'onDroppedData',
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
});
