/** formatPath (src/formatPath.ts): the dotted text of a path, on paths and on what is not one. */
import { describe, expect, test } from 'vitest';
import { formatPath } from '../src/index.js';
import { revokedProxy, throwing } from './arbitraries.js';
import { deepFreeze } from './helpers.js';

describe('formatPath', () => {
  test.each([
    { path: [], text: '' },
    { path: ['user_metadata'], text: 'user_metadata' },
    { path: ['user_metadata', 'addresses', 0, 'city'], text: 'user_metadata.addresses[0].city' },
    { path: ['a', 0, 1, 'b'], text: 'a[0][1].b' },
    { path: [0, 'a'], text: '[0].a' },
    { path: ['app_metadata', 'foo.bar'], text: 'app_metadata.foo.bar' },
    { path: ['user_metadata', '__proto__'], text: 'user_metadata.__proto__' },
  ])('formatPath($path) is "$text"', ({ path, text }) => {
    expect(formatPath(deepFreeze(path))).toBe(text);
  });
});

describe('formatPath on what is not a path', () => {
  test.each<[string, unknown, string]>([
    ['null', null, ''],
    ['a string', 'user_metadata', ''],
    ['a revoked Proxy', revokedProxy([]), ''],
    ['segments that are neither keys nor indexes', ['a', null, { toString: () => throwing(1) }, 0], 'a[0]'],
  ])('formatPath(%s)', (_name, path, text) => {
    expect(Reflect.apply(formatPath, undefined, [path])).toBe(text);
  });
});
