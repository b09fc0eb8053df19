/**
 * The objects the library builds stay "fast" (V8 hidden-class mode, not dictionary mode) whatever
 * their key count and however a PATCH changes their keys: spreading a dictionary-mode object, as the
 * next PATCH of that metadata must, costs about ten times more. V8 can only tell through a natives
 * call, so the check runs in a child process started with --allow-natives-syntax, on the library
 * bundled from the sources. No time is measured: the representation is what is pinned.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type ChildLibrary, prepareChildLibrary } from './child-library.js';

/** The child: builds users and patches of many keys, prints whether each object is fast. */
const CHILD = `
import { applyPatch, createUser, validatePatch } from './library.mjs';
const now = () => new Date('2026-01-01T00:00:00.000Z');
const metadata = {};
for (let index = 0; index < 64; index++) metadata['key' + index] = { id: index };
const added = {};
for (let index = 64; index < 100; index++) added['key' + index] = index;
const user = createUser(
  { connection: 'db', email: 'jane@example.com', password: 'Passw0rd!', given_name: 'Jane', family_name: 'Doe',
    username: 'jane', user_metadata: metadata, app_metadata: { plan: 'full' } },
  { now },
).value;
const patched = (body) => applyPatch(user, body, { now }).value;
const objects = {
  'createUser: 64-key user_metadata': user.user_metadata,
  'createUser: the user': user,
  'applyPatch: values replaced': patched({ user_metadata: { key0: 1, key1: { a: 1 } } }).user_metadata,
  'applyPatch: 36 keys added': patched({ user_metadata: added }).user_metadata,
  'applyPatch: a key deleted': patched({ user_metadata: { key0: null } }).user_metadata,
  'applyPatch: keys added and deleted': patched({ user_metadata: { ...added, key0: null, key1: null } }).user_metadata,
  'applyPatch: root attributes set and unset': patched({ name: 'J', nickname: 'j', given_name: null, blocked: true }),
  'validatePatch: 100-key metadata': validatePatch({ user_metadata: { ...metadata, ...added } }).value.user_metadata,
  'validatePatch: a nested 100-key object': validatePatch({ user_metadata: { nested: { ...metadata, ...added } } }).value.user_metadata.nested,
};
const report = {};
for (const [name, object] of Object.entries(objects)) report[name] = %HasFastProperties(object);
process.stdout.write(JSON.stringify(report));
`;

let child: ChildLibrary | undefined;

beforeAll(async () => {
  child = await prepareChildLibrary(CHILD, 'representation');
});

afterAll(async () => {
  await child?.remove();
});

test('every object built for a user or a patch is a fast (non-dictionary) object', async () => {
  if (child === undefined) throw new Error('the child library was not prepared');
  const outcome = await child.run([], ['--allow-natives-syntax']);
  expect([outcome.code, outcome.stderr]).toStrictEqual([0, '']);
  const report: unknown = JSON.parse(outcome.stdout);
  expect(report).toStrictEqual({
    'createUser: 64-key user_metadata': true,
    'createUser: the user': true,
    'applyPatch: values replaced': true,
    'applyPatch: 36 keys added': true,
    'applyPatch: a key deleted': true,
    'applyPatch: keys added and deleted': true,
    'applyPatch: root attributes set and unset': true,
    'validatePatch: 100-key metadata': true,
    'validatePatch: a nested 100-key object': true,
  });
});
