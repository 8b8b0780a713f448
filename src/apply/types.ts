import type { Change } from '../plan/types.js';

/** How one planned change ended. */
export type ChangeOutcome = 'applied' | 'failed' | 'skipped' | 'not-attempted';

/** The result of one planned change. */
export interface ChangeResult {
  /** The change id from the plan. */
  readonly id: string;
  /** The change kind. */
  readonly kind: Change['kind'];
  /** Target key. */
  readonly target: string;
  /** applied, failed (with error), skipped (a change it depends on failed) or not-attempted (interrupted). */
  readonly outcome: ChangeOutcome;
  /** The API error or the reason for skipping; secrets-free. */
  readonly detail?: string;
  /** X-Request-Id of the failing call, when the API gave one. */
  readonly requestId?: string;
  /** API calls made for this change. */
  readonly calls: number;
  /** For a reorder: the rank numbering observed and how the moves were made. */
  readonly rank?: RankReport;
}

/** What a reorder observed of the instance's rank numbering (unconfirmed in the API reference). */
export interface RankReport {
  /** The numbering the listing showed, e.g. `custom 1..7 dense; system rules unranked`. */
  readonly numbering: string;
  /** predicted: the dense-insert reading held; safe: moves learned one listing at a time. */
  readonly mode: 'predicted' | 'safe';
  /** setRank calls made. */
  readonly rankCalls: number;
  /** The declared ranked rules in the order last observed. */
  readonly observed: readonly string[];
}

/** The result of applying a plan. */
export interface ApplyResult {
  /** One result per planned change, in plan order. */
  readonly results: readonly ChangeResult[];
  /** The run was interrupted (SIGINT/SIGTERM) before every change was dispatched. */
  readonly interrupted: boolean;
}

/** Progress events for the CLI's progress display. */
export interface ApplyProgress {
  /** Changes finished so far (any outcome). */
  readonly done: number;
  /** Changes in the plan. */
  readonly total: number;
  /** The change that just finished. */
  readonly result: ChangeResult;
}
