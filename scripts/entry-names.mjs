// Counts the names each entry point exports (functions, constants and classes, types), and lists
// any name two entry points export for two different declarations. `node scripts/entry-names.mjs`;
// with an entry's subpath as argument (`.`, `emulator`, ...), also prints that entry's names.
import { join } from 'node:path';
import ts from 'typescript';

const root = join(import.meta.dirname, '..');
const ENTRIES = {
  '.': 'src/index.ts',
  emulator: 'src/emulator/index.ts',
  node: 'src/node/index.ts',
  conformance: 'src/conformance/index.ts',
  testing: 'src/testing/index.ts',
};
const program = ts.createProgram(
  Object.values(ENTRIES).map((path) => join(root, path)),
  { strict: true, module: ts.ModuleKind.Preserve, moduleResolution: ts.ModuleResolutionKind.Bundler, noEmit: true },
);
const checker = program.getTypeChecker();
/** name -> (entry -> file of its declaration) */
const declarations = new Map();
for (const [entry, path] of Object.entries(ENTRIES)) {
  const symbol = checker.getSymbolAtLocation(program.getSourceFile(join(root, path)));
  const counts = { functions: 0, values: 0, types: 0 };
  const names = [];
  for (const exported of checker.getExportsOfModule(symbol)) {
    const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (target.flags & ts.SymbolFlags.Function) counts.functions++;
    else if (target.flags & (ts.SymbolFlags.Variable | ts.SymbolFlags.Class)) counts.values++;
    else counts.types++;
    names.push(exported.name);
    const file = target.declarations?.[0]?.getSourceFile().fileName.slice(root.length + 1) ?? '?';
    if (!declarations.has(exported.name)) declarations.set(exported.name, new Map());
    declarations.get(exported.name).set(entry, file);
  }
  console.log(
    `${entry}: ${names.length} names (${counts.functions} functions, ${counts.values} constants and classes, ${counts.types} types)`,
  );
  if (process.argv[2] === entry) console.log(names.join('\n'));
}
for (const [name, byEntry] of declarations) {
  if (new Set(byEntry.values()).size > 1) console.log(`two meanings: ${name} (${[...byEntry].join('; ')})`);
}
