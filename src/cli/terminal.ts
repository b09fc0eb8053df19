import type { CliIo } from './io.js';

/**
 * The characters a terminal may act on rather than show: C0 controls but tab and line feed (ESC
 * starts every escape sequence: colours, cursor moves, window titles), DEL, C1 controls (U+0080 to
 * U+009F, among them the one-character CSI and OSC), the line and paragraph separators, and the
 * bidirectional overrides and isolates that reorder what is shown.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these characters are what is matched.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Writes every control character of `text` as a `\uXXXX` escape, so that text from user data
 * (an email a signup planted, a seed file's names) is printed, never obeyed. The escape is JSON's:
 * JSON output stays valid JSON with the same value.
 */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The same io, with every line written to stdout and stderr escaped by {@link escapeControls}. */
export function escapingIo(io: CliIo): CliIo {
  return {
    ...io,
    stdout: (line) => io.stdout(escapeControls(line)),
    stderr: (line) => io.stderr(escapeControls(line)),
  };
}
