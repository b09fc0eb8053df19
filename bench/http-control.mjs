// Loopback HTTP benchmark of the control plane's cost per request (127.0.0.1 only, bounded in time):
// - the journal: GET and PATCH with the journal off (requestLogSize 0) and on (the default, 100);
// - rate-limit mode: under load every answer is a 429 once the bucket is dry, so it is compared
//   with a server whose fault answers the same 429 without a bucket: the difference is the bucket
//   and its headers.
// `npm run bench:http-control` (`-- --quick` for one 2 s run of each). Writes bench/http-control-results.json.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { requestsFor } from './requests.mjs';

const QUICK = process.argv.includes('--quick');
const DURATION = QUICK ? 2 : 4;
const REPEATS = QUICK ? 1 : 3;
const CONNECTIONS = 10;
/** How many requests each in-process measurement answers. */
const IN_PROCESS_REQUESTS = QUICK ? 5000 : 20000;
const self = fileURLToPath(import.meta.url);

if (process.argv[2] === '--server') {
  const { createEmulator } = await import('auth0-metadata/emulator');
  const { serve } = await import('auth0-metadata/node');
  const kind = process.argv[3];
  process.on('SIGINT', () => process.exit(0));
  const emulator = createEmulator({
    passwordHashIterations: 1000,
    requestLogSize: kind === 'journal-off' ? 0 : 100,
    rateLimit: kind === 'rate-limit' ? 'enterprise' : false,
  });
  const created = await emulator.createUser({
    connection: 'Username-Password-Authentication',
    email: 'bench@example.com',
    password: 'Passw0rd!xyz',
    user_metadata: { plan: 'full', theme: 'dark' },
  });
  if (!created.success) throw new Error(JSON.stringify(created.issues));
  if (kind === 'fault-429') emulator.control.faults.add({ path: '/api/v2/users/{id}', status: 429 });
  const token = await emulator.issueToken({ scopes: ['read:users', 'update:users'] });
  const server = await serve(emulator, { port: 0 });
  console.log(JSON.stringify({ url: server.url, token, userId: created.value.user_id }));
} else {
  await main();
}

async function startServer(kind) {
  const child = spawn(process.execPath, [self, '--server', kind], { stdio: ['ignore', 'pipe', 'inherit'] });
  let buffer = '';
  child.stdout.on('data', (chunk) => {
    buffer += chunk;
  });
  while (!buffer.includes('\n')) await new Promise((resolve) => setTimeout(resolve, 20));
  return { child, info: JSON.parse(buffer.slice(0, buffer.indexOf('\n'))) };
}

async function stop(server) {
  server.child.kill('SIGINT');
  if (server.child.exitCode === null) await once(server.child, 'exit');
}

