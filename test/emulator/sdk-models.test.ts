import { describe, expect, it } from 'vitest';
import type { Emulator, EmulatorOptions } from '../../src/emulator/index.js';
import { DEFAULT_PROFILE, PROFILE_NAMES, PROFILES, profileByName } from '../../src/emulator/index.js';
import { ROUTES } from '../../src/emulator/routes.js';
import { answerProblems, pathShape, requestProblems, SDK_MODELS, sdkOperation } from '../helpers/sdk-models.js';
import { call } from './helpers/call.js';
import { emulator, P1, PROD, paths, ruleBody } from './helpers/fixtures.js';

/**
 * Every answer the emulator gives, held against Huawei's SDK models (test/fixtures/sdk-models.json):
 * by default Huawei's own client reads each answer whole. One sample request per operation the
 * emulator serves; the samples are themselves checked against the SDK's request models.
 */

/** Ids a sample can use: a custom and a system rule of the demo instance PROD in project P1. */
interface Ids {
  /** Id of a CUSTOMIZE rule. */
  readonly custom: string;
  /** Id of a SYSTEM rule. */
  readonly system: string;
  /** Id of a custom SQL-injection rule (samples with `sql` only). */
  readonly sqlCustom?: string;
  /** Id of a system SQL-injection rule (samples with `sql` only). */
  readonly sqlSystem?: string;
}

/** One SDK-shaped request of an operation: path parameters (beyond project_id, instance_id, busi_type), query and body. */
interface Sample {
  /** Path parameters beyond project_id, instance_id and busi_type (e.g. rule_id). */
  readonly params?: (ids: Ids) => Record<string, string>;
  /** Query string, as the SDK would send it. */
  readonly query?: string;
  /** JSON body, as the SDK would send it (given the path parameters too). */
  readonly body?: (ids: Ids, params: Readonly<Record<string, string>>) => unknown;
  /** The sample needs SQL-injection rule ids (a custom one is created through the API when there is none). */
  readonly sql?: boolean;
  /** Makes what the request needs through the API first (e.g. a custom mask rule); returns more path parameters. */
  readonly setup?: (url: string) => Promise<Record<string, string>>;
}

const ruleParam = (ids: Ids) => ({ rule_id: ids.custom });

const MASK_RULES = `/v1/${P1}/audit/${PROD}/sensitive/mask/rule`;
/** A custom mask rule made through the API: its id as the path parameter `id`. */
async function customMaskRule(url: string): Promise<Record<string, string>> {
  await call(url, 'POST', MASK_RULES, { body: { rule_name: 'sdk-shaped', mask_regex: '\\d{16}', mask_value: '****' } });
  const listed = await call(url, 'GET', `${MASK_RULES}?limit=1000`);
  return { id: (listed.json.rules as { id: string; name: string }[]).find((r) => r.name === 'sdk-shaped')!.id };
}

/** Samples of the masking kind (dbss-api-more.md §3). */
const MASKING_SAMPLES: Readonly<Record<string, Sample>> = {
  ListAuditSensitiveMasksNew: { query: 'offset=0&limit=100' },
  CreateSensitiveMaskRule: { body: () => ({ rule_name: 'sdk-shaped', mask_regex: '\\d{16}', mask_value: '****' }) },
  UpdateSensitiveMaskRule: { setup: customMaskRule, body: () => ({ rule_name: 'sdk-shaped-2', mask_regex: '\\d{15}', mask_value: '***' }) },
  DeleteSensitiveRules: { setup: customMaskRule },
  SetSensitiveMaskRuleSwitch: { setup: customMaskRule, body: (_, params) => ({ ids: [params['id']], status: 'OFF' }) },
  ShowSensitiveMaskSwitch: {},
  SetSensitiveSwitch: { body: () => ({ status: 'ON' }) },
  ShowSensitiveResultSwitch: {},
  SetSensitiveResultSwitch: { body: () => ({ status: 'OFF' }) },
};

