/**
 * List lag (issue 18, unconfirmed): a created rule appears in rule listings only `ms` after its
 * create answered, as a search-backed listing would show it. Shows, writes and name checks see
 * it at once; only the lists leave it out (and their totals do not count it). Time is the
 * emulator's clock, so a test with an injected clock decides when "later" is.
 */
export class ListLag {
  private ms = 0;
  private readonly visibleAt = new Map<string, number>();

  /** Sets the lag of later creates (0 or undefined: none); rules already hidden keep their time. */
  configure(ms: number | undefined): void {
    this.ms = ms ?? 0;
  }

  /** A rule was created now. */
  created(id: string, now: number): void {
    if (this.ms > 0) this.visibleAt.set(id, now + this.ms);
  }

  /** Whether a listing at `now` shows the rule. */
  listed(id: string, now: number): boolean {
    const at = this.visibleAt.get(id);
    if (at === undefined) return true;
    if (at > now) return false;
    this.visibleAt.delete(id);
    return true;
  }
}
