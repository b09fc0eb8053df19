import { readFile } from 'node:fs/promises';
import { lineBuffer } from './io.js';
import { runCli } from './main.js';

/** The version in the package.json beside `dist/`, where this file runs from once built. */
async function packageVersion(): Promise<string> {
  try {
    const manifest: unknown = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
    const version: unknown =
      typeof manifest === 'object' && manifest !== null
        ? Object.getOwnPropertyDescriptor(manifest, 'version')?.value
        : undefined;
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Everything on standard input, as text (for `-` in place of a file). */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

// A reader that went away (`serve | head -1`, a log pipe closed) makes the next write fail with
// EPIPE; without a listener that error would end the process, and a server with it. What would
// have been printed is dropped; the server keeps serving and still stops cleanly.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());

// Standard output is written a turn at a time (the serve command logs every request); anything
// on standard error first writes what is gathered, so the two keep their order.
const out = lineBuffer((text) => process.stdout.write(text));
process.once('exit', out.flush);

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: out.line,
  stderr: (line) => {
    out.flush();
    process.stderr.write(`${line}\n`);
  },
  readFile: (path) => (path === '-' ? readStdin() : readFile(path, 'utf8')),
  stop: stop.signal,
  version: await packageVersion(),
});
