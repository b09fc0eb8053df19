// Loopback HTTP benchmark (127.0.0.1 only, bounded in time): the emulator's PATCH and GET beside a
// bare node:http server that reads the same requests and answers a fixed JSON body of the same size,
// with 1, 10 and 50 connections; then the share of the server's CPU spent verifying tokens (from a
// V8 CPU profile of a PATCH run), and the memory of an emulator holding 10,000 users.
// `npm run bench:http` (`-- --quick` for one 2 s run of each). Writes bench/http-results.json.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const QUICK = process.argv.includes('--quick');
const DURATION = QUICK ? 2 : 4;
// Each configuration runs this many times, interleaved with the others, and the median run is
// reported: on a shared machine one run can land on a busy moment that the next one misses.
const REPEATS = QUICK ? 1 : 3;
const here = fileURLToPath(new URL('.', import.meta.url));

async function startServer(kind, extra = []) {
  const child = spawn(process.execPath, [...extra, `${here}http-server.mjs`, kind], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = [];
  let buffer = '';
  child.stdout.on('data', (chunk) => {
    buffer += chunk;
    let newline = buffer.indexOf('\n');
    while (newline !== -1) {
      lines.push(JSON.parse(buffer.slice(0, newline)));
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf('\n');
    }
  });
  while (lines.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  return { child, info: lines[0], lines };
}

async function stop(server) {
  // SIGINT lets a server started with --cpu-prof write its profile (see http-server.mjs).
  server.child.kill('SIGINT');
  if (server.child.exitCode === null) await once(server.child, 'exit');
}

/** The same requests for every server: a PATCH of one metadata key, or a GET, with the token. */
function requestsFor(server, method) {
  const path = `/api/v2/users/${encodeURIComponent(server.info.userId)}`;
  const headers = { authorization: `Bearer ${server.info.token}`, 'content-type': 'application/json' };
  let counter = 0;
  const request =
    method === 'PATCH'
      ? {
          method,
          path,
          headers,
          setupRequest: (prepared) => ({
            ...prepared,
            body: JSON.stringify({ user_metadata: { counter: counter++ } }),
          }),
        }
      : { method, path, headers };
  return { url: server.info.url, requests: [request] };
}

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
const CONFIGURATIONS = [
  ['bare node:http GET (limit)', bare, 'GET'],
  ['bare node:http PATCH (limit)', bare, 'PATCH'],
  ['emulator PATCH', emulator, 'PATCH'],
  ['emulator GET', emulator, 'GET'],
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
await once(memory.child, 'exit');
const usage = memory.lines[1];
console.log(
  `memory: ${usage.users} users with ~1 KB of metadata each: rss ${(usage.rss / 2 ** 20).toFixed(0)} MiB (${((usage.rss - usage.rssBefore) / 2 ** 20).toFixed(0)} MiB for the users), heap ${(usage.heapUsed / 2 ** 20).toFixed(0)} MiB`,
);
const at = (name, connections) => rows.find((row) => row.name === name && row.connections === connections);
const ratios = {
  patchToBarePatch:
    at('emulator PATCH', 50).requestsPerSecond / at('bare node:http PATCH (limit)', 50).requestsPerSecond,
  patchToBareGet: at('emulator PATCH', 50).requestsPerSecond / at('bare node:http GET (limit)', 50).requestsPerSecond,
  getToBareGet: at('emulator GET', 50).requestsPerSecond / at('bare node:http GET (limit)', 50).requestsPerSecond,
};
console.log(
  `at 50 connections: emulator PATCH / bare PATCH ${(ratios.patchToBarePatch * 100).toFixed(0)}%, emulator PATCH / bare GET ${(ratios.patchToBareGet * 100).toFixed(0)}%, emulator GET / bare GET ${(ratios.getToBareGet * 100).toFixed(0)}%`,
);
writeFileSync(
  new URL('./http-results.json', import.meta.url),
  `${JSON.stringify({ node: process.version, cores: cpus().length, duration: DURATION, repeats: REPEATS, rows, tokenShare, memory: usage, ratios }, null, 2)}\n`,
);
