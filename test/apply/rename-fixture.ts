import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmulatorEnv } from '../cli/emulator-env.js';

/** The demo project the emulator environment seeds. */
export const PROJECT = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';

/** prod-audit with grant-outside-dba renamed to grant-outside-dba-v2 (prune: a create, a reorder and a delete). */
/** The prod-audit entry of that policy: grant-outside-dba renamed to grant-outside-dba-v2, prune: true. */
export const RENAMED_PROD_AUDIT = `  - name: prod-audit
    prune: true
    risk_rules:
      - name: bulk-delete-prod
        risk_level: HIGH
        actions: [DELETE]
        affect_rows: { symbol: GREATER, value: 1000 }
      - name: drop-table-in-prod
        risk_level: MEDIUM
        actions: [DROP_TABLE, DROP_TABLESPACE]
        db_ids: [lQZpwJgB0g4pz3UTv74a]
        client_ips: [10.0.0.0/8, 192.168.1.10-192.168.1.20]
        schemas: [{ schema: finance, table: ledger }]
      - name: grant-outside-dba-v2
        risk_level: HIGH
        actions: [GRANT, REVOKE]
        client_ips: [10.20.0.0/16]
      - name: legacy-export
        risk_level: LOW
        actions: [SELECT]
`;

const RENAME = `version: 1
region: cn-north-4
project_id: ${PROJECT}
instances:
${RENAMED_PROD_AUDIT}`;

/** Writes the rename policy into a `policies` folder of the environment; returns that folder. */
export async function writeRenamePolicy(e: EmulatorEnv): Promise<string> {
  const policies = join(e.dir, 'policies');
  await mkdir(policies);
  await writeFile(join(policies, 'prod.yaml'), RENAME);
  return policies;
}

/** The custom rule names prod-audit holds in the emulator, in rank order. */
export const prodRules = (e: EmulatorEnv): string[] =>
  e.emulator.state.projects[PROJECT]!.instances.find((i) => i.name === 'prod-audit')!.rules.filter((r) => r.ruleType === 'CUSTOMIZE').map((r) => r.name);
