import { createHash } from 'node:crypto';
import type { LiveRuleDetail, LiveState } from '../live/types.js';
import type { SchemaTarget, Threshold } from '../domain.js';
import type { DesiredState } from '../policy/types.js';
import { instanceKey, selectorKey } from '../domain.js';
import type { DesiredRiskRule, DesiredSystemRule } from '../policy/types.js';
import { normaliseIps } from './normalise.js';
import { cmp } from './order.js';
import { canonical } from '../kinds/collection.js';
import { inRankOrder } from '../live/rule-kinds.js';

/**
 * Fingerprints that let `apply plan.json` refuse a stale plan. Both are sha256 (hex) of JSON
 * built here from objects in a fixed key order, lists sorted where their order carries no
 * meaning, so they do not depend on the order in which things were read or declared.
 */

/**
 * A sha256 fed one JSON line at a time: large estates are hashed without building one big
 * object tree or string (the planner must stay fast and small on 100,000 rules).
 */
function lineHash(): { add(value: unknown): void; hex(): string } {
  const h = createHash('sha256');
  return {
    add: (value) => h.update(`${JSON.stringify(value)}\n`),
    hex: () => h.digest('hex'),
  };
}

const threshold = (t: Threshold | undefined): unknown[] => [t?.symbol, t?.value];
const schemaKey = (x: SchemaTarget): string => [x.schema ?? '', x.table ?? '', x.column ?? ''].join('\u0000');

/** A sorted copy (absent = empty). */
const sorted = (xs: readonly string[] | undefined): readonly string[] => [...(xs ?? [])].sort();

/**
 * A live detail's content, its set-like lists sorted (the API may list them in any order), IPs
 * canonical. Its name is the list item's (liveDetail) and its rank is not planned from (the
 * list's ranks are): both are in the rule's line.
 */
function detailFields(d: LiveRuleDetail): unknown[] {
  const lists = [sorted(d.actions), sorted(d.dbIds), normaliseIps(d.clientIps), sorted(d.schemas?.map(schemaKey))];
  return [d.riskLevel, d.status, ...threshold(d.affectRows), ...threshold(d.executionTime), d.ignoreCase, ...lists];
}

const taskKey = (t: { region: string; projectId: string; busiType: string }): string =>
  `${t.region}/${t.projectId}/${t.busiType}`;

/**
 * sha256 of the live state the plan depends on: per instance its id, name, status, every rule
 * (id, name, type, status, rank, risk level, in rank order) and the details that were read (by
 * rule id, so the order the API lists them in does not matter); the summary tasks; which keys could
 * not be read; and which instances each selector matched. With `desired`, only what it declares
 * counts (the planned scope, selector matches included), so an extra instance in the live state
 * does not make a plan stale, but a new instance that a selector picks up does.
 */
export function liveFingerprint(live: LiveState, desired?: DesiredState): string {
  const instanceKeys = desired && new Set(desired.instances.map(instanceKey));
  const taskKeys = desired && new Set(desired.summaryTasks.map(taskKey));
  const projectKeys = desired && new Set([...desired.instances, ...desired.summaryTasks].map((x) => `${x.region}/${x.projectId}`));
  const inScope = (key: string): boolean => !instanceKeys || instanceKeys.has(key);
  const h = lineHash();
  const instances = live.instances.filter((i) => inScope(i.key)).sort((a, b) => cmp(a.key, b.key));
  for (const i of instances) {
    h.add(['instance', i.key, i.id, i.name, i.status]);
    for (const r of inRankOrder(i.rules)) {
      const detail = i.details[r.id];
      h.add(['rule', r.id, r.name, r.ruleType, r.status, r.rank, r.riskLevel, detail && detailFields(detail)]);
    }
    // Other kinds: every object (by id, so list order does not matter) and setting as read.
    for (const [name, k] of Object.entries(i.kinds ?? {}).sort((a, b) => cmp(a[0], b[0]))) {
      const objects = [...k.objects].sort((a, b) => cmp(a.id, b.id)).map((o) => canonical([o.id, o.key, o.builtIn, o.rank ?? null, o.spec]));
      h.add(['kind', name, objects, canonical(k.settings)]);
    }
  }
  const summaryTasks = live.summaryTasks
    .filter((t) => !taskKeys || taskKeys.has(taskKey(t)))
    .map((t) => [taskKey(t), t.enabled ?? 'unknown'] as const)
    .sort((a, b) => cmp(a[0], b[0]));
  h.add(['tasks', summaryTasks]);
  const unreadable = [...new Set(live.errors.map((e) => e.key))]
    .filter((k) => !instanceKeys || instanceKeys.has(k) || projectKeys!.has(k))
    .sort(cmp);
  h.add(['unreadable', unreadable]);
  const selectors = (live.selectors ?? [])
    .map((s) => ({
      key: s.key,
      matched: s.matched.filter((m) => inScope(`${s.region}/${s.projectId}/${m.name}`)).map((m) => ({ name: m.name, id: m.id })),
      unresolved: s.error !== undefined,
    }))
    .sort((a, b) => cmp(a.key, b.key));
  if (selectors.length > 0) h.add(['selectors', selectors]);
  return h.hex();
}


interface Declared {
  readonly kinds?: DesiredState['instances'][number]['kinds'];
  readonly prune: boolean;
  readonly systemRules: readonly DesiredSystemRule[];
  readonly riskRules: readonly DesiredRiskRule[];
}

/**
 * sha256 of the desired state as declared, without source locations or rule set provenance:
 * moving a rule's text within a file, an instance to another file or a rule into a rule set
 * does not change it; changing a value, the relative order of the custom rules (their priority)
 * or what is declared does. Selectors count by their glob and settings, not by what they match
 * (that is live state, in the live fingerprint). Keyed, system rules sorted by name.
 */
export function desiredHash(desired: DesiredState): string {
  const h = lineHash();
  const add = (tag: string, key: string, d: Declared): void => {
    const systems = d.systemRules.map((s) => [s.name, s.status] as const).sort((a, b) => cmp(a[0], b[0]));
    h.add([tag, key, d.prune, systems]);
    for (const r of d.riskRules) {
      const lists = [r.actions, r.dbIds, r.clientIps, r.exceptionIps, r.schemas.map(schemaKey)];
      h.add([r.name, r.riskLevel, r.status, ...threshold(r.affectRows), ...threshold(r.executionTime), r.ignoreCase, ...lists]);
    }
    // Other kinds as declared, without source locations (objects in declaration order: it can be priority).
    for (const [name, k] of Object.entries(d.kinds ?? {}).sort((a, b) => cmp(a[0], b[0]))) {
      const switches = k.switches.map((s) => [s.name, s.status] as const).sort((a, b) => cmp(a[0], b[0]));
      const settings = Object.entries(k.settings).map(([s, v]) => [s, canonical(v.value)] as const).sort((a, b) => cmp(a[0], b[0]));
      h.add(['kind', name, k.prune, k.objects.map((o) => canonical([o.key, o.spec, o.meta ?? null])), switches, settings]);
    }
  };
  const keyed = <T>(xs: readonly T[], key: (x: T) => string) => xs.map((x) => ({ x, k: key(x) })).sort((a, b) => cmp(a.k, b.k));
  for (const { x, k } of keyed(desired.instances.filter((d) => d.selector === undefined), instanceKey)) add('instance', k, x);
  for (const { x, k } of keyed(desired.selectors ?? [], selectorKey)) add('selector', k, x);
  h.add(['tasks', keyed(desired.summaryTasks, taskKey).map(({ x, k }) => [k, x.enabled])]);
  return h.hex();
}
