import { declaredSettingFields } from '../collection.js';
import type { DesiredKind, Json, KindFinding, KindValues } from '../kind.js';
import { ALARMS_KEY, canonicalLevels, THRESHOLDS, TOPIC_URN } from './fields.js';

/**
 * The declared alarm setting of an entry: field by field, each from the last place that sets it
 * (a rule set's `alarms` first, in `use` order, then the entry's own), so a rule set can hold
 * the levels and thresholds and each entry its own topic. Fields nobody declares are kept at
 * their live values when the setting is written. Risk levels are a set (canonical order).
 */
export function desiredAlarm(values: readonly KindValues[], prune: boolean): DesiredKind | undefined {
  const fields = declaredSettingFields(values, ALARMS_KEY);
  if (Object.keys(fields).length === 0) return undefined;
  const levels = fields['risk_levels'];
  const settings =
    levels !== undefined && Array.isArray(levels.value) ? { ...fields, risk_levels: { ...levels, value: canonicalLevels(levels.value as string[]) } } : fields;
  return { objects: [], switches: [], settings, prune };
}

/**
 * What the schema cannot say in one place: a topic that is not an SMN topic URN, alarms ON
 * with the topic removed in the same place, and a 0 the API may refuse (its ranges are
 * unsettled: 0-100 or 1-100).
 */
export function checkAlarm(values: KindValues['values']): KindFinding[] {
  const alarms = values[ALARMS_KEY];
  if (alarms === null || typeof alarms !== 'object' || Array.isArray(alarms)) return [];
  const a = alarms as { readonly [field: string]: Json };
  const out: KindFinding[] = [];
  const topic = a['topic_urn'];
  if (typeof topic === 'string' && !TOPIC_URN.test(topic)) {
    out.push({
      path: [ALARMS_KEY, 'topic_urn'],
      message: `${JSON.stringify(topic.slice(0, 300))} is not an SMN topic URN (urn:smn:{region}:{project_id}:{topic}, e.g. urn:smn:cn-north-4:0a1b2c3d4e5f60718293a4b5c6d7e8f9:dbss-alarms)`,
    });
  }
  if (a['enabled'] === 'ON' && topic === null) {
    out.push({ path: [ALARMS_KEY, 'topic_urn'], message: 'alarms are ON but the topic is removed: DBSS needs a topic to send alarms to while they are ON' });
  }
  for (const field of [...THRESHOLDS, 'daily_limit']) {
    if (a[field] === 0) {
      out.push({ path: [ALARMS_KEY, field], message: `${field} 0: whether DBSS accepts 0 is not documented (0-100 or 1-100); a refusal is reported when applying`, warning: true });
    }
  }
  return out;
}
