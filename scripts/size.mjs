// Minified and gzipped size of each browser-facing entry of the built package, bundled by esbuild as
// a front-end project would bundle it (everything the entry exports, with its dependencies). Fails
// when an entry is over its budget. Run after `npm run build`: `npm run size`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');

/**
 * Budgets in gzipped bytes, a little above the sizes measured when each was set, so that growth is a
 * decision. Raise one on purpose, in the same commit as the code that needs it.
 */
const ENTRIES = [
  // Set at 10,760 B gzipped (30,366 B minified); raised at 19,424 B (57,065 B minified) when user search
  // joined the core (parseSearchQuery, searchUsers and their matcher: 14.1 KB minified) beside the rules
  // tables and Auth0's error wording (src/rules/, src/issueConstructors.ts).
  // Raised again at 22,035 B (65,986 B minified) with the search run in slices under a 2 s budget
  // (searchSteps), the tenant's email and username conflicts and the shared 500 body.
  { name: 'auth0-metadata', file: 'dist/index.js', budget: 22.5 * 1024 },
  // What a bundler keeps of a typical import: `import { applyPatch, validateSignupMetadata }`.
  // Tree-shaking must keep search, the Actions helpers and the seed readers out of it.
  // Set at 8,473 B gzipped (24,052 B minified): no search, Actions or seed code is in it. Raised at
  // 9,345 B (27,160 B minified) when applyPatch took any stored user: the running-total walks with
  // their cycle guards (copies, sizes, equality), the stored-data checks and their wording. Lowered
  // back to 9 KiB at 8,551 B (24,681 B minified) once every module-level table was marked
  // `/* @__PURE__ */`, so that a bundler drops the tables an import does not read.
  {
    name: '{ applyPatch, validateSignupMetadata }',
    contents: "export { applyPatch, validateSignupMetadata } from './dist/index.js';",
    // Raised to 9.5 KiB at 9,463 B (27,402 B minified), then 9,705 B. A bundle analysis (esbuild's
    // metafile of this import) found the search fields' table kept: its rows were built by calls a
    // bundler had to assume had side effects. With `field` marked `@__NO_SIDE_EFFECTS__`: 9,353 B.
    // Raised to 10 KiB at 9,796 B (28,390 B minified) with the copy of small request values by a
    // recursion of its own beside the general walk (`copySmall`: a small PATCH body validated in
    // 3.0 µs instead of 3.7) and the root keys of a frozen user checked once.
    budget: 10 * 1024,
    // Texts only search's tables hold: either one in this bundle means search came back into it.
    mustNotContain: ['email.domain', 'query_timeout'],
  },
  // Set at 22,824 B gzipped (66,690 B minified): the core, the routes and jose's WebCrypto JWT code;
  // raised at 31,297 B (93,177 B minified) with search and the routes it answers; raised again at
  // 43,845 B (131,433 B minified) with the control API (/__emulator/ and emulator.control: journal,
  // clock, faults, rate-limit buckets, search-index lag, imports through the seed-document reader),
  // the request pipeline, the indexed store, the kept identity and the undoable store. Raised at
  // 47,149 B (139,651 B minified) with the pipeline's answers without a promise beside handle (the
  // internal respond entry), the remembered token and scope decisions, Auth0's per-endpoint
  // rate-limit buckets, the control hosts of a LAN address and the searches parsed in steps.
  { name: 'auth0-metadata/emulator', file: 'dist/emulator.js', budget: 47.5 * 1024 },
  // Set at 3,575 B gzipped (10,760 B minified).
  { name: 'auth0-metadata/conformance', file: 'dist/conformance.js', budget: 4 * 1024 },
  // The inspector page the dev server answers at /__emulator/ (scripts/build-inspector.mjs): one HTML
  // file with its script (the page, analyzePatch, diffToPatch and what they import from the core) and
  // its style inline, measured as served. Not part of any entry above. Set at 18,007 B gzipped
  // (53,167 B as written).
  { name: 'inspector page', page: 'dist/inspector/index.html', budget: 24 * 1024 },
];

const missing = ENTRIES.map(({ file, page }) => file ?? page).filter(
  (path) => path !== undefined && !existsSync(join(root, path)),
);
if (missing.length > 0) {
  console.error(`size: ${missing.join(', ')} missing; run npm run build first`);
  process.exit(1);
}

const size = (bytes) => `${bytes} B (${(bytes / 1024).toFixed(1)} KiB)`.padStart(22);
let over = 0;
console.log(`${'entry'.padEnd(40)}${'minified'.padStart(22)}${'gzipped'.padStart(22)}${'gzip budget'.padStart(22)}`);
/** The bytes of an entry as a browser gets them: a page as written, a module as a bundler would bundle it. */
async function bytesOf({ file, contents, page }) {
  if (page !== undefined) return readFileSync(join(root, page));
  const result = await build({
    ...(file === undefined
      ? { stdin: { contents, resolveDir: root, loader: 'js' } }
      : { entryPoints: [join(root, file)] }),
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].contents;
}

for (const entry of ENTRIES) {
  const { name, budget } = entry;
  const contents = await bytesOf(entry);
  const minified = contents.byteLength;
  const gzipped = gzipSync(contents, { level: 9 }).byteLength;
  const text = new TextDecoder().decode(contents);
  const kept = (entry.mustNotContain ?? []).filter((marker) => text.includes(marker));
  const status = gzipped > budget ? '  OVER BUDGET' : kept.length > 0 ? `  HOLDS ${kept.join(', ')}` : '';
  if (gzipped > budget || kept.length > 0) over++;
  console.log(`${name.padEnd(40)}${size(minified)}${size(gzipped)}${size(budget)}${status}`);
}
if (over > 0) {
  console.error(
    `size: ${over} entr${over === 1 ? 'y is' : 'ies are'} over budget or hold what they must not (scripts/size.mjs)`,
  );
  process.exit(1);
}
