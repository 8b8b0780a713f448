import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_PROJECTS } from '../../src/emulator/index.js';
import type { ProfileEstate } from './profile-estate.js';
import { runPipeline, startProfileEstate } from './profile-estate.js';

/**
 * Issue 18 item 3, the verification's side: under a list that shows new rules up to 3 s late,
 * an apply whose only change is a create (no reorder lists it first) must not call itself "not
 * converged" because the verifying read came too soon, and the next run must not create the
 * rule again. The emulator and the client share a fake clock (profile-estate.ts).
 */

let open: ProfileEstate | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

const ONE_CREATE = `version: 1
region: cn-north-4
project_id: ${DEMO_PROJECTS.payments}
instances:
  - name: prod-audit
    prune: false
    risk_rules:
      - name: lagging-new-rule
        risk_level: HIGH
        actions: [DROP_USER]
`;

describe('verification after an apply under list lag', () => {
  for (const profile of ['default', 'custom-ranks'] as const) {
    it(`${profile}: a lone create is verified once it is listed (not "not converged"), and the next plan is empty`, async () => {
      open = await startProfileEstate({ profile, listLagMs: 3000 });
      await writeFile(join(open.policies, 'payments.yaml'), ONE_CREATE);
      const start = open.clock!.now();
      const first = await runPipeline(open, 'reconcile');
      expect(first.code, first.output).toBe(0);
      expect(first.output).toContain('Converged');
      expect(open.clock!.now() - start, 'the verification waited for the listing').toBeGreaterThanOrEqual(3000);
      const again = await runPipeline(open, 'plan');
      expect(again.code, again.output).toBe(0);
      const rules = Object.values(open.emulator.state.projects).flatMap((p) => p.instances.flatMap((i) => i.rules));
      expect(rules.filter((r) => r.name === 'lagging-new-rule')).toHaveLength(1);
    });
  }
});
