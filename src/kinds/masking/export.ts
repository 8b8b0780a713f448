import type { Json, LiveKind } from '../kind.js';

/**
 * Masking as policy YAML, for `export`: the switches as read, every custom rule with a name,
 * regex and replacement (a name listed twice once: the plan reports the duplicate), the built-in
 * rules' switches by name. Planning the result against the same live state changes nothing.
 */
export function exportMasking(live: LiveKind): { readonly [policyKey: string]: Json } {
  const out: Record<string, Json> = {};
  for (const key of ['masking', 'result_set_storage']) if (live.settings[key] !== undefined) out[key] = live.settings[key];
  const seen = new Set<string>();
  const rules: Json[] = [];
  for (const o of live.objects) {
    const { regex, mask_value: maskValue, status } = o.spec;
    if (o.builtIn || o.key === '' || typeof regex !== 'string' || typeof maskValue !== 'string' || seen.has(o.key)) continue;
    seen.add(o.key);
    rules.push({ name: o.key, regex, mask_value: maskValue, ...(typeof status === 'string' ? { status } : {}) });
  }
  if (rules.length > 0) out['mask_rules'] = rules;
  const switched = live.objects.filter((o) => o.builtIn && o.key !== '' && typeof o.spec['status'] === 'string');
  if (switched.length > 0) out['system_mask_rules'] = Object.fromEntries(switched.map((o) => [o.key, o.spec['status']!]));
  return out;
}
