import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_INSTANCES, DEMO_PROJECTS, demoState, startEmulator, type Emulator } from '../../src/emulator/index.js';
import { answerProblems, operationOfRequest, requestProblems } from '../helpers/sdk-models.js';
import { ruleSpec, testClient } from './helpers/client.js';

/**
 * Every request the client sends, held against Huawei's SDK models (test/fixtures/sdk-models.json):
 * the client drives every operation it has against the emulator through a recording relay, and
 * each request must be one of the SDK's operations with the SDK's query names and body fields and
 * types; each answer it got must be one the SDK reads whole.
 */

const P = DEMO_PROJECTS.payments;
const I = DEMO_INSTANCES.prodAudit;

/** A request and its answer as they crossed the relay. */
interface Crossing {
  /** HTTP method. */
  readonly method: string;
  /** Path without the query. */
  readonly path: string;
  /** Query parameters. */
  readonly query: URLSearchParams;
  /** The parsed JSON body sent, or undefined. */
  readonly body: unknown;
  /** The Content-Type header sent. */
  readonly contentType: string | undefined;
  /** HTTP status answered. */
  readonly status: number;
  /** The parsed JSON answer, or undefined when empty. */
  readonly answer: unknown;
}

/** An HTTP relay in front of `target` that records every exchange. */
async function relay(target: string): Promise<{ url: string; crossings: Crossing[]; server: Server }> {
  const crossings: Crossing[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const sent = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', target);
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'connection')) as Record<string, string>;
      request(url, { method: req.method as 'GET', headers, body: sent === '' ? undefined : sent })
        .then(async (r) => {
          const text = await r.body.text();
          crossings.push({
            method: req.method ?? '',
            path: url.pathname,
            query: url.searchParams,
            body: sent === '' ? undefined : JSON.parse(sent),
            contentType: req.headers['content-type'],
            status: r.statusCode,
            answer: text === '' ? undefined : JSON.parse(text),
          });
          res.writeHead(r.statusCode, { 'content-type': 'application/json' }).end(text);
        })
        .catch((err: unknown) => res.writeHead(599).end(String(err)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, crossings, server };
}

const closing: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((close) => close()));
});

async function drive(profile: string): Promise<Crossing[]> {
  const emu: Emulator = await startEmulator({ state: demoState(), profile });
  closing.push(() => emu.close());
  const { url, crossings, server } = await relay(emu.url);
  closing.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { client } = testClient(url);
  closing.push(() => client.close());

  expect((await client.listInstances(P)).map((i) => i.id)).toContain(I);
  await client.createRule(P, I, ruleSpec('sdk-requests', { dbIds: ['db-1'], exceptionIps: ['10.1.1.1'], schemas: [{ schema: 's', table: 't', column: 'c' }] }));
  const rules = await client.listRules(P, I, { name: 'sdk-requests' });
  const id = rules.find((r) => r.name === 'sdk-requests')!.id;
  await client.showRule(P, I, id);
  await client.updateRule(P, I, id, ruleSpec('sdk-requests', { actions: [], clientIps: [], ignoreCase: false, schemas: [] }));
  await client.switchRules(P, I, [id], 'OFF');
  await client.setRank(P, I, id, 1);
  await client.deleteRule(P, I, id);
  await client.showSummaryTask(P, 'risk');
  await client.setSummaryTask(P, 'audit', true);
  await client.executeSummaryTask(P, 'risk');
  return crossings;
}

describe('the client asks as Huawei\'s SDK does', () => {
  for (const profile of ['default', 'servers-list', 'hostile']) {
    it(`${profile}: every request is an SDK operation with the SDK's query names, body fields and Content-Type`, async () => {
      const crossings = await drive(profile);
      const problems = crossings.flatMap((c) => {
        const operation = operationOfRequest(c.method, c.path);
        if (!operation) return [`${c.method} ${c.path}: no SDK operation`];
        return requestProblems(operation, c).map((p) => `${operation}: ${p}`);
      });
      expect(problems).toEqual([]);
      const used = new Set(crossings.map((c) => operationOfRequest(c.method, c.path)));
      expect([...used].sort()).toEqual([
        'CreateAuditRiskRule',
        'DeleteAuditRuleRisk',
        'ListAuditInstancesNew',
        'ListAuditRuleRisksNew',
        'SetRiskOperationPolicy',
        'SetRiskRuleRank',
        'ShowAuditRuleRiskNew',
        'ShowAuditTaskStatus',
        'SwitchRiskRuleNew',
        'UpdateAuditTaskStatus',
      ]);
    });
  }

  it('default: every answer the client got is one the SDK reads whole', async () => {
    const crossings = await drive('default');
    const problems = crossings.flatMap((c) => {
      const operation = operationOfRequest(c.method, c.path)!;
      return c.status === 200 ? answerProblems(operation, c.answer).map((p) => `${operation}: ${p}`) : [`${operation}: HTTP ${c.status}`];
    });
    expect(problems).toEqual([]);
  });
});
