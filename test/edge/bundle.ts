/**
 * Bundles a script for the browser or a worker with esbuild, as a front-end or edge project would:
 * `auth0-metadata` and its subpaths resolve through the package's own `exports` to the built
 * `dist/` files, and any Node built-in makes the build fail.
 */
import { join, relative } from 'node:path';
import { build } from 'esbuild';

export const root = join(import.meta.dirname, '..', '..');

export interface WebBundle {
  /** One classic script (an IIFE): runs in a `<script>` tag or an edge runtime's global scope. */
  readonly code: string;
  /** Every file that went into it, relative to the repository root. */
  readonly inputs: readonly string[];
}

/**
 * @param source - The entry script (TypeScript allowed), resolved from the repository root.
 * @param conditions - Extra `exports` conditions: `worker` for an edge runtime.
 */
export async function bundleForWeb(source: string, conditions: readonly string[] = []): Promise<WebBundle> {
  const result = await build({
    stdin: { contents: source, resolveDir: root, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    conditions: [...conditions],
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error('esbuild wrote no output');
  return {
    code: output.text,
    inputs: Object.keys(result.metafile.inputs).map((input) => relative(root, join(root, input))),
  };
}
