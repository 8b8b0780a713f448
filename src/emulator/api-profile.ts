/**
 * The emulator's reading of every point the API reference leaves open (dbss-api.md §9). Each
 * option is one unconfirmed point; a named profile (profiles.ts) bundles one reading of each.
 * The default reading follows the answer models of Huawei's current SDK where they settle a point
 * (test/fixtures/sdk-models.json) and is otherwise the one the emulator always had.
 */
export interface ApiProfile {
  /**
   * Shape of the instance lists (§2). `sdk`: as Huawei's current SDK models them (v1
   * ListAuditInstancesNew `instances` keyed `instance_id` with `connectIpv6`; v2
   * ListAuditInstancesLast `instances` keyed `id`; the old ListAuditInstances `servers` in
   * snake_case). The emulator's earlier answers, kept whole: `servers` (both new lists `servers`
   * keyed `id`, as the Go SDK snapshot of 2026-03 models them) and `instances` (both new lists
   * `instances` keyed `instance_id`, its reading of the Node.js SDK 3.1.204); with either, the
   * old list spells five fields in camelCase as Terraform reads them (chargeModel, configNum,
   * remainDays, subnetId, connectIpv6).
   */
  readonly instanceList: 'sdk' | 'servers' | 'instances';
  /**
   * Which rules share one rank numbering: `shared` = system and custom rules in one list;
   * `custom` = custom rules numbered on their own, system rules listed first (see systemRanks).
   */
  readonly rankNumbering: 'shared' | 'custom';
  /**
   * The `rank` system rules show: `shared` (their place in the shared list; only with
   * rankNumbering shared), `absent` (no rank field), `negative` (-s..-1) or `own` (a numbering
   * of their own, 1..s times rankStep, overlapping the custom ranks).
   */
  readonly systemRanks: 'shared' | 'absent' | 'negative' | 'own';
  /** True when custom rules can never be placed above system rules (always so with custom numbering). */
  readonly systemPinned: boolean;
  /** Distance between neighbouring ranks: 1 = dense 1..n, 10 = 10, 20, 30 ... */
  readonly rankStep: number;
  /**
   * What SetRiskRuleRank's `new_rank` means: `position` = the 1-based place in the numbered
   * list (clamped); `value` = a priority value: the rule goes before the first other rule whose
   * current rank is at least new_rank (after them all when none is).
   */
  readonly newRank: 'position' | 'value';
  /** Where a created rule lands: `last` (after every rule) or `first` (above the other custom rules). */
  readonly createdRank: 'last' | 'first';
  /** How `action` of a rule created without one reads back in show: null, "", absent, or "OPERATE ALL". */
  readonly anyOperation: 'null' | 'empty' | 'absent' | 'operate-all';
  /** How an unset `db_ids` / `client_ips` reads back in show: null, "" or absent. */
  readonly emptyFields: 'null' | 'empty' | 'absent';
  /** List items: `full` (every field), or `required` (only id, name, type, status, plus rank per the numbering). */
  readonly listFields: 'full' | 'required';
  /** Show answers: `full`, or `terse` (no rank, no default thresholds, no false ignore_case, no empty schemas). */
  readonly showFields: 'full' | 'terse';
  /** task_switch of the summary-task read: `lower` (on/off), `upper` (ON/OFF), `boolean` (true/false) or `absent`. */
  readonly taskSwitch: 'lower' | 'upper' | 'boolean' | 'absent';
  /** The answer to an unknown rule id: `400` DBSS.10020021 or `404` DBSS.10021004. */
  readonly unknownId: '400' | '404';
  /** A create or rename to a name already used: `failed` (HTTP 200 status FAILED) or `accepted` (two rules, one name). */
  readonly duplicateName: 'failed' | 'accepted';
  /**
   * The names the built-in rules go by: `guessed` (the four names used so far, of which only
   * Database_drag_detection appears in a document) or `variant` (other plausible spellings).
   */
  readonly systemRuleNames: 'guessed' | 'variant';
  /**
   * What `""` (or leaving the field out) means in a create or update's action, client_ips,
   * db_ids and exception_ips: `unset` (cleared), `kept` (an update keeps the current value; a
   * create leaves it unset), or `rejected` (`""` is a 400: leave the field out instead).
   */
  readonly emptyWrite: 'unset' | 'kept' | 'rejected';
  /**
   * The most rules one page of the rule list holds, whatever `limit` asked for (a gateway that
   * caps pages below the limit; unconfirmed): 0 = no cap, the page holds up to `limit`.
   */
  readonly pageCap: number;
  /** `total` (and `customize_total`) of the rule list: `present`, or `absent` (the SDK marks both optional). */
  readonly listTotal: 'present' | 'absent';
  /** The `status` of a create: `honoured`, or `ignored` (every created rule is ON, whatever was sent; unconfirmed). */
  readonly createStatus: 'honoured' | 'ignored';
  /** The open-point options of the other kinds (each kind's emulator.ts), by option name; an absent option takes its default (its first value). */
  readonly kinds?: Readonly<Record<string, string>>;
}

