/**
 * Walks the import graph of TypeScript sources from a set of entry files, following relative
 * imports, and reports every import of a Node built-in (`node:*`, `fs`, `fs/promises`, ...) and
 * every package import. Reads files through a callback, so it can be tested on files in memory.
 */
import { builtinModules } from 'node:module';
import { dirname, join, normalize } from 'node:path';
import ts from 'typescript';

/** One import that leaves the graph: a Node built-in or a package. */
export interface ExternalImport {
  /** The importing file. */
  readonly from: string;
  /** The specifier as written (`node:fs`, `jose`, ...), or `reference types="node"` for that directive. */
  readonly specifier: string;
}

export interface ImportGraph {
  /** Every file reached from the entries, in the order reached. */
  readonly files: readonly string[];
  /** Imports of Node built-ins, with or without the `node:` prefix. */
  readonly nodeBuiltins: readonly ExternalImport[];
  /** Imports of packages (bare specifiers that are not built-ins). */
  readonly packages: readonly ExternalImport[];
  /** Relative imports that resolve to no file: the walk cannot vouch for what they would import. */
  readonly unresolved: readonly ExternalImport[];
}

/** Reads a file, or `undefined` when there is none. */
export type ReadSource = (path: string) => string | undefined;

const BUILTINS = new Set(builtinModules);

/** `node:fs`, `fs`, `fs/promises`, `node:test`: anything Node alone provides. */
export function isNodeBuiltin(specifier: string): boolean {
  if (specifier.startsWith('node:')) return true;
  return BUILTINS.has(specifier) || BUILTINS.has(specifier.split('/')[0] ?? specifier);
}

/** The package name of a bare specifier: `jose`, `@scope/name` (without the subpath). */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** `./x.js` from a `.ts` file means `./x.ts` (NodeNext style), or `./x/index.ts`. */
function resolveRelative(from: string, specifier: string, read: ReadSource): string | undefined {
  const base = normalize(join(dirname(from), specifier));
  const candidates = [base.replace(/\.(m|c)?js$/, '.$1ts'), base, `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((candidate) => candidate.endsWith('ts') && read(candidate) !== undefined);
}

/**
 * The graph reachable from `entries`: static imports, `export ... from`, `import type`, dynamic
 * `import()` and `require()` calls, and `/// <reference types>` directives.
 */
export function walkImports(entries: readonly string[], read: ReadSource): ImportGraph {
  const files: string[] = [];
  const nodeBuiltins: ExternalImport[] = [];
  const packages: ExternalImport[] = [];
  const unresolved: ExternalImport[] = [];
  const pending = entries.map((entry) => normalize(entry));
  const seen = new Set<string>();
  for (let file = pending.shift(); file !== undefined; file = pending.shift()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const text = read(file);
    if (text === undefined) {
      unresolved.push({ from: file, specifier: file });
      continue;
    }
    files.push(file);
    const info = ts.preProcessFile(text, true, true);
    for (const directive of info.typeReferenceDirectives) {
      // `/// <reference types="node" />` pulls Node's globals (Buffer, process) into the declarations.
      const specifier = `reference types="${directive.fileName}"`;
      if (directive.fileName === 'node' || directive.fileName.startsWith('node/'))
        nodeBuiltins.push({ from: file, specifier });
      else packages.push({ from: file, specifier: directive.fileName });
    }
    for (const { fileName: specifier } of info.importedFiles) {
      if (specifier.startsWith('.')) {
        const target = resolveRelative(file, specifier, read);
        if (target === undefined) unresolved.push({ from: file, specifier });
        else pending.push(target);
      } else if (isNodeBuiltin(specifier)) {
        nodeBuiltins.push({ from: file, specifier });
      } else {
        packages.push({ from: file, specifier });
      }
    }
  }
  return { files, nodeBuiltins, packages, unresolved };
}

/** One relative import between two source files. */
export interface ImportEdge {
  readonly from: string;
  readonly to: string;
}

/** The relative imports of each of `files` (type-only ones included): the edges of the graph, file by file. */
export function importEdges(files: readonly string[], read: ReadSource): readonly ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of files) {
    const text = read(file);
    if (text === undefined) continue;
    for (const { fileName: specifier } of ts.preProcessFile(text, true, true).importedFiles) {
      if (!specifier.startsWith('.')) continue;
      const target = resolveRelative(file, specifier, read);
      if (target !== undefined) edges.push({ from: normalize(file), to: target });
    }
  }
  return edges;
}

/** A cycle of files importing one another, or `undefined` when the graph has none. */
export function findCycle(edges: readonly ImportEdge[]): readonly string[] | undefined {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string): readonly string[] | undefined => {
    if (state.get(file) === 'done') return undefined;
    if (state.get(file) === 'open') return [...path.slice(path.indexOf(file)), file];
    state.set(file, 'open');
    path.push(file);
    for (const target of next.get(file) ?? []) {
      const cycle = visit(target);
      if (cycle !== undefined) return cycle;
    }
    path.pop();
    state.set(file, 'done');
    return undefined;
  };
  for (const file of next.keys()) {
    const cycle = visit(file);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}
