import type { Kind } from '../kind.js';
import { checkAlarm, desiredAlarm } from './desired.js';
import { exportAlarm } from './export.js';
import { ALARMS_KEY, type AlarmSetting } from './fields.js';
import { alarmShows, planAlarm } from './plan.js';
import { ALARM_SCHEMA } from './schema.js';
import { readAlarm, writeAlarm } from './wire.js';

/**
 * Alarm notification (dbss-api-more.md §5): one setting per instance, `alarms:` in an entry or
 * a rule set. Read, merge the declared fields over the live ones, write the whole setting,
 * confirm by reading it back.
 */
export const ALARM_KIND: Kind = {
  name: 'alarm',
  label: 'alarm setting',
  policyKeys: [ALARMS_KEY],
  schema: ALARM_SCHEMA,
  desired: desiredAlarm,
  check: checkAlarm,
  read: readAlarm,
  plan: planAlarm,
  write: (api, target, change) => writeAlarm(api, target, change.payload as unknown as AlarmSetting),
  shows: alarmShows,
  export: exportAlarm,
};
