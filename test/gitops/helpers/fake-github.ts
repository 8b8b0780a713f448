import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A stored issue comment of the fake API. */
export interface FakeComment {
  /** Comment id. */
  id: number;
  /** Markdown body. */
  body: string;
  /** Author login. */
  login: string;
}

/** One request the fake API received. */
export interface RecordedRequest {
  /** HTTP method. */
  readonly method: string;
  /** Path and query. */
  readonly url: string;
  /** Parsed JSON body, if any. */
  readonly body?: unknown;
}

/** A canned failure for requests whose method and path match. */
export interface FakeFailure {
  /** HTTP method to fail. */
  readonly method: string;
  /** Path prefix to fail. */
  readonly pathPrefix: string;
  /** Status to answer. */
  readonly status: number;
  /** `message` of the JSON error body. */
  readonly message: string;
  /** Fail only this many matching requests, then answer normally (default: all of them). */
  readonly times?: number;
  /** Extra response headers, e.g. retry-after or x-ratelimit-remaining. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Carry the request out first, then answer with the failure (GitHub acted, the answer was lost). */
  readonly afterApplying?: boolean;
}

/** A local HTTP server playing the few GitHub REST endpoints the gitops scripts call. */
export interface FakeGitHub {
  /** Base URL, e.g. http://127.0.0.1:PORT/api/v3 (a GHES-like prefix, so paths are joined correctly). */
  readonly apiUrl: string;
  /** Comments per issue number. */
  readonly comments: Map<number, FakeComment[]>;
  /** Labels per issue number. */
  readonly labels: Map<number, Set<string>>;
  /** Every request, in order. */
  readonly requests: RecordedRequest[];
  /** Failures to inject (matched in order). */
  readonly failures: FakeFailure[];
  /** Seeds `count` comments on an issue; `at` entries override single positions. */
  seed(issue: number, count: number, at?: Record<number, Partial<FakeComment>>): void;
  /** Stops the server. */
  close(): Promise<void>;
}

/** Options of startFakeGitHub. */
export interface FakeGitHubOptions {
  /** The only token accepted. */
  readonly token: string;
  /** Login the token comments as. */
  readonly botLogin?: string;
  /** Page size of comment lists (GitHub: per_page, max 100). */
  readonly pageSize?: number;
  /** Origin to put in Link headers instead of the server's own (to test foreign links). */
  readonly linkOrigin?: string;
}

const PREFIX = '/api/v3';

function send(res: ServerResponse, status: number, data: unknown, headers: Readonly<Record<string, string>> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(data === undefined ? '' : JSON.stringify(data));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

/** Starts the fake GitHub API on 127.0.0.1 (port 0). */
export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const bot = options.botLogin ?? 'github-actions[bot]';
  const comments = new Map<number, FakeComment[]>();
  const labels = new Map<number, Set<string>>();
  const requests: RecordedRequest[] = [];
  const failures: FakeFailure[] = [];
  const failed = new Map<FakeFailure, number>();
  let nextId = 1000;
  const toJson = (c: FakeComment) => ({ id: c.id, body: c.body, user: { login: c.login }, html_url: `https://github.example/c/${c.id}` });

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://local');
      const body = await readBody(req);
      requests.push({ method: req.method ?? '', url: req.url ?? '', ...(body === undefined ? {} : { body }) });
      if (req.headers.authorization !== `Bearer ${options.token}`) return send(res, 401, { message: 'Bad credentials' });
      const path = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : url.pathname;
      const failure = failures.find(
        (f) => f.method === req.method && path.startsWith(f.pathPrefix) && (failed.get(f) ?? 0) < (f.times ?? Infinity),
      );
      if (failure) failed.set(failure, (failed.get(failure) ?? 0) + 1);
      const fail = () => send(res, failure!.status, { message: failure!.message }, failure!.headers);
      if (failure && !failure.afterApplying) return fail();
      const reply = (status: number, data: unknown, headers: Record<string, string> = {}) =>
        failure ? fail() : send(res, status, data, headers);

      let m = /^\/(?:repos\/[^/]+\/[^/]+|repositories\/42)\/issues\/(\d+)\/comments$/.exec(path);
      if (m && req.method === 'GET') {
        const list = comments.get(Number(m[1])) ?? [];
        const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), options.pageSize ?? 100);
        const page = Number(url.searchParams.get('page') ?? 1);
        const slice = list.slice((page - 1) * perPage, page * perPage);
        const origin = options.linkOrigin ?? `http://${req.headers.host}`;
        const more = page * perPage < list.length;
        const link = `<${origin}${PREFIX}/repositories/42/issues/${m[1]}/comments?per_page=${perPage}&page=${page + 1}>; rel="next"`;
        return reply(200, slice.map(toJson), more ? { link } : {});
      }
      if (m && req.method === 'POST') {
        const comment = { id: nextId++, body: (body as { body: string }).body, login: bot };
        comments.set(Number(m[1]), [...(comments.get(Number(m[1])) ?? []), comment]);
        return reply(201, toJson(comment));
      }
      m = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(path);
      if (m && req.method === 'PATCH') {
        const comment = [...comments.values()].flat().find((c) => c.id === Number(m![1]));
        if (!comment) return reply(404, { message: 'Not Found' });
        comment.body = (body as { body: string }).body;
        return reply(200, toJson(comment));
      }
      m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/labels(?:\/(.+))?$/.exec(path);
      if (m) {
        const set = labels.get(Number(m[1])) ?? new Set<string>();
        labels.set(Number(m[1]), set);
        if (req.method === 'POST' && m[2] === undefined) {
          for (const l of (body as { labels: string[] }).labels) set.add(l);
          return reply(200, [...set].map((name) => ({ name })));
        }
        if (req.method === 'DELETE' && m[2] !== undefined) {
          const name = decodeURIComponent(m[2]);
          if (!set.delete(name)) return reply(404, { message: 'Label does not exist' });
          return reply(200, [...set].map((n) => ({ name: n })));
        }
      }
      reply(404, { message: `Not Found: ${req.method} ${path}` });
    })().catch((err: unknown) => send(res, 500, { message: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiUrl: `http://127.0.0.1:${port}${PREFIX}`,
    comments,
    labels,
    requests,
    failures,
    seed(issue, count, at = {}) {
      const list = Array.from({ length: count }, (_, i) => ({ id: nextId++, body: `comment ${i}`, login: `user${i % 7}`, ...at[i] }));
      comments.set(issue, [...(comments.get(issue) ?? []), ...list]);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
