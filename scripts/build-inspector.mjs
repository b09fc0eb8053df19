// Builds the inspector page the dev server answers at GET /__emulator/: src/inspector/main.ts bundled
// by esbuild (with the core functions it imports from src/) and src/inspector/style.css, inlined into
// src/inspector/index.html, written to dist/inspector/index.html. One file, no request to any other
// origin: the server sends it with a Content-Security-Policy that allows only these inline hashes.
// Run by `npm run build`: `node scripts/build-inspector.mjs`.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
const source = join(root, 'src', 'inspector');

const result = await build({
  entryPoints: [join(source, 'main.ts')],
  bundle: true,
  minify: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  write: false,
  logLevel: 'warning',
});
const [output] = result.outputFiles;
const script = output.text.trim();
const style = readFileSync(join(source, 'style.css'), 'utf8').trim();
// The page is parsed as HTML: a closing tag inside the inline code would end it early.
if (/<\/script/i.test(script) || /<\/style/i.test(style)) {
  throw new Error('build-inspector: the inline script or style holds a closing tag');
}
const template = readFileSync(join(source, 'index.html'), 'utf8');
const placeholders = ['<style>/* STYLE */</style>', '<script>/* SCRIPT */</script>'];
for (const placeholder of placeholders) {
  if (!template.includes(placeholder)) throw new Error(`build-inspector: index.html lacks ${placeholder}`);
}
// A function replacement: `$` sequences in the minified code are not replacement patterns.
const page = template
  .replace(placeholders[0], () => `<style>${style}</style>`)
  .replace(placeholders[1], () => `<script>${script}</script>`);
mkdirSync(join(root, 'dist', 'inspector'), { recursive: true });
writeFileSync(join(root, 'dist', 'inspector', 'index.html'), page);
// On stderr: `npm pack --json` runs this through prepack, and its stdout must stay JSON.
console.error(`inspector: dist/inspector/index.html (${page.length} bytes)`);
