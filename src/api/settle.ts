import type { Clock } from './clock.js';

/**
 * Read-your-writes is not guaranteed: a search-backed listing may show a created rule seconds
 * after the create answered (DBSS documents nothing either way). Whatever is decided from a
 * rule's absence in a listing (resending a create whose answer was lost, calling an apply "not
 * converged", ordering rules just created) first looks again over a settle window: several
 * listings, spread evenly over the window, until one shows what was expected.
 */

/** Default settle window: a listing may lag a create by up to this long (ms). */
export const DEFAULT_SETTLE_MS = 5000;

/** The largest settle window accepted (ms): every wait stays bounded. */
export const MAX_SETTLE_MS = 60_000;

/** Listings over a settle window, the first at once and the last at its end. */
export const SETTLE_LISTINGS = 5;

/**
 * Lists until `settled` holds for a listing or the window has passed; returns the last
 * listing. A window of 0 lists once.
 */
export async function settledListing<T>(list: () => Promise<T>, settled: (listing: T) => boolean, windowMs: number, clock: Clock): Promise<T> {
  let listing = await list();
  const waits = windowMs > 0 ? SETTLE_LISTINGS - 1 : 0;
  for (let i = 0; i < waits && !settled(listing); i++) {
    await clock.sleep(windowMs / waits);
    listing = await list();
  }
  return listing;
}
