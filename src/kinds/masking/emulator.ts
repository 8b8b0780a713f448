import { Prng, ruleId, streamSeed } from '../../emulator/prng.js';
import type { HandlerRequest, HandlerResponse } from '../../emulator/service-context.js';
import { checkRuleId, enumValue, jsonObjectBody, page, paging } from '../../emulator/validate-request.js';
import { badRequest, unknownRule } from '../../emulator/wire-errors.js';
import type { EmulatedKind, KindHandlerContext, KindRoute } from '../emulated-kind.js';

/**
 * The emulator's privacy masking (dbss-api-more.md §3), written from the API facts on its own:
 * it shares no path, field name or decoding with the client side of the kind. Business failures
 * (a name already used) answer HTTP 200 `{"status":"FAILED"}`; built-in rules can only be
 * switched (editing or deleting one is a 400, the real error is unconfirmed).
 *
 * Open points (§7) are options: the status a created rule starts with (`maskCreatedStatus`),
 * the shape of `operate_time` (`maskOperateTime`), whether the list gives `total`
 * (`maskListTotal`) and whether it gives `type` (`maskRuleType`).
 */

/** One mask rule in the emulator's state. */
interface StoredMaskRule {
  /** Rule id. */
  id: string;
  /** Rule name. */
  name: string;
  /** BUILD_IN: may only be switched. */
  builtIn: boolean;
  /** mask_regex ("-" for a built-in rule). */
  regex: string;
  /** mask_value. */
  maskValue: string;
  /** ON/OFF. */
  status: 'ON' | 'OFF';
  /** Last change, epoch ms (emulator clock). */
  operatedAt: number;
}

/** The kind's state on one instance (plain JSON: the state file holds it). */
interface MaskingState {
  /** The instance-wide masking switch. */
  maskSwitch: 'ON' | 'OFF';
  /** The result-set storage switch. */
  resultSwitch: 'ON' | 'OFF';
  /** Built-in rules first, then custom rules in creation order. */
  rules: StoredMaskRule[];
}

/** The built-in rules every instance starts with (names are a guess: no source lists them). */
const BUILT_IN_NAMES = ['ID card number', 'Bank card number', 'Mobile phone number', 'Email address', 'Passport number'];

const SUCCESS: HandlerResponse = { status: 200, body: { status: 'SUCCESS' } };
const FAILED: HandlerResponse = { status: 200, body: { status: 'FAILED' } };
const SWITCH = ['ON', 'OFF'] as const;

const stateOf = (ctx: KindHandlerContext): MaskingState => ctx.state as MaskingState;

/** `operate_time` in the profile's reading (a string in the SDK): a date-time text, epoch ms digits, ISO 8601, or absent. */
function operateTime(ms: number, how: string): Record<string, unknown> {
  const iso = new Date(ms).toISOString();
  if (how === 'absent') return {};
  if (how === 'epoch-ms') return { operate_time: String(ms) };
  if (how === 'iso') return { operate_time: iso };
  return { operate_time: `${iso.slice(0, 10)} ${iso.slice(11, 19)}` };
}

function listed(r: StoredMaskRule, options: KindHandlerContext['options']): Record<string, unknown> {
  return {
    id: r.id,
    name: r.name,
    ...(options['maskRuleType'] === 'absent' ? {} : { type: r.builtIn ? 'BUILD_IN' : 'USER_DEFINE' }),
    regex: r.regex,
    mask_value: r.maskValue,
    status: r.status,
    ...operateTime(r.operatedAt, options['maskOperateTime'] ?? 'text'),
  };
}

/** GET .../sensitive/mask/rule: offset/limit strings, limit 1..1000. */
function listRules(ctx: KindHandlerContext, req: HandlerRequest): HandlerResponse {
  const rules = stateOf(ctx).rules;
  const p = paging(req.query, 1000);
  const total = ctx.options['maskListTotal'] === 'absent' ? {} : { total: rules.length };
  return { status: 200, body: { rules: page(rules, p).map((r) => listed(r, ctx.options)), ...total } };
}

const KNOWN_FIELDS = ['rule_name', 'mask_regex', 'mask_value'];

/** The create/update body: every field required, a non-empty string; nothing else (status is not a field). */
function ruleBody(req: HandlerRequest): { name: string; regex: string; maskValue: string } {
  const body = jsonObjectBody(req.body);
  const unknown = Object.keys(body).filter((k) => !KNOWN_FIELDS.includes(k));
  if (unknown.length > 0) throw badRequest(`unknown field ${unknown[0]!.slice(0, 40)}: the body takes rule_name, mask_regex and mask_value`);
  for (const field of KNOWN_FIELDS) {
    if (typeof body[field] !== 'string' || body[field] === '') throw badRequest(`${field} is required: a non-empty string`);
  }
  return { name: body['rule_name'] as string, regex: body['mask_regex'] as string, maskValue: body['mask_value'] as string };
}

const nameTaken = (s: MaskingState, name: string, exceptId?: string): boolean => s.rules.some((r) => r.name === name && r.id !== exceptId);

/** POST .../sensitive/mask/rule: no status on create; the new rule starts as the profile says; no id in the answer. */
function createRule(ctx: KindHandlerContext, req: HandlerRequest): HandlerResponse {
  const s = stateOf(ctx);
  const content = ruleBody(req);
  if (nameTaken(s, content.name)) return FAILED;
  let id = ruleId(ctx.service.ids);
  while (s.rules.some((r) => r.id === id)) id = ruleId(ctx.service.ids);
  const status = ctx.options['maskCreatedStatus'] === 'OFF' ? 'OFF' : 'ON';
  s.rules.push({ id, builtIn: false, ...content, status, operatedAt: ctx.service.now() });
  return SUCCESS;
}

