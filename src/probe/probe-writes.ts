import type { RiskRuleSpec } from '../domain.js';
import { DbssApiError } from '../api/errors.js';
import { probeRuleShowObservations, unknownIdObservation } from './observe-answers.js';
import type { ListedRule } from './observe-list.js';
import { byRank, numberingObservations } from './observe-list.js';
import type { ProbeContext } from './probe-context.js';
import { checkInterrupt, listRules, listRulesWith, PROBE_PATHS, showRule } from './probe-context.js';
import type { ProbeCleanup } from './types.js';

/**
 * `probe --write`: two temporary rules (status OFF, so they never match a statement; each is
 * read back OFF before any rank call, see confirmOff) answer
 * what reading never can: where a created rule lands, what new_rank means, how "any
 * operation" and empty fields read back, the duplicate-name answer and the unknown-id answer.
 * Whatever happens (a failure, an interrupt), every rule whose name starts with the run's
 * prefix is deleted at the end, and what could not be deleted is reported by name.
 */

/** A probe rule: nothing set but the name; OFF, so it never matches a statement. */
function probeSpec(name: string): RiskRuleSpec {
  const any = { symbol: 'GREATER_EQUAL', value: 0 } as const;
  return { name, riskLevel: 'LOW', status: 'OFF', actions: [], affectRows: any, executionTime: any, dbIds: [], clientIps: [], exceptionIps: [], schemas: [], ignoreCase: false };
}

const numberingOf = (rules: readonly ListedRule[]) => numberingObservations(rules).find((o) => o.option === 'rankNumbering')?.value as 'shared' | 'custom' | undefined;

/** The rules whose ranks the rank call counts: all of them in a shared numbering, else the custom ones. */
function numbered(rules: readonly ListedRule[]): ListedRule[] {
  const pool = numberingOf(rules) === 'custom' ? rules.filter((r) => !r.system) : rules;
  return byRank(pool.filter((r) => r.rank !== undefined));
}

function find(rules: readonly ListedRule[], name: string, step: string): ListedRule {
  const rule = rules.find((r) => r.name === name);
  if (!rule) throw new Error(`${step}: the probe rule is not in the list`);
  return rule;
}

const before = (list: readonly ListedRule[], a: string, b: string) => list.findIndex((r) => r.id === a) < list.findIndex((r) => r.id === b);

/** The outcome of the write checks: what was cleaned up, and the failure that stopped them, if any. */
export interface WriteOutcome {
  /** The temporary rules and their removal. */
  readonly cleanup: ProbeCleanup;
  /** What stopped the checks early (an API error, an interrupt); undefined when they all ran. */
  readonly failure?: unknown;
  /** Failures of the cleanup itself. */
  readonly cleanupErrors: readonly string[];
}

/** Runs the write checks, then always cleans up. Observations go to ctx.observe. */
export async function probeWrites(ctx: ProbeContext, prefix: string, known: ReadonlySet<string>): Promise<WriteOutcome> {
  const created: string[] = [];
  const landed: string[] = [];
  let firstId: string | undefined;
  let failure: unknown;
  try {
    firstId = await steps(ctx, prefix, known, created, landed);
  } catch (err) {
    failure = err;
  }
  const removal = await removeProbeRules(ctx, prefix, landed);
  if (failure === undefined && firstId !== undefined && !ctx.signal?.aborted) {
    const path = { project_id: ctx.projectId, instance_id: ctx.instanceId, id: firstId };
    ctx.observe(unknownIdObservation('show of a deleted rule', await ctx.raw.attempt('GET', PROBE_PATHS.show, path, ctx.projectId)));
    ctx.observe(unknownIdObservation('delete of a deleted rule', await ctx.raw.attempt('DELETE', PROBE_PATHS.delete, path, ctx.projectId)));
  }
  const cleanup = { created: [...new Set(created)], deleted: removal.deleted, leftovers: removal.leftovers };
  return { cleanup, cleanupErrors: removal.errors, ...(failure === undefined ? {} : { failure }) };
}

