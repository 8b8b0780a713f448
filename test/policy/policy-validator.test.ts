import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { policySchema, policySchemaPath } from '../../src/policy/schema-validation.js';
import { schemaDigest, validatorSource } from '../../src/policy/validator-source.js';

const GENERATED = join(import.meta.dirname, '../../src/policy/policy-validator.generated.ts');

describe('the precompiled policy validator', () => {
  it('is generated from the current schema (UPDATE_GENERATED=1 rewrites it)', async () => {
    const schemaText = await readFile(policySchemaPath(), 'utf8');
    const wanted = validatorSource(schemaText);
    if (process.env['UPDATE_GENERATED'] === '1') await writeFile(GENERATED, wanted);
    expect(await readFile(GENERATED, 'utf8')).toBe(wanted);
  });

  it('is the validator in use, and checks and fills in defaults as the compiled one does', async () => {
    const schemaText = await readFile(policySchemaPath(), 'utf8');
    const { validate, precompiled } = policySchema();
    expect(precompiled).toBe(true);
    const { SCHEMA_SHA256 } = await import('../../src/policy/policy-validator.generated.js');
    expect(SCHEMA_SHA256).toBe(schemaDigest(schemaText));
    const doc: Record<string, unknown> = { version: 1, region: 'cn-north-4', project_id: 'a'.repeat(32), instances: [{ name: 'i', risk_rules: [{ name: 'x', risk_level: 'HIGH' }] }] };
    expect([validate(doc), validate.errors]).toEqual([true, null]);
    expect((doc['instances'] as { prune?: boolean }[])[0]!.prune).toBe(false);
    expect(validate({ version: 1, region: 'r', project_id: 'p', instances: [{ name: 'i', bogus: 1 }] })).toBe(false);
    expect(validate.errors?.some((e) => e.keyword === 'additionalProperties' || e.keyword === 'unevaluatedProperties')).toBe(true);
  });
});
