/**
 * The core modules no entry point exports: only the emulator and the command line need them, and
 * import them by their source paths. Their TSDoc examples still run and type-check, and their
 * functions keep the contract of the entries' functions (no throw on any input).
 */
export const OFF_ENTRY_MODULES: readonly string[] = [
  'src/readSeedUser.ts',
  'src/recordLogin.ts',
  'src/signupUser.ts',
  'src/uniqueKeysOf.ts',
];