async function steps(ctx: ProbeContext, prefix: string, known: ReadonlySet<string>, created: string[], landed: string[]): Promise<string> {
  const [nameA, nameB] = [`${prefix}-a`, `${prefix}-b`];
  const { client, projectId, instanceId } = ctx;
  checkInterrupt(ctx);
  created.push(nameA);
  await client.createRule(projectId, instanceId, probeSpec(nameA));
  landed.push(nameA);
  checkInterrupt(ctx);
  const { rules: afterA, switched } = await confirmOff(ctx, prefix, 'after the first create', landed);
  const a = find(afterA, nameA, 'after the first create');
  ctx.observe(
    switched.length === 0
      ? { point: 'created status', observed: 'a rule created OFF reads OFF', option: 'createStatus', value: 'honoured' }
      : { point: 'created status', observed: 'a rule created OFF reads ON (create ignores status); the probe switched it OFF', option: 'createStatus', value: 'ignored' },
  );
  const others = afterA.filter((r) => !r.system && r.name !== nameA && !r.name.startsWith(prefix));
  const customOrder = byRank(afterA.filter((r) => !r.system));
  const where = others.length === 0 ? 'the only custom rule' : customOrder[0]?.id === a.id ? 'above the other custom rules' : customOrder.at(-1)?.id === a.id ? 'below the other custom rules' : 'among the custom rules';
  ctx.observe({ point: 'created rule', observed: `rank ${a.rank ?? 'absent'}, ${where}` });
  ctx.observe(numberingObservations(afterA).filter((o) => o.option !== undefined && !known.has(o.option)).map((o) => ({ ...o, point: `${o.point} (with a probe rule)` })));

  checkInterrupt(ctx);
  ctx.observe(probeRuleShowObservations(await showRule(ctx, a.id)));

  checkInterrupt(ctx);
  await probeClearing(ctx, a.id, nameA);

  checkInterrupt(ctx);
  created.push(nameB);
  await client.createRule(projectId, instanceId, probeSpec(nameB));
  landed.push(nameB);
  checkInterrupt(ctx);
  // this read, right before the rank call, confirms no probe rule is live
  const afterB = (await confirmOff(ctx, prefix, 'after the second create', landed)).rules;
  const b = find(afterB, nameB, 'after the second create');
  const bFirst = before(byRank(afterB.filter((r) => !r.system)), b.id, a.id);
  ctx.observe({ point: 'created rank', observed: bFirst ? 'a new rule goes above the other custom rules' : 'a new rule goes last', option: 'createdRank', value: bFirst ? 'first' : 'last' });

  checkInterrupt(ctx);
  await client.setRank(projectId, instanceId, b.id, 1);
  checkInterrupt(ctx);
  const afterTop = (await confirmOff(ctx, prefix, 'after new_rank 1', landed)).rules;
  const top = find(afterTop, nameB, 'after new_rank 1');
  if (numberingOf(afterTop) === 'shared') {
    const sys = afterTop.filter((r) => r.system && r.rank !== undefined).map((r) => r.rank!);
    if (sys.length > 0 && top.rank !== undefined) {
      const pinned = top.rank > Math.max(...sys);
      ctx.observe({ point: 'new_rank 1', observed: pinned ? 'lands below the system rules (they stay on top)' : 'lands above the system rules', option: 'systemPinned', value: pinned });
    }
  } else ctx.observe({ point: 'new_rank 1', observed: `rank ${top.rank ?? 'absent'}, above the other custom rules: ${byRank(afterTop.filter((r) => !r.system))[0]?.id === top.id}` });

  checkInterrupt(ctx);
  const seq = numbered(afterTop);
  const next = seq[seq.findIndex((r) => r.id === top.id) + 1];
  if (next?.rank !== undefined && next.rank >= 1) {
    await client.setRank(projectId, instanceId, top.id, next.rank);
    checkInterrupt(ctx);
    const moved = numbered(await listRules(ctx));
    const stayed = before(moved, top.id, next.id);
    ctx.observe({
      point: 'new_rank meaning',
      observed: stayed ? `new_rank ${next.rank} (the next rule's rank) kept the rule above it: a priority value` : `new_rank ${next.rank} moved the rule below the next one: a position`,
      option: 'newRank',
      value: stayed ? 'value' : 'position',
    });
  } else ctx.observe({ point: 'new_rank meaning', observed: 'not tested: no ranked rule below the probe rule' });

  checkInterrupt(ctx);
  created.push(nameA);
  try {
    await client.createRule(projectId, instanceId, probeSpec(nameA));
    landed.push(nameA);
    ctx.observe({ point: 'duplicate name', observed: 'accepted (a second rule with the same name)', option: 'duplicateName', value: 'accepted' });
    await confirmOff(ctx, prefix, 'after the duplicate create', landed);
  } catch (err) {
    if (!(err instanceof DbssApiError)) throw err;
    const said = `${err.status ?? ''} ${err.errorCode ?? err.kind}`.trim();
    ctx.observe({ point: 'duplicate name', observed: `refused (${said})`, ...(err.kind === 'business' ? { option: 'duplicateName' as const, value: 'failed' } : {}) });
  }
  return a.id;
}

