import { existsSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docPages, headingAnchors, proseLines, readPage, REPO_ROOT } from '../helpers/doc-pages.js';

/**
 * The README is a front page and the rest of the documentation lives in docs/: every relative
 * link of every page must reach a file that exists, and a `#anchor` a heading of that file.
 */

/** One relative link with where it is. */
interface Link {
  /** `page:line`. */
  readonly where: string;
  /** The page it is on (repository path). */
  readonly page: string;
  /** The link target as written. */
  readonly target: string;
}

/** The relative links of a page: `[text](target)` outside code fences and inline code. */
function relativeLinks(page: string, text: string): Link[] {
  return proseLines(text).flatMap(({ line, text: t }) =>
    [...t.replace(/`[^`]*`/g, '``').matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
      .map((m) => m[1]!)
      .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target))
      .map((target) => ({ where: `${page}:${line}`, page, target })),
  );
}

/** What is wrong with a link, or undefined. */
function linkProblem(link: Link): string | undefined {
  const [path = '', anchor] = link.target.split('#') as [string, string | undefined];
  const file = path === '' ? link.page : normalize(join(dirname(link.page), decodeURIComponent(path)));
  if (file.startsWith('..')) return `${link.where}: ${link.target} leaves the repository`;
  if (!existsSync(REPO_ROOT + file)) return `${link.where}: ${link.target}: ${file} does not exist`;
  if (anchor === undefined) return undefined;
  if (statSync(REPO_ROOT + file).isDirectory() || !file.endsWith('.md')) return `${link.where}: ${link.target}: an anchor into ${file}, which is not a page`;
  if (!headingAnchors(readPage(file)).has(anchor)) return `${link.where}: ${link.target}: ${file} has no heading #${anchor}`;
  return undefined;
}

describe('the documentation', () => {
  const pages = docPages();

  it('is the README front page and the docs/ tree', () => {
    expect(pages[0]).toBe('README.md');
    expect(pages).toEqual(expect.arrayContaining(['docs/index.md', 'docs/ci.md', 'docs/policy-format.md', 'docs/troubleshooting.md']));
  });

  it('README.md stays a front page: under 250 lines', () => {
    expect(readPage('README.md').split('\n').length).toBeLessThan(250);
  });

  it('every relative link in README.md and docs/ reaches an existing file, and every #anchor a heading of it', () => {
    const links = pages.flatMap((page) => relativeLinks(page, readPage(page)));
    expect(links.length).toBeGreaterThan(50);
    expect(links.map(linkProblem).filter((p) => p !== undefined)).toEqual([]);
  });

  it('the README links to the docs index, and the index links to every page of docs/', () => {
    expect(relativeLinks('README.md', readPage('README.md')).map((l) => l.target)).toContain('docs/index.md');
    const linked = new Set(relativeLinks('docs/index.md', readPage('docs/index.md')).map((l) => normalize(join('docs', l.target.split('#')[0]!))));
    expect(pages.filter((p) => p.startsWith('docs/') && p !== 'docs/index.md' && !linked.has(p))).toEqual([]);
  });
});

describe('the link check itself', () => {
  const problems = (page: string, text: string): (string | undefined)[] => relativeLinks(page, text).map(linkProblem);

  it('finds a missing file, a missing anchor and a link out of the repository, and ignores URLs and code', () => {
    const text = [
      '[ok](ci.md) [ok](ci.md#checking-the-workflows) [ok](../README.md#a-five-minute-tour) [web](https://example.com/x.md)',
      '[gone](nowhere.md) [bad anchor](ci.md#no-such-heading) [out](../../x.md)',
      '`[code](nowhere.md)`',
      '```',
      '[fenced](nowhere.md)',
      '```',
    ].join('\n');
    expect(problems('docs/x.md', text)).toEqual([
      undefined,
      undefined,
      undefined,
      'docs/x.md:2: nowhere.md: docs/nowhere.md does not exist',
      'docs/x.md:2: ci.md#no-such-heading: docs/ci.md has no heading #no-such-heading',
      'docs/x.md:2: ../../x.md leaves the repository',
    ]);
  });

  it('computes anchors as GitHub does: punctuation and backticks dropped, underscores kept, repeats numbered', () => {
    const anchors = headingAnchors('# A\n## `summary_tasks`\n## The request rate: `--rate-limit auto`, and sharding\n## Notes\n## Notes\n```\n# not a heading\n```\n');
    expect([...anchors]).toEqual(['a', 'summary_tasks', 'the-request-rate---rate-limit-auto-and-sharding', 'notes', 'notes-1']);
  });
});

