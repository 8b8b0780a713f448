import type { Json, LiveKind } from '../kind.js';
import { ALARM_FIELDS, ALARMS_KEY, TOPIC_URN } from './fields.js';

/**
 * The `alarms:` YAML of a live setting: every field that was read. A field that was not read is
 * left out (kept at its live value by a plan), and so are no topic (null) and a topic that is
 * not an SMN URN (validate would refuse it; left out, it is kept as it is). Planning the export
 * against the same live setting is empty.
 */
export function exportAlarm(live: LiveKind): { readonly [policyKey: string]: Json } {
  const out: Record<string, Json> = {};
  for (const field of ALARM_FIELDS) {
    const v = live.settings[field];
    if (v === undefined) continue;
    if (field === 'topic_urn' && (typeof v !== 'string' || !TOPIC_URN.test(v))) continue;
    out[field] = v;
  }
  return Object.keys(out).length > 0 ? { [ALARMS_KEY]: out } : {};
}
