// The CommonJS declaration files (dist/*.d.cts) import type-fest, which is ESM only. A CommonJS
// consumer's TypeScript (module node16/nodenext, skipLibCheck off) refuses a plain import of it
// there (TS1479), so the type-fest imports of every .d.cts are rewritten into one type-only import
// with the `resolution-mode: import` attribute, and the re-exports into exports of those names.
// The ESM declaration files (.d.ts) are left as tsup wrote them.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const DIST = new URL('../dist/', import.meta.url).pathname;
const IMPORT = /^import \{ ([^}]*) \} from 'type-fest';\n/gm;
const EXPORT = /^export \{ ([^}]*) \} from 'type-fest';\n/gm;
const BARE = /^import 'type-fest';\n/gm;

const names = (list) =>
  list
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');

let rewritten = 0;
for (const file of readdirSync(DIST).filter((name) => name.endsWith('.d.cts'))) {
  const path = join(DIST, file);
  const text = readFileSync(path, 'utf8');
  const imported = new Set();
  const exported = new Set();
  let body = text.replace(BARE, '');
  body = body.replace(IMPORT, (_line, list) => {
    for (const name of names(list)) imported.add(name);
    return '';
  });
  body = body.replace(EXPORT, (_line, list) => {
    for (const name of names(list)) exported.add(name);
    return '';
  });
  if (body === text) continue;
  const all = [...new Set([...imported, ...exported])];
  const head = [];
  if (all.length > 0) {
    head.push(`import type { ${all.join(', ')} } from 'type-fest' with { 'resolution-mode': 'import' };`);
  }
  if (exported.size > 0) head.push(`export type { ${[...exported].join(', ')} };`);
  writeFileSync(path, `${head.join('\n')}${head.length > 0 ? '\n' : ''}${body}`);
  rewritten++;
}
// Silent on success: `npm pack --json` runs this through prepack, and its stdout must stay JSON.
if (rewritten === 0) {
  console.error('dts-resolution-mode: no .d.cts file imports type-fest; was the build run first?');
  process.exit(1);
}
