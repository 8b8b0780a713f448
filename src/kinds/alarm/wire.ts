import type { Json, KindApi, KindCall, KindTarget, LiveKind } from '../kind.js';
import { ALARM_RISK_LEVELS, canonicalLevels, type AlarmRiskLevel, type AlarmSetting } from './fields.js';

/**
 * The alarm configuration on the wire (dbss-api-more.md §5): the read GET
 * /v2/{project_id}/audit/{instance_id}/alarm/topic and the set POST on the same path. Read
 * tolerantly: every field is optional in the SDK; thresholds come back as strings ("80"), and
 * a number or a padded string reads the same; risk levels are read in any case. A value that
 * cannot be understood is not read (absent from the settings) and said in an observation. The
 * read settles some of the emulator's readings (LiveKind.learned, for `probe`): the case of the
 * risk levels, the form of the thresholds, whether smn_effective is answered.
 */

const PATH = '/v2/{project_id}/audit/{instance_id}/alarm/topic';

/** The read call. */
export const READ_CALL: KindCall = { operation: 'ListAlarmTopicConfigInfoNew', method: 'GET', path: PATH };

/** The wire names of the numeric fields, by policy field. */
const NUMBERS = { cpu: 'alarm_cpu', disk: 'alarm_disk', memory: 'alarm_memory', daily_limit: 'alarm_num' } as const;

/** A value from the answer as JSON text, cut at 80 characters (an answer's strings are not trusted to be short). */
const quote = (v: unknown): string => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
};

/** A threshold or count: an integer, or a string of one (surrounding spaces allowed); undefined otherwise. */
export function readCount(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*\+?(\d{1,10})(?:\.0*)?\s*$/.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** How a list of risk-level words is spelled: all lower, all upper or all title case; undefined when empty or mixed. */
function caseOf(words: readonly string[]): string | undefined {
  const cases = new Set(words.map((w) => (w === w.toLowerCase() ? 'lower' : w === w.toUpperCase() ? 'upper' : w === w.charAt(0).toUpperCase() + w.slice(1).toLowerCase() ? 'title' : 'mixed')));
  return cases.size === 1 && !cases.has('mixed') ? [...cases][0] : undefined;
}

/** The alarm setting of one read answer, in domain form, with what the answer showed about its open points. */
export function decodeAlarm(answer: unknown): LiveKind {
  const settings: Record<string, Json> = {};
  const observations: string[] = [];
  const learned: Record<string, string> = {};
  if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) {
    return { objects: [], settings, observations: [`the alarm configuration answer is not an object (${quote(answer)}): nothing read`] };
  }
  const a = answer as Record<string, unknown>;

  const sw = a['alarm_switch'];
  const onOff = typeof sw === 'boolean' ? (sw ? 'ON' : 'OFF') : typeof sw === 'string' ? sw.trim().toUpperCase() : undefined;
  if (onOff === 'ON' || onOff === 'OFF') settings['enabled'] = onOff;
  else observations.push(sw === undefined || sw === null ? 'alarm_switch not answered: whether alarms are on is not read' : `alarm_switch ${quote(sw)} not understood: not read`);

  const topic = a['alarm_topic_urn'];
  if (topic === undefined || topic === null || (typeof topic === 'string' && topic.trim() === '')) settings['topic_urn'] = null;
  else if (typeof topic === 'string') settings['topic_urn'] = topic;
  else observations.push(`alarm_topic_urn ${quote(topic)} is not a string: not read`);

  const risk = a['alarm_risk'];
  // The SDK has a list; a comma-joined string (as other DBSS fields are) is read the same.
  const tokens = risk === undefined || risk === null ? [] : Array.isArray(risk) ? risk : typeof risk === 'string' ? risk.split(',').filter((t) => t.trim() !== '') : undefined;
  const levels = tokens?.map((t) => (typeof t === 'string' ? (ALARM_RISK_LEVELS as readonly string[]).find((l) => l === t.trim().toUpperCase()) : undefined));
  if (levels === undefined || levels.some((l) => l === undefined)) {
    observations.push(`alarm_risk ${quote(risk)} holds a risk level other than high, medium, low: not read`);
  } else {
    settings['risk_levels'] = canonicalLevels(levels as AlarmRiskLevel[]);
    const words = (tokens as string[]).map((t) => t.trim());
    if (words.some((w) => w !== w.toLowerCase())) observations.push(`alarm_risk read as ${quote(words)} (not the documented lower case); compared case-insensitively`);
    const riskCase = caseOf(words);
    if (riskCase !== undefined) learned['alarmRiskRead'] = riskCase;
  }

  const forms = new Set<string>();
  for (const [field, wire] of Object.entries(NUMBERS)) {
    const v = a[wire];
    const n = readCount(v);
    if (n !== undefined) {
      settings[field] = n;
      forms.add(typeof v === 'number' ? 'numbers' : (v as string).trim() === v ? 'strings' : 'padded');
    } else {
      observations.push(v === undefined || v === null ? `${wire} not answered: not read` : `${wire} ${quote(v)} is not a whole number: not read`);
    }
  }
  if (forms.has('numbers')) observations.push('thresholds read as numbers (documented as strings)');
  if (forms.size === 1) learned['alarmThresholds'] = [...forms][0]!;

  const smn = a['smn_effective'];
  if (smn === false || smn === 'false') observations.push('smn_effective is false: this instance says SMN subscriptions are not supported, so alarms may not be sent (and switching them ON may be refused)');
  learned['alarmSmnEffective'] = smn === undefined || smn === null ? 'absent' : String(smn) === 'false' ? 'false' : 'true';
  return { objects: [], settings, observations, learned };
}

/** Reads the alarm configuration of one instance. */
export async function readAlarm(api: KindApi, target: KindTarget): Promise<LiveKind> {
  return decodeAlarm(await api.read(target, READ_CALL));
}

/** The set call's body (ConfigAlarmTopicRequest): every required field, risk levels in lower case, the topic only when there is one. */
export function setBody(s: AlarmSetting): Json {
  return {
    alarm_cpu: s.cpu,
    alarm_disk: s.disk,
    alarm_memory: s.memory,
    alarm_num: s.daily_limit,
    alarm_switch: s.enabled,
    alarm_risk: s.risk_levels.map((l) => l.toLowerCase()),
    ...(s.topic_urn === null ? {} : { alarm_topic_urn: s.topic_urn }),
  };
}

/** Sends the whole setting (SetAlarmTopicConfigInfoNew; answered `{status: success|fail}`, lower case). */
export async function writeAlarm(api: KindApi, target: KindTarget, s: AlarmSetting): Promise<void> {
  await api.write(target, { operation: 'SetAlarmTopicConfigInfoNew', method: 'POST', path: PATH, body: setBody(s) });
}
