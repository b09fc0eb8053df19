/** Replaced by the package's version when the package is built (tsup `define`); absent when run from source. */
declare const __AUTH0_METADATA_VERSION__: string | undefined;

/** The package version, as `GET /__emulator/health` reports it; `0.0.0-source` when run from source. */
export const EMULATOR_VERSION: string =
  typeof __AUTH0_METADATA_VERSION__ === 'string' ? __AUTH0_METADATA_VERSION__ : '0.0.0-source';
