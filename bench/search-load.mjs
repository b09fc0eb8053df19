// Search under load (127.0.0.1 only, bounded in time): an emulator holding 5,000 users answers
// GET /api/v2/users/{id} at 10 connections while one client sends long searches back to back
// (1,024 bare words, which the matcher tests together, and 1,024 wildcards, which it cannot).
// Reports the GETs' p99 with and without the searches, how each search was answered and when,
// and the longest the server's event loop was blocked. `npm run bench:load` (`-- --quick`).
// Writes bench/search-load-results.json.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const QUICK = process.argv.includes('--quick');
const DURATION = QUICK ? 6 : 12;
const here = fileURLToPath(new URL('.', import.meta.url));

const child = spawn(process.execPath, [`${here}http-server.mjs`, 'emulator-search'], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const lines = [];
let buffer = '';
child.stdout.on('data', (chunk) => {
  buffer += chunk;
  for (let newline = buffer.indexOf('\n'); newline !== -1; newline = buffer.indexOf('\n')) {
    lines.push(JSON.parse(buffer.slice(0, newline)));
    buffer = buffer.slice(newline + 1);
  }
});
async function nextLine() {
  const count = lines.length;
  while (lines.length === count) await new Promise((resolve) => setTimeout(resolve, 10));
  return lines.at(-1);
}
const info = await nextLine();
const headers = { authorization: `Bearer ${info.token}` };
/** The event loop's delay since the last call. */
async function loopDelay() {
  child.stdin.write('\n');
  return nextLine();
}

const QUERIES = {
  'bare words': Array.from({ length: 1024 }, (_, index) => `w${index}`).join(' '),
  wildcards: Array.from({ length: 1024 }, (_, index) => `w${index}*`).join(' '),
};

/** GET /api/v2/users/{id} at 10 connections for `duration` seconds. */
async function gets(duration) {
  const result = await autocannon({
    url: info.url,
    requests: [{ method: 'GET', path: `/api/v2/users/${encodeURIComponent(info.userId)}`, headers }],
    connections: 10,
    duration,
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors + result.non2xx,
  };
}

/** One search after the other until `stop` is aborted; each answer's status and time. */
async function searches(q, stop) {
  const answers = [];
  while (!stop.aborted) {
    const started = performance.now();
    const response = await fetch(`${info.url}/api/v2/users?q=${encodeURIComponent(q)}&per_page=10`, { headers });
    await response.arrayBuffer();
    answers.push({ status: response.status, ms: performance.now() - started });
  }
  return answers;
}

console.log(`Search under load — Node ${process.version}, ${cpus().length} cores, ${DURATION} s per run, 5,000 users`);
// Warm-up, not reported.
await gets(2);
await loopDelay();
const baseline = await gets(DURATION);
const baselineDelay = await loopDelay();
console.log(
  `GET /api/v2/users/{id} alone: ${baseline.requestsPerSecond.toFixed(0)} req/s, p99 ${baseline.p99} ms, event loop blocked at most ${baselineDelay.maxDelayMs.toFixed(1)} ms`,
);
const runs = [];
for (const [name, q] of Object.entries(QUERIES)) {
  const stop = new AbortController();
  const searching = searches(q, stop.signal);
  const during = await gets(DURATION);
  stop.abort();
  const answers = await searching;
  const delay = await loopDelay();
  const statuses = {};
  for (const answer of answers) statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
  const times = answers.map((answer) => answer.ms).sort((left, right) => left - right);
  const run = {
    name,
    queryBytes: q.length,
    gets: during,
    searches: { count: answers.length, statuses, medianMs: times[Math.floor(times.length / 2)], maxMs: times.at(-1) },
    maxLoopDelayMs: delay.maxDelayMs,
    p99LoopDelayMs: delay.p99DelayMs,
  };
  runs.push(run);
  console.log(
    `while searching ${name} (${q.length} B of q): GET p99 ${during.p99} ms (target < 50 ms; ${during.requestsPerSecond.toFixed(0)} req/s, errors ${during.errors}); ${answers.length} searches ${JSON.stringify(statuses)}, median ${run.searches.medianMs.toFixed(0)} ms, max ${run.searches.maxMs.toFixed(0)} ms; event loop blocked at most ${delay.maxDelayMs.toFixed(1)} ms (target ≤ 50 ms)`,
  );
}
child.kill('SIGINT');
await once(child, 'exit');
writeFileSync(
  new URL('./search-load-results.json', import.meta.url),
  `${JSON.stringify({ node: process.version, cores: cpus().length, duration: DURATION, baseline, baselineDelay, runs }, null, 2)}\n`,
);
