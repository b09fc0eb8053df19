// Loopback HTTP benchmark (127.0.0.1 only, bounded in time): the emulator's PATCH and GET beside a
// bare node:http server that reads the same requests and answers a fixed JSON body of the same size,
// with 1, 10 and 50 connections, both through `serve(emulator)` and through the CLI's `serve` as
// users run it (its per-request log line on a pipe); then the share of the server's CPU spent
// verifying tokens (from a V8 CPU profile of a PATCH run), and the memory of an emulator holding
// 10,000 users (retained heap after a full collection, and the process's resident size).
// `npm run bench:http` (`-- --quick` for one 2 s run of each). Writes bench/http-results.json.
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { requestsFor } from './requests.mjs';
import { startCli, startServer, stop } from './servers.mjs';

const QUICK = process.argv.includes('--quick');
const DURATION = QUICK ? 2 : 4;
// Each configuration runs this many times, interleaved with the others, and the median run is
// reported: on a shared machine one run can land on a busy moment that the next one misses.
const REPEATS = QUICK ? 1 : 3;

async function load(server, method, connections, duration = DURATION) {
  const result = await autocannon({ ...requestsFor(server, method), connections, duration });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    total: result.requests.total,
  };
}

const rows = [];
const report = (name, connections, stats) => {
  rows.push({ name, connections, ...stats });
  console.log(
    `${name.padEnd(34)} c=${String(connections).padStart(2)}  ${stats.requestsPerSecond.toFixed(0).padStart(7)} req/s  p50 ${stats.p50} ms  p99 ${stats.p99} ms  non-2xx/errors ${stats.errors}  (runs: ${stats.runs.join(', ')})`,
  );
};

console.log(
  `HTTP benchmark — Node ${process.version}, ${cpus().length} cores, ${DURATION} s per run, median of ${REPEATS} interleaved runs, 127.0.0.1`,
);
const bare = await startServer('bare');
const emulator = await startServer('emulator');
const cli = await startCli();
const CONFIGURATIONS = [
  ['bare node:http GET (limit)', bare, 'GET'],
  ['bare node:http PATCH (limit)', bare, 'PATCH'],
  ['emulator PATCH', emulator, 'PATCH'],
  ['emulator GET', emulator, 'GET'],
  ['CLI serve PATCH (log on a pipe)', cli, 'PATCH'],
  ['CLI serve GET (log on a pipe)', cli, 'GET'],
];
try {
  // Warm-up, not reported: the first seconds of a server are spent compiling its hot paths.
  for (const [, server, method] of CONFIGURATIONS) await load(server, method, 10, 2);
  for (const connections of [1, 10, 50]) {
    const runs = new Map(CONFIGURATIONS.map(([name]) => [name, []]));
    for (let repeat = 0; repeat < REPEATS; repeat++) {
      for (const [name, server, method] of CONFIGURATIONS) runs.get(name).push(await load(server, method, connections));
    }
    for (const [name] of CONFIGURATIONS) {
      const sorted = runs.get(name).sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
      report(name, connections, {
        ...sorted[Math.floor(sorted.length / 2)],
        runs: sorted.map((run) => Math.round(run.requestsPerSecond)),
      });
    }
  }
} finally {
  await stop(bare);
  await stop(emulator);
  await stop(cli);
}

// Token verification's share of the server's CPU under PATCH load, from a V8 CPU profile: the
// samples whose stack passes through the emulator's `authenticate` (header parsing, the verified-
// token cache, the signature check when the token is new), over all samples but idle ones.
const profiles = mkdtempSync(join(tmpdir(), 'auth0-metadata-bench-'));
let tokenShare;
try {
  const profiled = await startServer('emulator', ['--cpu-prof', `--cpu-prof-dir=${profiles}`]);
  await load(profiled, 'PATCH', 50, Math.min(DURATION, 5));
  await stop(profiled);
  tokenShare = shareOf(JSON.parse(readFileSync(join(profiles, readdirSync(profiles)[0]), 'utf8')), 'authenticate');
} finally {
  rmSync(profiles, { recursive: true, force: true });
}
console.log(
  `token verification: ${(tokenShare.share * 100).toFixed(1)}% of the server's busy CPU during PATCH c=50 (${tokenShare.inside} of ${tokenShare.busy} samples)`,
);

