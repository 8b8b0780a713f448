import { Agent, EnvHttpProxyAgent, request, type Dispatcher } from 'undici';
import type { Endpoint } from './endpoint.js';

/** One HTTP exchange as the transport sends it. */
export interface HttpRequest {
  /** HTTP method. */
  readonly method: string;
  /** Full URL. */
  readonly url: string;
  /** Headers, already authenticated. */
  readonly headers: Readonly<Record<string, string>>;
  /** Exact body bytes, if any. */
  readonly body?: Buffer;
}

/** A complete answer. */
export interface HttpResponse {
  /** HTTP status. */
  readonly status: number;
  /** Response headers, lower-case names, repeated values joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  /** The whole body (at most the transport's cap). */
  readonly body: Buffer;
}

/** Why no usable answer arrived; the call runner turns it into a DbssApiError. */
export class TransportFailure extends Error {
  /** network: connect/reset/closed; timeout; tls: certificate or handshake; too-large: body over the cap. */
  readonly kind: 'network' | 'timeout' | 'tls' | 'too-large';
  /** ECONNRESET, UND_ERR_SOCKET, TIMEOUT, BODY_TOO_LARGE, a TLS code... */
  readonly code: string;
  constructor(kind: TransportFailure['kind'], code: string, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'TransportFailure';
    this.kind = kind;
    this.code = code;
  }
}

/** Sends requests to one endpoint over pooled keep-alive connections. */
export interface Transport {
  /** Sends one request and reads the whole answer, or throws a TransportFailure. */
  send(req: HttpRequest): Promise<HttpResponse>;
  /** Closes pooled connections (waits for requests in flight). */
  close(): Promise<void>;
}

/** Transport settings. */
export interface TransportOptions {
  /** Per-request deadline covering connect, headers and the whole body, in ms. */
  readonly timeoutMs: number;
  /** Largest body read, in bytes. */
  readonly maxBodyBytes: number;
  /** Connections kept per origin. */
  readonly connections: number;
}

const NETWORK_TEXT: Readonly<Record<string, string>> = {
  ECONNRESET: 'connection reset',
  UND_ERR_SOCKET: 'connection closed before a complete answer',
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed (try again)',
  EPIPE: 'connection closed while sending',
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'answer shorter than its Content-Length',
  UND_ERR_CLOSED: 'connection pool closed',
};

const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/;

function errorCode(err: unknown): string {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  // undici reports a socket reset as UND_ERR_SOCKET whose cause carries the errno code
  if (code === 'UND_ERR_SOCKET' && typeof e?.cause?.code === 'string') return e.cause.code;
  return code ?? 'NETWORK';
}

function toFailure(err: unknown): TransportFailure {
  if (err instanceof TransportFailure) return err;
  const code = errorCode(err);
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new TransportFailure('timeout', 'TIMEOUT', 'no complete answer in time', err);
  }
  if (TLS_CODE.test(code)) return new TransportFailure('tls', code, 'TLS verification failed (to trust a private CA, set NODE_EXTRA_CA_CERTS)', err);
  const text = NETWORK_TEXT[code] ?? (err instanceof Error ? err.message : String(err));
  return new TransportFailure('network', code, text, err);
}

/** Drops an unread or half-read body; the error that destroying it emits has a listener, so it cannot crash the process. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

async function readCapped(body: Dispatcher.ResponseData['body'], max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > max) {
      discard(body);
      throw new TransportFailure('too-large', 'BODY_TOO_LARGE', `answer body larger than ${max} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * An undici transport for one endpoint: keep-alive pooling; HTTPS_PROXY/HTTP_PROXY/NO_PROXY
 * honoured through EnvHttpProxyAgent except for loopback hosts (the emulator); TLS
 * verification always on (Node's default trust store plus NODE_EXTRA_CA_CERTS).
 */
export function createTransport(endpoint: Endpoint, options: TransportOptions): Transport {
  const agentOptions = {
    connections: options.connections,
    keepAliveTimeout: 10_000,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connect: { timeout: Math.min(options.timeoutMs, 10_000) },
  };
  const dispatcher: Dispatcher = endpoint.loopback ? new Agent(agentOptions) : new EnvHttpProxyAgent(agentOptions);

  async function send(req: HttpRequest): Promise<HttpResponse> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, options.timeoutMs);
    try {
      const res = await request(req.url, {
        dispatcher,
        method: req.method as Dispatcher.HttpMethod,
        headers: req.headers,
        body: req.body ?? null,
        signal: controller.signal,
      });
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > options.maxBodyBytes) {
        discard(res.body);
        throw new TransportFailure('too-large', 'BODY_TOO_LARGE', `answer body of ${declared} bytes is larger than ${options.maxBodyBytes}`);
      }
      const body = await readCapped(res.body, options.maxBodyBytes);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(res.headers)) {
        if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
      }
      return { status: res.statusCode, headers, body };
    } catch (err) {
      if (timedOut) throw new TransportFailure('timeout', 'TIMEOUT', `no complete answer within ${options.timeoutMs} ms`, err);
      throw toFailure(err);
    } finally {
      clearTimeout(timer);
    }
  }

  let closing: Promise<void> | undefined;
  return { send, close: () => (closing ??= dispatcher.close()) };
}
