#!/usr/bin/env node
// Runs the fuzzing laws of test/hardening/laws.ts (the same laws `vitest` checks with a bounded
// number of cases) for at least a million cases in all, spread over worker threads, and prints the
// count, the seed and the time.
//
//   npm run fuzz                                  1,000,000 cases, random seed
//   FC_SEED=123 npm run fuzz                      replay a seed
//   FUZZ_RUNS=50000 npm run fuzz                  fewer cases
//   FUZZ_LAW='applyPatch(user, hostile body)' FC_SEED=123 FUZZ_PATH=4:1:0 npm run fuzz
//                                                 replay one failure (as printed on failure)
//
// The TypeScript sources are bundled with esbuild (a development dependency) into a temporary
// directory first, so nothing else is needed to run TypeScript, and the sources (not a stale
// dist/) are what is fuzzed.
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const ENTRY = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'hardening', 'fuzz-main.ts');

function integerFromEnvironment(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got ${JSON.stringify(raw)}`);
  return value;
}

if (isMainThread) await main();
else await work();

async function work() {
  const { bundle, job } = workerData;
  const { runLaws } = await import(pathToFileURL(bundle).href);
  const reports = runLaws({ ...job, onProgress: (cases) => parentPort.postMessage({ progress: cases }) });
  parentPort.postMessage({ reports });
}

async function main() {
  const totalRuns = integerFromEnvironment('FUZZ_RUNS', 1_000_000);
  const seed = integerFromEnvironment('FC_SEED', Math.floor(Math.random() * 0x7fffffff));
  const onlyLaw = process.env.FUZZ_LAW;
  const path = process.env.FUZZ_PATH || undefined;
  const directory = await mkdtemp(join(tmpdir(), 'auth0-metadata-fuzz-'));
  try {
    const bundle = join(directory, 'fuzz.mjs');
    const { build } = await import('esbuild');
    await build({
      entryPoints: [ENTRY],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: bundle,
      logLevel: 'error',
    });
    const { LAW_NAMES } = await import(pathToFileURL(bundle).href);

    const selected = LAW_NAMES.map((name, index) => ({ name, index })).filter(
      ({ name }) => onlyLaw === undefined || name === onlyLaw,
    );
    if (selected.length === 0)
      throw new Error(`No law named ${JSON.stringify(onlyLaw)}; laws: ${LAW_NAMES.join('; ')}`);
    if (path !== undefined && selected.length !== 1) throw new Error('FUZZ_PATH replays one law: set FUZZ_LAW too');
    const runsPerLaw = Math.ceil(totalRuns / selected.length);
    const workers = Math.max(1, Math.min(availableParallelism(), selected.length));
    const shares = Array.from({ length: workers }, (_, worker) =>
      selected.filter((_, position) => position % workers === worker).map(({ index }) => index),
    );

    console.log(
      `fuzz: ${selected.length} laws x ${runsPerLaw.toLocaleString('en-US')} cases = ${(selected.length * runsPerLaw).toLocaleString('en-US')} cases, seed ${seed}, ${workers} worker threads`,
    );
    const started = performance.now();
    const progress = new Array(workers).fill(0);
    let lastPrint = started;
    const results = await Promise.all(
      shares.map(
        (laws, worker) =>
          new Promise((resolve, reject) => {
            const thread = new Worker(fileURLToPath(import.meta.url), {
              workerData: { bundle, job: { laws, runsPerLaw, seed, path } },
            });
            thread.on('message', (message) => {
              if (message.reports !== undefined) resolve(message.reports);
              else {
                progress[worker] = message.progress;
                const now = performance.now();
                if (now - lastPrint > 15_000) {
                  lastPrint = now;
                  const done = progress.reduce((sum, cases) => sum + cases, 0);
                  console.log(`  ${done.toLocaleString('en-US')} cases after ${((now - started) / 1000).toFixed(0)} s`);
                }
              }
            });
            thread.on('error', reject);
            thread.on('exit', (code) => {
              if (code !== 0) reject(new Error(`worker ${worker} exited with code ${code}`));
            });
          }),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    const reports = results.flat();
    const failures = reports.filter((report) => report.failure !== undefined);
    const count = reports.reduce((sum, report) => sum + report.runs, 0);
    for (const report of reports) {
      const status = report.failure === undefined ? 'ok  ' : 'FAIL';
      console.log(
        `  ${status} ${report.runs.toLocaleString('en-US').padStart(9)} cases ${(report.milliseconds / 1000).toFixed(1).padStart(6)} s  ${report.name}`,
      );
    }
    console.log(
      `fuzz: ${count.toLocaleString('en-US')} cases, seed ${seed}, ${seconds.toFixed(1)} s, ${failures.length === 0 ? 'every law holds' : `${failures.length} laws fail`}`,
    );
    for (const failure of failures) {
      console.error(`\n${failure.name} does not hold:\n${failure.failure}`);
      console.error(
        `Replay: FC_SEED=${seed} FUZZ_LAW='${failure.name}' FUZZ_PATH=${failure.path} FUZZ_RUNS=1 npm run fuzz`,
      );
    }
    process.exitCode = failures.length === 0 ? 0 : 1;
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
