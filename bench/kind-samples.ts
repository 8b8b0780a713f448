/**
 * What each other kind (src/kinds) declares on a bench instance: a few objects of each, every
 * field explicit, as instance-entry YAML values. The bench needs one for every registered kind
 * (scenario-kinds.ts says which is missing), and the largest page each kind's list allows by
 * the API facts, for the minimum request count (independently of the kind's own paging code).
 */

/** Instance-entry values of one kind for instance number `i`. */
type Sample = (i: number) => Record<string, unknown>;

export const KIND_SAMPLES: Record<string, Sample> = {
  'sql-injection-rule': (i) => ({
    sql_injection_rules: [
      { name: `card-number-${i}`, regex: 'card\\w*\\s*=\\s*\\d{12,19}', risk_level: 'HIGH', status: 'ON' },
      { name: `union-select-${i}`, regex: '(?i)union\\s+select', risk_level: 'MEDIUM', status: 'ON' },
      { name: `sleep-probe-${i}`, regex: 'sleep\\(\\d+\\)', risk_level: 'LOW', status: 'OFF' },
    ],
  }),
  masking: (i) => ({
    masking: 'ON',
    result_set_storage: 'OFF',
    mask_rules: [
      { name: `card-${i}`, regex: '\\d{16}', mask_value: '****', status: 'ON' },
      { name: `secret-${i}`, regex: 'secret-\\d+', mask_value: 'secret-*', status: 'OFF' },
    ],
    system_mask_rules: { 'Bank card number': 'ON' },
  }),
};

/**
 * The fewest list requests that read `objects` objects of a kind (custom and built in) on one
 * instance: its list calls, each page at most the size the API facts allow (dbss-api-more.md).
 */
export const KIND_LIST_REQUESTS: Record<string, (objects: number) => number> = {
  // POST .../rule/sqls {page, size}: one page when `total` says it holds every rule
  'sql-injection-rule': (n) => Math.max(1, Math.ceil(n / 1000)),
  // GET .../sensitive/mask/switch and .../result/switch (one each), then GET .../sensitive/mask/rule
  // (offset/limit, limit at most 1000): one page when `total` says it holds every rule
  masking: (n) => 2 + Math.max(1, Math.ceil(n / 1000)),
};
