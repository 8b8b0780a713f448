import { createHash } from 'node:crypto';
import type { LiveState } from '../live/types.js';
import type { DesiredState } from '../policy/types.js';
import { instanceKey } from '../policy/types.js';
import { normaliseRule } from './normalise.js';
import { cmp } from './order.js';
import { byRank } from './plan-instance.js';
import { ruleSpec } from './rule-diff.js';

/**
 * Fingerprints that let `apply plan.json` refuse a stale plan. Both are sha256 (hex) of a
 * canonical JSON (object keys sorted, undefined dropped), so they do not depend on the order in
 * which things were read or declared where that order carries no meaning.
 */

/** JSON with object keys sorted at every level and undefined members dropped. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => cmp(a, b)))
      : v,
  );
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const taskKey = (t: { region: string; projectId: string; busiType: string }): string =>
  `${t.region}/${t.projectId}/${t.busiType}`;

/**
 * sha256 of the live state the plan depends on: per instance its id, name, status, every rule
 * (id, name, type, status, rank, risk level, in rank order) and the normalised details that were
 * read (so list order returned by the API does not matter); the summary tasks; and which keys
 * could not be read. With `desired`, only what it declares counts (the planned scope), so an
 * extra instance in the live state does not make a plan stale.
 */
export function liveFingerprint(live: LiveState, desired?: DesiredState): string {
  const instanceKeys = desired && new Set(desired.instances.map(instanceKey));
  const taskKeys = desired && new Set(desired.summaryTasks.map(taskKey));
  const projectKeys = desired && new Set([...desired.instances, ...desired.summaryTasks].map((x) => `${x.region}/${x.projectId}`));
  const instances = live.instances
    .filter((i) => !instanceKeys || instanceKeys.has(i.key))
    .sort((a, b) => cmp(a.key, b.key))
    .map((i) => ({
      key: i.key,
      id: i.id,
      name: i.name,
      status: i.status,
      rules: byRank(i.rules).map((r) => ({ id: r.id, name: r.name, ruleType: r.ruleType, status: r.status, rank: r.rank, riskLevel: r.riskLevel })),
      details: Object.keys(i.details)
        .sort(cmp)
        .map((id) => ({ id, rank: i.details[id]!.rank, ...normaliseRule(i.details[id]!) })),
    }));
  const summaryTasks = live.summaryTasks
    .filter((t) => !taskKeys || taskKeys.has(taskKey(t)))
    .map((t) => ({ key: taskKey(t), enabled: t.enabled }))
    .sort((a, b) => cmp(a.key, b.key));
  const unreadable = [...new Set(live.errors.map((e) => e.key))]
    .filter((k) => !instanceKeys || instanceKeys.has(k) || projectKeys!.has(k))
    .sort(cmp);
  return sha256(canonicalJson({ instances, summaryTasks, unreadable }));
}

/**
 * sha256 of the desired state without source locations: moving a rule's text within a file, or
 * an instance to another file, does not change it; changing a value, the relative order of the
 * custom rules (their priority) or what is declared does. Instances and tasks are keyed, system
 * rules sorted by name (their order has no meaning).
 */
export function desiredHash(desired: DesiredState): string {
  const instances = desired.instances
    .map((d) => ({
      key: instanceKey(d),
      prune: d.prune,
      systemRules: d.systemRules.map((s) => ({ name: s.name, status: s.status })).sort((a, b) => cmp(a.name, b.name)),
      riskRules: d.riskRules.map(ruleSpec),
    }))
    .sort((a, b) => cmp(a.key, b.key));
  const summaryTasks = desired.summaryTasks
    .map((t) => ({ key: taskKey(t), enabled: t.enabled }))
    .sort((a, b) => cmp(a.key, b.key));
  return sha256(canonicalJson({ instances, summaryTasks }));
}
