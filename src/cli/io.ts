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

/** Most text a {@link lineBuffer} holds before it writes without waiting for the turn to end. */
const BUFFERED_TEXT = 64 * 1024;

/** Lines gathered and written together: one write per turn of the event loop, not one per line. */
export interface LineBuffer {
  readonly line: (text: string) => void;
  /** Writes what is gathered now (before another stream's line, and at exit). */
  readonly flush: () => void;
}

/**
 * Gathers lines and writes them with one call to `write` once the current turn of the event loop
 * ends (or once 64 KiB are gathered): a server logging each request makes one write per busy turn
 * instead of a system call per request.
 */
export function lineBuffer(write: (text: string) => void): LineBuffer {
  let pending = '';
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (pending === '') return;
    const text = pending;
    pending = '';
    write(text);
  };
  return {
    line: (text) => {
      pending += `${text}\n`;
      if (pending.length >= BUFFERED_TEXT) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}
