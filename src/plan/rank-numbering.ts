import type { RuleSummary } from '../api/types.js';

/**
 * What an instance's rule list shows of its rank numbering, as observed (the API reference
 * leaves it open: base, gaps, whether system rules are ranked, share the numbering or sit
 * above the custom rules). Used to decide whether a rank call can be predicted, and reported
 * by apply so a team learns how its region numbers rules.
 */
export interface RankNumbering {
  /**
   * shared-dense: system and custom rules ranked in one gap-free sequence;
   * custom-dense: custom ranks gap-free on their own (system rules unranked, above, or numbered apart);
   * gapped: custom ranks distinct but with gaps (and not filled by system rules);
   * ties: two custom rules show the same rank;
   * unranked: fewer than two ranked custom rules.
   */
  readonly kind: 'shared-dense' | 'custom-dense' | 'gapped' | 'ties' | 'unranked';
  /** A rank call can be predicted from the shown ranks (dense-insert reading); else apply learns by listing after each call. */
  readonly predictable: boolean;
  /** One line for people, e.g. `custom 1..7 dense; system rules unranked`. */
  readonly text: string;
}

/** `min..max` of a non-empty list. */
const span = (xs: readonly number[]): string => `${Math.min(...xs)}..${Math.max(...xs)}`;
const distinct = (xs: readonly number[]): boolean => new Set(xs).size === xs.length;
/** A non-empty list of distinct values without holes. */
const gapFree = (xs: readonly number[]): boolean => distinct(xs) && Math.max(...xs) - Math.min(...xs) + 1 === xs.length;

/** Describes the numbering the list shows. Rules whose type is not CUSTOMIZE count as system rules here. */
export function describeNumbering(rules: readonly RuleSummary[]): RankNumbering {
  const custom = rules.filter((r) => r.ruleType === 'CUSTOMIZE');
  const system = rules.filter((r) => r.ruleType !== 'CUSTOMIZE');
  const customRanks = custom.flatMap((r) => (r.rank === undefined ? [] : [r.rank]));
  const systemRanks = system.flatMap((r) => (r.rank === undefined ? [] : [r.rank]));
  const unrankedCustom = custom.length - customRanks.length;
  // Every system rank above every custom rank (only read when some system rule is ranked).
  const systemAbove = Math.max(...systemRanks) < Math.min(...customRanks, Infinity);
  const tail = unrankedCustom > 0 ? `; ${unrankedCustom} custom rule${unrankedCustom === 1 ? '' : 's'} unranked` : '';
  const systemText =
    system.length === 0
      ? 'no system rules listed'
      : systemRanks.length === 0
        ? 'system rules unranked'
        : systemRanks.length < system.length
          ? `system rules partly ranked (${span(systemRanks)})`
          : systemAbove
            ? `system ${span(systemRanks)} above`
            : `system rules ranked ${span(systemRanks)}`;
  if (customRanks.length < 2) return { kind: 'unranked', predictable: true, text: `${customRanks.length} ranked custom rule${customRanks.length === 1 ? '' : 's'}; ${systemText}${tail}` };
  if (!distinct(customRanks)) return { kind: 'ties', predictable: false, text: `custom ${span(customRanks)} with ties; ${systemText}${tail}` };
  const all = [...customRanks, ...systemRanks];
  if (systemRanks.length > 0 && gapFree(all)) {
    const first = systemAbove ? ', system first' : '';
    return { kind: 'shared-dense', predictable: true, text: `system and custom share ${span(all)} (dense${first})${tail}` };
  }
  if (gapFree(customRanks)) return { kind: 'custom-dense', predictable: true, text: `custom ${span(customRanks)} dense; ${systemText}${tail}` };
  return { kind: 'gapped', predictable: false, text: `custom ${span(customRanks)} with gaps; ${systemText}${tail}` };
}
