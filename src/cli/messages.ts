/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The message of a `parseArgs` error, in one balanced line: Node's own for an unknown option ends
 * in an unclosed quote (`... as in '-- "--nope"`), so that one is written here.
 */
export function usageError(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  const option = /^Unknown option '([^']*)'/.exec(messageOf(error))?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option !== undefined) {
    return `unknown option '${option}' (a value starting with '-' goes after '--', as in: -- '${option}')`;
  }
  return messageOf(error);
}
