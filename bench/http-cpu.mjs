// Server CPU time per request over loopback HTTP (127.0.0.1 only, bounded): the servers named on
// the command line answer the same requests in alternating rounds, and each round reads the CPU
// time the server process used (every thread, from /proc/<pid>/task/*/schedstat, in ns), which
// the other processes of a busy machine disturb far less than throughput.
//   node bench/http-cpu.mjs [--rounds 5] [--requests 4000] [--connections 50] SERVER...
// SERVER is `bare`, `adapter`, `emulator` or `cli`, optionally `@<root>` for another built copy of the
// package (a checkout with dist/, bench/ and node_modules/) to compare two builds in one run.
// Each is measured with GET and PATCH. Prints µs of server CPU per request (median of the rounds,
// and the range; the system time and the other threads' share, garbage collection) and the p99
// of the same rounds, and writes them to bench/http-cpu-results.json. Run `npm run build` first.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { requestsFor } from './requests.mjs';
import { startCli, startServer, stop } from './servers.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string', default: '5' },
    requests: { type: 'string', default: '4000' },
    connections: { type: 'string', default: '50' },
    methods: { type: 'string', default: 'GET,PATCH' },
  },
});
const ROUNDS = Number(values.rounds);
const REQUESTS = Number(values.requests);
const CONNECTIONS = Number(values.connections);
const METHODS = values.methods.split(',');

/** CPU time of a thread so far, in µs. */
function threadCpuOf(pid, task) {
  return Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]) / 1000;
}

/** CPU time of every thread of a process so far (the main thread's, and the others': GC, workers), in µs. */
function cpuOf(pid) {
  let total = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) total += threadCpuOf(pid, task);
  return { total, main: threadCpuOf(pid, pid) };
}

async function start(spec) {
  const [kind, root] = spec.split('@');
  return kind === 'cli' ? startCli(root) : startServer(kind, [], root);
}

/** User and system CPU time of a process so far, in µs (clock ticks of 10 ms: meaningful over many requests). */
function userSystemOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return { user: Number(fields[11]) * 10_000, system: Number(fields[12]) * 10_000 };
}

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];

const servers = [];
try {
  for (const spec of positionals) servers.push({ spec, server: await start(spec) });
  const samples = new Map();
  for (const { server } of servers) {
    // Warm-up: the first requests are spent compiling the hot paths.
    for (const method of METHODS) await autocannon({ ...requestsFor(server, method), connections: 10, amount: 2000 });
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const method of METHODS) {
      for (const { spec, server } of servers) {
        const before = cpuOf(server.child.pid);
        const split = userSystemOf(server.child.pid);
        const result = await autocannon({ ...requestsFor(server, method), connections: CONNECTIONS, amount: REQUESTS });
        const now = cpuOf(server.child.pid);
        const used = now.total - before.total;
        const after = userSystemOf(server.child.pid);
        const key = `${spec} ${method}`;
        if (!samples.has(key)) samples.set(key, []);
        samples.get(key).push({
          cpu: used / result.requests.total,
          helpers: (used - (now.main - before.main)) / result.requests.total,
          system: (after.system - split.system) / result.requests.total,
          p99: result.latency.p99,
          bad: result.errors + result.non2xx,
        });
      }
    }
  }
  const rows = [];
  for (const [key, list] of samples) {
    const cpu = list.map((sample) => sample.cpu);
    rows.push({ server: key, microseconds: median(cpu), min: Math.min(...cpu), max: Math.max(...cpu), samples: list });
    console.log(
      `${key.padEnd(40)} ${median(cpu).toFixed(1).padStart(6)} µs CPU/request (${Math.min(...cpu).toFixed(1)}–${Math.max(...cpu).toFixed(1)}; system ${median(list.map((sample) => sample.system)).toFixed(0)}, other threads ${median(list.map((sample) => sample.helpers)).toFixed(0)})  p99 ${median(list.map((sample) => sample.p99))} ms  non-2xx/errors ${list.reduce((sum, sample) => sum + sample.bad, 0)}`,
    );
  }
  writeFileSync(
    new URL('./http-cpu-results.json', import.meta.url),
    `${JSON.stringify({ node: process.version, rounds: ROUNDS, requests: REQUESTS, connections: CONNECTIONS, rows }, null, 2)}\n`,
  );
} finally {
  for (const { server } of servers) await stop(server);
}
