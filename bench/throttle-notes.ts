import type { EventTally } from './pipeline.js';

/**
 * Explanations printed next to the figures when the run drew 429s: why they happen even at an
 * equal budget, and why a handful of them can cost many seconds.
 */

/** Why a client paced at exactly the gateway's limit still draws a few 429s. */
export const EQUAL_BUDGET_NOTE =
  "every request above the minimum in a read is the retry of a 429: the client's and the gateway's token buckets both hold R and refill at R, so once both are drained a little less transit time for some request (the first ones pay for connecting) leaves the gateway a token short";

/** What the client's adaptive limiter did with the 429s of a run. */
export function throttleNote(events: EventTally): string {
  const lowest = events.lowestRate === undefined ? 'n/a' : `${Math.round(events.lowestRate * 1000) / 1000}/s`;
  return (
    `${events.throttled} 429s; lowest client rate ${lowest}. The 429s of all the requests in flight when the gateway runs dry arrive within a few ms; ` +
    'the client slows down once per such episode (429s of requests sent before the slow-down are ignored), to 90% of the limit the 429 states, and never below it, then recovers by 1/20 of the ceiling per success'
  );
}
