import { canonical } from '../collection.js';
import type { DesiredKind, Json, KindChangeDraft, KindFieldChange, KindPlan, LiveKind } from '../kind.js';
import { ALARM_FIELDS, ALARMS_KEY, canonicalLevels, describeValue, type AlarmField, type AlarmSetting } from './fields.js';

/**
 * The alarm setting is written whole (the set call needs every required field), so the plan is
 * one `set` change: the declared fields that differ are its fields, and its payload is the
 * whole setting to send — the declared values merged over the live ones. A note says which live
 * values are kept. A field that is neither declared nor readable stops the plan (nothing is guessed).
 */

/** True when a live and a wanted value of a field are the same (risk levels as a set). */
export function sameAlarmValue(field: AlarmField, live: Json | undefined, wanted: Json | undefined): boolean {
  if (live === undefined || wanted === undefined) return false;
  if (field === 'risk_levels' && Array.isArray(live) && Array.isArray(wanted)) {
    return canonical(canonicalLevels(live as string[])) === canonical(canonicalLevels(wanted as string[]));
  }
  return canonical(live) === canonical(wanted);
}

/** Why changing a field from `before` (undefined = not read) to `after` weakens alarms, or undefined. */
export function alarmWeakening(field: AlarmField, before: Json | undefined, after: Json): string | undefined {
  switch (field) {
    case 'enabled':
      return after === 'OFF' ? `alarms switched OFF${before === undefined ? ' (their live state was not read)' : ''}` : undefined;
    case 'topic_urn':
      return after === null && before !== null ? 'the SMN topic removed (alarms have nowhere to go)' : undefined;
    case 'risk_levels': {
      if (!Array.isArray(before) || !Array.isArray(after)) return undefined;
      const dropped = (before as string[]).filter((l) => !(after as string[]).includes(l));
      return dropped.length > 0 ? `no more alarms at risk level ${dropped.join(', ')}` : undefined;
    }
    case 'cpu':
    case 'disk':
    case 'memory':
      return typeof before === 'number' && typeof after === 'number' && after > before ? `${field} alarm threshold raised ${before}% → ${after}%` : undefined;
    case 'daily_limit':
      return typeof before === 'number' && typeof after === 'number' && after < before ? `fewer alarms a day ${before} → ${after}` : undefined;
  }
}

/** The plan of the alarm setting on one instance. Pure. */
export function planAlarm(desired: DesiredKind, live: LiveKind): KindPlan {
  const notes = [...live.observations];
  const declared = desired.settings;
  const fields: KindFieldChange[] = [];
  for (const field of ALARM_FIELDS) {
    const want = declared[field];
    if (want === undefined) continue;
    const before = live.settings[field];
    if (!sameAlarmValue(field, before, want.value)) fields.push(before === undefined ? { field, after: want.value } : { field, before, after: want.value });
  }
  if (fields.length === 0) return { changes: [], notes, problems: [] };

  const merged: Record<string, Json | undefined> = {};
  const kept: string[] = [];
  for (const field of ALARM_FIELDS) {
    const want = declared[field];
    merged[field] = want !== undefined ? want.value : live.settings[field];
    if (want === undefined && merged[field] !== undefined) kept.push(describeValue(field, merged[field]));
  }
  const problems: string[] = [];
  // A field that could not be read is not guessed: sending a default would overwrite the live value.
  const missing = ALARM_FIELDS.filter((f) => merged[f] === undefined);
  if (missing.length > 0) {
    problems.push(`cannot write the alarm setting: the set call sends every field, and the live ${missing.join(', ')} could not be read; declare ${missing.length === 1 ? 'it' : 'them'} under ${ALARMS_KEY}`);
  }
  if (merged['enabled'] === 'ON' && merged['topic_urn'] === null) {
    problems.push(`alarms ON need an SMN topic, and none is set live: declare ${ALARMS_KEY}.topic_urn`);
  }
  if (problems.length > 0) return { changes: [], notes, problems };
  if (kept.length > 0) notes.push(`kept live ${kept.join(', ')} (not declared; the set call sends every field)`);

  const weakening = fields.flatMap((f) => {
    const why = alarmWeakening(f.field as AlarmField, f.before, f.after);
    return why === undefined ? [] : [why];
  });
  const first = declared[fields[0]!.field]!;
  const setting = merged as unknown as AlarmSetting;
  return {
    changes: [{ op: 'set', subject: ALARMS_KEY, payload: setting as unknown as Json, fields, weakening, source: first.source }],
    notes,
    problems: [],
  };
}

/** Whether a read shows the whole setting of a `set` change written. */
export function alarmShows(change: KindChangeDraft, live: LiveKind): boolean {
  const sent = change.payload as { readonly [field: string]: Json };
  return ALARM_FIELDS.every((field) => sameAlarmValue(field, live.settings[field], sent[field]));
}
