/**
 * What each other kind (src/kinds) declares on a bench instance: a few objects of each, every
 * field explicit, as instance-entry YAML values. The bench needs one for every registered kind
 * (scenario-kinds.ts says which is missing), and the largest page each kind's list allows by
 * the API facts, for the minimum request count (independently of the kind's own paging code).
 */

/** Instance-entry values of one kind for instance number `i`. */
type Sample = (i: number) => Record<string, unknown>;

export const KIND_SAMPLES: Record<string, Sample> = {
  'audit-scope': (i) => ({
    full_audit: 'OFF',
    audit_scopes: [
      { name: `core-${i}`, databases: { ids: [`db-${i}`] }, actions: ['SELECT', 'DELETE'], db_users: ['app'], source_ips: ['10.0.0.0/24'], source_ports: ['3306'], exception_ips: [], status: 'ON' },
      { name: `reporting-${i}`, databases: 'ALL', actions: [], db_users: [], source_ips: [], source_ports: [], exception_ips: ['10.0.0.9'], status: 'OFF' },
    ],
  }),
  'sql-injection-rule': (i) => ({
    sql_injection_rules: [
      { name: `card-number-${i}`, regex: 'card\\w*\\s*=\\s*\\d{12,19}', risk_level: 'HIGH', status: 'ON' },
      { name: `union-select-${i}`, regex: '(?i)union\\s+select', risk_level: 'MEDIUM', status: 'ON' },
      { name: `sleep-probe-${i}`, regex: 'sleep\\(\\d+\\)', risk_level: 'LOW', status: 'OFF' },
    ],
  }),
  whitelist: (i) => ({
    sql_whitelist: [
      { sql: `SELECT health_check_${i} FROM dual`, databases: [], description: 'monitoring probe', enabled: true },
      { sql: `SELECT * FROM audit_export_${i} WHERE note = 'nightly  job'`, databases: [`db-${i}`], description: '', enabled: false },
    ],
  }),
  alarm: (i) => ({
    alarms: { enabled: 'ON', topic_urn: `urn:smn:cn-north-4:${'0'.repeat(32)}:bench-alarms-${i}`, risk_levels: ['HIGH', 'MEDIUM'], cpu: 80, disk: 85, memory: 90, daily_limit: 100 },
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
  // GET .../rule/scopes?offset&limit: limit at most 1000 (the built-in full-audit scope included)
  'audit-scope': (n) => Math.max(1, Math.ceil(n / 1000)),
  // POST .../rule/sqls {page, size}: one page when `total` says it holds every rule
  'sql-injection-rule': (n) => Math.max(1, Math.ceil(n / 1000)),
  // GET .../whitelists?offset&limit: limit at most 100 (integers, 10..100)
  whitelist: (n) => Math.max(1, Math.ceil(n / 100)),
  // GET .../alarm/topic: one answer, no paging
  alarm: () => 1,
  // GET .../sensitive/mask/switch and .../result/switch (one each), then GET .../sensitive/mask/rule
  // (offset/limit, limit at most 1000): one page when `total` says it holds every rule
  masking: (n) => 2 + Math.max(1, Math.ceil(n / 1000)),
};
