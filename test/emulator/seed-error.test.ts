/**
 * isEmulatorSeedError: the brand check that replaces `instanceof EmulatorSeedError`, which fails
 * across two copies of the package (its ESM and CommonJS builds loaded together, or two versions).
 */
import { describe, expect, test } from 'vitest';
import { createEmulator, EmulatorSeedError, isEmulatorSeedError } from '../../src/emulator/index.js';

/** The brand, registered: every copy of the package reads the same symbol. */
const BRAND = Symbol.for('auth0-metadata.EmulatorSeedError');

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('isEmulatorSeedError', () => {
  test('is true for the error createEmulator throws for an invalid seed user', () => {
    const error = thrownBy(() => createEmulator({ users: [{ connection: 'Username-Password-Authentication' }] }));
    expect([isEmulatorSeedError(error), isEmulatorSeedError(error) && error.index]).toStrictEqual([true, 0]);
  });

  test('is true for a seed error of another copy of the class (same registered brand, another constructor)', () => {
    const otherCopy = new (class OtherCopy extends Error {
      readonly [BRAND] = true;
    })('Seed user 0 is invalid');
    expect([otherCopy instanceof EmulatorSeedError, isEmulatorSeedError(otherCopy)]).toStrictEqual([false, true]);
  });

  test('is false for other errors and values, and for a Proxy whose get trap throws', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
      },
    );
    const named = Object.assign(new Error('x'), { name: 'EmulatorSeedError' });
    expect([new Error('x'), named, null, 'EmulatorSeedError', 1, hostile].map(isEmulatorSeedError)).toStrictEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
