import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the test server received it. */
export interface RecordedRequest {
  /** HTTP method. */
  readonly method: string;
  /** Path and query exactly as sent. */
  readonly url: string;
  /** Path without the query. */
  readonly path: string;
  /** Query pairs, decoded. */
  readonly query: URLSearchParams;
  /** Headers (lower-case names). */
  readonly headers: IncomingHttpHeaders;
  /** Body as text. */
  readonly body: string;
  /** Date.now() when the request was complete. */
  readonly receivedAt: number;
}

/** What the server does with one request. */
export type Reply =
  | { readonly status: number; readonly json?: unknown; readonly raw?: string | Buffer; readonly headers?: Readonly<Record<string, string>> }
  | { readonly reset: true }
  | { readonly hang: true }
  | { readonly truncated: string; readonly declaredLength: number }
  | { readonly endless: string };

/** Decides the reply to a request (may change test state first, e.g. apply a write, then reset). */
export type Handler = (req: RecordedRequest) => Reply | Promise<Reply>;

/** A local HTTP server on 127.0.0.1 that answers on cue and records every request. */
export interface TestServer {
  /** Base URL, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  /** Every request received, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Stops the server, dropping hung connections. */
  close(): Promise<void>;
}

/** Shorthands for replies. */
export const reply = {
  json: (status: number, json: unknown, headers: Record<string, string> = {}): Reply => ({ status, json, headers }),
  /** An APIG/DBSS error body with the given code and message. */
  error: (status: number, code: string, message: string, headers: Record<string, string> = {}): Reply => ({
    status,
    json: { error_code: code, error_msg: message },
    headers,
  }),
  raw: (status: number, raw: string | Buffer, contentType?: string): Reply => ({ status, raw, headers: contentType ? { 'content-type': contentType } : {} }),
  reset: (): Reply => ({ reset: true }),
  /** A 200 JSON answer without Content-Length that writes `chunk` every millisecond until the client hangs up. */
  endless: (chunk: string): Reply => ({ endless: chunk }),
  /** Declares `declaredLength` bytes of JSON, sends `text`, then drops the connection. */
  truncated: (text: string, declaredLength: number): Reply => ({ truncated: text, declaredLength }),
  hang: (): Reply => ({ hang: true }),
};

/** Serves `replies` in order, one per request, then falls back to `otherwise`. */
export function scripted(replies: readonly (Reply | Handler)[], otherwise: Handler): Handler {
  const queue = [...replies];
  return (req) => {
    const next = queue.shift();
    if (next === undefined) return otherwise(req);
    return typeof next === 'function' ? next(req) : next;
  };
}

function send(res: ServerResponse, r: Extract<Reply, { status: number }>): void {
  const headers: Record<string, string> = { ...(r.headers ?? {}) };
  let body: string | Buffer = '';
  if (r.raw !== undefined) body = r.raw;
  else if (r.json !== undefined) {
    body = JSON.stringify(r.json);
    headers['content-type'] ??= 'application/json;charset=UTF-8';
  }
  headers['content-length'] = String(Buffer.byteLength(body));
  res.writeHead(r.status, headers);
  res.end(body);
}

/** Starts a server on 127.0.0.1, port 0. */
export async function startTestServer(handler: Handler): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url,
        path: q < 0 ? url : url.slice(0, q),
        query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt: Date.now(),
      };
      requests.push(recorded);
      Promise.resolve(handler(recorded)).then(
        (r) => {
          if ('reset' in r) req.socket.destroy();
          else if ('truncated' in r) {
            res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(r.declaredLength) });
            res.write(r.truncated, () => req.socket.destroy());
          } else if ('endless' in r) {
            res.writeHead(200, { 'content-type': 'application/json' });
            const timer = setInterval(() => res.write(r.endless), 1);
            res.on('close', () => clearInterval(timer));
          } else if (!('hang' in r)) send(res, r);
        },
        (err: unknown) => {
          res.writeHead(599).end(String(err));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
