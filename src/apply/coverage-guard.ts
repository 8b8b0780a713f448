import type { Change } from '../plan/types.js';
import type { ChangeOutcome } from './types.js';

/**
 * Never delete coverage that could not be replaced. A rename is planned as a create of the new
 * name and a delete of the old one; if the create fails, deleting the old rule would leave the
 * instance with neither. So within one instance, deletes run only when every create and update
 * of that instance was applied.
 */
export class CoverageGuard {
  readonly #unfinished: string[] = [];

  /** Records how a change ended; a create or update that did not apply blocks the deletes. */
  finished(change: Change, outcome: ChangeOutcome): void {
    if ((change.kind === 'create' || change.kind === 'update') && outcome !== 'applied') {
      this.#unfinished.push(`${change.kind} of ${change.rule} ${outcome === 'failed' ? 'failed' : `was ${outcome}`}`);
    }
  }

  /** Why a delete must not run now, or undefined when it may. */
  blocks(change: Change): string | undefined {
    if (change.kind !== 'delete' || this.#unfinished.length === 0) return undefined;
    const first = this.#unfinished[0]!;
    const more = this.#unfinished.length > 1 ? ` (and ${this.#unfinished.length - 1} more)` : '';
    return `${first}${more}; deleting ${change.rule} now would lose coverage`;
  }
}
