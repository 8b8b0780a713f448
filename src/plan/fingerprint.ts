import { createHash } from 'node:crypto';
import type { LiveState } from '../live/types.js';
import type { DesiredState } from '../policy/types.js';
import { instanceKey, selectorKey } from '../policy/types.js';
import type { DesiredRiskRule, DesiredSystemRule } from '../policy/types.js';
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
 * read (so list order returned by the API does not matter); the summary tasks; which keys could
 * not be read; and which instances each selector matched. With `desired`, only what it declares
 * counts (the planned scope, selector matches included), so an extra instance in the live state
 * does not make a plan stale, but a new instance that a selector picks up does.
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
  const inScope = (key: string): boolean => !instanceKeys || instanceKeys.has(key);
  const selectors = (live.selectors ?? [])
    .map((s) => ({
      key: s.key,
      matched: s.matched.filter((m) => inScope(`${s.region}/${s.projectId}/${m.name}`)).map((m) => ({ name: m.name, id: m.id })),
      unresolved: s.error !== undefined,
    }))
    .sort((a, b) => cmp(a.key, b.key));
  const state = { instances, summaryTasks, unreadable };
  return sha256(canonicalJson(selectors.length > 0 ? { ...state, selectors } : state));
}

const systemRulesHash = (rules: readonly DesiredSystemRule[]) =>
  rules.map((s) => ({ name: s.name, status: s.status })).sort((a, b) => cmp(a.name, b.name));
const riskRulesHash = (rules: readonly DesiredRiskRule[]) => rules.map(ruleSpec);

/**
 * sha256 of the desired state as declared, without source locations or rule set provenance:
 * moving a rule's text within a file, an instance to another file or a rule into a rule set
 * does not change it; changing a value, the relative order of the custom rules (their priority)
 * or what is declared does. Selectors count by their glob and settings, not by what they match
 * (that is live state, in the live fingerprint). Keyed, system rules sorted by name.
 */
export function desiredHash(desired: DesiredState): string {
  const settings = (d: { prune: boolean; systemRules: readonly DesiredSystemRule[]; riskRules: readonly DesiredRiskRule[] }) => ({
    prune: d.prune,
    systemRules: systemRulesHash(d.systemRules),
    riskRules: riskRulesHash(d.riskRules),
  });
  const instances = desired.instances
    .filter((d) => d.selector === undefined)
    .map((d) => ({ key: instanceKey(d), ...settings(d) }))
    .sort((a, b) => cmp(a.key, b.key));
  const selectors = (desired.selectors ?? [])
    .map((s) => ({ key: selectorKey(s), ...settings(s) }))
    .sort((a, b) => cmp(a.key, b.key));
  const summaryTasks = desired.summaryTasks
    .map((t) => ({ key: taskKey(t), enabled: t.enabled }))
    .sort((a, b) => cmp(a.key, b.key));
  // Without selectors, the same hash as before selectors existed.
  return sha256(canonicalJson(selectors.length > 0 ? { instances, summaryTasks, selectors } : { instances, summaryTasks }));
}
