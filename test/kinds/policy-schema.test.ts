import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { withKindSchemas } from '../../src/kinds/policy-schema.js';
import { KINDS } from '../../src/kinds/registry.js';
import { policySchemaPath } from '../../src/policy/schema-validation.js';

describe('schemas/policy.schema.json and the kinds', () => {
  it("holds every kind's schema fragment as the kind's folder states it (UPDATE_GENERATED=1 rewrites it)", async () => {
    const text = await readFile(policySchemaPath(), 'utf8');
    const wanted = withKindSchemas(JSON.parse(text) as Record<string, unknown>);
    const differs = JSON.stringify(wanted) !== JSON.stringify(JSON.parse(text));
    if (process.env['UPDATE_GENERATED'] === '1' && differs) await writeFile(policySchemaPath(), `${JSON.stringify(wanted, null, 2)}\n`);
    expect(JSON.parse(await readFile(policySchemaPath(), 'utf8'))).toEqual(wanted);
  });

  it('gives every kind its own policy keys, taken by no other kind and no risk-rule key', async () => {
    const keys = KINDS.flatMap((k) => k.policyKeys);
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of keys) expect(['name', 'id', 'match', 'prune', 'system_rules', 'risk_rules', 'use', 'exclude', 'overrides']).not.toContain(k);
  });
});
