/**
 * The alarm setting's domain form: one singleton per instance, declared under `alarms:`. Its
 * fields are policy names (snake_case as written in YAML); LiveKind.settings and
 * DesiredKind.settings are keyed by them. Nothing here knows a wire field name (wire.ts does).
 */

/** The instance-entry (and rule set) key. */
export const ALARMS_KEY = 'alarms';

/** Risk levels an alarm can be sent for, highest first (the policy's spelling; the wire's is lower case). */
export const ALARM_RISK_LEVELS = ['HIGH', 'MEDIUM', 'LOW'] as const;
/** One risk level. */
export type AlarmRiskLevel = (typeof ALARM_RISK_LEVELS)[number];

/** The percentage thresholds. */
export const THRESHOLDS = ['cpu', 'disk', 'memory'] as const;

/** Every field, in display order. */
export const ALARM_FIELDS = ['enabled', 'topic_urn', 'risk_levels', 'cpu', 'disk', 'memory', 'daily_limit'] as const;
/** One field. */
export type AlarmField = (typeof ALARM_FIELDS)[number];

/** The whole setting as the set call sends it (every field known). */
export interface AlarmSetting {
  /** Whether alarms are sent (alarm_switch). */
  readonly enabled: 'ON' | 'OFF';
  /** The SMN topic alarms go to; null = none (alarm_topic_urn). */
  readonly topic_urn: string | null;
  /** Risk levels alarms are sent for, highest first (alarm_risk). */
  readonly risk_levels: readonly AlarmRiskLevel[];
  /** CPU threshold, % (alarm_cpu). */
  readonly cpu: number;
  /** Disk threshold, % (alarm_disk). */
  readonly disk: number;
  /** Memory threshold, % (alarm_memory). */
  readonly memory: number;
  /** Alarms sent a day at most (alarm_num). */
  readonly daily_limit: number;
}

/** Risk levels as a set in canonical order (highest first, no duplicates). */
export const canonicalLevels = (levels: readonly string[]): AlarmRiskLevel[] => ALARM_RISK_LEVELS.filter((l) => levels.includes(l));

/**
 * An SMN topic URN: `urn:smn:{region}:{project_id}:{topic}`. A region such as `cn-north-4`, a
 * 32-hex-digit project id, and an SMN topic name (1-255 letters, digits, `-` and `_`, starting
 * with a letter or digit).
 */
export const TOPIC_URN = /^urn:smn:[a-z]{2}(?:-[a-z]+)+-\d+:[0-9a-fA-F]{32}:[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/;

/** What people read for a field in notes: `cpu 80`, `risk levels [HIGH]`. */
export function describeValue(field: AlarmField, value: unknown): string {
  const shown = value === null ? '(none)' : Array.isArray(value) ? `[${value.join(', ')}]` : field === 'topic_urn' ? JSON.stringify(value) : String(value);
  return `${field.replace('_', ' ')} ${shown}`;
}
