import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DbssApiError } from '../../src/api/errors.js';
import { PROJECT, testClient } from './helpers/client.js';
import { reply, startTestServer } from './helpers/test-server.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

/** A proxy that records CONNECT targets and plain proxied requests, and refuses them all. */
async function refusingProxy(): Promise<{ url: string; seen: string[] }> {
  const seen: string[] = [];
  const proxy = createHttpServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(403).end();
  });
  proxy.on('connect', (req, socket) => {
    seen.push(`CONNECT ${req.url}`);
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  const port = await listen(proxy);
  return { url: `http://127.0.0.1:${port}`, seen };
}

function withEnv(vars: Record<string, string | undefined>): void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  cleanups.push(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
}

describe('TLS verification is always on', () => {
  it('refuses a self-signed certificate without retrying', async () => {
    let connections = 0;
    const tls = createHttpsServer({ key: fixture('self-signed-key.pem'), cert: fixture('self-signed-cert.pem') }, (_, res) => res.end('{}'));
    tls.on('connection', () => connections++);
    const port = await listen(tls);
    const { client } = testClient(`https://127.0.0.1:${port}`);
    const err = await client.listInstances(PROJECT).catch((e: unknown) => e);
    await client.close();
    expect(err).toBeInstanceOf(DbssApiError);
    expect((err as DbssApiError).kind).toBe('tls');
    expect((err as DbssApiError).message).toMatch(/^GET \/v1\/\w+\/audit\/instances: [A-Z_]+ TLS verification failed \(to trust a private CA, set NODE_EXTRA_CA_CERTS\)$/);
    expect(connections).toBe(1);
  });
});

describe('proxies from the environment', () => {
  it('sends HTTPS traffic for a regional endpoint through HTTPS_PROXY', async () => {
    const proxy = await refusingProxy();
    withEnv({ HTTPS_PROXY: proxy.url, https_proxy: undefined, NO_PROXY: undefined, no_proxy: undefined });
    const { client } = testClient(undefined, { maxAttempts: 1 });
    const err = await client.listInstances(PROJECT).catch((e: unknown) => e);
    await client.close();
    expect(err).toBeInstanceOf(DbssApiError);
    expect(proxy.seen).toEqual(['CONNECT dbss.cn-north-4.myhuaweicloud.com:443']);
  });

  it('never proxies a loopback endpoint (the emulator)', async () => {
    const proxy = await refusingProxy();
    withEnv({ HTTP_PROXY: proxy.url, http_proxy: proxy.url, NO_PROXY: undefined, no_proxy: undefined });
    const target = await startTestServer(() => reply.json(200, { servers: [], total: 0 }));
    cleanups.push(() => target.close());
    const { client } = testClient(target.url);
    expect(await client.listInstances(PROJECT)).toEqual([]);
    await client.close();
    expect(proxy.seen).toEqual([]);
    expect(target.requests).toHaveLength(1);
  });
});
