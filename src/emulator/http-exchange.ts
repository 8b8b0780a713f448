import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request body as read: the bytes, or a note that it was over the limit (and discarded). */
export interface ReadBody {
  /** The body bytes (empty when too large). */
  readonly body: Buffer;
  /** True when the body was larger than the limit. */
  readonly tooLarge: boolean;
}

/**
 * Reads the whole body, keeping at most `maxBytes`. A larger body is drained and discarded so
 * the client can still read the 413 answer; beyond four times the limit the connection is cut.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<ReadBody> {
  const declared = Number(req.headers['content-length'] ?? 0);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = declared > maxBytes;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) tooLarge = true;
      if (tooLarge) {
        chunks.length = 0;
        if (size > maxBytes * 4) req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve({ body: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge }));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new Error('the client closed the connection before sending the whole body'));
    });
  });
}

/** Sends a JSON body (or an empty one when `body` is undefined). */
export function sendJson(res: ServerResponse, status: number, body: unknown, closeConnection = false): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  const headers: Record<string, string | number> = { 'Content-Length': Buffer.byteLength(text) };
  if (body !== undefined) headers['Content-Type'] = 'application/json;charset=UTF-8';
  if (closeConnection) headers.Connection = 'close';
  res.writeHead(status, headers);
  res.end(text);
}

/** Waits `ms` (no timer for 0). */
export function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
