import { RISK_LEVELS } from '../src/domain.js';
import { Prng } from '../src/emulator/prng.js';
import type { PolicyInstance, PolicyProject, PolicyRule } from './policy-tree.js';

/** The kinds of change drawn for a rule. */
export type DrawnChange = 'create' | 'update' | 'delete' | 'switch' | 'reorder';

/** How many changes of each kind were drawn. */
export type ChangeCounts = Record<DrawnChange, number>;

/** A changed policy and what was drawn. */
export interface ChangedPolicy {
  /** The new declaration. */
  readonly projects: PolicyProject[];
  /** Changes drawn, summed over every instance (system-rule switches count as switches). */
  readonly drawn: ChangeCounts;
}

const KINDS: readonly DrawnChange[] = ['create', 'update', 'delete', 'switch', 'reorder'];
const flip = (s: 'ON' | 'OFF'): 'ON' | 'OFF' => (s === 'ON' ? 'OFF' : 'ON');

/** A content change that is never status-only (so the planner must update, not switch). */
function updated(rule: PolicyRule, prng: Prng): PolicyRule {
  const others = RISK_LEVELS.filter((l) => l !== rule.risk_level);
  return { ...rule, risk_level: prng.pick(others), affect_rows: { symbol: 'GREATER', value: rule.affect_rows.value + 1 + prng.int(1000) } };
}

function newRule(instance: string, n: number, prng: Prng): PolicyRule {
  return {
    name: `new-${instance}-${n}`,
    risk_level: prng.pick(RISK_LEVELS),
    status: 'ON',
    actions: ['DELETE'],
    affect_rows: { symbol: 'GREATER', value: 100 + prng.int(10_000) },
    execution_time: { symbol: 'GREATER_EQUAL', value: 0 },
    db_ids: [],
    client_ips: [],
    exception_ips: prng.next() < 0.3 ? ['10.9.8.7'] : [],
    schemas: [],
    ignore_case: false,
  };
}

/**
 * Changes about `share` of the declared custom rules of every instance: each rule is drawn with
 * probability `share`, and a drawn rule gets one kind uniformly: updated (content, never only
 * its status), deleted (dropped from the policy), switched (status flipped), moved to another
 * place (reorder), or a new rule declared just before it (create). Each instance also flips one
 * system rule with probability `share`. Deterministic for a seed.
 */
export function changePolicy(projects: readonly PolicyProject[], seed: number, share = 0.2): ChangedPolicy {
  const prng = new Prng(seed);
  const drawn: ChangeCounts = { create: 0, update: 0, delete: 0, switch: 0, reorder: 0 };
  const changeInstance = (inst: PolicyInstance): PolicyInstance => {
    const rules: PolicyRule[] = [];
    const moving: PolicyRule[] = [];
    let created = 0;
    for (const rule of inst.risk_rules) {
      const kind = prng.next() < share ? prng.pick(KINDS) : undefined;
      if (kind) drawn[kind]++;
      if (kind === 'create') rules.push(newRule(inst.name, ++created, prng));
      if (kind === 'delete') continue;
      if (kind === 'reorder') moving.push(rule);
      else rules.push(kind === 'update' ? updated(rule, prng) : kind === 'switch' ? { ...rule, status: flip(rule.status) } : rule);
    }
    for (const rule of moving) rules.splice(prng.int(rules.length + 1), 0, rule);
    const system = { ...inst.system_rules };
    const names = Object.keys(system);
    if (names.length > 0 && prng.next() < share) {
      const name = prng.pick(names);
      system[name] = flip(system[name]!);
      drawn.switch++;
    }
    return { ...inst, system_rules: system, risk_rules: rules };
  };
  return { projects: projects.map((p) => ({ ...p, instances: p.instances.map(changeInstance) })), drawn };
}
