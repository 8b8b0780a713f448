import type { RuleSummary } from '../api/types.js';
import type { Change, CreateRuleChange } from '../plan/types.js';
import type { ChangeOutcome } from './types.js';

/**
 * Never delete coverage that could not be replaced. A rename is planned as a create of the new
 * name and a delete of the old one; if the create fails, deleting the old rule would leave the
 * instance with neither. So within one instance, deletes run only when every create and update
 * of that instance was applied, and, when some create answered success, only after one listing
 * of the instance shows every created rule with its declared status: an answer is not proof
 * (a create may answer SUCCESS and store nothing).
 */
export class CoverageGuard {
  /** Why deletes must wait, first first; `keeping` reasons name the kept rule their own way. */
  readonly #reasons: { readonly text: string; readonly keeping: boolean }[] = [];
  /** The creates that answered success, by rule name, until a listing checks them. */
  readonly #created = new Map<string, CreateRuleChange>();

  /** Records how a change ended; a create or update that did not apply blocks the deletes. */
  finished(change: Change, outcome: ChangeOutcome): void {
    if ((change.kind === 'create' || change.kind === 'update') && outcome !== 'applied') {
      this.#reasons.push({ text: `${change.kind} of ${change.rule} ${outcome === 'failed' ? 'failed' : `was ${outcome}`}`, keeping: false });
    }
    if (change.kind === 'create' && outcome === 'applied') this.#created.set(change.rule, change);
  }

  /** True when a listing must show the created rules before the deletes may run. */
  get needsListing(): boolean {
    return this.#created.size > 0;
  }

  /** Checks one listing of the instance: every created rule listed, in its declared status. */
  listed(rules: readonly RuleSummary[]): void {
    // in name order: creates finish concurrently, and the message must not depend on which came first
    for (const name of [...this.#created.keys()].sort()) {
      const c = this.#created.get(name)!;
      const found = rules.filter((r) => r.name === c.rule);
      if (found.length === 0) this.#reasons.push({ text: `create of ${c.rule} answered success but ${c.rule} is not listed`, keeping: true });
      else if (!found.some((r) => r.status === c.after.status)) {
        this.#reasons.push({ text: `create of ${c.rule} answered success but ${c.rule} is listed ${found[0]!.status}, declared ${c.after.status}`, keeping: true });
      }
    }
    this.#created.clear();
  }

  /** Records that the successors could not be seen (the listing failed). */
  unseen(why: string): void {
    this.#reasons.push({ text: `the created rules could not be confirmed by a listing (${why})`, keeping: true });
    this.#created.clear();
  }

  /** Why a delete must not run now, or undefined when it may. */
  blocks(change: Change): string | undefined {
    if (change.kind !== 'delete' || this.#reasons.length === 0) return undefined;
    const first = this.#reasons[0]!;
    const more = this.#reasons.length > 1 ? ` (and ${this.#reasons.length - 1} more)` : '';
    return first.keeping ? `${first.text}${more}; keeping ${change.rule}` : `${first.text}${more}; deleting ${change.rule} now would lose coverage`;
  }
}
