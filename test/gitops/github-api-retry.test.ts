import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubApi } from '../../src/gitops/github-api.js';
import type { GitHubApi } from '../../src/gitops/github-api.js';
import { DEFAULT_RETRY_POLICY, retryDelay } from '../../src/gitops/github-retry.js';
import { setPullRequestLabel } from '../../src/gitops/pr-label.js';
import { upsertStickyComment } from '../../src/gitops/sticky-comment.js';
import { startFakeGitHub } from './helpers/fake-github.js';
import type { FakeGitHub } from './helpers/fake-github.js';

/**
 * GitHub API calls survive GitHub's bad moments: 5xx answers and network errors are retried with
 * a capped backoff, secondary rate limits after the wait GitHub names. The waits are recorded by
 * an injected sleep, so nothing here really waits.
 */

const TOKEN = 'ghs_R3tryT0kenValue1234567890';
const PR = { owner: 'acme', repo: 'policies', number: 7 };
const MARKER = 'dbss-policy-plan';
const NOW = 1_800_000_000_000;

let gh: FakeGitHub;
let waits: number[];
let api: GitHubApi;

beforeEach(async () => {
  gh = await startFakeGitHub({ token: TOKEN });
  waits = [];
  api = createGitHubApi({ apiUrl: gh.apiUrl, token: TOKEN }, { sleep: async (ms) => void waits.push(ms), now: () => NOW });
});
afterEach(() => gh.close());

const markerComments = () => (gh.comments.get(PR.number) ?? []).filter((c) => c.body.includes(`<!-- ${MARKER} -->`));
const upsert = (markdown = 'the plan') => upsertStickyComment(api, PR, { marker: MARKER, markdown });

describe('5xx answers', () => {
  it('a 502 and a 503 while listing comments are retried after 1 s and 2 s, and the comment is posted', async () => {
    gh.failures.push({ method: 'GET', pathPrefix: '/repos/', status: 502, message: 'Bad Gateway', times: 1 });
    gh.failures.push({ method: 'GET', pathPrefix: '/repos/', status: 503, message: 'Unavailable', times: 1 });
    expect(await upsert()).toMatchObject({ action: 'created' });
    expect(waits).toEqual([1_000, 2_000]);
    expect(gh.requests.map((r) => r.method)).toEqual(['GET', 'GET', 'GET', 'POST']);
    expect(markerComments()).toHaveLength(1);
  });

  it('a 500 on the update is retried (PATCH is idempotent)', async () => {
    await upsert('first');
    gh.failures.push({ method: 'PATCH', pathPrefix: '/repos/', status: 500, message: 'oops', times: 1 });
    expect(await upsert('second')).toMatchObject({ action: 'updated' });
    expect(waits).toEqual([1_000]);
    expect(markerComments().map((c) => c.body)).toEqual([`<!-- ${MARKER} -->\nsecond\n`]);
  });

  it('gives up after 4 retries (1, 2, 4, 8 s) and says so', async () => {
    gh.failures.push({ method: 'GET', pathPrefix: '/repos/', status: 502, message: 'Bad Gateway' });
    await expect(upsert()).rejects.toThrow(/^GET \/repos\/acme\/policies\/issues\/7\/comments: 502 Bad Gateway \(gave up after 5 tries\)$/);
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(gh.requests).toHaveLength(5);
  });

  it('a 4xx that is not a rate limit is not retried', async () => {
    gh.failures.push({ method: 'GET', pathPrefix: '/repos/', status: 404, message: 'Not Found' });
    await expect(upsert()).rejects.toThrow(/404 Not Found$/);
    gh.failures.push({ method: 'POST', pathPrefix: '/repos/', status: 403, message: 'Resource not accessible by integration' });
    await expect(api.request('POST', '/repos/acme/policies/issues/7/comments', { body: { body: 'x' } })).rejects.toThrow(/403 Resource not accessible/);
    expect(waits).toEqual([]);
  });
});

