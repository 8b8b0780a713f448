import { RISK_LEVELS, type RiskLevel } from '../../domain.js';
import type { Json, LiveKind, LiveObject } from '../kind.js';
import { RULES_KEY, SYSTEM_KEY } from './desired.js';
import { regexProblem } from './regex-check.js';
import { NAME_MAX, NAME_PATTERN } from './schema.js';

/** What a custom rule needs to be declared: a name the schema takes, a regex that passes validation, a known risk level and status. */
const exportable = (o: LiveObject): boolean =>
  NAME_PATTERN.test(o.key) &&
  o.key.length <= NAME_MAX &&
  (o.spec.status === 'ON' || o.spec.status === 'OFF') &&
  typeof o.spec.regex === 'string' &&
  o.spec.regex !== '' &&
  regexProblem(o.spec.regex) === undefined &&
  RISK_LEVELS.includes(o.spec.risk_level as RiskLevel);

/**
 * The policy YAML of a live state: custom rules in priority order (by rank, unranked ones after
 * them in list order) and every system rule's switch, so that planning the export changes
 * nothing. A custom rule whose content could not be read (or would not validate) is left out:
 * it stays undeclared, which with `prune: false` leaves it alone. A name listed twice is
 * exported once (the plan reports the ambiguity).
 */
export function exportSqlRules(live: LiveKind): { readonly [policyKey: string]: Json } {
  const ranked = live.objects.filter((o) => o.rank !== undefined).sort((a, b) => a.rank! - b.rank!);
  const ordered = [...ranked, ...live.objects.filter((o) => o.rank === undefined)];
  const names = new Set<string>();
  const rules: Json[] = [];
  for (const o of ordered) {
    if (o.builtIn || !exportable(o) || names.has(o.key)) continue;
    names.add(o.key);
    rules.push({ name: o.key, regex: o.spec.regex!, risk_level: o.spec.risk_level!, status: o.spec.status! });
  }
  const switches: Record<string, Json> = {};
  for (const o of live.objects) {
    if (o.builtIn && o.key !== '' && (o.spec.status === 'ON' || o.spec.status === 'OFF')) switches[o.key] = o.spec.status;
  }
  return {
    ...(rules.length > 0 ? { [RULES_KEY]: rules } : {}),
    ...(Object.keys(switches).length > 0 ? { [SYSTEM_KEY]: switches } : {}),
  };
}
