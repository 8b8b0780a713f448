import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The project's documentation as tests read it: the README front page and every page under
 * docs/, by repository path. Tests that check a claim of the documentation read the page that
 * holds it through here, so a page that moves fails loudly instead of checking nothing.
 */

/** The repository root, with a trailing slash. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Repository paths of every markdown page under `dir` (recursive), sorted. */
function pagesUnder(dir: string): string[] {
  return readdirSync(REPO_ROOT + dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? pagesUnder(`${dir}/${e.name}`) : e.name.endsWith('.md') ? [`${dir}/${e.name}`] : []))
    .sort();
}

/** `README.md`, then every `docs/**\/*.md`, sorted. */
export function docPages(): string[] {
  return ['README.md', ...pagesUnder('docs')];
}

/** The text of one page, by repository path (`docs/ci.md`). */
export function readPage(page: string): string {
  return readFileSync(REPO_ROOT + page, 'utf8');
}

/** The page's lines outside ``` fences, with their 1-based line numbers. */
export function proseLines(text: string): { line: number; text: string }[] {
  let fenced = false;
  return text.split('\n').flatMap((t, i) => {
    if (/^\s*```/.test(t)) {
      fenced = !fenced;
      return [];
    }
    return fenced ? [] : [{ line: i + 1, text: t }];
  });
}

/** The anchors GitHub gives the page's headings (lower case, punctuation dropped, blanks to `-`, repeats numbered). */
export function headingAnchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const { text: line } of proseLines(text)) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = m[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** The text of the section under the heading `title` (any level), up to the next heading of the same or a higher level. */
export function section(text: string, title: string): string {
  const lines = text.split('\n');
  const headings = proseLines(text).flatMap(({ line, text: t }) => {
    const m = /^(#{1,6})\s+(.*?)\s*$/.exec(t);
    return m ? [{ index: line - 1, level: m[1]!.length, title: m[2]! }] : [];
  });
  const start = headings.findIndex((h) => h.title === title);
  if (start < 0) throw new Error(`no section "${title}"`);
  const { index, level } = headings[start]!;
  const end = headings.slice(start + 1).find((h) => h.level <= level);
  return lines.slice(index + 1, end?.index).join('\n');
}
