import type { PlanCoverage } from '../plan/types.js';

/**
 * The sentences that say what a plan did not read (`--changed-since`) or took from the
 * live-state cache (`--cache`), shared by every format. `quote` is the format's own escaping
 * of the one string that comes from the user (the git ref).
 */

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** `23 h 10 min`, `5 min`, `40 s`. */
export function formatAge(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

/** One sentence per fact; empty for a plan that read everything fresh and was not restricted by `--target`. */
export function coverageSentences(coverage: PlanCoverage | undefined, quote: (s: string) => string, ruleTargets: readonly string[] = []): string[] {
  const out: string[] = [];
  if (ruleTargets.length > 0) {
    out.push(
      `Targeted with --target ${ruleTargets.map(quote).join(', ')}: only changes of matching rules are planned; ` +
        'the order of rules and summary tasks are left for a plan without --target.',
    );
  }
  const c = coverage?.changedSince;
  if (c) {
    const since = `${quote(c.ref)} (${c.commit.slice(0, 12)})`;
    if (c.fallback !== undefined) out.push(`Compared with ${since}: ${c.fallback}.`);
    else {
      out.push(
        `Scoped to what changed since ${since}: ${plural(c.changedTargets, 'changed target', 'changed targets')} read and planned; ` +
          `${plural(c.unchangedTargets, 'unchanged target', 'unchanged targets')} not read; drift is found by the scheduled job.`,
      );
      if (c.unreadRules > 0) {
        out.push(`${plural(c.unreadRules, 'declared rule', 'declared rules')} of the planned instances not shown: declared spec and place unchanged.`);
      }
    }
  }
  const k = coverage?.cache;
  if (k) {
    const oldest = k.oldestAgeSeconds !== undefined ? ` (oldest ${formatAge(k.oldestAgeSeconds)}, --max-age ${formatAge(k.maxAgeSeconds)})` : '';
    out.push(
      `${plural(k.rulesFromCache, 'rule detail', 'rule details')} came from the live-state cache${oldest}, ${k.rulesShown} shown fresh; ` +
        'every rule a change touches was shown fresh.',
    );
  }
  return out;
}
