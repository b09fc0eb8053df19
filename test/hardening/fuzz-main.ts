/**
 * The entry point of `npm run fuzz` (bundled by `scripts/fuzz.mjs`, run in worker threads): checks
 * some of the laws of `laws.ts` for many cases each, with fast-check's runner and no test framework.
 */
import fc from 'fast-check';
import { LAWS } from './laws.js';

/** What one worker is asked to do. */
export interface FuzzJob {
  /** Indexes into the list of laws. */
  readonly laws: readonly number[];
  readonly runsPerLaw: number;
  readonly seed: number;
  /** A counterexample path to replay (from a failure report), with a single law. */
  readonly path?: string | undefined;
  /** Called every `every` cases with the number of cases checked so far by this job. */
  readonly onProgress?: (cases: number) => void;
}

/** The outcome of one law. */
export interface LawReport {
  readonly name: string;
  readonly runs: number;
  readonly milliseconds: number;
  /** fast-check's report of the shrunk counterexample, when the law does not hold. */
  readonly failure?: string;
  /** The path that replays the failure with the same seed. */
  readonly path?: string;
}

/** The name of every law, in the order `FuzzJob.laws` indexes them. */
export const LAW_NAMES: readonly string[] = LAWS.map((law) => law.name);

const PROGRESS_EVERY = 10_000;

/** Checks each law of the job for `runsPerLaw` cases; never throws for a failing law, reports it. */
export function runLaws(job: FuzzJob): LawReport[] {
  const reports: LawReport[] = [];
  let cases = 0;
  for (const index of job.laws) {
    const law = LAWS[index];
    if (law === undefined) throw new Error(`No law ${index}`);
    const started = performance.now();
    const predicate = (fuzzCase: Parameters<typeof law.predicate>[0]): boolean => {
      cases++;
      if (cases % PROGRESS_EVERY === 0) job.onProgress?.(cases);
      return law.predicate(fuzzCase);
    };
    const details = fc.check(fc.property(law.arbitrary, predicate), {
      numRuns: job.runsPerLaw,
      seed: job.seed,
      ...(job.path === undefined ? {} : { path: job.path }),
    });
    const milliseconds = performance.now() - started;
    if (details.failed) {
      const failure =
        details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      reports.push({
        name: law.name,
        runs: details.numRuns,
        milliseconds,
        failure: `${failure}\ncounterexample: ${fc.stringify(details.counterexample)}`,
        path: details.counterexamplePath ?? '',
      });
    } else {
      reports.push({ name: law.name, runs: details.numRuns, milliseconds });
    }
  }
  return reports;
}
