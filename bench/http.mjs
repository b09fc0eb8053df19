// Loopback HTTP benchmark (127.0.0.1 only, bounded in time): the emulator's PATCH and GET beside a
// bare node:http server answering a fixed JSON body, with 1, 10 and 50 connections.
// `npm run bench:http`. Writes bench/http-results.json.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const QUICK = process.argv.includes('--quick');
const DURATION = QUICK ? 3 : 8;
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

async function load(url, options) {
  const result = await autocannon({ url, duration: DURATION, ...options });
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
    `${name.padEnd(28)} c=${String(connections).padStart(2)}  ${stats.requestsPerSecond.toFixed(0).padStart(7)} req/s  p50 ${stats.p50} ms  p99 ${stats.p99} ms  non-2xx/errors ${stats.errors}`,
  );
};

console.log(`HTTP benchmark — Node ${process.version}, ${cpus().length} cores, ${DURATION} s per run, 127.0.0.1`);
const bare = await startServer('bare');
const emulator = await startServer('emulator');
try {
  for (const connections of [1, 10, 50]) {
    report('bare node:http (limit)', connections, await load(bare.info.url, { connections, method: 'GET' }));
    const path = `/api/v2/users/${encodeURIComponent(emulator.info.userId)}`;
    const headers = { authorization: `Bearer ${emulator.info.token}`, 'content-type': 'application/json' };
    let counter = 0;
    report(
      'emulator PATCH',
      connections,
      await load(`${emulator.info.url}${path}`, {
        connections,
        requests: [
          {
            method: 'PATCH',
            headers,
            setupRequest: (request) => ({
              ...request,
              body: JSON.stringify({ user_metadata: { counter: counter++ } }),
            }),
          },
        ],
      }),
    );
    report(
      'emulator GET',
      connections,
      await load(`${emulator.info.url}${path}`, { connections, method: 'GET', headers }),
    );
  }
} finally {
  bare.child.kill();
  emulator.child.kill();
}

const memory = await startServer('emulator-memory', ['--expose-gc']);
while (memory.lines.length < 2) await new Promise((resolve) => setTimeout(resolve, 50));
await once(memory.child, 'exit');
const usage = memory.lines[1];
console.log(
  `memory: ${usage.users} users with ~1 KB of metadata each: rss ${(usage.rss / 2 ** 20).toFixed(0)} MiB (${((usage.rss - usage.rssBefore) / 2 ** 20).toFixed(0)} MiB for the users), heap ${(usage.heapUsed / 2 ** 20).toFixed(0)} MiB`,
);
const at = (name, connections) => rows.find((row) => row.name === name && row.connections === connections);
const ratio = at('emulator PATCH', 50).requestsPerSecond / at('bare node:http (limit)', 50).requestsPerSecond;
console.log(`emulator PATCH / bare node:http at 50 connections: ${(ratio * 100).toFixed(0)}%`);
writeFileSync(
  new URL('./http-results.json', import.meta.url),
  `${JSON.stringify({ node: process.version, cores: cpus().length, duration: DURATION, rows, memory: usage, patchRatioAt50: ratio }, null, 2)}\n`,
);