/** The default reading: the SDK's current instance-list models, one dense shared numbering, everything shown. */
export const DEFAULT_PROFILE: ApiProfile = {
  instanceList: 'sdk',
  rankNumbering: 'shared',
  systemRanks: 'shared',
  systemPinned: false,
  rankStep: 1,
  newRank: 'position',
  createdRank: 'last',
  anyOperation: 'null',
  emptyFields: 'null',
  listFields: 'full',
  showFields: 'full',
  taskSwitch: 'lower',
  unknownId: '400',
  duplicateName: 'failed',
  systemRuleNames: 'guessed',
  emptyWrite: 'unset',
  pageCap: 0,
  listTotal: 'present',
  createStatus: 'honoured',
};

/** The allowed values of each enumerated option (rankStep, systemPinned and pageCap are checked apart). */
export const PROFILE_CHOICES = {
  instanceList: ['sdk', 'servers', 'instances'],
  rankNumbering: ['shared', 'custom'],
  systemRanks: ['shared', 'absent', 'negative', 'own'],
  newRank: ['position', 'value'],
  createdRank: ['last', 'first'],
  anyOperation: ['null', 'empty', 'absent', 'operate-all'],
  emptyFields: ['null', 'empty', 'absent'],
  listFields: ['full', 'required'],
  showFields: ['full', 'terse'],
  taskSwitch: ['lower', 'upper', 'boolean', 'absent'],
  unknownId: ['400', '404'],
  duplicateName: ['failed', 'accepted'],
  systemRuleNames: ['guessed', 'variant'],
  emptyWrite: ['unset', 'kept', 'rejected'],
  listTotal: ['present', 'absent'],
  createStatus: ['honoured', 'ignored'],
} as const satisfies Partial<Record<keyof ApiProfile, readonly string[]>>;

/** Every option name, in a stable order (for output and comparisons). */
export const PROFILE_KEYS = Object.keys(DEFAULT_PROFILE) as (keyof ApiProfile)[];

/**
 * Checks a (partial) profile and fills the rest from the default. Returns the problems found
 * (each naming the option) instead of throwing, so a loader can say where they came from.
 */
export function checkProfile(input: unknown, kindChoices: Readonly<Record<string, readonly string[]>> = {}): { profile?: ApiProfile; problems: string[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { problems: ['a profile must be a JSON object of options'] };
  const raw = { ...(input as Record<string, unknown>) };
  const problems: string[] = [];
  // Kind options may be given flat (as probe writes them) or under `kinds`.
  const kinds: Record<string, string> = {};
  const nested = typeof raw.kinds === 'object' && raw.kinds !== null ? (raw.kinds as Record<string, unknown>) : {};
  for (const [key, v] of [...Object.entries(raw).filter(([k]) => k !== 'kinds'), ...Object.entries(nested)]) {
    if (Object.hasOwn(kindChoices, key)) {
      if (typeof v === 'string' && kindChoices[key]!.includes(v)) kinds[key] = v;
      else problems.push(`${key} must be one of ${kindChoices[key]!.join(', ')}, got ${JSON.stringify(v)}`);
    } else if (!(PROFILE_KEYS as string[]).includes(key)) {
      problems.push(`unknown option "${key.slice(0, 40)}" (known: ${[...PROFILE_KEYS, ...Object.keys(kindChoices)].join(', ')})`);
    }
  }
  for (const key of Object.keys(kindChoices)) delete raw[key];
  delete raw.kinds;
  for (const [key, allowed] of Object.entries(PROFILE_CHOICES)) {
    const v = raw[key];
    if (v !== undefined && !(allowed as readonly unknown[]).includes(v)) problems.push(`${key} must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  }
  if (raw.systemPinned !== undefined && typeof raw.systemPinned !== 'boolean') problems.push('systemPinned must be true or false');
  if (raw.rankStep !== undefined && !(Number.isInteger(raw.rankStep) && (raw.rankStep as number) >= 1 && (raw.rankStep as number) <= 1000)) {
    problems.push(`rankStep must be an integer from 1 to 1000, got ${JSON.stringify(raw.rankStep)}`);
  }
  if (raw.pageCap !== undefined && !(Number.isInteger(raw.pageCap) && (raw.pageCap as number) >= 0 && (raw.pageCap as number) <= 1000)) {
    problems.push(`pageCap must be an integer from 0 (no cap) to 1000, got ${JSON.stringify(raw.pageCap)}`);
  }
  if (problems.length > 0) return { problems };
  const merged = { ...DEFAULT_PROFILE, ...raw, ...(Object.keys(kinds).length > 0 ? { kinds } : {}) } as ApiProfile;
  if (merged.rankNumbering === 'shared' && merged.systemRanks !== 'shared') problems.push('systemRanks other than "shared" needs rankNumbering "custom"');
  if (merged.rankNumbering === 'custom' && merged.systemRanks === 'shared') problems.push('rankNumbering "custom" needs systemRanks absent, negative or own');
  if (problems.length > 0) return { problems };
  // Custom rules numbered on their own are listed below the system rules: pinned by construction.
  return { profile: merged.rankNumbering === 'custom' ? { ...merged, systemPinned: true } : merged, problems };
}
