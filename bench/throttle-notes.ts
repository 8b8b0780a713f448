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
    `${events.throttled} 429s; lowest client rate ${lowest}. Each 429 halves the client's rate, and the 429s of all the requests in flight when the gateway runs dry arrive within a few ms: ` +
    'one burst can halve it 15 times, down to the floor of 1 request a minute, with the bucket emptied, so the next request waits up to a minute unless a success still in flight lifts the rate first. ' +
    'The time ratio therefore swings from run to run (about 1.0 to 4). Fix in src/api/rate-limiter.ts: slow down once per burst (ignore 429s of requests sent before the last slow-down) and never below the limit the 429 states'
  );
}
