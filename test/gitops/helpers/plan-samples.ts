/** Sample plan JSON (as `dbss-policy plan --out` writes it), built change by change. */

const TARGET = 'cn-north-4/0123456789abcdef0123456789abcdef/prod-audit';

/** One change of the given kind; `extra` overrides fields. */
export function change(kind: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = {
    id: `${TARGET}#${kind}:${String(extra['rule'] ?? 'r')}`,
    target: TARGET,
    kind,
    review: { weakening: false, reasons: [] },
  };
  switch (kind) {
    case 'create':
      return { ...base, rule: 'drop-table', after: { name: 'drop-table', riskLevel: 'HIGH' }, ...extra };
    case 'update':
      return { ...base, rule: 'drop-table', ruleId: 'c7ILB3kBCwCqSg3B2OpF', before: {}, after: {}, fields: [], ...extra };
    case 'delete':
      return { ...base, rule: 'old-rule', ruleId: 'd8JMC4lCDxDrTh4C3PqG', review: { weakening: true, reasons: ['rule deleted'] }, ...extra };
    case 'switch':
      return { ...base, status: 'ON', rules: [{ id: 'x', name: 'Slow_SQL_detection', system: true }], ...extra };
    case 'reorder':
      return { ...base, order: ['a', 'b'], moves: ['b'], ...extra };
    case 'set-task':
      return { ...base, target: 'cn-north-4/0123456789abcdef0123456789abcdef', busiType: 'risk', before: false, after: true, ...extra };
    default:
      return { ...base, ...extra };
  }
}

/** A version-1 plan holding the changes (and optional errors and refusals). */
export function plan(changes: unknown[], more: { errors?: unknown[]; refusals?: unknown[] } = {}): Record<string, unknown> {
  return {
    formatVersion: 1,
    toolVersion: '0.1.0',
    liveFingerprint: 'a'.repeat(64),
    desiredHash: 'b'.repeat(64),
    targets: [],
    changes,
    notes: [],
    errors: more.errors ?? [],
    refusals: more.refusals ?? [],
  };
}