/** Sends a write a setup needs and fails loudly unless it is done (a FAILED answer would leave the sample nothing to act on). */
async function done(url: string, method: string, path: string, body?: unknown): Promise<void> {
  const res = await call(url, method, path, body === undefined ? {} : { body });
  if (res.status !== 200 || !/^success$/i.test(res.json?.status ?? '')) throw new Error(`setup ${method} ${path}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
}

/** A name not used before in this file's run: the per-profile test sends every sample to one emulator, which refuses a name or SQL text twice. */
let made = 0;
const fresh = (base: string): string => `${base} ${++made}`;

const SCOPES = `/v1/${P1}/audit/${PROD}/rule/scopes`;
/** A scope body naming databases one by one (every profile takes it; "all databases" is spelled per profile). */
const scopeBody = (name: string) => ({ rule_name: name, db_ids: 'db-1', db_names: 'sales', action: 'LOGIN', db_users: 'app', source_ips: '10.0.0.1', source_ports: '3306', exception_ips: '10.0.0.2' });
/** A custom audit scope made through the API and switched OFF (profiles may refuse to edit or delete an enabled scope): its id as `id`. */
async function customScope(url: string): Promise<Record<string, string>> {
  const name = fresh('sdk-shaped');
  await done(url, 'POST', SCOPES, scopeBody(name));
  const listed = await call(url, 'GET', `${SCOPES}?offset=0&limit=1000`);
  const id = (listed.json.scopes as { id: string; name: string }[]).find((s) => s.name === name)!.id;
  await done(url, 'POST', `/v2/${P1}/audit/${PROD}/rule/scopes/switch`, { ids: [id], status: 'OFF' });
  return { id };
}

/** Samples of the audit-scope kind (dbss-api-more.md §1). */
const AUDIT_SCOPE_SAMPLES: Readonly<Record<string, Sample>> = {
  ListAuditRuleScopesNew: { setup: customScope, query: 'offset=0&limit=100' },
  CreateAuditScopeRule: { body: () => scopeBody(fresh('sdk-shaped')) },
  UpdateAuditScopeRule: { setup: customScope, body: () => ({ ...scopeBody(fresh('sdk-shaped')), db_ids: 'db-2', db_names: 'hr' }) },
  DeleteAuditScope: { setup: customScope },
  SetAuditScopeRuleSwitch: { setup: customScope, body: (_, params) => ({ ids: [params['id']], status: 'ON' }) },
};

const WHITELISTS = `/v1/${P1}/audit/${PROD}/whitelists`;
/** Two whitelist entries made through the API, one on every database (no db_ids) and one on a database: the id of the second as `id`. */
async function whitelistEntries(url: string): Promise<Record<string, string>> {
  const sql = fresh('select');
  await done(url, 'POST', WHITELISTS, { whitelists: [{ sql: fresh('select') }, { sql, db_ids: ['db-1'], desc: 'health check', enabled: true }] });
  // page on by what each page held: a profile caps pages below the limit asked
  for (let offset = 0; ; ) {
    const listed: { id: string; sql: string }[] = (await call(url, 'GET', `${WHITELISTS}?offset=${offset}&limit=100`)).json.whitelists;
    const entry = listed.find((w) => w.sql === sql);
    if (entry) return { id: entry.id };
    if (listed.length === 0) throw new Error(`setup: whitelist entry "${sql}" not listed`);
    offset += listed.length;
  }
}

/** Samples of the whitelist kind (dbss-api-more.md §4). */
const WHITELIST_SAMPLES: Readonly<Record<string, Sample>> = {
  ListWhitelists: { setup: whitelistEntries, query: 'offset=0&limit=100' },
  BatchAddAuditWhitelist: { body: () => ({ whitelists: [{ sql: fresh('select'), db_ids: ['db-1'], desc: 'health check', enabled: true }, { sql: fresh('select') }] }) },
  UpdateAuditWhitelist: { setup: whitelistEntries, body: () => ({ enabled: false, desc: 'paused', db_ids: ['db-1', 'db-2'] }) },
  DeleteAuditWhitelist: { setup: whitelistEntries, body: (_, params) => ({ whitelists: [params['id']] }) },
};

const ALARM_TOPIC = `/v2/${P1}/audit/${PROD}/alarm/topic`;
/** A full alarm configuration (switch OFF: profiles may have no SMN, which refuses ON). */
const alarmBody = () => ({ alarm_switch: 'OFF', alarm_topic_urn: 'urn:smn:eu-west-101:p1:dbss-alarms', alarm_risk: ['high', 'medium'], alarm_cpu: 90, alarm_disk: 85, alarm_memory: 80, alarm_num: 50 });

/** Samples of the alarm kind (dbss-api-more.md §5); the read is made after a set, so every field is answered whatever the initial configuration. */
const ALARM_SAMPLES: Readonly<Record<string, Sample>> = {
  ListAlarmTopicConfigInfoNew: { setup: async (url) => (await done(url, 'POST', ALARM_TOPIC, alarmBody()), {}) },
  SetAlarmTopicConfigInfoNew: { body: alarmBody },
};

/** A sample request per emulator operation. An operation without one fails the coverage test below. */
const SAMPLES: Readonly<Record<string, Sample>> = {
  ListAuditInstances: { query: 'offset=0&limit=10' },
  ListAuditInstancesNew: { query: 'offset=0&limit=10' },
  ListAuditInstancesLast: { query: 'offset=0&limit=10' },
  ListAuditRuleRisks: { query: 'risk_levels=HIGH' },
  ListAuditRuleRisksNew: { query: 'name=e&support_db_classify_rule=false&offset=0&limit=100' },
  ShowAuditRuleRisk: { params: ruleParam },
  ShowAuditRuleRiskNew: { params: ruleParam },
  CreateAuditRiskRule: {
    body: () => ruleBody('sdk-shaped', { client_ips: '10.0.0.0/8', exception_ips: '10.1.1.1', db_ids: 'db-1', ignore_case: true, schemas: [{ schema: 'sales', table: 't', column: 'c' }] }),
  },
  SetRiskOperationPolicy: { params: ruleParam, body: () => ruleBody('sdk-shaped', { status: 'OFF' }) },
  DeleteAuditRuleRisk: { params: ruleParam },
  SwitchRiskRule: { body: (ids) => ({ ids: `${ids.custom},${ids.system}`, status: 'OFF' }) },
  SwitchRiskRuleNew: { body: (ids) => ({ ids: ids.custom, status: 'OFF' }) },
  SetRiskRuleRank: { body: (ids) => ({ id: ids.custom, new_rank: 1 }) },
  ShowAuditTaskStatus: {},
  ...MASKING_SAMPLES,
  ...AUDIT_SCOPE_SAMPLES,
  ...WHITELIST_SAMPLES,
  ...ALARM_SAMPLES,
  UpdateAuditTaskStatus: { body: () => ({ oper_type: 'execute', query_begin_time: 1767225600000, query_end_time: 1767312000000 }) },
  ListSqlInjectionRulesNew: { body: () => ({ page: 1, size: 100, risk_levels: 'HIGH,MEDIUM,LOW' }) },
  CreateAuditSqlRule: { body: () => ({ rule_name: 'sdk-shaped sql', sql_regex: '^\\d{6}$', risk_level: 'NO_RISK', status: 'OFF' }) },
  UpdateAuditSqlRule: { sql: true, params: (ids) => ({ id: ids.sqlCustom! }), body: () => ({ rule_name: 'sdk-shaped sql 2', sql_regex: 'x', risk_level: 'LOW', status: 'ON' }) },
  DeleteAuditRuleSql: { sql: true, params: (ids) => ({ id: ids.sqlCustom! }) },
  SetAuditSqlRuleSwitch: { sql: true, body: (ids) => ({ id: ids.sqlSystem!, status: 'OFF' }) },
  SetSqlRuleRank: { sql: true, body: (ids) => ({ ids: [ids.sqlCustom!] }) },
};

/** A custom and a system SQL-injection rule of PROD, through the API (page 0, else page 1: the base is a profile option); a custom one is created when none is listed. */
async function sqlIds(emu: Emulator): Promise<Pick<Ids, 'sqlCustom' | 'sqlSystem'>> {
  const base = `/v1/${P1}/audit/${PROD}/rule`;
  // every page until one adds nothing (a profile may cap pages or number them from 1)
  const list = async (): Promise<{ id: string; type: string }[]> => {
    const seen = new Map<string, { id: string; type: string }>();
    for (let page = 0; page < 50; page++) {
      const res = await call(emu.url, 'POST', `${base}/sqls`, { body: { page, size: 100 } });
      const rules: { id: string; type: string }[] = res.status === 200 ? (res.json?.rules ?? []) : [];
      if ((page > 0 && rules.length === 0) || (page > 1 && !rules.some((r) => !seen.has(r.id)))) break;
      for (const r of rules) seen.set(r.id, r);
    }
    return [...seen.values()];
  };
  let rules = await list();
  if (!rules.some((r) => r.type === 'CUSTOMIZE')) {
    await call(emu.url, 'POST', `${base}/sql`, { body: { rule_name: 'sample sql rule', sql_regex: 'x', risk_level: 'LOW', status: 'ON' } });
    rules = await list();
  }
  return { sqlCustom: rules.find((r) => r.type === 'CUSTOMIZE')?.id, sqlSystem: rules.find((r) => r.type === 'SYSTEM')?.id };
}

function idsOf(emu: Emulator): Ids {
  const rules = emu.state.projects[P1]!.instances.find((i) => i.id === PROD)!.rules;
  return { custom: rules.find((r) => r.ruleType === 'CUSTOMIZE')!.id, system: rules.find((r) => r.ruleType === 'SYSTEM')!.id };
}

/** Sends the sample of `operation` (to a fresh emulator unless given one); returns the answer and the request as sent. */
async function exchange(operation: string, options: EmulatorOptions = {}, running?: Emulator) {
  const route = ROUTES.find((r) => r.operation === operation)!;
  const sample = SAMPLES[operation]!;
  const emu = running ?? (await emulator(options));
  const ids = { ...idsOf(emu), ...(sample.sql ? await sqlIds(emu) : {}) };
  const params: Record<string, string> = { project_id: P1, instance_id: PROD, busi_type: 'risk', ...sample.params?.(ids), ...(await sample.setup?.(emu.url)) };
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? `missing-${name}`);
  const body = sample.body?.(ids, params);
  const res = await call(emu.url, route.method, sample.query ? `${path}?${sample.query}` : path, body === undefined ? {} : { body });
  return { res, request: { query: new URLSearchParams(sample.query ?? ''), body } };
}

describe('the emulator answers as Huawei\'s SDK models them', () => {
  it(`the fixture names its source: ${SDK_MODELS.sdk.package} ${SDK_MODELS.sdk.version} at ${SDK_MODELS.sdk.commit.slice(0, 12)}`, () => {
    expect(SDK_MODELS.sdk).toMatchObject({ repository: 'huaweicloud/huaweicloud-sdk-python-v3', version: '3.1.211', commit: '343a486b5c8ab656611159f314df6e575d0f6398' });
  });

  it('every route is an SDK operation of the same name, method and path', () => {
    const mismatched = ROUTES.flatMap((route) => {
      const op = SDK_MODELS.operations[route.operation];
      if (!op) return [`${route.operation}: no SDK operation of that name`];
      return op.method === route.method && pathShape(op.path) === pathShape(route.path) ? [] : [`${route.operation}: ${route.method} ${route.path}, the SDK has ${op.method} ${op.path}`];
    });
    expect(mismatched).toEqual([]);
  });

  it('every operation the emulator serves has a sample request here', () => {
    expect(ROUTES.map((r) => r.operation).filter((op) => !SAMPLES[op])).toEqual([]);
  });

  for (const route of ROUTES) {
    it(`${route.operation}: an SDK-shaped request gets an answer the SDK reads whole`, async () => {
      if (!SAMPLES[route.operation]) throw new Error(`no sample request for ${route.operation}`);
      const { res, request } = await exchange(route.operation);
      expect(requestProblems(route.operation, request)).toEqual([]);
      expect(res.status, res.text).toBe(200);
      expect(answerProblems(route.operation, res.json)).toEqual([]);
    });
  }
});

const INSTANCE_LISTS = ['ListAuditInstances', 'ListAuditInstancesNew', 'ListAuditInstancesLast'];

/** A kind option's reading that answers a field in another JSON type than the SDK models, on purpose. */
interface CoercedReading {
  /** The kind option and the value that reads the point this way. */
  readonly option: string;
  readonly value: string;
  /** The operation whose answer it shapes. */
  readonly operation: string;
  /** The problems it causes, and no others. */
  readonly problem: RegExp;
}

/**
 * Readings the kinds' emulator parts offer on purpose, so that the client is shown to read them
 * (it learns each: src/kinds/alarm/wire.ts, src/kinds/audit-scope/read-scopes.ts) and the
 * convergence tests run under them; Huawei's client would coerce each value (str(80), bool("true"))
 * and lose nothing. Excused only where the profile bundles the reading, and only these fields.
 */
const COERCED_READINGS: readonly CoercedReading[] = [
  // dbss-api-more.md §5.1 documents the thresholds as strings; a service answering numbers is the reading the client must survive
  { option: 'alarmThresholds', value: 'numbers', operation: 'ListAlarmTopicConfigInfoNew', problem: /^alarm_(cpu|disk|memory|num): integer \d+ where the model has str \(the SDK would coerce it\)$/ },
  // §1.7: the doc pages say all_audit is "TRUE" for the built-in scope; the sparse list answers it as text
  { option: 'scopeListFields', value: 'sparse', operation: 'ListAuditRuleScopesNew', problem: /^scopes\[\d+\]\.all_audit: string "true" where the model has bool \(the SDK would coerce it\)$/ },
];

/** The answer's problems that no reading of `profile` excuses. */
function unexcused(profile: string, operation: string, problems: readonly string[]): string[] {
  const kinds = profileByName(profile).kinds ?? {};
  const excused = COERCED_READINGS.filter((r) => r.operation === operation && kinds[r.option] === r.value);
  return problems.filter((p) => !excused.some((r) => r.problem.test(p)));
}

describe('every profile answers as the SDK models, but for the instance lists of the earlier-shape profiles and the coerced readings', () => {
  for (const name of PROFILE_NAMES) {
    it(name, async () => {
      const emu = await emulator({ profile: name });
      const problems: string[] = [];
      for (const route of ROUTES) {
        if (PROFILES[name].instanceList !== 'sdk' && INSTANCE_LISTS.includes(route.operation)) continue;
        const { res } = await exchange(route.operation, {}, emu);
        if (res.status !== 200) problems.push(`${route.operation}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
        else problems.push(...unexcused(name, route.operation, answerProblems(route.operation, res.json)).map((p) => `${route.operation}: ${p}`));
      }
      expect(problems).toEqual([]);
    });
  }

  for (const reading of COERCED_READINGS) {
    it(`${reading.option}=${reading.value} is excused because its ${reading.operation} answer needs it, and for nothing else`, async () => {
      const options = { profile: { ...DEFAULT_PROFILE, kinds: { [reading.option]: reading.value } } };
      const problems = answerProblems(reading.operation, (await exchange(reading.operation, options)).res.json);
      expect(problems.length).toBeGreaterThan(0);
      expect(problems.filter((p) => !reading.problem.test(p))).toEqual([]);
    });
  }
});

