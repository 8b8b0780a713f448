import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { request } from 'undici';
import { call } from './helpers/call.js';
import { emulator, P1, PROD, paths } from './helpers/fixtures.js';

describe('gateway behaviour', () => {
  it('unknown paths and methods are 404 APIG.0101 with the gateway body', async () => {
    const emu = await emulator();
    for (const [method, path] of [
      ['GET', '/v1/nothing/here'],
      ['PATCH', paths.update(P1, PROD, 'AAAAAAAAAAAAAAAAAAAA')],
      ['DELETE', paths.rank(P1, PROD)],
      ['GET', `${paths.rulesNew(P1, PROD)}/`],
    ] as const) {
      const res = await call(emu.url, method, path);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.json).toEqual({ error_code: 'APIG.0101', error_msg: expect.any(String), request_id: res.headers['x-request-id'] });
    }
  });

  it('every response carries a distinct X-Request-Id', async () => {
    const emu = await emulator();
    const ids = new Set<string>();
    for (const path of [paths.rulesNew(P1, PROD), '/nope', paths.showV2(P1, PROD, 'short')]) {
      const id = (await call(emu.url, 'GET', path)).headers['x-request-id'];
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      ids.add(String(id));
    }
    expect(ids.size).toBe(3);
  });

  it('a body over 12 MB is 413 APIG.0201 and nothing is created', async () => {
    const emu = await emulator();
    const big = JSON.stringify({ rule_name: 'big', pad: 'x'.repeat(12 * 1024 * 1024) });
    const res = await request(`${emu.url}${paths.create(P1, PROD)}`, { method: 'POST', body: big, headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(413);
    const json = (await res.body.json()) as Record<string, unknown>;
    expect(json).toMatchObject({ error_code: 'APIG.0201', request_id: res.headers['x-request-id'] });
    expect(emu.state.projects[P1]!.instances[0]!.rules).toHaveLength(8);
  });

  it('a URI over 32 KB is 414 APIG.0201', async () => {
    const emu = await emulator();
    const res = await call(emu.url, 'GET', `${paths.rulesNew(P1, PROD)}?name=${'a'.repeat(33 * 1024)}`);
    expect(res.status).toBe(414);
    expect(res.json.error_code).toBe('APIG.0201');
  });

  it('logs every request and counts per operation; resetCounters clears both', async () => {
    const emu = await emulator();
    await call(emu.url, 'GET', paths.rulesNew(P1, PROD));
    await call(emu.url, 'GET', paths.rulesNew(P1, PROD));
    await call(emu.url, 'GET', '/v9/unknown');
    expect(emu.counters()).toMatchObject({ requests: 3, byOperation: { ListAuditRuleRisksNew: 2, unknown: 1 }, byStatus: { 200: 2, 404: 1 } });
    const [first, , last] = emu.log;
    expect(first).toMatchObject({ method: 'GET', path: paths.rulesNew(P1, PROD), status: 200, operation: 'ListAuditRuleRisksNew' });
    expect(typeof first!.latencyMs).toBe('number');
    expect(last).toMatchObject({ status: 404, errorCode: 'APIG.0101', operation: 'unknown' });
    emu.resetCounters();
    expect(emu.counters().requests).toBe(0);
    expect(emu.log).toHaveLength(0);
  });

  it('appends the log as JSON lines to logFile and hands each entry to onRequest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dbss-emulator-log-'));
    const seen: string[] = [];
    const emu = await startEmulator({ logFile: join(dir, 'requests.jsonl'), onRequest: (e) => seen.push(e.operation) });
    await call(emu.url, 'GET', `/v1/${P1}/audit/instances`);
    await call(emu.url, 'GET', paths.taskRead(P1, 'risk'));
    await emu.close();
    const lines = (await readFile(join(dir, 'requests.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.method, l.status, l.operation])).toEqual([
      ['GET', 200, 'ListAuditInstancesNew'],
      ['GET', 200, 'ShowAuditTaskStatus'],
    ]);
    expect(Object.keys(lines[0]).sort()).toEqual(['latencyMs', 'method', 'operation', 'path', 'requestId', 'status', 'time']);
    expect(seen).toEqual(['ListAuditInstancesNew', 'ShowAuditTaskStatus']);
    await rm(dir, { recursive: true, force: true });
  });
});
