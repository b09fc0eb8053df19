/**
 * The code examples of the project: every `@example` of the TSDoc in src/, every ts/js code block of
 * README.md and of every page of docs/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = join(import.meta.dirname, '..');

export interface Example {
  readonly name: string;
  readonly code: string;
  /** The fence's language (`ts`, `js`, ...); TSDoc examples are `ts`. */
  readonly language: string;
}

export function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function commentText(comment: string | ts.NodeArray<ts.JSDocComment> | undefined): string {
  if (comment === undefined) return '';
  if (typeof comment === 'string') return comment;
  return comment.map((part) => part.text).join('');
}

/** The `@example` blocks of the exported declarations of a file. */
export function tsdocExamples(path: string): Example[] {
  const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
  const examples: Example[] = [];
  const visit = (node: ts.Node): void => {
    for (const tag of ts.getJSDocTags(node)) {
      if (tag.tagName.text !== 'example') continue;
      const name = ts.isFunctionDeclaration(node) || ts.isVariableStatement(node) ? declarationName(node) : 'example';
      const code = commentText(tag.comment);
      if (!examples.some((example) => example.code === code)) {
        examples.push({ name: `${relative(root, path)} ${name}`, code, language: 'ts' });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return examples;
}

function declarationName(node: ts.FunctionDeclaration | ts.VariableStatement): string {
  if (ts.isFunctionDeclaration(node)) return node.name?.text ?? 'function';
  const [first] = node.declarationList.declarations;
  return first !== undefined && ts.isIdentifier(first.name) ? first.name.text : 'variable';
}

/** README.md, then every page of docs/ (`docs/<name>.md`), as paths relative to the project. */
export function documentationFiles(): string[] {
  const pages = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...pages];
}

/** The ts/js code blocks of one Markdown file (fences with more after the language, such as ```ts recipe, are not run). */
export function markdownExamples(file: string): Example[] {
  const text = readFileSync(join(root, file), 'utf8');
  const blocks = [...text.matchAll(/^```(ts|typescript|js|javascript)\n([\s\S]*?)^```/gm)];
  return blocks.map((match, index) => ({
    name: `${file} block ${index + 1}`,
    code: match[2] ?? '',
    language: match[1] === 'typescript' ? 'ts' : (match[1] ?? 'ts'),
  }));
}

/** The code blocks of the README and of every page of docs/. */
export function documentationExamples(): Example[] {
  return documentationFiles().flatMap(markdownExamples);
}