describe('the check finds what Huawei\'s client would lose', () => {
  it('a field the model spells differently, a field it does not have, a coerced type and a missing required field', async () => {
    const answer = (await exchange('ListAuditInstancesLast')).res.json;
    expect(answerProblems('ListAuditInstancesLast', answer)).toEqual([]);
    const item = answer.instances[0];
    item.connectIpv6 = item.connect_ipv6;
    delete item.connect_ipv6;
    item.instance_id = item.id;
    answer.total = String(answer.total);
    answer.instances[1].supported_feature = 'AUDIT';
    expect(answerProblems('ListAuditInstancesLast', answer)).toEqual([
      'instances[0].connectIpv6: not a field of AuditInstanceBean (the model spells it connect_ipv6)',
      'instances[0].instance_id: not a field of AuditInstanceBean',
      'instances[1].supported_feature: string "AUDIT" where the model has list[str] (the SDK would wrap it in a list)',
      'total: string "3" where the model has int (the SDK would coerce it)',
    ]);
    const rules = (await exchange('ListAuditRuleRisksNew')).res.json;
    delete rules.rules[0].type;
    rules.rules[1].rank = '2';
    expect(answerProblems('ListAuditRuleRisksNew', rules)).toEqual([
      'rules[0].type: required by RuleRiskResponseRules, not sent',
      'rules[1].rank: string "2" where the model has int (the SDK would coerce it)',
    ]);
  });

  it('a misspelled field in the emulator: the earlier instance lists (servers-list) fail the check as the issue describes', async () => {
    const oldNew = (await exchange('ListAuditInstancesNew', { profile: 'servers-list' })).res.json;
    expect(answerProblems('ListAuditInstancesNew', oldNew)).toEqual(['servers: not a field of ListAuditInstancesNewResponse']);
    const older = (await exchange('ListAuditInstancesLast', { profile: 'instances-list' })).res.json;
    expect(answerProblems('ListAuditInstancesLast', older)).toEqual(expect.arrayContaining(['instances[0].instance_id: not a field of AuditInstanceBean']));
    const v1 = (await exchange('ListAuditInstancesNew', { profile: 'instances-list' })).res.json;
    expect(answerProblems('ListAuditInstancesNew', v1)).toContain('instances[0].connect_ipv6: not a field of ResponseAuditV2 (the model spells it connectIpv6)');
    const oldList = (await exchange('ListAuditInstances', { profile: 'servers-list' })).res.json;
    expect(answerProblems('ListAuditInstances', oldList).filter((p) => p.startsWith('servers[0].'))).toEqual([
      'servers[0].chargeModel: not a field of AuditInstanceListBean (the model spells it charge_model)',
      'servers[0].remainDays: not a field of AuditInstanceListBean (the model spells it remain_days)',
      'servers[0].configNum: not a field of AuditInstanceListBean (the model spells it config_num)',
      'servers[0].connectIpv6: not a field of AuditInstanceListBean (the model spells it connect_ipv6)',
      'servers[0].subnetId: not a field of AuditInstanceListBean (the model spells it subnet_id)',
      'servers[0].charge_model: required by AuditInstanceListBean, not sent',
      'servers[0].config_num: required by AuditInstanceListBean, not sent',
      'servers[0].connect_ipv6: required by AuditInstanceListBean, not sent',
      'servers[0].remain_days: required by AuditInstanceListBean, not sent',
      'servers[0].subnet_id: required by AuditInstanceListBean, not sent',
    ]);
  });

  it('a request field the SDK does not send, a misspelled query parameter and a missing required body field', () => {
    expect(requestProblems('SetRiskRuleRank', { query: new URLSearchParams(), body: { id: 'x'.repeat(20), newRank: 2 } })).toEqual([
      'body.newRank: not a field of RankRiskRuleNew (the model spells it new_rank)',
      'body.new_rank: required by RankRiskRuleNew, not sent',
    ]);
    expect(requestProblems('ListAuditRuleRisksNew', { query: new URLSearchParams('riskLevels=HIGH&support_db_classify_rule=yes'), body: undefined })).toEqual([
      'query riskLevels: not a parameter of ListAuditRuleRisksNew (the SDK spells it risk_levels)',
      'query support_db_classify_rule: "yes" where the SDK sends a bool',
    ]);
    expect(requestProblems('SwitchRiskRuleNew', { query: new URLSearchParams(), body: { ids: ['a', 'b'], status: 'ON' } })).toEqual([
      'body.ids: array ["a","b"] where the model has str (the SDK would coerce it)',
    ]);
    expect(() => sdkOperation('ListAuditRuleRisksNewer')).toThrow(/has no operation ListAuditRuleRisksNewer/);
  });
});
