import { KINDS } from './registry.js';

/**
 * schemas/policy.schema.json with every kind's schema fragment in place: its properties in the
 * instance entry and the rule set, its $defs. The file in the repository is this function's
 * output (test/kinds/policy-schema.test.ts checks it, and rewrites it with UPDATE_GENERATED=1),
 * so a kind's schema lives in its folder and editors still read one plain JSON Schema file.
 */
export function withKindSchemas(schema: Record<string, unknown>): Record<string, unknown> {
  const out = structuredClone(schema) as { $defs: Record<string, { properties?: Record<string, unknown> }> };
  for (const kind of KINDS) {
    for (const [name, def] of Object.entries(kind.schema.defs)) out.$defs[name] = structuredClone(def) as { properties?: Record<string, unknown> };
    for (const owner of ['instance', 'ruleSet'] as const) {
      const props = (out.$defs[owner]!.properties ??= {});
      for (const [key, prop] of Object.entries(kind.schema.properties)) props[key] = structuredClone(prop);
    }
  }
  return out;
}
