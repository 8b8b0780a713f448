import type { RuleSummary } from '../../src/api/types.js';
import type { RankCalls } from '../../src/apply/rank-apply.js';

/**
 * Hand-made rank models: each is one reading of the unconfirmed rank numbering (API reference
 * §9), written here independently of the code under test. The model keeps the rules in one
 * priority order (system rules first when pinned) and derives the shown ranks and the effect
 * of `new_rank` from its reading.
 */
export interface RankModel {
  /** Shown ranks: `shared` numbers all rules, `custom` only the custom ones. */
  readonly numbering: 'shared' | 'custom';
  /** Ranks shown for system rules under `custom` numbering. */
  readonly systemRanks?: 'none' | 'negative' | 'own';
  /** First shown value. */
  readonly base?: number;
  /** Distance between shown values (1 = dense; 10 = gapped). */
  readonly step?: number;
  /**
   * What new_rank means: `position` in the numbered list (clamped), `value` (the rule goes
   * before the first other rule showing a rank >= new_rank), or `full-position` (a position
   * in the full list, system rules included, although the display numbers custom rules only).
   */
  readonly newRank: 'position' | 'value' | 'full-position';
  /** Shared numbering, but system rules stay above every custom rule (new_rank positions below them are clamped). */
  readonly pinned?: boolean;
  /** A perverse reading: new_rank is ignored (nothing moves). */
  readonly stuck?: boolean;
}

/** A model instance: a rule list and the two calls a reorder makes, with counters. */
export class FakeRanks implements RankCalls {
  /** Rules in priority order. */
  order: { id: string; name: string; system: boolean }[];
  /** Calls made. */
  readonly made = { list: 0, setRank: 0 };

  constructor(
    readonly model: RankModel,
    systems: readonly string[],
    customs: readonly string[],
  ) {
    this.order = [...systems.map((n) => ({ id: `sys-${n}`, name: n, system: true })), ...customs.map((n) => ({ id: `id-${n}`, name: n, system: false }))];
  }

  /** Shown rank of each rule (undefined = unranked). */
  private shown(): Map<string, number | undefined> {
    const { numbering, systemRanks = 'none', base = 1, step = 1 } = this.model;
    const ranks = new Map<string, number | undefined>();
    if (numbering === 'shared') {
      this.order.forEach((r, i) => ranks.set(r.id, base + i * step));
      return ranks;
    }
    const systems = this.order.filter((r) => r.system);
    this.order.filter((r) => !r.system).forEach((r, i) => ranks.set(r.id, base + i * step));
    systems.forEach((r, i) => ranks.set(r.id, systemRanks === 'none' ? undefined : systemRanks === 'negative' ? i - systems.length : 1 + i));
    return ranks;
  }

  /** The names of the custom rules in priority order. */
  customOrder(): string[] {
    return this.order.filter((r) => !r.system).map((r) => r.name);
  }

  async list(): Promise<RuleSummary[]> {
    this.made.list++;
    const ranks = this.shown();
    // listed in an order of its own (ids descending), so the reader must sort by rank
    return [...this.order]
      .sort((a, b) => (a.id < b.id ? 1 : -1))
      .map((r) => ({ id: r.id, name: r.name, ruleType: r.system ? 'SYSTEM' : 'CUSTOMIZE', status: 'ON', ...(ranks.get(r.id) === undefined ? {} : { rank: ranks.get(r.id)! }) }));
  }

  async setRank(id: string, newRank: number): Promise<void> {
    this.made.setRank++;
    if (this.model.stuck) return;
    const moving = this.order.find((r) => r.id === id);
    if (!moving || moving.system) throw new Error(`400 DBSS.10020021 unknown id ${id}`);
    const ranks = this.shown();
    const systems = this.order.filter((r) => r.system);
    // system rules stay first in every model here (pinned); shared numbering lets customs pass them
    const passable = this.model.numbering === 'shared' && !this.model.pinned;
    const movable = passable ? this.order : this.order.filter((r) => !r.system);
    const fixed = passable ? [] : systems;
    const others = movable.filter((r) => r.id !== id);
    let index: number;
    if (this.model.newRank === 'value') {
      const at = others.findIndex((r) => (ranks.get(r.id) ?? -Infinity) >= newRank);
      index = at < 0 ? others.length : at;
    } else {
      const offset = this.model.newRank === 'full-position' || this.model.pinned ? systems.length : 0;
      const base = this.model.newRank === 'full-position' ? 1 : (this.model.base ?? 1);
      index = Math.min(Math.max(newRank - base - offset, 0), others.length);
    }
    others.splice(index, 0, moving);
    this.order = [...fixed, ...others];
  }
}
