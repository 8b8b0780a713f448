import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubApi } from '../../src/gitops/github-api.js';
import {
  COMMENT_LIMIT,
  findStickyComment,
  runStickyComment,
  stickyCommentBody,
  upsertStickyComment,
} from '../../src/gitops/sticky-comment.js';
import { startFakeGitHub } from './helpers/fake-github.js';
import type { FakeGitHub } from './helpers/fake-github.js';
import { captureIO, tempDir, writePullRequestEvent } from './helpers/io.js';

const TOKEN = 'ghs_S3cretT0kenValue1234567890';
const MARKER = 'dbss-policy-plan';
const TAG = `<!-- ${MARKER} -->`;
const PR = 7;

let gh: FakeGitHub;
let dir: string;
let env: Record<string, string>;

beforeEach(async () => {
  gh = await startFakeGitHub({ token: TOKEN });
  dir = await tempDir();
  env = {
    GITHUB_TOKEN: TOKEN,
    GITHUB_API_URL: gh.apiUrl,
    GITHUB_REPOSITORY: 'acme/policies',
    GITHUB_EVENT_PATH: await writePullRequestEvent(dir, PR),
  };
});
afterEach(() => gh.close());

async function post(markdown: string, extraArgs: string[] = []) {
  await writeFile(join(dir, 'plan.md'), markdown);
  const io = captureIO(env, dir);
  const code = await runStickyComment(['--file', 'plan.md', '--marker', MARKER, ...extraArgs], io);
  return { code, out: io.out(), err: io.err() };
}

const markerComments = () => (gh.comments.get(PR) ?? []).filter((c) => c.body.includes(TAG));
const methods = () => gh.requests.map((r) => r.method);

describe('sticky plan comment', () => {
  it('creates the comment when the pull request has none yet', async () => {
    gh.seed(PR, 3);
    const r = await post('## Plan\n\n1 to create');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/^created comment \d+ on pull request #7/);
    expect(methods()).toEqual(['GET', 'POST']);
    expect(markerComments()).toHaveLength(1);
    expect(markerComments()[0]!.body).toBe(`${TAG}\n## Plan\n\n1 to create\n`);
    expect(markerComments()[0]!.login).toBe('github-actions[bot]');
  });

  it('updates the same comment in place on the next push instead of adding one', async () => {
    await post('first plan');
    const second = await post('second plan');
    expect(second.out).toMatch(/^updated comment/);
    expect(methods()).toEqual(['GET', 'POST', 'GET', 'PATCH']);
    expect(markerComments().map((c) => c.body)).toEqual([`${TAG}\nsecond plan\n`]);
  });

  it('finds its comment on a later page of a long conversation', async () => {
    gh.seed(PR, 250, { 180: { login: 'github-actions[bot]', body: `${TAG}\nold plan` } });
    const target = gh.comments.get(PR)![180]!;
    const r = await post('new plan');
    expect(r.code).toBe(0);
    const gets = gh.requests.filter((q) => q.method === 'GET');
    expect(gets).toHaveLength(3);
    expect(gets[0]!.url).toContain('per_page=100');
    expect(gets[2]!.url).toContain('page=3');
    expect(gh.requests.at(-1)).toMatchObject({ method: 'PATCH', url: `/api/v3/repos/acme/policies/issues/comments/${target.id}` });
    expect(target.body).toBe(`${TAG}\nnew plan\n`);
    expect(gh.comments.get(PR)).toHaveLength(250);
  });

  it('ignores a comment by someone else that quotes the marker', async () => {
    gh.seed(PR, 2, { 1: { login: 'mallory', body: `look: ${TAG} hijacked` } });
    const r = await post('real plan');
    expect(r.out).toMatch(/^created/);
    expect(gh.comments.get(PR)![1]!.body).toBe(`look: ${TAG} hijacked`);
    expect(markerComments().map((c) => c.login)).toEqual(['mallory', 'github-actions[bot]']);
  });

  it('matches the author given with --author (a GitHub App or user token)', async () => {
    gh.seed(PR, 2, { 0: { login: 'dbss-bot[bot]', body: `${TAG}\nold` } });
    const r = await post('new', ['--author', 'dbss-bot[bot]']);
    expect(r.out).toMatch(/^updated/);
    expect(gh.comments.get(PR)![0]!.body).toBe(`${TAG}\nnew\n`);
  });

  it('never shows the token, even when the API echoes it back in an error', async () => {
    gh.seed(PR, 1, { 0: { login: 'github-actions[bot]', body: TAG } });
    gh.failures.push({ method: 'PATCH', pathPrefix: '/repos/', status: 403, message: `token ${TOKEN} lacks pull-requests: write` });
    const r = await post('plan');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^::error title=dbss-policy sticky comment::PATCH \/repos\/acme\/policies\/issues\/comments\/\d+: 403 token \*\*\* lacks/);
    expect(r.out + r.err).not.toContain(TOKEN);
  });

  it('reports a wrong token and an unreachable API without the token', async () => {
    env.GITHUB_TOKEN = `${TOKEN}-wrong`;
    const wrong = await post('plan');
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('401 Bad credentials');
    expect(wrong.err).not.toContain(TOKEN);
    env.GITHUB_TOKEN = TOKEN;
    env.GITHUB_API_URL = 'http://127.0.0.1:1/api/v3';
    const down = await post('plan');
    expect(down.code).toBe(1);
    expect(down.err).toMatch(/GET \/repos\/acme\/policies\/issues\/7\/comments: request failed/);
    expect(down.err).not.toContain(TOKEN);
  });

  it('explains missing configuration and bad flags', async () => {
    delete env.GITHUB_TOKEN;
    const noToken = await post('plan');
    expect(noToken.err).toMatch(/GITHUB_TOKEN is not set/);
    env.GITHUB_TOKEN = TOKEN;
    const io = captureIO(env, dir);
    expect(await runStickyComment(['--file', 'plan.md'], io)).toBe(1);
    expect(io.err()).toContain('usage: sticky-comment --file FILE --marker NAME');
    expect(await runStickyComment(['--file', 'plan.md', '--marker', 'x --> <script>'], io)).toBe(1);
    expect(io.err()).toContain('--marker must be letters');
    expect(await runStickyComment(['--file', 'missing.md', '--marker', MARKER], io)).toBe(1);
    expect(io.err()).toMatch(/cannot read --file missing\.md/);
    expect(gh.requests).toHaveLength(0);
  });
});