function ruleAt(ctx: KindHandlerContext, id: string): StoredMaskRule {
  const rule = stateOf(ctx).rules.find((r) => r.id === checkRuleId(id));
  if (!rule) throw unknownRule(`mask rule ${id} not found on instance ${ctx.instance.id}`, ctx.service.profile.unknownId);
  return rule;
}

function customAt(ctx: KindHandlerContext, req: HandlerRequest, what: string): StoredMaskRule {
  const rule = ruleAt(ctx, req.params['id'] ?? '');
  if (rule.builtIn) throw badRequest(`built-in mask rule ${rule.name} cannot be ${what}; it can only be switched ON or OFF`);
  return rule;
}

/** POST .../sensitive/mask/rule/{id}: name, regex and replacement replaced; status kept. */
function updateRule(ctx: KindHandlerContext, req: HandlerRequest): HandlerResponse {
  const rule = customAt(ctx, req, 'edited');
  const content = ruleBody(req);
  if (nameTaken(stateOf(ctx), content.name, rule.id)) return FAILED;
  Object.assign(rule, content, { operatedAt: ctx.service.now() });
  return SUCCESS;
}

/** DELETE .../sensitive/mask/rule/{id}. */
function deleteRule(ctx: KindHandlerContext, req: HandlerRequest): HandlerResponse {
  const rule = customAt(ctx, req, 'deleted');
  const s = stateOf(ctx);
  s.rules = s.rules.filter((r) => r.id !== rule.id);
  return SUCCESS;
}

/** POST /v2/.../sensitive/mask/rule/switch `{ids: [...], status}`: all or nothing. */
function switchRules(ctx: KindHandlerContext, req: HandlerRequest): HandlerResponse {
  const body = jsonObjectBody(req.body);
  const ids = body['ids'];
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string')) throw badRequest('ids is required: a non-empty list of rule ids');
  const status = enumValue('status', body['status'], SWITCH);
  const rules = (ids as string[]).map((id) => ruleAt(ctx, id));
  for (const r of rules) Object.assign(r, { status, operatedAt: ctx.service.now() });
  return SUCCESS;
}

type SwitchField = 'maskSwitch' | 'resultSwitch';

const showSwitch =
  (field: SwitchField) =>
  (ctx: KindHandlerContext): HandlerResponse => ({ status: 200, body: { status: stateOf(ctx)[field] } });

const setSwitch =
  (field: SwitchField) =>
  (ctx: KindHandlerContext, req: HandlerRequest): HandlerResponse => {
    stateOf(ctx)[field] = enumValue('status', jsonObjectBody(req.body)['status'], SWITCH);
    return SUCCESS;
  };

const BASE = '/{project_id}/audit/{instance_id}/sensitive';

const route = (operation: string, method: KindRoute['method'], path: string, write: boolean, handle: KindRoute['handle']): KindRoute => ({ operation, method, path, errors: 'flat', write, handle });

/** The kind's emulator part. */
export const maskingEmulator: EmulatedKind = {
  name: 'masking',
  options: {
    maskCreatedStatus: ['ON', 'OFF'],
    maskOperateTime: ['text', 'epoch-ms', 'iso', 'absent'],
    maskListTotal: ['present', 'absent'],
    maskRuleType: ['present', 'absent'],
  },
  profiles: {
    default: {},
    terse: { maskOperateTime: 'absent', maskRuleType: 'absent' },
    hostile: { maskCreatedStatus: 'OFF', maskOperateTime: 'epoch-ms', maskListTotal: 'absent', maskRuleType: 'absent' },
  },
  initial: (service) => {
    const ids = new Prng(streamSeed(20, 'mask-rules'));
    const at = service.now();
    const rules = BUILT_IN_NAMES.map((name): StoredMaskRule => ({ id: ruleId(ids), name, builtIn: true, regex: '-', maskValue: '-', status: 'ON', operatedAt: at }));
    return { maskSwitch: 'OFF', resultSwitch: 'ON', rules } satisfies MaskingState;
  },
  routes: [
    route('ListAuditSensitiveMasksNew', 'GET', `/v1${BASE}/mask/rule`, false, listRules),
    route('CreateSensitiveMaskRule', 'POST', `/v1${BASE}/mask/rule`, true, createRule),
    route('UpdateSensitiveMaskRule', 'POST', `/v1${BASE}/mask/rule/{id}`, true, updateRule),
    route('DeleteSensitiveRules', 'DELETE', `/v1${BASE}/mask/rule/{id}`, true, deleteRule),
    route('SetSensitiveMaskRuleSwitch', 'POST', `/v2${BASE}/mask/rule/switch`, true, switchRules),
    route('ShowSensitiveMaskSwitch', 'GET', `/v1${BASE}/mask/switch`, false, showSwitch('maskSwitch')),
    route('SetSensitiveSwitch', 'POST', `/v1${BASE}/mask/switch`, true, setSwitch('maskSwitch')),
    route('ShowSensitiveResultSwitch', 'GET', `/v1${BASE}/result/switch`, false, showSwitch('resultSwitch')),
    route('SetSensitiveResultSwitch', 'POST', `/v1${BASE}/result/switch`, true, setSwitch('resultSwitch')),
  ],
};