describe('creating the comment is never repeated blindly', () => {
  it('a 502 after GitHub created the comment: the list shows it, so no second copy', async () => {
    gh.failures.push({ method: 'POST', pathPrefix: '/repos/', status: 502, message: 'Bad Gateway', times: 1, afterApplying: true });
    expect(await upsert()).toMatchObject({ action: 'created' });
    expect(markerComments()).toHaveLength(1);
    expect(gh.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'GET']);
    expect(waits).toEqual([]);
  });

  it('a 502 before GitHub created it: the list is empty, so it is posted once more', async () => {
    gh.failures.push({ method: 'POST', pathPrefix: '/repos/', status: 502, message: 'Bad Gateway', times: 1 });
    expect(await upsert()).toMatchObject({ action: 'created' });
    expect(markerComments()).toHaveLength(1);
    expect(gh.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'GET', 'POST']);
  });

  it('adding a label is idempotent, so its POST is retried', async () => {
    gh.failures.push({ method: 'POST', pathPrefix: '/repos/', status: 504, message: 'Gateway Timeout', times: 2 });
    expect(await setPullRequestLabel(api, PR, 'dbss-policy: destructive', true)).toBe('added');
    expect(waits).toEqual([1_000, 2_000]);
    expect([...gh.labels.get(PR.number)!]).toEqual(['dbss-policy: destructive']);
  });
});

describe('secondary rate limits', () => {
  it('403 with retry-after: waits that long, then goes on (a POST too: it was refused, not carried out)', async () => {
    gh.failures.push({ method: 'POST', pathPrefix: '/repos/', status: 403, message: 'You have exceeded a secondary rate limit', times: 1, headers: { 'retry-after': '7' } });
    expect(await upsert()).toMatchObject({ action: 'created' });
    expect(waits).toEqual([7_000]);
    expect(markerComments()).toHaveLength(1);
  });

  it('429 with retry-after, and 403 with x-ratelimit-remaining 0 until x-ratelimit-reset', async () => {
    gh.failures.push({ method: 'GET', pathPrefix: '/repos/', status: 429, message: 'Too Many Requests', times: 1, headers: { 'retry-after': '3' } });
    gh.failures.push({
      method: 'GET', pathPrefix: '/repos/', status: 403, message: 'API rate limit exceeded', times: 1,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 30) },
    });
    expect(await upsert()).toMatchObject({ action: 'created' });
    expect(waits).toEqual([3_000, 30_000]);
  });

  it('a limit that resets in an hour is not waited for: the step fails at once with the reason', async () => {
    gh.failures.push({
      method: 'GET', pathPrefix: '/repos/', status: 403, message: 'API rate limit exceeded', times: 1,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 3600) },
    });
    await expect(upsert()).rejects.toThrow(/403 API rate limit exceeded$/);
    expect(waits).toEqual([]);
  });
});

describe('network errors', () => {
  it('a refused connection is retried, then reported with the number of tries', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const dead = createGitHubApi({ apiUrl: `http://127.0.0.1:${port}`, token: TOKEN }, { sleep: async (ms) => void waits.push(ms) });
    await expect(dead.request('GET', '/repos/acme/policies/issues/7/comments')).rejects.toThrow(/request failed: .*\(gave up after 5 tries\)$/);
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000]);
  });
});

describe('retryDelay', () => {
  const at = (status: number, headers: Record<string, string> = {}) => ({ status, headers: new Headers(headers) });
  const delay = (answer: ReturnType<typeof at> | undefined, attempt: number, idempotent = true) =>
    retryDelay(answer, attempt, { idempotent, now: NOW, policy: DEFAULT_RETRY_POLICY });

  it('caps the backoff and the number of retries', () => {
    expect([1, 2, 3, 4, 5].map((n) => delay(at(500), n))).toEqual([1_000, 2_000, 4_000, 8_000, undefined]);
    expect(retryDelay(at(502), 3, { idempotent: true, now: NOW, policy: { retries: 9, baseDelayMs: 1_000, maxDelayMs: 3_000 } })).toBe(3_000);
  });

  it('after a 5xx or no answer retries only idempotent requests; a rate limit always', () => {
    expect(delay(at(502), 1, false)).toBeUndefined();
    expect(delay(undefined, 1, false)).toBeUndefined();
    expect(delay(undefined, 1, true)).toBe(1_000);
    expect(delay(at(429), 1, false)).toBe(60_000);
    expect(delay(at(403, { 'retry-after': '0' }), 1, false)).toBe(0);
    expect(delay(at(403), 1)).toBeUndefined();
    expect(delay(at(429, { 'retry-after': '61' }), 1)).toBeUndefined();
  });
});