describe('sticky comment building blocks', () => {
  it('cuts an oversized body below the limit, keeping the marker and saying so', () => {
    const huge = Array.from({ length: 3000 }, (_, i) => `| rule-${i} | create | ${'x'.repeat(20)} |`).join('\n');
    const body = stickyCommentBody(huge, MARKER);
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body.startsWith(`${TAG}\n| rule-0 |`)).toBe(true);
    expect(body).toMatch(/\| x{20} \|\n\n> \*\*Truncated\*\*/);
  });

  it('picks the first bot comment with the marker', () => {
    const comments = [
      { id: 1, body: TAG, user: { login: 'alice' } },
      { id: 2, body: null, user: { login: 'github-actions[bot]' } },
      { id: 3, body: `${TAG}\nx`, user: null },
      { id: 4, body: `${TAG}\nfirst`, user: { login: 'github-actions[bot]' } },
      { id: 5, body: `${TAG}\nsecond`, user: { login: 'github-actions[bot]' } },
    ];
    expect(findStickyComment(comments, MARKER, 'github-actions[bot]')?.id).toBe(4);
    expect(findStickyComment(comments, 'other-marker', 'github-actions[bot]')).toBeUndefined();
  });

  it('keeps the token out of API errors by itself, not only in the script wrapper', async () => {
    gh.failures.push({ method: 'GET', pathPrefix: '/echo', status: 500, message: `upstream saw ${TOKEN}` });
    const api = createGitHubApi({ apiUrl: gh.apiUrl, token: TOKEN }, { sleep: async () => {} });
    await expect(api.request('GET', '/echo')).rejects.toThrow(/^GET \/echo: 500 upstream saw \*\*\* \(gave up after 5 tries\)$/);
  });

  it('does not follow a next-page link to another host (the token would go along)', async () => {
    await gh.close();
    gh = await startFakeGitHub({ token: TOKEN, pageSize: 2, linkOrigin: 'http://127.0.0.2:9' });
    gh.seed(PR, 5);
    const api = createGitHubApi({ apiUrl: gh.apiUrl, token: TOKEN });
    await expect(
      upsertStickyComment(api, { owner: 'acme', repo: 'policies', number: PR }, { marker: MARKER, markdown: 'x' }),
    ).rejects.toThrow(/next page link leaves http:\/\/127\.0\.0\.1:\d+, not followed/);
    expect(gh.requests).toHaveLength(1);
  });
});