async function load(server, method, duration = DURATION) {
  const result = await autocannon({ ...requestsFor(server, method), connections: CONNECTIONS, duration });
  return { requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

async function main() {
  console.log(
    `HTTP control-plane benchmark — Node ${process.version}, ${cpus().length} cores, ${DURATION} s per run, median of ${REPEATS}, c=${CONNECTIONS}, 127.0.0.1`,
  );
  const servers = {};
  for (const kind of ['journal-off', 'journal-on', 'rate-limit', 'fault-429']) servers[kind] = await startServer(kind);
  const CONFIGURATIONS = [
    ['GET, journal off', 'journal-off', 'GET'],
    ['GET, journal on', 'journal-on', 'GET'],
    ['PATCH, journal off', 'journal-off', 'PATCH'],
    ['PATCH, journal on', 'journal-on', 'PATCH'],
    ['GET 429, fault (no bucket)', 'fault-429', 'GET'],
    ['GET 429, rate-limit mode', 'rate-limit', 'GET'],
  ];
  const rows = [];
  try {
    for (const [, kind, method] of CONFIGURATIONS) await load(servers[kind], method, 1);
    const runs = new Map(CONFIGURATIONS.map(([name]) => [name, []]));
    for (let repeat = 0; repeat < REPEATS; repeat++) {
      for (const [name, kind, method] of CONFIGURATIONS) runs.get(name).push(await load(servers[kind], method));
    }
    for (const [name] of CONFIGURATIONS) {
      const sorted = runs.get(name).sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
      const median = sorted[Math.floor(sorted.length / 2)];
      rows.push({ name, ...median, microsecondsPerRequest: 1e6 / median.requestsPerSecond });
      console.log(
        `${name.padEnd(28)} ${median.requestsPerSecond.toFixed(0).padStart(7)} req/s  ${(1e6 / median.requestsPerSecond).toFixed(1).padStart(6)} µs/req  p50 ${median.p50} ms  p99 ${median.p99} ms`,
      );
    }
  } finally {
    for (const server of Object.values(servers)) await stop(server);
  }
  const inProcess = await cpuPerRequest();
  const cost = (on, off) => {
    const a = rows.find((row) => row.name === on);
    const b = rows.find((row) => row.name === off);
    return a.microsecondsPerRequest - b.microsecondsPerRequest;
  };
  const costs = {
    journalGetMicroseconds: cost('GET, journal on', 'GET, journal off'),
    journalPatchMicroseconds: cost('PATCH, journal on', 'PATCH, journal off'),
    rateLimitMicroseconds: cost('GET 429, rate-limit mode', 'GET 429, fault (no bucket)'),
  };
  console.log(
    `in process (CPU time per request of emulator.handle, ${IN_PROCESS_REQUESTS} GETs, median of ${REPEATS}): ${Object.entries(
      inProcess,
    )
      .map(([name, value]) => `${name} ${value.toFixed(1)} µs`)
      .join(', ')}`,
  );
  console.log(
    `cost per request (server time at c=${CONNECTIONS}, from throughput): journal ${costs.journalGetMicroseconds.toFixed(1)} µs on GET, ${costs.journalPatchMicroseconds.toFixed(1)} µs on PATCH; rate-limit mode ${costs.rateLimitMicroseconds.toFixed(1)} µs`,
  );
  writeFileSync(
    new URL('./http-control-results.json', import.meta.url),
    `${JSON.stringify({ node: process.version, cores: cpus().length, duration: DURATION, repeats: REPEATS, connections: CONNECTIONS, rows, costs, inProcess }, null, 2)}\n`,
  );
}

/**
 * CPU time per request of `emulator.handle` (no sockets, process.cpuUsage, so a busy machine's
 * other processes count less): GET with the journal off and on, and a 429 by a fault against one
 * by rate-limit mode (whose bucket is dry after its burst).
 */
async function cpuPerRequest() {
  const { createEmulator } = await import('auth0-metadata/emulator');
  const measure = async (options, setup) => {
    const emulator = createEmulator({ passwordHashIterations: 1, ...options });
    const created = await emulator.createUser({
      connection: 'db',
      email: 'bench@example.com',
      password: 'Passw0rd!xyz',
    });
    setup?.(emulator);
    const token = await emulator.issueToken();
    const request = {
      method: 'GET',
      url: `https://${emulator.domain}/api/v2/users/${encodeURIComponent(created.value.user_id)}`,
      headers: { get: (name) => (name === 'authorization' ? `Bearer ${token}` : null) },
      body: null,
    };
    const samples = [];
    for (let repeat = 0; repeat < REPEATS; repeat++) {
      for (let index = 0; index < 500; index++) await emulator.handle(request);
      const before = process.cpuUsage();
      for (let index = 0; index < IN_PROCESS_REQUESTS; index++) await emulator.handle(request);
      const used = process.cpuUsage(before);
      samples.push((used.user + used.system) / IN_PROCESS_REQUESTS);
    }
    return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)];
  };
  const journalOff = await measure({ requestLogSize: 0 });
  const journalOn = await measure({});
  const fault429 = await measure({}, (emulator) =>
    emulator.control.faults.add({ path: '/api/v2/users/{id}', status: 429 }),
  );
  const rateLimit429 = await measure({ rateLimit: 'free' });
  return {
    'GET journal off': journalOff,
    'GET journal on': journalOn,
    'journal cost': journalOn - journalOff,
    '429 by fault': fault429,
    '429 by rate-limit mode': rateLimit429,
    'rate-limit cost': rateLimit429 - fault429,
  };
}