/** A probe rule that may match statements: any status but OFF (ON, or none listed). */
const live = (rules: readonly ListedRule[], prefix: string) => rules.filter((r) => r.name.startsWith(prefix) && r.status !== 'OFF');
const named = (rules: readonly ListedRule[]) => rules.map((r) => `${JSON.stringify(r.name)} (${r.status ?? 'no status'})`).join(', ');

/**
 * A probe rule must never be live: a catch-all ON rule ranked above the real rules would take
 * every statement they match. Lists the instance (until every rule created so far is listed:
 * a listing may lag a create); any probe rule not OFF (an API that ignores
 * `status` on create) is switched OFF and a second listing must show it OFF, or the probe
 * stops here (and cleans up) before any rank call. Returns the listing that shows them OFF.
 */
async function confirmOff(ctx: ProbeContext, prefix: string, step: string, landed: readonly string[]): Promise<{ rules: ListedRule[]; switched: readonly ListedRule[] }> {
  const listed = await listRulesWith(ctx, landed);
  const switched = live(listed, prefix);
  if (switched.length === 0) return { rules: listed, switched };
  await ctx.client.switchRules(ctx.projectId, ctx.instanceId, switched.map((r) => r.id), 'OFF');
  const again = await listRules(ctx);
  const still = live(again, prefix);
  if (still.length > 0) throw new Error(`${step}: probe rule ${named(still)} is not OFF after switching it OFF; stopped before any rank call`);
  return { rules: again, switched };
}

/**
 * Whether the client's update can clear a field (the empty list goes out as the client writes
 * it: left out, or ""): set client_ips, update with none, and read back.
 */
async function probeClearing(ctx: ProbeContext, id: string, name: string): Promise<void> {
  const point = 'update clearing a field';
  await ctx.client.updateRule(ctx.projectId, ctx.instanceId, id, { ...probeSpec(name), clientIps: ['10.0.0.1'] });
  checkInterrupt(ctx);
  const set = await showRule(ctx, id);
  if (set.client_ips !== '10.0.0.1') {
    ctx.observe({ point, observed: `not tested: setting client_ips read back ${JSON.stringify(set.client_ips) ?? 'absent'}` });
    return;
  }
  let refused = '';
  try {
    await ctx.client.updateRule(ctx.projectId, ctx.instanceId, id, probeSpec(name));
  } catch (err) {
    // The client may verify its update and refuse a result it did not ask for: the read-back below decides.
    if (!(err instanceof DbssApiError) && !(err instanceof Error)) throw err;
    refused = ` (the update call said: ${err.message})`;
  }
  checkInterrupt(ctx);
  const after = (await showRule(ctx, id)).client_ips;
  const kept = after === '10.0.0.1';
  ctx.observe({ point, observed: kept ? `client_ips kept its value${refused}` : `client_ips cleared${refused}`, option: 'emptyWrite', value: kept ? 'kept' : 'unset' });
}

/**
 * Deletes every rule named with the prefix, once every create that answered success (`landed`)
 * is listed (a listing may lag a create); lists again and reports what is left. Never throws.
 */
export async function removeProbeRules(ctx: ProbeContext, prefix: string, landed: readonly string[] = []): Promise<{ deleted: string[]; leftovers: string[]; errors: string[] }> {
  const deleted: string[] = [];
  const errors: string[] = [];
  try {
    for (const rule of (await listRulesWith(ctx, landed)).filter((r) => r.name.startsWith(prefix))) {
      try {
        await ctx.client.deleteRule(ctx.projectId, ctx.instanceId, rule.id);
        deleted.push(rule.id);
      } catch (err) {
        errors.push(err instanceof Error ? err.message : String(err));
      }
    }
    const leftovers = (await listRules(ctx)).filter((r) => r.name.startsWith(prefix)).map((r) => r.name);
    return { deleted, leftovers, errors };
  } catch (err) {
    errors.push(err instanceof Error ? err.message : String(err));
    return { deleted, leftovers: [`${prefix}-* (the rules could not be listed to check)`], errors };
  }
}
