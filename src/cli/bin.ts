import { readFile } from 'node:fs/promises';
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

const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  readFile: (path) => readFile(path, 'utf8'),
  stop: stop.signal,
  version: await packageVersion(),
});
