import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../../src/policy/diagnostics.js';
import { loadPolicies } from '../../../src/policy/load-policies.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

const POLICY = `version: 1
region: cn-north-4
project_id: 0f1e2d3c4b5a69788796a5b4c3d2e1f0
instances:
  - name: prod-audit
    sql_injection_rules:
      - name: postal code
        regex: '^\\d{6}$'
        risk_level: LOW
      - name: broken
        regex: 'union(select'
        risk_level: HIGH
      - name: postal code
        regex: '(?i)x'
        risk_level: LOW
      - name: bad level
        regex: x
        risk_level: SEVERE
`;

describe('validating a policy tree with SQL-injection rules (what `dbss-policy validate` prints)', () => {
  it('reports a regex that does not compile and a name declared twice at file:line:col, and a bad risk level from the schema', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sqli-validate-'));
    await writeFile(join(dir, 'p.yaml'), POLICY);
    const result = await loadPolicies(dir, { cwd: dir });
    const out = formatDiagnostics(result.diagnostics, 'text');
    expect(result.valid).toBe(false);
    expect(out).toMatch(/p\.yaml:11:16 .*sql_injection_rules\[1\]\.regex: not a valid regular expression \(checked as a JavaScript RegExp after reading Java-only syntax; DBSS checks with its own, Java, rules\): Unterminated group/);
    expect(out).toMatch(/p\.yaml:13:15 .*sql_injection_rules\[2\]\.name: SQL-injection rule "postal code" is declared twice in this list \(first at item 1\)/);
    expect(out).toMatch(/p\.yaml:18:21 .*sql_injection_rules\[3\]\.risk_level/);
  });
});
