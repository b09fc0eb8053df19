// `npm start`: runs `dist/cli.js` with the arguments given, building first only when dist/ is
// missing or older than what it is built from (src/, package.json, the tsup and tsconfig files).
// A port already in use is reported before anything is built, with the command that picks another.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist', 'cli.js');
/** The inspector page `serve` answers at /__emulator/ (scripts/build-inspector.mjs). */
const page = join(root, 'dist', 'inspector', 'index.html');
const args = process.argv.slice(2);
const INPUTS = [
  'src',
  'package.json',
  'tsup.config.ts',
  'tsconfig.json',
  'tsconfig.build.json',
  'scripts/dts-imports.mjs',
  'scripts/build-inspector.mjs',
];

/** The newest modification time under `path`, in milliseconds; 0 when it does not exist. */
function newest(path) {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return 0;
  }
  if (!stats.isDirectory()) return stats.mtimeMs;
  let latest = stats.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

/** Resolves when `port` on `host` can be listened on; rejects with the listen error otherwise. */
function probe(host, port) {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve()));
  });
}

const { values } = parseArgs({
  args,
  options: { port: { type: 'string' }, host: { type: 'string' } },
  strict: false,
  allowPositionals: true,
});
const port = typeof values.port === 'string' ? Number(values.port) : 4000;
const host = typeof values.host === 'string' ? values.host : '127.0.0.1';
if (args[0] === 'serve' && Number.isSafeInteger(port) && port > 0 && port <= 65_535) {
  try {
    await probe(host, port);
  } catch (error) {
    if (error?.code === 'EADDRINUSE') {
      const other = port + 100 <= 65_535 ? port + 100 : 0;
      process.stderr.write(
        `error: port ${port} on ${host} is already in use; choose another: npm start -- --port ${other}\n`,
      );
      process.exit(1);
    }
    // Any other problem is the server's to report, with its own message.
  }
}

const built = Math.min(newest(cli), newest(page));
if (built === 0 || INPUTS.some((input) => newest(join(root, input)) > built)) {
  process.stderr.write(built === 0 ? 'Building dist/ (first start)...\n' : 'Rebuilding dist/ (sources changed)...\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const build = spawnSync(npm, ['run', 'build', '--silent'], { cwd: root, encoding: 'utf8', shell: false });
  if (build.status !== 0) {
    process.stderr.write(`${build.stdout ?? ''}${build.stderr ?? ''}`);
    process.stderr.write('error: the build failed (above)\n');
    process.exit(build.status ?? 1);
  }
}

// The CLI reads process.argv as if it had been started itself.
process.argv = [process.argv[0] ?? 'node', cli, ...args];
await import(cli);
