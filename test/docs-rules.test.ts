/**
 * The rules the code cites are shipped: every "rule 12" (or "rules 16-18, 23") and every "S20" (or
 * "S3.4") written in src/ or test/ has its heading in docs/rules.md ("### Rule 12") or
 * docs/search-rules.md ("### S20", and "**S3.4**" under S3), and every "section 2" its anchor, so a
 * citation never points at nothing. And every link between the Markdown pages (README.md, docs/)
 * reaches a file that exists and, with a `#fragment`, a heading or anchor of it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { documentationFiles, sourceFiles } from './examples.js';

const root = join(import.meta.dirname, '..');

function read(path: string): string {
  return readFileSync(join(root, path), 'utf8');
}

/** The numbers of "1-6, 16, 18" (hyphen or en dash for a range). */
function expand(list: string): number[] {
  return list.split(/\s*(?:,|and)\s*/).flatMap((part) => {
    const [from, to] = part.split(/\s*[-–]\s*/).map(Number);
    if (from === undefined || Number.isNaN(from)) return [];
    if (to === undefined || Number.isNaN(to)) return [from];
    return Array.from({ length: to - from + 1 }, (_, index) => from + index);
  });
}

interface Citations {
  readonly rules: ReadonlyMap<number, string>;
  readonly search: ReadonlyMap<string, string>;
  readonly sections: ReadonlyMap<number, string>;
}

/** Every citation in a text, each with the first place (`file:line`) it was seen. */
function citationsOf(texts: readonly (readonly [string, string])[]): Citations {
  const rules = new Map<number, string>();
  const search = new Map<string, string>();
  const sections = new Map<number, string>();
  for (const [name, text] of texts) {
    text.split('\n').forEach((line, index) => {
      const where = `${name}:${index + 1}`;
      for (const match of line.matchAll(
        /\brules? (\d+(?:\s*[-–]\s*\d+)?(?:\s*(?:,|and)\s*\d+(?:\s*[-–]\s*\d+)?)*)/gi,
      )) {
        for (const number of expand(match[1] ?? '')) if (!rules.has(number)) rules.set(number, where);
      }
      for (const match of line.matchAll(/\bS(\d+(?:\.\d+)?)\b/g)) {
        const id = `S${match[1]}`;
        if (!search.has(id)) search.set(id, where);
      }
      for (const match of line.matchAll(/\bsection (\d+)\b/gi)) {
        const number = Number(match[1]);
        if (!sections.has(number)) sections.set(number, where);
      }
    });
  }
  return { rules, search, sections };
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a Markdown file: its headings (outside code fences), numbered when repeated, and `<a id>`s. */
function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    if (fenced) continue;
    const heading = /^#{1,6} (.*)$/.exec(line)?.[1];
    if (heading !== undefined) {
      const base = slug(heading);
      const count = seen.get(base) ?? 0;
      seen.set(base, count + 1);
      anchors.add(count === 0 ? base : `${base}-${count}`);
    }
    for (const match of line.matchAll(/<a id="([^"]+)"><\/a>/g)) anchors.add(match[1] ?? '');
  }
  return anchors;
}

