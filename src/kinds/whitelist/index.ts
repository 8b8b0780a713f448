import { collectionShows } from '../collection.js';
import type { Kind } from '../kind.js';
import { checkWhitelist, desiredWhitelist, WHITELIST_KEY } from './desired.js';
import { exportWhitelist } from './export.js';
import { listWhitelist } from './list-pages.js';
import { planWhitelist } from './plan.js';
import { WHITELIST_SCHEMA } from './schema.js';
import { LABEL, WHITELIST_SHAPE } from './shape.js';
import { writeWhitelistBatch, writeWhitelistChange } from './write.js';

/** The SQL whitelist (dbss-api-more.md §4): entries keyed by their normalised SQL text, added and deleted in batches. */
export const WHITELIST_KIND: Kind = {
  name: 'whitelist',
  label: LABEL,
  plural: 'whitelist entries',
  policyKeys: [WHITELIST_KEY],
  schema: WHITELIST_SCHEMA,
  desired: desiredWhitelist,
  check: checkWhitelist,
  async read(api, target) {
    const { objects, observations, learned } = await listWhitelist(api, target);
    return { objects, settings: {}, observations, learned };
  },
  plan: planWhitelist,
  write: writeWhitelistChange,
  writeBatch: writeWhitelistBatch,
  shows: (change, live) => collectionShows(WHITELIST_SHAPE, change, live),
  export: exportWhitelist,
};
