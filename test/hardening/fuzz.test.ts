/**
 * Fuzzing the library with hostile values (see `laws.ts` for what each law checks): a bounded
 * number of random cases per law with the seed of `test/prop.ts` (fixed in CI), then every hostile
 * leaf in every position of every law, deterministically, so the rare and costly shapes (10 MB
 * strings, 100,000 levels of nesting) are covered on every run too. `npm run fuzz` runs the same
 * laws for a million cases.
 */

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { storedUser } from '../arbitraries.js';
import { prop, seed } from '../prop.js';
import { buildLeaf, COSTLY_LEAVES, checkNamed, LAWS, LEAF_NAMES, type Lock, positionsOf } from './laws.js';

/** Random cases per law in CI: each case is cheap, and the exhaustive pass below covers every shape. */
const RUNS_PER_LAW = 300;

describe('fuzzing laws (random cases)', () => {
  for (const law of LAWS) {
    prop(
      `${law.name}: returns a result, leaves its input unchanged, and succeeds only with plain JSON`,
      [law.arbitrary],
      law.predicate,
      {
        numRuns: RUNS_PER_LAW,
      },
    );
  }
});

/** One stored user with metadata, drawn once from the shared arbitrary with the file's seed. */
const [USER] = fc.sample(
  storedUser.filter((user) => user.user_metadata !== undefined && user.app_metadata !== undefined),
  { numRuns: 1, seed },
);

describe('every hostile leaf in every position', () => {
  /**
   * Cheap leaves go everywhere, frozen and not; the costly ones (10 MB, 100,000 levels) once per
   * position, frozen, and in the first call of the stored-user laws only.
   */
  function casesOf(name: string): { leaf: string; position: string; lock: Lock }[] {
    return LEAF_NAMES.flatMap((leaf) => {
      const costly = COSTLY_LEAVES.includes(leaf);
      const positions = positionsOf(name).filter((position) => !costly || !/call [12]$/.test(position));
      const locks: readonly Lock[] = costly ? ['deep-frozen'] : ['deep-frozen', 'as built'];
      return positions.flatMap((position) => locks.map((lock) => ({ leaf, position, lock })));
    });
  }

  test.each(LAWS.map((law) => law.name))(
    '%s',
    (name) => {
      if (USER === undefined) throw new Error('no stored user');
      const failures: string[] = [];
      for (const { leaf, position, lock } of casesOf(name)) {
        try {
          checkNamed(name, { user: USER, tree: { value: buildLeaf(leaf), description: leaf }, position, lock });
        } catch (error) {
          failures.push(error instanceof Error ? error.message.slice(0, 300) : String(error));
        }
      }
      expect(failures).toStrictEqual([]);
    },
    120_000,
  );
});
