import type { HandlerRequest, HandlerResponse } from '../../emulator/service-context.js';
import { badRequest } from '../../emulator/wire-errors.js';
import type { EmulatedKind, KindHandlerContext } from '../emulated-kind.js';

/**
 * The emulator's alarm configuration (dbss-api-more.md §5), written from the API reference on
 * its own: it shares no wire code with the client side (wire.ts). One configuration per
 * instance. The set call is a full replacement; its answer is `{status: success|fail}` in lower
 * case: a malformed body (a missing or mistyped required field) is a 400, a well-formed one the
 * service refuses (a value out of range, a risk level it does not take, ON without a topic)
 * answers 200 `{"status":"fail"}`.
 *
 * Open points (§7.5 and what §5 leaves open), one option each:
 * - alarmRange: the ranges refused: thresholds 0-100 and a daily count ≥ 0, or 1-100 and ≥ 1;
 * - alarmRiskWrite: risk levels taken on write in any case, or lower case only;
 * - alarmRiskRead: risk levels read in lower case (documented), upper case or title case;
 * - alarmThresholds: thresholds read as strings (documented), numbers, or space-padded strings;
 * - alarmSmnEffective: smn_effective read true, absent, or false (then switching ON is refused);
 * - alarmTopicOmitted: a set without a topic clears the topic, or keeps the one set before;
 * - alarmInitial: a new instance's configuration: OFF with thresholds 80/80/80 and 100 a day,
 *   or never configured (the read answers only the switch OFF).
 */

/** One instance's configuration as the service stores it (wire spelling; absent = never set). */
interface AlarmConfig {
  alarm_switch: 'ON' | 'OFF';
  topic?: string;
  risk?: string[];
  cpu?: number;
  disk?: number;
  memory?: number;
  num?: number;
}

const PATH = '/v2/{project_id}/audit/{instance_id}/alarm/topic';
const LEVELS = ['high', 'medium', 'low'];
const INT32_MAX = 2147483647;

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= INT32_MAX;

function riskCase(level: string, reading: string): string {
  if (reading === 'upper') return level.toUpperCase();
  if (reading === 'title') return level.charAt(0).toUpperCase() + level.slice(1);
  return level;
}

function thresholdForm(n: number, reading: string): string | number {
  if (reading === 'numbers') return n;
  if (reading === 'padded') return ` ${n}`;
  return String(n);
}

function read(ctx: KindHandlerContext): HandlerResponse {
  const c = ctx.state as AlarmConfig;
  const o = ctx.options;
  const body: Record<string, unknown> = { alarm_switch: c.alarm_switch };
  if (c.topic !== undefined) body['alarm_topic_urn'] = c.topic;
  if (c.risk !== undefined) body['alarm_risk'] = c.risk.map((l) => riskCase(l, o['alarmRiskRead']!));
  for (const [wire, v] of [['alarm_cpu', c.cpu], ['alarm_disk', c.disk], ['alarm_memory', c.memory], ['alarm_num', c.num]] as const) {
    if (v !== undefined) body[wire] = thresholdForm(v, o['alarmThresholds']!);
  }
  if (o['alarmSmnEffective'] !== 'absent') body['smn_effective'] = o['alarmSmnEffective'] === 'true';
  return { status: 200, body };
}

const fail: HandlerResponse = { status: 200, body: { status: 'fail' } };

function set(ctx: KindHandlerContext, req: HandlerRequest): HandlerResponse {
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.body.toString('utf8'));
  } catch {
    throw badRequest('the request body is not JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw badRequest('the request body is not a JSON object');
  const b = parsed as Record<string, unknown>;
  for (const field of ['alarm_cpu', 'alarm_disk', 'alarm_memory', 'alarm_num']) {
    if (!isInt(b[field])) throw badRequest(`${field} is required and must be an int32`);
  }
  if (b['alarm_switch'] !== 'ON' && b['alarm_switch'] !== 'OFF') throw badRequest('alarm_switch is required: ON or OFF');
  const risk = b['alarm_risk'];
  if (risk !== undefined && risk !== null && (!Array.isArray(risk) || risk.some((r) => typeof r !== 'string'))) throw badRequest('alarm_risk must be a list of strings');
  const topic = b['alarm_topic_urn'];
  if (topic !== undefined && topic !== null && typeof topic !== 'string') throw badRequest('alarm_topic_urn must be a string');

  const o = ctx.options;
  const min = o['alarmRange'] === '1-100' ? 1 : 0;
  const [cpu, disk, memory, num] = [b['alarm_cpu'], b['alarm_disk'], b['alarm_memory'], b['alarm_num']] as number[];
  if ([cpu, disk, memory].some((t) => t! < min || t! > 100) || num! < min) return fail;
  const levels = ((risk ?? []) as string[]).map((r) => (o['alarmRiskWrite'] === 'any' ? r.toLowerCase() : r));
  if (levels.some((l) => !LEVELS.includes(l))) return fail;
  const hasTopic = typeof topic === 'string' && topic !== '';
  if (b['alarm_switch'] === 'ON' && (!hasTopic || o['alarmSmnEffective'] === 'false')) return fail;

  const c = ctx.state as AlarmConfig;
  c.alarm_switch = b['alarm_switch'];
  if (hasTopic) c.topic = topic;
  else if (o['alarmTopicOmitted'] === 'cleared') delete c.topic;
  c.risk = [...new Set(levels)];
  c.cpu = cpu!;
  c.disk = disk!;
  c.memory = memory!;
  c.num = num!;
  return { status: 200, body: { status: 'success' } };
}

/** The alarm configuration's part of the emulator. */
export const EMULATED_ALARM: EmulatedKind = {
  name: 'alarm',
  options: {
    alarmRange: ['0-100', '1-100'],
    alarmRiskWrite: ['any', 'lower'],
    alarmRiskRead: ['lower', 'upper', 'title'],
    alarmThresholds: ['strings', 'numbers', 'padded'],
    alarmSmnEffective: ['true', 'absent', 'false'],
    alarmTopicOmitted: ['cleared', 'kept'],
    alarmInitial: ['configured', 'unset'],
  },
  profiles: {
    terse: { alarmThresholds: 'numbers', alarmSmnEffective: 'absent', alarmInitial: 'unset' },
    'custom-ranks': { alarmRiskRead: 'title', alarmRange: '1-100' },
    hostile: {
      alarmRange: '1-100',
      alarmRiskWrite: 'lower',
      alarmRiskRead: 'upper',
      alarmThresholds: 'padded',
      alarmSmnEffective: 'absent',
      alarmTopicOmitted: 'kept',
      alarmInitial: 'unset',
    },
  },
  initial: (_service, options): AlarmConfig =>
    options['alarmInitial'] === 'unset' ? { alarm_switch: 'OFF' } : { alarm_switch: 'OFF', risk: ['high'], cpu: 80, disk: 80, memory: 80, num: 100 },
  routes: [
    { operation: 'ListAlarmTopicConfigInfoNew', method: 'GET', path: PATH, errors: 'flat', write: false, handle: (ctx) => read(ctx) },
    { operation: 'SetAlarmTopicConfigInfoNew', method: 'POST', path: PATH, errors: 'flat', write: true, handle: set },
  ],
};
