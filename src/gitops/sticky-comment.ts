import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliIO } from '../cli/io.js';
import { EXIT } from '../cli/io.js';
import { ConfigError, UsageError } from '../errors.js';
import { GitHubUncertainError, createGitHubApi } from './github-api.js';
import type { GitHubApi } from './github-api.js';
import { readApiAccess, readPullRequestRef } from './github-context.js';
import type { PullRequestRef } from './github-context.js';
import { isEntryPoint, parseScriptFlags, processIO, runScript } from './script-entry.js';

/**
 * One pull-request comment that is updated in place on every push instead of piling up: it is
 * found by a hidden HTML marker and by its author (the bot), so a person quoting the marker
 * cannot hijack it.
 */

/** GitHub rejects comment bodies over 65,536 characters; stay a little below. */
export const COMMENT_LIMIT = 65_000;

/** The login that GITHUB_TOKEN comments as. */
export const DEFAULT_AUTHOR = 'github-actions[bot]';

/** An issue comment as the REST API returns it (the fields used here). */
export interface IssueComment {
  /** Comment id. */
  readonly id: number;
  /** Markdown body. */
  readonly body?: string | null;
  /** Author; null for a deleted account. */
  readonly user?: { readonly login: string } | null;
  /** Link to the comment. */
  readonly html_url?: string;
}

/** What upsertStickyComment did. */
export interface StickyCommentResult {
  /** created: no earlier comment; updated: edited in place. */
  readonly action: 'created' | 'updated';
  /** The comment id. */
  readonly id: number;
  /** Link to the comment, when the API returned one. */
  readonly url?: string;
}

/** The hidden marker line for a marker name such as `dbss-policy-plan`. */
export function markerTag(marker: string): string {
  if (!/^[A-Za-z0-9][\w.:-]{0,99}$/.test(marker)) {
    throw new UsageError(`--marker must be letters, digits, ".", "_", ":" or "-" (e.g. dbss-policy-plan), got "${marker}"`);
  }
  return `<!-- ${marker} -->`;
}

/** The full comment body: marker line, then the markdown, cut to COMMENT_LIMIT with a notice. */
export function stickyCommentBody(markdown: string, marker: string): string {
  const head = `${markerTag(marker)}\n`;
  const body = markdown.trimEnd();
  if (head.length + body.length <= COMMENT_LIMIT) return head + body + '\n';
  const notice = '\n\n> **Truncated**: this comment hit GitHub\'s size limit; the full plan is in the workflow run (artifact and job summary).\n';
  const room = COMMENT_LIMIT - head.length - notice.length;
  const cut = body.lastIndexOf('\n', room);
  return head + body.slice(0, cut > room / 2 ? cut : room) + notice;
}

/** The first comment written by `author` that carries the marker. */
export function findStickyComment(comments: readonly IssueComment[], marker: string, author: string): IssueComment | undefined {
  const tag = markerTag(marker);
  return comments.find((c) => c.user?.login === author && typeof c.body === 'string' && c.body.includes(tag));
}

function asComments(items: readonly unknown[]): IssueComment[] {
  return items.filter(
    (c): c is IssueComment => typeof c === 'object' && c !== null && typeof (c as { id?: unknown }).id === 'number',
  );
}

function resultOf(action: StickyCommentResult['action'], data: unknown, fallbackId: number): StickyCommentResult {
  const c = (data ?? {}) as Partial<IssueComment>;
  const id = typeof c.id === 'number' ? c.id : fallbackId;
  return typeof c.html_url === 'string' ? { action, id, url: c.html_url } : { action, id };
}

/** Updates the pull request's sticky comment, or creates it when there is none yet. */
export async function upsertStickyComment(
  api: GitHubApi,
  pr: PullRequestRef,
  options: { readonly marker: string; readonly markdown: string; readonly author?: string },
): Promise<StickyCommentResult> {
  const body = stickyCommentBody(options.markdown, options.marker);
  const repo = `/repos/${encodeURIComponent(pr.owner)}/${encodeURIComponent(pr.repo)}`;
  const comments = asComments(await api.listAll(`${repo}/issues/${pr.number}/comments`));
  const existing = findStickyComment(comments, options.marker, options.author ?? DEFAULT_AUTHOR);
  if (existing) {
    const data = await api.request('PATCH', `${repo}/issues/comments/${existing.id}`, { body: { body } });
    return resultOf('updated', data, existing.id);
  }
  const create = () => api.request('POST', `${repo}/issues/${pr.number}/comments`, { body: { body } });
  try {
    return resultOf('created', await create(), 0);
  } catch (err) {
    if (!(err instanceof GitHubUncertainError)) throw err;
    // GitHub may have created it before failing: look before posting a second copy.
    const again = asComments(await api.listAll(`${repo}/issues/${pr.number}/comments`));
    const created = findStickyComment(again, options.marker, options.author ?? DEFAULT_AUTHOR);
    if (created) return resultOf('created', created, created.id);
    return resultOf('created', await create(), 0);
  }
}

const USAGE = 'usage: sticky-comment --file FILE --marker NAME [--author LOGIN]';

/** `node dist/src/gitops/sticky-comment.js --file plan.md --marker dbss-policy-plan [--author LOGIN]` */
export function runStickyComment(argv: readonly string[], io: CliIO): Promise<number> {
  return runScript('dbss-policy sticky comment', io, async () => {
    const { values } = parseScriptFlags(argv, ['file', 'marker', 'author'], USAGE);
    if (!values.file || !values.marker) throw new UsageError(USAGE);
    markerTag(values.marker);
    const markdown = await readFile(resolve(io.cwd, values.file), 'utf8').catch((err: Error) => {
      throw new ConfigError(`cannot read --file ${values.file}: ${err.message}`);
    });
    const api = createGitHubApi(readApiAccess(io.env));
    const pr = await readPullRequestRef(io.env);
    const result = await upsertStickyComment(api, pr, {
      marker: values.marker,
      markdown,
      ...(values.author ? { author: values.author } : {}),
    });
    io.stdout.write(`${result.action} comment ${result.id} on pull request #${pr.number}${result.url ? `: ${result.url}` : ''}\n`);
    return EXIT.ok;
  });
}

if (isEntryPoint(import.meta.url)) process.exitCode = await runStickyComment(process.argv.slice(2), processIO());
