import { ALARM_RISK_LEVELS, ALARMS_KEY } from './fields.js';

const percent = (what: string, wire: string): object => ({
  description: `${what} usage that raises an alarm, in % (${wire}). Raising it is a weakening. Whether DBSS takes 0 is not documented (0-100 or 1-100). Left out: the live value is kept.`,
  type: 'integer',
  minimum: 0,
  maximum: 100,
});

/**
 * The kind's schema fragment (JSON Schema draft 2020-12), composed into
 * schemas/policy.schema.json: `alarms` of an instance entry and a rule set, and its $def. The
 * topic URN's form is checked by the kind's check (a message that says what a URN looks like).
 */
export const ALARM_SCHEMA = {
  properties: {
    [ALARMS_KEY]: {
      $ref: '#/$defs/alarmNotification',
      description:
        "The instance's alarm notification (one setting per instance). Only the fields given are managed; the others keep their live values (the plan says which). In a rule set and an entry, each field comes from the last place that sets it.",
    },
  },
  defs: {
    alarmNotification: {
      description: 'Alarm notification: whether DBSS sends alarms, to which SMN topic, at which risk levels and thresholds, how many a day.',
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        enabled: { description: 'Whether alarms are sent (alarm_switch). Switching OFF is a weakening. ON needs a topic (declared here or already set live).', type: 'string', enum: ['ON', 'OFF'] },
        topic_urn: {
          description:
            'The SMN topic alarms are sent to (alarm_topic_urn): urn:smn:{region}:{project_id}:{topic}. null removes the topic (a weakening; only while alarms are OFF). Left out: the live topic is kept.',
          type: ['string', 'null'],
          minLength: 1,
        },
        risk_levels: {
          description: 'Risk levels alarms are sent for (alarm_risk, sent in lower case). Dropping a level is a weakening. [] sends none.',
          type: 'array',
          uniqueItems: true,
          items: { type: 'string', enum: [...ALARM_RISK_LEVELS], description: 'A risk level, upper case as in risk rules.' },
        },
        cpu: percent('CPU', 'alarm_cpu'),
        disk: percent('Disk', 'alarm_disk'),
        memory: percent('Memory', 'alarm_memory'),
        daily_limit: {
          description: 'Alarms sent a day at most (alarm_num). Lowering it is a weakening. Its maximum and default are not documented. Left out: the live value is kept.',
          type: 'integer',
          minimum: 0,
          maximum: 2147483647,
        },
      },
    },
  },
} as const;
