import { readFile } from 'node:fs/promises';
import type { CliIO } from '../cli/io.js';
import { ConfigError } from '../errors.js';

type Env = CliIO['env'];

/** A pull request of a repository. */
export interface PullRequestRef {
  /** Repository owner (user or organisation). */
  readonly owner: string;
  /** Repository name. */
  readonly repo: string;
  /** Pull request (= issue) number. */
  readonly number: number;
}

/** What a script needs to call the GitHub REST API. */
export interface ApiAccess {
  /** REST API base URL without a trailing slash (GITHUB_API_URL, default https://api.github.com). */
  readonly apiUrl: string;
  /** The token (GITHUB_TOKEN); never printed. */
  readonly token: string;
}

/** The pull request a workflow run is about, read from its event payload. */
export interface PullRequestEvent {
  /** Pull request number. */
  readonly number: number;
  /** Head commit of the pull request, when the payload names it. */
  readonly headSha?: string;
}

/** GITHUB_TOKEN and GITHUB_API_URL. */
export function readApiAccess(env: Env): ApiAccess {
  const token = env['GITHUB_TOKEN'] ?? '';
  if (token === '') {
    throw new ConfigError('GITHUB_TOKEN is not set: pass it to the step, e.g. env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}');
  }
  const apiUrl = (env['GITHUB_API_URL'] || 'https://api.github.com').replace(/\/+$/, '');
  if (!/^https?:\/\//.test(apiUrl)) throw new ConfigError(`GITHUB_API_URL is not an http(s) URL: "${apiUrl}"`);
  return { apiUrl, token };
}

/** Owner and name from GITHUB_REPOSITORY (`owner/name`). */
export function readRepository(env: Env): { owner: string; repo: string } {
  const full = env['GITHUB_REPOSITORY'] ?? '';
  const match = /^([\w.-]+)\/([\w.-]+)$/.exec(full);
  if (!match) throw new ConfigError(`GITHUB_REPOSITORY must be "owner/name", got "${full}"`);
  return { owner: match[1]!, repo: match[2]! };
}

/** The pull request named by the event payload at GITHUB_EVENT_PATH. */
export async function readPullRequestEvent(env: Env): Promise<PullRequestEvent> {
  const path = env['GITHUB_EVENT_PATH'] ?? '';
  if (path === '') throw new ConfigError('GITHUB_EVENT_PATH is not set (run this inside a GitHub Actions job)');
  let payload: unknown;
  try {
    payload = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ConfigError(`cannot read the event payload ${path}: ${reason}`);
  }
  const event = payload as {
    pull_request?: { number?: unknown; head?: { sha?: unknown } };
    issue?: { number?: unknown; pull_request?: unknown };
  };
  const number = event.pull_request?.number ?? (event.issue?.pull_request ? event.issue.number : undefined);
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 1) {
    throw new ConfigError(`the event payload ${path} names no pull request (is the workflow triggered by pull_request?)`);
  }
  const sha = event.pull_request?.head?.sha;
  return typeof sha === 'string' ? { number, headSha: sha } : { number };
}

/** The repository and pull request of this run. */
export async function readPullRequestRef(env: Env): Promise<PullRequestRef> {
  const { owner, repo } = readRepository(env);
  const { number } = await readPullRequestEvent(env);
  return { owner, repo, number };
}

/** Link to this workflow run, when the standard variables are set. */
export function runUrl(env: Env): string | undefined {
  const server = env['GITHUB_SERVER_URL'];
  const repository = env['GITHUB_REPOSITORY'];
  const runId = env['GITHUB_RUN_ID'];
  if (!server || !repository || !runId) return undefined;
  return `${server.replace(/\/+$/, '')}/${repository}/actions/runs/${runId}`;
}
