import { SYSTEM_RULE_NAMES } from '../domain.js';
import { SYSTEM_RULE_VARIANT_NAMES } from '../emulator/seed-rules.js';
import type { Observation } from './types.js';

/** Built-in rule names: the guessed ones, and the variant spellings an emulator profile uses. */
const GUESSED_NAMES: readonly string[] = SYSTEM_RULE_NAMES;
const VARIANT_NAMES: readonly string[] = Object.values(SYSTEM_RULE_VARIANT_NAMES);

/**
 * What a raw rule list says about the open points of rank numbering (dbss-api.md §9): whether
 * system rules carry a rank, whether system and custom rules share one numbering, its base and
 * gaps, and the optional list fields. Pure: raw list items in, observations out.
 */

/** A rule as listed, before any interpretation but the probe's own. */
export interface ListedRule {
  /** Rule id. */
  readonly id: string;
  /** Rule name (API-supplied: escape before printing). */
  readonly name: string;
  /** True for a system rule: rule_type SYSTEM, or, without rule_type, a built-in rule's name. */
  readonly system: boolean;
  /** The rank as listed, when it is an integer. */
  readonly rank: number | undefined;
  /** The status as listed (ON / OFF), when it is a string. */
  readonly status: string | undefined;
  /** Which optional fields the item carries (non-null). */
  readonly fields: ReadonlySet<string>;
}

const OPTIONAL_LIST_FIELDS = ['rank', 'risk_level', 'rule_type', 'feature'] as const;

/** Raw list items → ListedRule (items without a string id and name are skipped). */
export function listedRules(items: readonly unknown[]): ListedRule[] {
  const out: ListedRule[] = [];
  for (const item of items) {
    if (typeof item !== 'object' || item === null) continue;
    const r = item as Record<string, unknown>;
    if (typeof r.id !== 'string' || typeof r.name !== 'string') continue;
    const type = typeof r.rule_type === 'string' ? r.rule_type.toUpperCase() : undefined;
    const system = type === undefined ? GUESSED_NAMES.includes(r.name) || VARIANT_NAMES.includes(r.name) : type === 'SYSTEM';
    const rank = typeof r.rank === 'number' && Number.isInteger(r.rank) ? r.rank : typeof r.rank === 'string' && /^-?\d+$/.test(r.rank) ? Number(r.rank) : undefined;
    const status = typeof r.status === 'string' ? r.status : undefined;
    out.push({ id: r.id, name: r.name, system, rank, status, fields: new Set(OPTIONAL_LIST_FIELDS.filter((f) => r[f] !== undefined && r[f] !== null)) });
  }
  return out;
}

/** The rules in priority order: by rank where every one has a rank, else as listed. */
export function byRank(rules: readonly ListedRule[]): ListedRule[] {
  return rules.every((r) => r.rank !== undefined) ? [...rules].sort((a, b) => a.rank! - b.rank!) : [...rules];
}

/**
 * "1..7 dense", "10..70 step 10", "5..8 dense", or the values when irregular. `step` is set
 * only for a numbering that starts at its own step (1, 2, 3 ... or 10, 20, 30 ...).
 */
export function describeRanks(ranks: readonly number[]): { text: string; step?: number } {
  const sorted = [...ranks].sort((a, b) => a - b);
  const first = sorted[0];
  if (first === undefined) return { text: 'none' };
  const last = sorted.at(-1)!;
  if (sorted.length === 1) return { text: `${first}`, ...(first >= 1 ? { step: first } : {}) };
  const diff = sorted[1]! - first;
  if (diff >= 1 && sorted.every((r, i) => r === first + diff * i)) {
    const text = `${first}..${last} ${diff === 1 ? 'dense' : `step ${diff}`}`;
    return { text, ...(first === diff ? { step: diff } : {}) };
  }
  const shown = sorted.slice(0, 20).join(', ') + (sorted.length > 20 ? ', ...' : '');
  return { text: `irregular: ${shown}` };
}

