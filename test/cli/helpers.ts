/** Runs the CLI in process, over files held in memory: one helper for every CLI test. */
import { type CliIo, runCli } from '../../src/cli/main.js';

/** What one CLI run gave: its exit code and what it printed (lines joined with `\n`). */
export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** `auth0-metadata ...argv`, reading only `files` (a missing one fails as the disk would, ENOENT). */
export async function runCliOn(argv: readonly string[], files: Readonly<Record<string, string>>): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (line) => out.push(line),
    stderr: (line) => err.push(line),
    readFile: async (path) => {
      const content = files[path];
      if (content === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
      return content;
    },
    stop: new AbortController().signal,
    version: '0.0.0',
  };
  const code = await runCli(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}
