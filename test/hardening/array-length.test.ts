/**
 * Found by fuzzing: an array-like Proxy that claims 2^32 - 1 elements, each one present. The body
 * can never be valid (16 MB is at most about 8.4 million one-digit elements). The library used to
 * copy element after element until V8 aborted the whole process ("Fatal JavaScript invalid size
 * error"), which no `try` can catch; it now refuses the array from its length before copying. The
 * call runs in a child process so that a regression fails this test instead of killing the runner.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ChildLibrary, prepareChildLibrary } from '../child-library.js';
import { minimalUser } from '../helpers.js';

/** The child: builds the proxy, calls one function, prints the outcome as JSON. */
const CHILD = `
import * as library from './library.mjs';
const LENGTH = 2 ** 32 - 1;
const isIndex = (key) => typeof key === 'string' && /^(0|[1-9][0-9]*)$/.test(key);
const huge = new Proxy([], {
  get: (target, key, receiver) => (key === 'length' ? LENGTH : isIndex(key) ? 0 : Reflect.get(target, key, receiver)),
  has: (target, key) => isIndex(key) || Reflect.has(target, key),
  getOwnPropertyDescriptor: (target, key) =>
    key === 'length'
      ? { value: LENGTH, writable: true, enumerable: false, configurable: false }
      : isIndex(key)
        ? { value: 0, writable: true, enumerable: true, configurable: true }
        : Reflect.getOwnPropertyDescriptor(target, key),
});
const user = ${JSON.stringify(minimalUser())};
const calls = {
  applyPatch: () => library.applyPatch(user, { user_metadata: { a: huge } }),
  createUser: () => library.createUser({ connection: 'c', email: 'a@b.c', password: 'Passw0rd!', app_metadata: { a: huge } }),
};
const result = calls[process.argv[2]]();
process.stdout.write(JSON.stringify({ success: result.success, codes: result.success ? [] : result.issues.map((issue) => issue.code) }));
`;

let child: ChildLibrary | undefined;

beforeAll(async () => {
  child = await prepareChildLibrary(CHILD, 'array-length');
});

afterAll(async () => {
  await child?.remove();
});

describe('an array Proxy that claims 2^32 - 1 elements', () => {
  test.each(['applyPatch', 'createUser'])(
    '%s answers with an issue and the process survives',
    async (call) => {
      if (child === undefined) throw new Error('the child library was not prepared');
      const outcome = await child.run([call]);
      expect({ code: outcome.code, signal: outcome.signal, stderr: outcome.stderr }).toStrictEqual({
        code: 0,
        signal: null,
        stderr: '',
      });
      expect(JSON.parse(outcome.stdout)).toStrictEqual({ success: false, codes: ['metadata_too_large'] });
    },
    240_000,
  );
});