/** Observations about the optional fields of list items. */
export function listFieldObservations(rules: readonly ListedRule[]): Observation[] {
  if (rules.length === 0) return [];
  const missing = OPTIONAL_LIST_FIELDS.map((f) => ({ f, n: rules.filter((r) => !r.fields.has(f)).length })).filter((m) => m.n > 0);
  const text = missing.length === 0 ? 'rank, risk_level, rule_type and feature on every item' : missing.map((m) => `${m.f} absent on ${m.n} of ${rules.length}`).join('; ');
  const nonRank = missing.filter((m) => m.f !== 'rank');
  return [{ point: 'list fields', observed: text, option: 'listFields', value: nonRank.length === 0 ? 'full' : 'required' }];
}

/** The names the system rules go by (the API reference settles only Database_drag_detection). */
export function systemNameObservations(rules: readonly ListedRule[]): Observation[] {
  const names = rules.filter((r) => r.system).map((r) => r.name);
  if (names.length === 0) return [];
  const guessed = names.every((n) => GUESSED_NAMES.includes(n));
  const variant = names.every((n) => VARIANT_NAMES.includes(n));
  const observed = names.map((n) => JSON.stringify(n)).join(', ');
  if (guessed === variant) return [{ point: 'system rule names', observed }];
  return [{ point: 'system rule names', observed, option: 'systemRuleNames', value: guessed ? 'guessed' : 'variant' }];
}

/** Observations about rank numbering from one listing. */
export function numberingObservations(rules: readonly ListedRule[]): Observation[] {
  const out: Observation[] = [];
  const system = rules.filter((r) => r.system);
  const custom = rules.filter((r) => !r.system);
  const sysRanks = system.map((r) => r.rank).filter((r): r is number => r !== undefined);
  const cusRanks = custom.map((r) => r.rank).filter((r): r is number => r !== undefined);
  let numbering: 'shared' | 'custom' | undefined;

  if (system.length === 0) out.push({ point: 'system rules', observed: 'none listed' });
  else if (sysRanks.length === 0) {
    numbering = 'custom';
    out.push({ point: 'system rules', observed: `rank absent (${system.length} rules)`, option: 'systemRanks', value: 'absent' });
  } else if (sysRanks.length < system.length) {
    out.push({ point: 'system rules', observed: `rank absent on ${system.length - sysRanks.length} of ${system.length}` });
  } else if (sysRanks.every((r) => r < 0)) {
    numbering = 'custom';
    out.push({ point: 'system rules', observed: `negative ranks ${Math.min(...sysRanks)}..${Math.max(...sysRanks)}`, option: 'systemRanks', value: 'negative' });
  } else if (sysRanks.some((r) => cusRanks.includes(r))) {
    numbering = 'custom';
    out.push({ point: 'system rules', observed: `ranks ${describeRanks(sysRanks).text} of their own (the custom ranks reuse them)`, option: 'systemRanks', value: 'own' });
  } else if (cusRanks.length > 0 && describeRanks([...sysRanks, ...cusRanks]).step !== undefined) {
    numbering = 'shared';
    out.push({ point: 'system rules', observed: `ranks ${describeRanks(sysRanks).text}, in one numbering with the custom rules`, option: 'systemRanks', value: 'shared' });
  } else {
    out.push({ point: 'system rules', observed: `ranks ${describeRanks(sysRanks).text} (no custom rule to tell whether the numbering is shared)` });
  }
  if (numbering) out.push({ point: 'numbering', observed: numbering === 'shared' ? 'system and custom rules share one numbering' : 'custom rules are numbered on their own', option: 'rankNumbering', value: numbering });
  if (numbering === 'custom') out.push({ point: 'placement', observed: 'system rules are listed apart, above the custom rules', option: 'systemPinned', value: true });

  const custText = describeRanks(cusRanks);
  const unranked = custom.length - cusRanks.length;
  out.push({ point: 'custom ranks', observed: custText.text + (unranked > 0 ? ` (${unranked} custom rules without rank)` : '') });
  const numbered = numbering === 'shared' ? describeRanks([...sysRanks, ...cusRanks]) : custText;
  if (numbered.step !== undefined && (numbering !== undefined || system.length === 0) && unranked === 0) {
    out.push({ point: 'rank step', observed: numbered.step === 1 ? 'dense (1, 2, 3 ...)' : `gaps of ${numbered.step}`, option: 'rankStep', value: numbered.step });
  }
  if (numbering === 'shared' && cusRanks.some((c) => sysRanks.some((s) => c < s))) {
    out.push({ point: 'placement', observed: 'a custom rule is ranked above a system rule', option: 'systemPinned', value: false });
  }
  return out;
}
