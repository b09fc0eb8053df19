// One server for the HTTP benchmark, in its own process so the load generator does not share its
// event loop: `node bench/http-server.mjs emulator|bare|emulator-memory`. Prints one JSON line:
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

if (kind === 'bare') {
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
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      });
      response.end(body);
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    console.log(
      JSON.stringify({
        url: `http://127.0.0.1:${address.port}`,
        token: 'none',
        userId: 'auth0|0123456789abcdef01234567',
      }),
    );
  });
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
    // Peak memory of an emulator holding 10,000 users with about 1 KB of metadata each.
    const before = process.memoryUsage().rss;
    for (let index = 0; index < 10_000; index++) {
      const result = await emulator.createUser({
        connection: 'Username-Password-Authentication',
        email: `user${index}@example.com`,
        password: 'Passw0rd!xyz',
        user_metadata: { bio: 'y'.repeat(900), index, tags: ['a', 'b', 'c'] },
      });
      if (!result.success) throw new Error(JSON.stringify(result.issues));
    }
    globalThis.gc?.();
    const usage = process.memoryUsage();
    console.log(
      JSON.stringify({
        users: emulator.snapshot().length,
        rssBefore: before,
        rss: usage.rss,
        heapUsed: usage.heapUsed,
      }),
    );
    await server.close();
  }
}
