import { DbssPolicyError } from '../errors.js';
import type { ApiAccess } from './github-context.js';
import { DEFAULT_RETRY_POLICY, retryDelay } from './github-retry.js';
import type { RetryPolicy } from './github-retry.js';
import { redact } from './script-entry.js';

/** The few GitHub REST calls the gitops scripts make. */
export interface GitHubApi {
  /**
   * One request to a path under the API URL (e.g. `/repos/o/r/issues/1/comments`). Resolves
   * to the parsed JSON body (undefined when empty), or null for a status listed in
   * `tolerate`. Any other non-2xx status rejects with a DbssPolicyError of code API; a
   * non-idempotent request that GitHub may still have carried out rejects with
   * GitHubUncertainError. `idempotent` defaults to true for every method but POST.
   */
  request(
    method: string,
    path: string,
    options?: { body?: unknown; tolerate?: readonly number[]; idempotent?: boolean },
  ): Promise<unknown>;
  /** Every item of a paged list, following `Link: rel="next"` (only to the same API). */
  listAll(path: string): Promise<unknown[]>;
}

/** Options of createGitHubApi. */
export interface GitHubApiOptions {
  /** Stop following pages after this many (a bound, not a tuning knob). Default 100. */
  readonly maxPages?: number;
  /** Per-request timeout in milliseconds. Default 30 s. */
  readonly timeoutMs?: number;
  /** Retries of 5xx answers, network errors and rate limits. Default DEFAULT_RETRY_POLICY. */
  readonly retry?: RetryPolicy;
  /** Waits between tries; tests pass one that records the wait instead. Default: a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The clock that `x-ratelimit-reset` is compared with (ms since the epoch). Default Date.now. */
  readonly now?: () => number;
}

/**
 * A request that failed in a way that leaves open whether GitHub carried it out: a POST answered
 * 5xx or not answered at all. Retrying blindly could, e.g., post a comment twice.
 */
export class GitHubUncertainError extends DbssPolicyError {
  constructor(message: string) {
    super('API', message);
    this.name = 'GitHubUncertainError';
  }
}

const API_VERSION = '2022-11-28';

/** The URL of the `rel="next"` entry of a Link header, if any. */
export function nextPageUrl(link: string | null): string | undefined {
  for (const part of (link ?? '').split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (match) return match[1];
  }
  return undefined;
}

/** A GitHub REST client over the global fetch. The token only travels in the Authorization header. */
export function createGitHubApi(access: ApiAccess, options: GitHubApiOptions = {}): GitHubApi {
  const maxPages = options.maxPages ?? 100;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const policy = options.retry ?? DEFAULT_RETRY_POLICY;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const clean = (text: string): string => redact(text, [access.token]);

  async function send(method: string, url: string, label: string, body?: unknown): Promise<Response> {
    try {
      return await fetch(url, {
        method,
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${access.token}`,
          'x-github-api-version': API_VERSION,
          'user-agent': 'dbss-policy-gitops',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const cause = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
      throw new DbssPolicyError('API', clean(`${method} ${label}: request failed: ${cause}`));
    }
  }

  /** Sends the request, again after each wait that retryDelay allows; the first 2xx answer, or the last answer. */
  async function sendWithRetry(method: string, url: string, label: string, body: unknown, idempotent: boolean): Promise<{ res: Response; tries: number }> {
    for (let tries = 1; ; tries++) {
      let res: Response | undefined;
      let lost: DbssPolicyError | undefined;
      try {
        res = await send(method, url, label, body);
      } catch (err) {
        if (!(err instanceof DbssPolicyError)) throw err;
        lost = err;
      }
      if (res?.ok) return { res, tries };
      const answer = res === undefined ? undefined : { status: res.status, headers: res.headers };
      const delay = retryDelay(answer, tries, { idempotent, now: now(), policy });
      if (delay === undefined) {
        if (res !== undefined) return { res, tries };
        const message = `${lost!.message}${tries > 1 ? ` (gave up after ${tries} tries)` : ''}`;
        throw idempotent ? new DbssPolicyError('API', message) : new GitHubUncertainError(message);
      }
      await res?.body?.cancel();
      await sleep(delay);
    }
  }

  async function failure(method: string, label: string, res: Response, tries = 1, idempotent = true): Promise<DbssPolicyError> {
    const text = await res.text().catch(() => '');
    let detail = text.slice(0, 300);
    try {
      const parsed = JSON.parse(text) as { message?: unknown };
      if (typeof parsed.message === 'string') detail = parsed.message;
    } catch {
      // not JSON: keep the start of the text
    }
    const message = clean(`${method} ${label}: ${res.status} ${detail || res.statusText}`.trim()) + (tries > 1 ? ` (gave up after ${tries} tries)` : '');
    return !idempotent && res.status >= 500 ? new GitHubUncertainError(message) : new DbssPolicyError('API', message);
  }

  async function parse(method: string, label: string, res: Response): Promise<unknown> {
    const text = await res.text();
    if (text === '') return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw new DbssPolicyError('API', clean(`${method} ${label}: ${res.status} response is not JSON`));
    }
  }

  return {
    async request(method, path, opts = {}) {
      const idempotent = opts.idempotent ?? method !== 'POST';
      const { res, tries } = await sendWithRetry(method, access.apiUrl + path, path, opts.body, idempotent);
      if (opts.tolerate?.includes(res.status)) {
        await res.body?.cancel();
        return null;
      }
      if (!res.ok) throw await failure(method, path, res, tries, idempotent);
      return parse(method, path, res);
    },

    async listAll(path) {
      const items: unknown[] = [];
      const base = new URL(access.apiUrl + '/');
      let url: string | undefined = `${access.apiUrl}${path}${path.includes('?') ? '&' : '?'}per_page=100`;
      for (let page = 1; url !== undefined; page++) {
        if (page > maxPages) throw new DbssPolicyError('API', `GET ${path}: more than ${maxPages} pages, giving up`);
        const { res, tries } = await sendWithRetry('GET', url, path, undefined, true);
        if (!res.ok) throw await failure('GET', path, res, tries);
        const data = await parse('GET', path, res);
        if (!Array.isArray(data)) throw new DbssPolicyError('API', `GET ${path}: expected a JSON array, got ${typeof data}`);
        items.push(...data);
        const next = nextPageUrl(res.headers.get('link'));
        // The token goes wherever the next link points: follow it only within the same API.
        url = next !== undefined && next.startsWith(base.href) ? next : undefined;
        if (next !== undefined && url === undefined) {
          throw new DbssPolicyError('API', clean(`GET ${path}: next page link leaves ${base.origin}, not followed: ${next}`));
        }
      }
      return items;
    },
  };
}
