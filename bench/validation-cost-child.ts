import { loadPolicies } from '../src/policy/load-policies.js';
import { measureAndReport } from './measured-child.js';

/** Child of scenario 5: times loadPolicies (read, parse, schema and cross-document checks) on the tree at argv[2]. */
const dir = process.argv[2]!;
await measureAndReport(
  () => loadPolicies(dir, { cwd: dir }),
  (r) => ({
    files: r.files.length,
    rules: r.desired.instances.reduce((n, i) => n + i.riskRules.length, 0),
    errors: r.diagnostics.filter((d) => d.severity === 'error').length,
  }),
);
