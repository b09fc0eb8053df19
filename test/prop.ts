import fc from 'fast-check';
import { it } from 'vitest';

/** The seed CI uses when `FC_SEED` is not set, so a red CI run replays as is. */
const CI_SEED = 20_260_301;
const DEFAULT_RUNS = 200;
/** Generous, because a slow CI machine is not a failure; properties never assert on timing. */
const TIMEOUT_MS = 60_000;

function integerFromEnvironment(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const parsed = Number(raw);
  if (!Number.isSafeInteger(parsed)) throw new Error(`${name} must be an integer, got ${JSON.stringify(raw)}`);
  return parsed;
}

function chooseSeed(): number {
  const fromEnvironment = integerFromEnvironment('FC_SEED');
  if (fromEnvironment !== undefined) return fromEnvironment;
  if (process.env.CI !== undefined) return CI_SEED;
  return Math.floor(Math.random() * 0x7fffffff);
}

/** One seed per test file: every law of the file replays with the same `FC_SEED`. */
export const seed: number = chooseSeed();
const runs: number | undefined = integerFromEnvironment('FC_RUNS');

/**
 * Declares a named law checked by fast-check. The law fails when the predicate returns `false`
 * or throws (an `expect` that fails throws). The failure names the law, the seed and the command
 * that replays it; fast-check's own message below it holds the shrunk counterexample.
 *
 * @param name - The law, stated as a sentence.
 * @param arbitraries - One arbitrary per predicate argument.
 * @param predicate - Checks the law for one draw.
 * @param params - fast-check parameters; `FC_RUNS` still overrides `numRuns`.
 */
export function prop<Values extends [unknown, ...unknown[]]>(
  name: string,
  arbitraries: { [Index in keyof Values]: fc.Arbitrary<Values[Index]> },
  predicate: (...values: Values) => boolean | undefined,
  params: fc.Parameters<Values> = {},
): void {
  it(
    name,
    () => {
      const numRuns = runs ?? params.numRuns ?? DEFAULT_RUNS;
      try {
        fc.assert(fc.property(...arbitraries, predicate), { ...params, numRuns, seed });
      } catch (error) {
        throw lawFailure(name, error);
      }
    },
    TIMEOUT_MS,
  );
}

/** The error of a law that does not hold: its name, the seed and how to replay it, then fast-check's report. */
function lawFailure(name: string, error: unknown): Error {
  const details = error instanceof Error ? error.message : String(error);
  return new Error(`Law "${name}" does not hold (seed ${seed}). Replay with: FC_SEED=${seed} npm test\n\n${details}`, {
    cause: error,
  });
}

/**
 * {@link prop} for laws that await (an emulator's answers): the same seed, runs and failure report.
 *
 * @param name - The law, stated as a sentence.
 * @param arbitraries - One arbitrary per predicate argument.
 * @param predicate - Checks the law for one draw, asynchronously.
 * @param params - fast-check parameters; `FC_RUNS` still overrides `numRuns`.
 */
export function asyncProp<Values extends [unknown, ...unknown[]]>(
  name: string,
  arbitraries: { [Index in keyof Values]: fc.Arbitrary<Values[Index]> },
  predicate: (...values: Values) => Promise<boolean | undefined>,
  params: fc.Parameters<Values> = {},
): void {
  it(
    name,
    async () => {
      const numRuns = runs ?? params.numRuns ?? DEFAULT_RUNS;
      try {
        await fc.assert(fc.asyncProperty(...arbitraries, predicate), { ...params, numRuns, seed });
      } catch (error) {
        throw lawFailure(name, error);
      }
    },
    TIMEOUT_MS,
  );
}