const RULES = read('docs/rules.md');
const SEARCH_RULES = read('docs/search-rules.md');
const ruleHeadings = [...RULES.matchAll(/^### Rule (\d+)$/gm)].map((match) => Number(match[1]));
const searchHeadings = [...SEARCH_RULES.matchAll(/^### S(\d+)$/gm)].map((match) => Number(match[1]));

/** The sources and the tests, this file aside (its examples cite rules that do not exist, on purpose). */
const code = [...sourceFiles(join(root, 'src')), ...sourceFiles(join(root, 'test'))]
  .map((path) => [relative(root, path), readFileSync(path, 'utf8')] as const)
  .filter(([name]) => name !== 'test/docs-rules.test.ts');
const cited = citationsOf(code);

describe('every rule the code cites has its heading in docs/', () => {
  test('the scan finds the citations of the code (it would see a dangling one)', () => {
    expect(cited.rules.size).toBeGreaterThan(25);
    expect(cited.search.size).toBeGreaterThan(25);
    expect(citationsOf([['x.ts', '// rules 1-3, 7 and S3.4, S40; section 9']])).toStrictEqual({
      rules: new Map([1, 2, 3, 7].map((number) => [number, 'x.ts:1'])),
      search: new Map([
        ['S3.4', 'x.ts:1'],
        ['S40', 'x.ts:1'],
      ]),
      sections: new Map([[9, 'x.ts:1']]),
    });
  });

  test('docs/rules.md numbers its rules 1, 2, 3, ... once each, and docs/search-rules.md S1, S2, ...', () => {
    expect(ruleHeadings).toStrictEqual(Array.from({ length: ruleHeadings.length }, (_, index) => index + 1));
    expect(new Set(searchHeadings).size).toBe(searchHeadings.length);
    expect(searchHeadings).toStrictEqual([...searchHeadings].sort((left, right) => left - right));
  });

  test('every "rule N" has a "### Rule N" in docs/rules.md', () => {
    const dangling = [...cited.rules].filter(([number]) => !ruleHeadings.includes(number));
    expect(dangling).toStrictEqual([]);
  });

  test('every "SN" has a "### SN" in docs/search-rules.md, and every "SN.M" a "**SN.M**" under it', () => {
    const dangling = [...cited.search].filter(([id]) => {
      const [whole, part] = id.slice(1).split('.');
      if (!searchHeadings.includes(Number(whole))) return true;
      return part !== undefined && !SEARCH_RULES.includes(`**${id}**`);
    });
    expect(dangling).toStrictEqual([]);
  });

  test('every source named by its short name (DOC-QS, REC-GO, ISSUE-NET979) has its row in docs/search-rules.md', () => {
    const rows = new Set([...SEARCH_RULES.matchAll(/^\| ([A-Z][A-Z0-9-]+) +\|/gm)].map((match) => match[1]));
    const named = code.flatMap(([name, text]) =>
      [...text.matchAll(/\b(?:(?:DOC|REC|OBS|ISSUE)-[A-Z0-9]+(?:-[A-Z0-9]+)*|JAVA-EX)\b/g)].map(
        (match) => [match[0], name] as const,
      ),
    );
    expect(named.length).toBeGreaterThan(3);
    expect(named.filter(([source]) => !rows.has(source))).toStrictEqual([]);
  });

  test('every "section N" has its anchor in docs/rules.md', () => {
    const anchors = anchorsOf(RULES);
    const dangling = [...cited.sections].filter(([number]) => !anchors.has(`section-${number}`));
    expect(dangling).toStrictEqual([]);
  });

  test('every link from the code to docs/ (docs/rules.md#rule-12) reaches its page and anchor', () => {
    const broken = code.flatMap(([name, text]) =>
      [...text.matchAll(/\bdocs\/([\w-]+\.md)(?:#([\w-]+))?/g)].flatMap((match) => {
        const page = `docs/${match[1]}`;
        if (!existsSync(join(root, page))) return [`${name}: ${match[0]}`];
        const fragment = match[2];
        return fragment === undefined || anchorsOf(read(page)).has(fragment) ? [] : [`${name}: ${match[0]}`];
      }),
    );
    expect(broken).toStrictEqual([]);
  });
});

describe('the links between the Markdown pages', () => {
  test('every relative link reaches a file, and every fragment a heading or anchor of it', () => {
    const broken: string[] = [];
    for (const file of documentationFiles()) {
      const text = read(file).replace(/^```[\s\S]*?^```/gm, '');
      for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = match[1] ?? '';
        if (/^[a-z]+:/.test(target)) continue;
        const [path = '', fragment] = target.split('#');
        const resolved = path === '' ? file : normalize(join(dirname(file), path));
        if (!existsSync(join(root, resolved))) broken.push(`${file}: ${target}`);
        else if (fragment !== undefined && resolved.endsWith('.md') && !anchorsOf(read(resolved)).has(fragment)) {
          broken.push(`${file}: ${target}`);
        }
      }
    }
    expect(broken).toStrictEqual([]);
  });
});

describe('the README', () => {
  test('its first commands are the two that set the project up: npm ci && npm start, npm ci && npm test', () => {
    const first = /^```sh\n([\s\S]*?)^```/m.exec(read('README.md'))?.[1] ?? '';
    const commands = first.split('\n').map((line) => line.replace(/\s+#.*$/, '').trim());
    expect(commands.slice(0, 2)).toStrictEqual(['npm ci && npm start', 'npm ci && npm test']);
  });

  test('links docs/index.md, which lists every page of docs/', () => {
    const index = read('docs/index.md');
    const pages = documentationFiles().filter((file) => file.startsWith('docs/') && file !== 'docs/index.md');
    expect(pages.filter((page) => !index.includes(`](${page.slice('docs/'.length)})`))).toStrictEqual([]);
    expect(read('README.md')).toContain('](docs/index.md)');
  });
});
