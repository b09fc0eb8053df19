/**
 * Shared references and cycles in caller data. A DAG `o = {a: o, b: o}` built 24 times is 50
 * objects but about 400 MB as JSON: every walk that expanded it path by path (copying a body,
 * measuring a stored user, comparing two users, listing what a PATCH drops, describing an effect)
 * ran until the process aborted out of memory. Cycles on both sides of a comparison looped forever.
 * (Two cases use 32 levels, 2^32 paths, which no walk path by path finishes.) Each case runs in a child process with a 96 MB heap and a time bound, so a regression fails
 * here instead of killing the runner.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ChildLibrary, prepareChildLibrary } from '../child-library.js';
import { minimalUser } from '../helpers.js';

/** The child: builds the value, calls one function, prints the outcome as JSON. */
const CHILD = `
import * as library from './library.mjs';
const dag = (levels = 24) => {
  let node = {};
  for (let level = 0; level < levels; level++) node = { a: node, b: node };
  return node;
};
const cycle = () => {
  const node = { name: 'loop' };
  node.self = node;
  return { list: [node] };
};
const user = ${JSON.stringify(minimalUser({ user_metadata: { hobby: 'surfing' } }))};
const body = { connection: 'c', email: 'a@b.c', password: 'Passw0rd!' };
const calls = {
  'validatePatch of a DAG': () => library.validatePatch({ user_metadata: { d: dag() } }),
  'applyPatch of a DAG': () => library.applyPatch(user, { user_metadata: { d: dag() } }),
  'createUser with a DAG': () => library.createUser({ ...body, app_metadata: { d: dag() } }),
  'applyPatch of a user storing a DAG': () => library.applyPatch({ user_metadata: { d: dag() } }, { user_metadata: { a: 1 } }),
  'applyPatch of a user storing a DAG elsewhere': () => library.applyPatch({ ...user, extra: dag(32) }, { user_metadata: { a: 1 } }),
  'diffToPatch to a DAG': () => library.diffToPatch(user, { ...user, user_metadata: { d: dag() } }),
  'diffToPatch between two equal DAGs': () =>
    library.diffToPatch({ ...user, user_metadata: { d: dag(32) } }, { ...user, user_metadata: { d: dag(32) } }),
  'diffToPatch between cycles on both sides': () =>
    library.diffToPatch({ ...user, user_metadata: { c: cycle() } }, { ...user, user_metadata: { c: cycle() } }),
  'diffToPatch from a cycle to a change': () =>
    library.diffToPatch({ ...user, user_metadata: { c: cycle() } }, { ...user, user_metadata: { c: cycle(), x: 1 } }),
  'applyPatch of a user storing a cycle': () => library.applyPatch({ user_metadata: cycle() }, { user_metadata: { a: 1 } }),
  'analyzePatch replacing a DAG by a DAG': () =>
    library.analyzePatch({ user_metadata: { d: dag() } }, { user_metadata: { d: { a: {}, b: {} } } }),
  'describeEffect of a DAG and of a cycle': () => {
    const texts = [
      library.describeEffect({ kind: 'delete', path: ['user_metadata', 'd'], before: dag() }),
      library.describeEffect({ kind: 'delete', path: ['user_metadata', 'c'], before: cycle() }),
    ];
    return { success: true, value: [texts[0].length, texts[0].endsWith('…)'), texts[1]] };
  },
};
const result = calls[process.argv[2]]();
process.stdout.write(JSON.stringify(result.success
  ? { success: true, value: result.value === null || typeof result.value !== 'object' || Array.isArray(result.value) ? result.value : 'value' }
  : { success: false, issues: result.issues.map((issue) => [issue.code, issue.path.join('.')]) }));
`;

let child: ChildLibrary | undefined;

beforeAll(async () => {
  child = await prepareChildLibrary(CHILD, 'shared-references');
});

afterAll(async () => {
  await child?.remove();
});

/** Each call and what it must give: an issue at its path, or a success. */
const CASES: readonly [string, unknown][] = [
  ['validatePatch of a DAG', { success: false, issues: [['metadata_too_large', 'user_metadata']] }],
  ['applyPatch of a DAG', { success: false, issues: [['metadata_too_large', 'user_metadata']] }],
  ['createUser with a DAG', { success: false, issues: [['metadata_too_large', 'app_metadata']] }],
  [
    'applyPatch of a user storing a DAG',
    // Stored metadata is read to merge it: the walk stops where its running total passes 16 MB.
    { success: false, issues: [['invalid_stored_user', 'user_metadata']] },
  ],
  // The profile size is a warning only: a user over any limit is patched, without it.
  ['applyPatch of a user storing a DAG elsewhere', { success: true, value: 'value' }],
  ['diffToPatch to a DAG', { success: false, issues: [['metadata_too_large', 'user_metadata']] }],
  ['diffToPatch between two equal DAGs', { success: true, value: null }],
  ['diffToPatch between cycles on both sides', { success: true, value: null }],
  // The PATCH is checked by applying it, which reads the stored metadata: a cycle there is reported.
  [
    'diffToPatch from a cycle to a change',
    { success: false, issues: [['invalid_stored_user', 'user_metadata.c.list.0.self']] },
  ],
  [
    'applyPatch of a user storing a cycle',
    { success: false, issues: [['invalid_stored_user', 'user_metadata.list.0.self']] },
  ],
  ['analyzePatch replacing a DAG by a DAG', { success: false, issues: [['invalid_stored_user', 'user_metadata']] }],
  [
    'describeEffect of a DAG and of a cycle',
    {
      success: true,
      // 37 characters of sentence, 2,000 of value and the ellipsis, the closing parenthesis.
      value: [2039, true, 'user_metadata.c will be deleted (was (a value that is not JSON))'],
    },
  ],
];

describe('shared references and cycles stop early, in a child with a small heap', () => {
  test.each(CASES)(
    '%s',
    async (name, expected) => {
      if (child === undefined) throw new Error('the child library was not prepared');
      const outcome = await child.run([name], ['--max-old-space-size=96'], 20_000);
      expect({ code: outcome.code, signal: outcome.signal, stderr: outcome.stderr }).toStrictEqual({
        code: 0,
        signal: null,
        stderr: '',
      });
      expect(JSON.parse(outcome.stdout)).toStrictEqual(expected);
    },
    30_000,
  );
});
