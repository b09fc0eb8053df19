// One server for the HTTP benchmark, in its own process so the load generator does not share its
// event loop: `node bench/http-server.mjs emulator|bare|adapter|emulator-memory|emulator-search`. Prints one JSON line:
// { url, token, userId }. `bare` is the limit: node:http reading the request and answering a fixed
// JSON body as large as the emulator's answer.
import { createServer } from 'node:http';
import { createUser } from 'auth0-metadata';
import { createEmulator } from 'auth0-metadata/emulator';
import { serve } from 'auth0-metadata/node';

const kind = process.argv[2] ?? 'emulator';
// Exit normally on SIGINT, so that a server run with --cpu-prof writes its profile.
process.on('SIGINT', () => process.exit(0));

/** The metadata of the benchmark user: 16 first-level keys, about 1 KB of JSON. */
function benchMetadata() {
  const metadata = {};
  for (let index = 0; index < 16; index++) metadata[`key${index}`] = { index, text: 'x'.repeat(40) };
  return metadata;
}

if (kind === 'bare' || kind === 'adapter') {
  // A fixed JSON body as large as the emulator's answer (the same user, serialised once).
  const created = createUser(
    {
      connection: 'Username-Password-Authentication',
      email: 'bench@example.com',
      password: 'Passw0rd!xyz',
      user_metadata: { ...benchMetadata(), counter: 1000000 },
      app_metadata: { plan: 'full' },
    },
    { generateId: () => '0123456789abcdef01234567' },
  );
  if (!created.success) throw new Error(JSON.stringify(created.issues));
  const body = JSON.stringify(created.value);
  if (kind === 'adapter') {
    // The Node adapter alone: the fixed body answered through serve()'s emulator path (its Host
    // guard, turns and plain request), without the emulator: what the adapter costs over bare.
    const answer = { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body };
    const handler = { handle: async () => answer, [Symbol.for('auth0-metadata.respond')]: () => answer };
    const server = await serve(handler, { port: 0 });
    console.log(JSON.stringify({ url: server.url, token: 'none', userId: 'auth0|0123456789abcdef01234567' }));
  }
  const server =
    kind === 'adapter'
      ? undefined
      : createServer((request, response) => {
          request.resume();
          request.on('end', () => {
            response.writeHead(200, {
              'content-type': 'application/json; charset=utf-8',
              'content-length': Buffer.byteLength(body),
            });
            response.end(body);
          });
        });
  server?.listen(0, '127.0.0.1', () => {
    const address = server.address();
    console.log(
      JSON.stringify({
        url: `http://127.0.0.1:${address.port}`,
        token: 'none',
        userId: 'auth0|0123456789abcdef01234567',
      }),
    );
  });
} else if (kind === 'emulator-search') {
  // 5,000 seeded users with about 1 KB of metadata each, for the search-under-load benchmark; each
  // line on standard input is answered with the event loop's delay since the previous one (the
  // longest a request could have waited behind another), then the histogram restarts.
  const { monitorEventLoopDelay } = await import('node:perf_hooks');
  // Stored users, as an export writes them (kept as they are, no password to hash).
  const users = Array.from({ length: 5000 }, (_, index) => ({
    user_id: `auth0|user${index}`,
    email: `user${index}@example.com`,
    email_verified: false,
    identities: [
      { connection: 'Username-Password-Authentication', user_id: `user${index}`, provider: 'auth0', isSocial: false },
    ],
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
    user_metadata: { ...benchMetadata(), index },
    app_metadata: { plan: index % 10 === 0 ? 'gold' : 'free' },
  }));
  const emulator = createEmulator({ users });
  const token = await emulator.issueToken({ scopes: ['read:users'] });
  const server = await serve(emulator, { port: 0 });
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  process.stdin.on('data', () => {
    console.log(JSON.stringify({ maxDelayMs: delay.max / 1e6, p99DelayMs: delay.percentile(99) / 1e6 }));
    delay.reset();
  });
  console.log(JSON.stringify({ url: server.url, token, userId: 'auth0|user42' }));
} else {
  const emulator = createEmulator({ passwordHashIterations: 1000 });
  const metadata = benchMetadata();
  const created = await emulator.createUser({
    connection: 'Username-Password-Authentication',
    email: 'bench@example.com',
    password: 'Passw0rd!xyz',
    user_metadata: metadata,
    app_metadata: { plan: 'full' },
  });
  if (!created.success) throw new Error(JSON.stringify(created.issues));
  const token = await emulator.issueToken({ scopes: ['read:users', 'update:users'] });
  const server = await serve(emulator, { port: 0 });
  console.log(JSON.stringify({ url: server.url, token, userId: created.value.user_id }));
  if (kind === 'emulator-memory') {
    // What 10,000 stored users with about 1 KB of metadata each retain: the heap after a full
    // collection, before and after (each bio is its own string: a repeated literal would be shared).
    const added = 10_000;
    globalThis.gc?.();
    const before = process.memoryUsage();
    for (let index = 0; index < added; index++) {
      const result = await emulator.createUser({
        connection: 'Username-Password-Authentication',
        email: `user${index}@example.com`,
        password: 'Passw0rd!xyz',
        user_metadata: { bio: `${'y'.repeat(894)}${String(index).padStart(6, '0')}`, index, tags: ['a', 'b', 'c'] },
      });
      if (!result.success) throw new Error(JSON.stringify(result.issues));
    }
    globalThis.gc?.();
    const usage = process.memoryUsage();
    const users = emulator.snapshot();
    const json = users.slice(1).reduce((total, user) => total + JSON.stringify(user).length, 0);
    console.log(
      JSON.stringify({
        users: users.length,
        added,
        jsonPerUser: json / added,
        heapBefore: before.heapUsed,
        heapUsed: usage.heapUsed,
        rssBefore: before.rss,
        rss: usage.rss,
      }),
    );
    await server.close();
  }
}
