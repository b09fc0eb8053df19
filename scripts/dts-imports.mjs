// The declaration files (dist/*.d.ts, dist/*.d.cts) must be self-contained: every import is one of
// this package's own files, or a `node:` module for the Node adapter's types. A package imported
// there must be installed with this one, and a consumer's compiler reads (and, with skipLibCheck
// off, checks) all of it: see `npm run type-cost`. Run by `npm run build`; fails on any other import.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIST = join(import.meta.dirname, '..', 'dist');
/** `import … from '…'`, `export … from '…'`, `import '…'` statements, and `import('…')` types. */
const SPECIFIERS = [
  /^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"\n]+)['"]/gm,
  /^\s*import\s*['"]([^'"\n]+)['"]/gm,
  /\bimport\(\s*['"]([^'"\n]+)['"]\s*\)/g,
];

const files = readdirSync(DIST).filter((name) => name.endsWith('.d.ts') || name.endsWith('.d.cts'));
if (files.length === 0) {
  console.error('dts-imports: no declaration file in dist/; was the build run first?');
  process.exit(1);
}
const foreign = files.flatMap((file) =>
  SPECIFIERS.flatMap((pattern) => [...readFileSync(join(DIST, file), 'utf8').matchAll(pattern)])
    .map((match) => match[1])
    .filter((specifier) => !specifier.startsWith('./') && !specifier.startsWith('node:'))
    .map((specifier) => `${file}: ${specifier}`),
);
// Silent on success: `npm pack --json` runs this through prepack, and its stdout must stay JSON.
if (foreign.length > 0) {
  console.error(`dts-imports: the declarations import other packages:\n${foreign.join('\n')}`);
  process.exit(1);
}
