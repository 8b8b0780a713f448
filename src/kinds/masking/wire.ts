import type { Switch } from '../../domain.js';
import type { Json, KindCall } from '../kind.js';

/**
 * The masking API as the client sees it (dbss-api-more.md §3): the calls, and the answers
 * decoded tolerantly. Every field of a listed rule is optional in the SDK, so each may be
 * absent, null or of another type; what cannot be understood becomes `undefined` (unknown),
 * never a crash. No other file of the kind knows a wire field name.
 */

const RULES = '/v1/{project_id}/audit/{instance_id}/sensitive/mask/rule';
const RULE = '/v1/{project_id}/audit/{instance_id}/sensitive/mask/rule/{id}';
const RULE_SWITCH = '/v2/{project_id}/audit/{instance_id}/sensitive/mask/rule/switch';
const MASK_SWITCH = '/v1/{project_id}/audit/{instance_id}/sensitive/mask/switch';
const RESULT_SWITCH = '/v1/{project_id}/audit/{instance_id}/sensitive/result/switch';

/** The list's documented largest page. */
export const MAX_PAGE = 1000;

/** The two instance-wide switches, by setting name. */
export type SwitchSetting = 'masking' | 'result_set_storage';

const SWITCHES: Readonly<Record<SwitchSetting, { read: string; write: string; path: string }>> = {
  masking: { read: 'ShowSensitiveMaskSwitch', write: 'SetSensitiveSwitch', path: MASK_SWITCH },
  result_set_storage: { read: 'ShowSensitiveResultSwitch', write: 'SetSensitiveResultSwitch', path: RESULT_SWITCH },
};

/** One page of the rule list. */
export const listCall = (offset: number, limit: number): KindCall => ({
  operation: 'ListAuditSensitiveMasksNew',
  method: 'GET',
  path: RULES,
  query: [
    ['offset', String(offset)],
    ['limit', String(limit)],
  ],
});

/** The read of one instance-wide switch. */
export const showSwitchCall = (setting: SwitchSetting): KindCall => ({ operation: SWITCHES[setting].read, method: 'GET', path: SWITCHES[setting].path });

/** The write of one instance-wide switch (the answer's `status` is SUCCESS/FAILED, not ON/OFF). */
export const setSwitchCall = (setting: SwitchSetting, status: Switch): KindCall => ({ operation: SWITCHES[setting].write, method: 'POST', path: SWITCHES[setting].path, body: { status } });

/** What a custom mask rule is written as (create and update take the same body, every field required). */
export interface MaskRuleWrite {
  /** Rule name. */
  readonly name: string;
  /** The regex matched. */
  readonly regex: string;
  /** The replacement. */
  readonly maskValue: string;
}

const ruleBody = (r: MaskRuleWrite): Json => ({ rule_name: r.name, mask_regex: r.regex, mask_value: r.maskValue });

/** Create (no status field; the answer carries no id). */
export const createCall = (r: MaskRuleWrite): KindCall => ({ operation: 'CreateSensitiveMaskRule', method: 'POST', path: RULES, body: ruleBody(r) });

/** Update: a full replacement of name, regex and replacement (status untouched). */
export const updateCall = (id: string, r: MaskRuleWrite): KindCall => ({ operation: 'UpdateSensitiveMaskRule', method: 'POST', path: RULE, params: { id }, body: ruleBody(r) });

/** Delete one custom rule. */
export const deleteCall = (id: string): KindCall => ({ operation: 'DeleteSensitiveRules', method: 'DELETE', path: RULE, params: { id } });

/** Switch rules (custom or built in) by id; the body takes a JSON list. */
export const switchCall = (ids: readonly string[], status: Switch): KindCall => ({ operation: 'SetSensitiveMaskRuleSwitch', method: 'POST', path: RULE_SWITCH, body: { ids: [...ids], status } });

/** A listed mask rule as read; every field undefined when absent or not understood. */
export interface ListedMaskRule {
  /** Rule id. */
  readonly id: string | undefined;
  /** Rule name. */
  readonly name: string | undefined;
  /** BUILD_IN (as the API spells it; BUILT_IN read alike) → true, USER_DEFINE → false, else undefined. */
  readonly builtIn: boolean | undefined;
  /** The regex (`"-"` for a built-in rule, per one doc page). */
  readonly regex: string | undefined;
  /** The replacement. */
  readonly maskValue: string | undefined;
  /** ON/OFF in any case. */
  readonly status: Switch | undefined;
  /** The shape of `operate_time` (its value is never kept: its format is unsettled and it is never compared). */
  readonly operateTime: OperateTimeShape;
}

/** How `operate_time` is written: absent, epoch-ms digits, ISO 8601, `YYYY-MM-DD HH:MM:SS`, or something else. */
export type OperateTimeShape = 'absent' | 'epoch-ms' | 'iso' | 'text' | 'other';

function operateTimeShape(v: unknown): OperateTimeShape {
  if (v === undefined || v === null) return 'absent';
  const t = typeof v === 'number' ? String(v) : typeof v === 'string' ? v : '';
  if (/^\d{12,14}$/.test(t)) return 'epoch-ms';
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(t)) return 'iso';
  if (/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(t)) return 'text';
  return 'other';
}

/** One decoded page: its rules and `total` when it is a number. */
export interface ListedPage {
  /** The page's rules. */
  readonly items: ListedMaskRule[];
  /** The answer's total, when given as a number (or a numeric string). */
  readonly total: number | undefined;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/** ON/OFF in any case, or a boolean, as a switch; undefined otherwise. */
export function switchOf(v: unknown): Switch | undefined {
  if (v === true) return 'ON';
  if (v === false) return 'OFF';
  const s = typeof v === 'string' ? v.trim().toUpperCase() : undefined;
  return s === 'ON' || s === 'OFF' ? s : undefined;
}

function builtInOf(v: unknown): boolean | undefined {
  const t = typeof v === 'string' ? v.trim().toUpperCase() : undefined;
  if (t === 'BUILD_IN' || t === 'BUILT_IN') return true;
  if (t === 'USER_DEFINE') return false;
  return undefined;
}

function ruleOf(raw: unknown): ListedMaskRule {
  const r = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  return {
    id: text(r.id),
    name: text(r.name),
    builtIn: builtInOf(r.type),
    regex: text(r.regex),
    maskValue: text(r.mask_value),
    status: switchOf(r.status),
    operateTime: operateTimeShape(r.operate_time),
  };
}

function totalOf(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;
  return n !== undefined && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** A list answer: `rules` (absent or not a list reads as none) and `total`. */
export function listedPage(answer: unknown): ListedPage {
  const a = typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>) : {};
  return { items: Array.isArray(a.rules) ? a.rules.map(ruleOf) : [], total: totalOf(a.total) };
}

/** A switch read's answer: `{status: ON|OFF}`; undefined when absent or not understood. */
export function shownSwitch(answer: unknown): { readonly status: Switch | undefined; readonly raw: unknown } {
  const raw = typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>).status : undefined;
  return { status: switchOf(raw), raw };
}
