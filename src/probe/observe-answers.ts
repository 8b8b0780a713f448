import type { RawAnswer } from './raw-api.js';
import type { Observation } from './types.js';

/**
 * Observations from single raw answers: the instance list's shape, a show answer's fields and
 * read-backs, a summary-task read, and the answer to an unknown rule id. Pure.
 */

/** An instance as the probe reads it from either list shape. */
export interface ListedInstance {
  /** Instance id. */
  readonly id: string;
  /** Name (API-supplied). */
  readonly name: string;
  /** Status as listed. */
  readonly status: string;
}

/** The shape of one instance-list page and its items; undefined shape when it has neither array. */
export function instanceListPage(body: Record<string, unknown>): { shape?: 'servers' | 'instances'; items: ListedInstance[]; total?: number } {
  const shape = Array.isArray(body.instances) ? 'instances' : Array.isArray(body.servers) ? 'servers' : undefined;
  const raw = shape === undefined ? [] : (body[shape] as unknown[]);
  const items = raw.flatMap((item): ListedInstance[] => {
    if (typeof item !== 'object' || item === null) return [];
    const i = item as Record<string, unknown>;
    const id = i.instance_id ?? i.id;
    if (typeof id !== 'string') return [];
    return [{ id, name: typeof i.name === 'string' ? i.name : '', status: typeof i.status === 'string' ? i.status : 'UNKNOWN' }];
  });
  return { ...(shape ? { shape } : {}), items, ...(typeof body.total === 'number' ? { total: body.total } : {}) };
}

/**
 * The instance-list observation: `servers`, or `instances` as the SDK's ResponseAuditV2 spells
 * its items (IPv6 address `connectIpv6`) or as the emulator's older reading did (`connect_ipv6`).
 */
export function instanceListObservation(shape: 'servers' | 'instances', first: Record<string, unknown> | undefined): Observation {
  const key = first === undefined ? (shape === 'instances' ? 'instance_id' : 'id') : 'instance_id' in first ? 'instance_id' : 'id';
  const ipv6 = first === undefined ? undefined : ['connectIpv6', 'connect_ipv6'].find((k) => k in first);
  const value = shape === 'servers' ? 'servers' : ipv6 === 'connect_ipv6' ? 'instances' : 'sdk';
  return { point: 'instance list', observed: [shape, key, ...(ipv6 ? [ipv6] : [])].join('/'), option: 'instanceList', value };
}

const THRESHOLD_FIELDS = ['affect_symbol', 'affect_rows', 'execution_symbol', 'execution_time'] as const;

/** How an unset field read back: null, "", or absent. */
function unsetAs(body: Record<string, unknown>, key: string): 'null' | 'empty' | 'absent' | undefined {
  if (!(key in body)) return 'absent';
  return body[key] === null ? 'null' : body[key] === '' ? 'empty' : undefined;
}

/**
 * Observations from the show answer of the probe's own rule, created with no action, no
 * databases, no client IPs, default thresholds and ignore_case false.
 */
export function probeRuleShowObservations(body: Record<string, unknown>): Observation[] {
  const out: Observation[] = [];
  const action = 'action' in body ? body.action : undefined;
  const actionText = !('action' in body) ? 'action absent' : action === null ? 'action null' : `action ${JSON.stringify(action)}`;
  const any = !('action' in body) ? 'absent' : action === null ? 'null' : action === '' ? 'empty' : action === 'OPERATE ALL' ? 'operate-all' : undefined;
  out.push({ point: 'action read-back for any-operation', observed: actionText, ...(any ? { option: 'anyOperation' as const, value: any } : {}) });
  const db = unsetAs(body, 'db_ids');
  const ips = unsetAs(body, 'client_ips');
  const emptyText = `db_ids ${db ?? JSON.stringify(body.db_ids)}, client_ips ${ips ?? JSON.stringify(body.client_ips)}`;
  out.push({ point: 'empty fields read-back', observed: emptyText, ...(db && db === ips ? { option: 'emptyFields' as const, value: db } : {}) });
  const missing = [...THRESHOLD_FIELDS, 'ignore_case', 'rank', 'schemas'].filter((k) => !(k in body) || body[k] === null);
  out.push({
    point: 'show fields',
    observed: missing.length === 0 ? 'every field, defaults included' : `absent at their defaults: ${missing.join(', ')}`,
    option: 'showFields',
    value: missing.length === 0 ? 'full' : 'terse',
  });
  return out;
}

/** Observations from the show answers of existing rules (read-only mode): action spellings and absent fields. */
export function existingShowObservations(bodies: readonly Record<string, unknown>[]): Observation[] {
  if (bodies.length === 0) return [];
  const actions = new Map<string, number>();
  for (const b of bodies) {
    const a = !('action' in b) ? '(absent)' : b.action === null ? '(null)' : typeof b.action === 'string' ? JSON.stringify(b.action) : '(not a string)';
    actions.set(a, (actions.get(a) ?? 0) + 1);
  }
  const out: Observation[] = [{ point: 'action values', observed: [...actions].map(([a, n]) => `${a} x${n}`).join(', ') }];
  // rank is left out: whether a (system) rule shows one is a numbering question, not terseness.
  const missing = [...THRESHOLD_FIELDS, 'ignore_case'].filter((k) => bodies.some((b) => !(k in b) || b[k] === null));
  if (missing.length > 0) out.push({ point: 'show fields', observed: `sometimes absent: ${missing.join(', ')}`, option: 'showFields', value: 'terse' });
  const unset = bodies.map((b) => unsetAs(b, 'db_ids')).find((u) => u !== undefined);
  if (unset) out.push({ point: 'empty fields read-back', observed: `unset db_ids reads ${unset}`, option: 'emptyFields', value: unset });
  return out;
}

/** The summary-task read's task_switch. */
export function taskSwitchObservation(busiType: string, body: Record<string, unknown>): Observation {
  const point = `task_switch (${busiType})`;
  if (!('task_switch' in body) || body.task_switch === null) return { point, observed: 'absent', option: 'taskSwitch', value: 'absent' };
  const v = body.task_switch;
  if (typeof v === 'boolean') return { point, observed: String(v), option: 'taskSwitch', value: 'boolean' };
  const text = JSON.stringify(v) ?? String(v);
  if (v === 'on' || v === 'off') return { point, observed: text, option: 'taskSwitch', value: 'lower' };
  if (v === 'ON' || v === 'OFF') return { point, observed: text, option: 'taskSwitch', value: 'upper' };
  return { point, observed: `unrecognised ${text}` };
}

/** The answer to a rule id that does not exist (never did, or was just deleted). */
export function unknownIdObservation(what: string, answer: RawAnswer): Observation {
  const point = `unknown id (${what})`;
  if (answer.ok) return { point, observed: 'answered as a success' };
  const e = answer.error;
  const observed = `${e.status ?? e.kind} ${e.errorCode ?? ''}`.trim();
  const value = e.status === 400 ? '400' : e.status === 404 ? '404' : undefined;
  return { point, observed, ...(value ? { option: 'unknownId' as const, value } : {}) };
}
