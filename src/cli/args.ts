import { messageOf } from './messages.js';

/** The options of `serve`. */
export const SERVE_OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  seed: { type: 'string' },
  data: { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  domain: { type: 'string' },
  https: { type: 'boolean' },
  'allowed-host': { type: 'string', multiple: true },
  'allowed-origin': { type: 'string', multiple: true },
  'rate-limit': { type: 'boolean' },
  'search-lag': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The options of `apply`. */
export const APPLY_OPTIONS = {
  user: { type: 'string' },
  patch: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The options of `explain`: those of `apply`, and `--json`. */
export const EXPLAIN_OPTIONS: typeof APPLY_OPTIONS & { readonly json: { readonly type: 'boolean' } } = {
  ...APPLY_OPTIONS,
  json: { type: 'boolean' },
};

/** The options of `diff`. */
export const DIFF_OPTIONS = { help: { type: 'boolean', short: 'h' } } as const;

/** The options of each command that has its own (`exec` takes those of `serve`). */
const COMMAND_OPTIONS: Readonly<Record<string, object>> = {
  serve: SERVE_OPTIONS,
  exec: SERVE_OPTIONS,
  apply: APPLY_OPTIONS,
  explain: EXPLAIN_OPTIONS,
};

/** The commands that take `--name`, in the order of {@link COMMAND_OPTIONS}. */
export function commandsWithOption(name: string): readonly string[] {
  return Object.entries(COMMAND_OPTIONS)
    .filter(([, options]) => Object.hasOwn(options, name))
    .map(([command]) => command);
}

/** The options before any command. */
export const GLOBAL_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** How many single-character edits turn `from` into `to` (Levenshtein). */
function distance(from: string, to: string): number {
  let previous = Array.from({ length: to.length + 1 }, (_, index) => index);
  for (let row = 1; row <= from.length; row++) {
    const current = [row];
    // Walking the row above: `diagonal` is the cell up-left, `left` the cell just computed.
    let diagonal = row - 1;
    let left = row;
    for (const [index, above] of previous.slice(1).entries()) {
      left = Math.min(above + 1, left + 1, diagonal + (from[row - 1] === to[index] ? 0 : 1));
      current.push(left);
      diagonal = above;
    }
    previous = current;
  }
  // The last cell (the rows are never empty).
  return previous.reduce((_, cell) => cell);
}

/** The known option closest to a misspelt one (at most 2 edits, or one a prefix of the other, of 3 letters or more), if any. */
export function closestOption(option: string, known: readonly string[]): string | undefined {
  const name = option.replace(/^-+/, '').replace(/=.*$/s, '');
  let best: { readonly name: string; readonly distance: number } | undefined;
  for (const candidate of known) {
    const prefix =
      Math.min(name.length, candidate.length) >= 3 && (candidate.startsWith(name) || name.startsWith(candidate));
    const edits = prefix ? 1 : distance(name, candidate);
    if (edits <= 2 && (best === undefined || edits < best.distance)) best = { name: candidate, distance: edits };
  }
  return best === undefined || name === '' ? undefined : `--${best.name}`;
}

/**
 * The message of a `parseArgs` error, in one balanced line: an unknown option says which options
 * the command has nearby ("did you mean --port?"), which other commands take it (`apply --port`:
 * "an option of serve, exec"), or how to pass a value that starts with `-`
 * (Node's own message ends in an unclosed quote, so it is written here).
 */
export function usageError(error: unknown, known: readonly string[] = []): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  const option = /^Unknown option '([^']*)'/.exec(messageOf(error))?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option !== undefined) {
    const suggestion = closestOption(option, known);
    if (suggestion !== undefined) return `unknown option '${option}'; did you mean ${suggestion}?`;
    const owners = commandsWithOption(option.replace(/^-+/, '').replace(/=.*$/s, ''));
    if (owners.length > 0) return `unknown option '${option}' (an option of ${owners.join(', ')})`;
    return `unknown option '${option}' (a value starting with '-' goes after '--', as in: -- '${option}')`;
  }
  return messageOf(error);
}