/** The share of non-idle samples of a CPU profile whose stack contains a function named `name`. */
function shareOf(profile, name) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  let busy = 0;
  let inside = 0;
  for (const sample of profile.samples) {
    if (nodes.get(sample)?.callFrame.functionName === '(idle)') continue;
    busy++;
    for (let id = sample; id !== undefined; id = parents.get(id)) {
      if (nodes.get(id)?.callFrame.functionName === name) {
        inside++;
        break;
      }
    }
  }
  return { busy, inside, share: busy === 0 ? 0 : inside / busy };
}

const memory = await startServer('emulator-memory', ['--expose-gc']);
while (memory.lines.length < 2) await new Promise((resolve) => setTimeout(resolve, 50));
if (memory.child.exitCode === null && memory.child.signalCode === null) await once(memory.child, 'exit');
const usage = memory.lines[1];
const perUser = (usage.heapUsed - usage.heapBefore) / usage.added;
console.log(
  `memory: ${usage.users} users with ~1 KB of metadata each (${usage.jsonPerUser.toFixed(0)} B of JSON per user): retained heap ${perUser.toFixed(0)} B per user = ${(perUser / usage.jsonPerUser).toFixed(2)}x its JSON (target ≤ 2x); rss ${(usage.rss / 2 ** 20).toFixed(0)} MiB (${((usage.rss - usage.rssBefore) / usage.added).toFixed(0)} B per user, heap pages and allocator slack included)`,
);
const at = (name, connections) => rows.find((row) => row.name === name && row.connections === connections);
const share = (name, bareName) => at(name, 50).requestsPerSecond / at(bareName, 50).requestsPerSecond;
const p99 = (name, bareName) => at(name, 50).p99 / Math.max(1, at(bareName, 50).p99);
const BARE_PATCH = 'bare node:http PATCH (limit)';
const BARE_GET = 'bare node:http GET (limit)';
const ratios = {
  patchToBarePatch: share('emulator PATCH', BARE_PATCH),
  getToBareGet: share('emulator GET', BARE_GET),
  cliPatchToBarePatch: share('CLI serve PATCH (log on a pipe)', BARE_PATCH),
  cliGetToBareGet: share('CLI serve GET (log on a pipe)', BARE_GET),
  p99PatchToBare: p99('emulator PATCH', BARE_PATCH),
  p99GetToBare: p99('emulator GET', BARE_GET),
  p99CliPatchToBare: p99('CLI serve PATCH (log on a pipe)', BARE_PATCH),
  p99CliGetToBare: p99('CLI serve GET (log on a pipe)', BARE_GET),
};
const percent = (value) => `${(value * 100).toFixed(0)}%`;
console.log(
  `at 50 connections: serve(emulator) PATCH / bare PATCH ${percent(ratios.patchToBarePatch)} (target ≥ 50%), GET / bare GET ${percent(ratios.getToBareGet)} (target ≥ 80%); CLI serve PATCH ${percent(ratios.cliPatchToBarePatch)}, GET ${percent(ratios.cliGetToBareGet)}`,
);
console.log(
  `p99 / bare p99 at 50 connections (target ≤ 2x): serve(emulator) PATCH ${ratios.p99PatchToBare.toFixed(2)}x, GET ${ratios.p99GetToBare.toFixed(2)}x; CLI PATCH ${ratios.p99CliPatchToBare.toFixed(2)}x, GET ${ratios.p99CliGetToBare.toFixed(2)}x`,
);
writeFileSync(
  new URL('./http-results.json', import.meta.url),
  `${JSON.stringify({ node: process.version, cores: cpus().length, duration: DURATION, repeats: REPEATS, rows, tokenShare, memory: usage, ratios }, null, 2)}\n`,
);
