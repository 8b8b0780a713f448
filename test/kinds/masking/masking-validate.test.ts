import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../../src/policy/diagnostics.js';
import { loadPolicies } from '../../../src/policy/load-policies.js';

/** `dbss-policy validate` on masking keys: schema problems and the kind's own checks at file:line:col. */

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
    masking: on
    result_set_storage: OFF
    mask_rules:
      - name: card
        regex: '\\d{16}'
        mask_value: '****'
      - name: broken
        regex: '(\\d'
        mask_value: '*'
      - name: card
        regex: x
        mask_value: y
      - name: no value
        regex: x
    system_mask_rules:
      Bank card number: MAYBE
`;

describe('validating masking', () => {
  it('reports a bad switch, a missing mask_value, a regex that does not compile and a name declared twice, each at file:line:col', async () => {
    dir = await mkdtemp(join(tmpdir(), 'masking-validate-'));
    await writeFile(join(dir, 'p.yaml'), POLICY);
    const result = await loadPolicies(dir, { cwd: dir });
    const out = formatDiagnostics(result.diagnostics, 'text');
    expect(result.valid).toBe(false);
    expect(out).toMatch(/p\.yaml:6:14 \$\.instances\[0\]\.masking: must be one of ON, OFF \(got "on"\)/);
    expect(out).toMatch(/p\.yaml:18:\d+ \$\.instances\[0\]\.mask_rules\[3\].*mask_value/);
    expect(out).toMatch(/p\.yaml:21:25 \$\.instances\[0\]\.system_mask_rules\["Bank card number"\]: must be one of ON, OFF \(got "MAYBE"\)/);
    expect(out).toMatch(/p\.yaml:13:\d+ \$\.instances\[0\]\.mask_rules\[1\]\.regex: the regex does not compile/);
    expect(out).toMatch(/p\.yaml:15:\d+ \$\.instances\[0\]\.mask_rules\[2\]\.name: mask rule "card" is declared twice \(also mask_rules\[0\]\)/);
  });
});
