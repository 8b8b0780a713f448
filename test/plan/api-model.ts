import type { RuleSummary } from '../../src/api/types.js';
import type { LiveRuleDetail as RuleDetail } from '../../src/live/types.js';
import type { RiskRuleSpec } from '../../src/domain.js';
import type { LiveState } from '../../src/live/types.js';
import { rankMoves } from '../../src/plan/rank-moves.js';
import type { Change, Plan } from '../../src/plan/types.js';
import { CHANGE_KIND_ORDER } from '../../src/plan/types.js';
import type { DesiredState } from '../../src/policy/types.js';
import { instanceKey } from '../../src/domain.js';

/**
 * An in-memory model of the DBSS rule API semantics the planner relies on, for property tests:
 * ranks 1..n without gaps, setRank takes a rule out and inserts it at rank k (clamped), create
 * appends, delete removes, update is a full replacement, switch batches, and show echoes lists
 * in another order and spelling than they were written (as a real server may), never
 * returning exception_ips.
 */

/** setRank on an ordered list: take the matching item out, insert it so that its rank is k (clamped to 1..n). */
export function setRankIn<T>(list: readonly T[], match: (x: T) => boolean, k: number): T[] {
  const i = list.findIndex(match);
  if (i < 0) throw new Error('setRank: no such rule');
  const rest = list.filter((_, j) => j !== i);
  const pos = Math.min(Math.max(k, 1), list.length) - 1;
  return [...rest.slice(0, pos), list[i]!, ...rest.slice(pos)];
}

/** A stored rule: system rules keep only name, status and level meaningful. */
export interface ModelRule {
  readonly id: string;
  readonly ruleType: 'SYSTEM' | 'CUSTOMIZE';
  readonly spec: RiskRuleSpec;
}

/** A stored instance; `rules` is in rank order. */
export interface ModelInstance {
  readonly key: string;
  readonly region: string;
  readonly projectId: string;
  readonly id: string;
  readonly name: string;
  rules: ModelRule[];
}

/** Re-spells what a server might: lists reversed, IPv6 in upper case. */
const echo = (spec: RiskRuleSpec): Omit<RiskRuleSpec, 'exceptionIps'> => {
  const { exceptionIps: _hidden, ...readable } = spec;
  return {
    ...readable,
    actions: [...spec.actions].reverse(),
    dbIds: [...spec.dbIds].reverse(),
    clientIps: spec.clientIps.map((ip) => (ip.includes(':') ? ip.toUpperCase() : ip)).reverse(),
    schemas: [...spec.schemas].reverse(),
  };
};

export class DbssModel {
  readonly instances = new Map<string, ModelInstance>();
  /** Summary task switches by `region/project/busiType`. */
  readonly tasks = new Map<string, boolean>();
  /** Calls made, by operation. */
  readonly calls: Record<string, number> = {};
  private seq = 0;

  newId(): string {
    this.seq += 1;
    return `rule${String(this.seq).padStart(16, '0')}`;
  }

  private count(op: string): void {
    this.calls[op] = (this.calls[op] ?? 0) + 1;
  }

  private instance(key: string): ModelInstance {
    const i = this.instances.get(key);
    if (!i) throw new Error(`no instance ${key}`);
    return i;
  }

  private custom(key: string, id: string): ModelRule {
    const r = this.instance(key).rules.find((x) => x.id === id);
    if (!r || r.ruleType !== 'CUSTOMIZE') throw new Error(`no custom rule ${id} on ${key}`);
    return r;
  }

  listRules(key: string): RuleSummary[] {
    this.count('list');
    return this.instance(key).rules.map((r, i) => ({
      id: r.id,
      name: r.spec.name,
      ruleType: r.ruleType,
      status: r.spec.status,
      rank: i + 1,
      riskLevel: r.spec.riskLevel,
    }));
  }

  /** What the live reader would return for `desired`: all rules, details of declared custom rules. */
  liveState(desired: DesiredState): LiveState {
    const instances = desired.instances.flatMap((d) => {
      const m = this.instances.get(instanceKey(d));
      if (!m) return [];
      const declared = new Set(d.riskRules.map((r) => r.name));
      const rules = this.listRules(m.key);
      const details: Record<string, RuleDetail> = {};
      m.rules.forEach((r, i) => {
        if (r.ruleType === 'CUSTOMIZE' && declared.has(r.spec.name)) details[r.id] = { ...echo(r.spec), id: r.id, rank: i + 1 };
      });
      return [{ key: m.key, region: m.region, projectId: m.projectId, id: m.id, name: m.name, status: 'ACTIVE', rules, details }];
    });
    const summaryTasks = desired.summaryTasks.map((t) => ({
      region: t.region,
      projectId: t.projectId,
      busiType: t.busiType,
      enabled: this.tasks.get(`${t.region}/${t.projectId}/${t.busiType}`) ?? false,
    }));
    return { instances, summaryTasks, errors: [] };
  }

  /** Runs a plan as the apply engine does: per target, kinds in apply order, reorder from a fresh listing. */
  apply(plan: Plan): void {
    for (const target of plan.targets) {
      for (const kind of CHANGE_KIND_ORDER) {
        for (const c of plan.changes.filter((x) => x.target === target.key && x.kind === kind)) this.execute(c);
      }
    }
  }

  private execute(c: Change): void {
    this.count(c.kind);
    switch (c.kind) {
      case 'create':
        this.instance(c.target).rules.push({ id: this.newId(), ruleType: 'CUSTOMIZE', spec: c.after });
        return;
      case 'update':
        Object.assign(this.custom(c.target, c.ruleId), { spec: c.after });
        return;
      case 'delete':
        this.custom(c.target, c.ruleId);
        this.instance(c.target).rules = this.instance(c.target).rules.filter((r) => r.id !== c.ruleId);
        return;
      case 'switch': {
        const ids = new Set(c.rules.map((r) => r.id));
        for (const r of this.instance(c.target).rules) if (ids.has(r.id)) Object.assign(r, { spec: { ...r.spec, status: c.status } });
        return;
      }
      case 'reorder': {
        const listed = this.listRules(c.target);
        const idOf = new Map(listed.filter((r) => r.ruleType === 'CUSTOMIZE').map((r) => [r.name, r.id]));
        for (const m of rankMoves(listed, c.order.map((n) => idOf.get(n)!))) {
          this.count('setRank');
          const i = this.instance(c.target);
          i.rules = setRankIn(i.rules, (r) => r.id === m.id, m.newRank);
        }
        return;
      }
      case 'set-task':
        this.tasks.set(`${c.target}/${c.busiType}`, c.after);
        return;
    }
  }
}
