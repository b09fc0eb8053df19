/** What the CLI may touch of the outside world; the bin passes the real process, tests fakes. */
export interface CliIo {
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  readonly readFile: (path: string) => Promise<string>;
  /** Aborted to stop a running `serve` (the bin aborts on SIGINT and SIGTERM). */
  readonly stop: AbortSignal;
  /** The package version, for `--version`. */
  readonly version: string;
}
