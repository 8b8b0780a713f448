import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { generateState } from '../src/emulator/index.js';
import { planGuardrails } from '../src/guardrails/plan-guardrails.js';
import { parsePolicyText } from '../src/policy/parse-documents.js';
import { validatePolicies } from '../src/policy/validate-policies.js';
import { desiredStateOf, liveStateOf } from './in-memory-state.js';
import { measureAndReport } from './measured-child.js';
import { policyOfState } from './policy-tree.js';

/**
 * Child of the guardrails scenario: an estate of argv[2] instances × argv[3] rules in memory
 * (declared and live), the example guardrails (examples/guardrails/estate.yaml) with `match: *`
 * so that every guardrail runs on every instance, and one planGuardrails over both states timed.
 */
const LIBRARY = fileURLToPath(new URL('../../examples/guardrails/estate.yaml', import.meta.url));

const [instances, rules, seed] = process.argv.slice(2).map(Number) as [number, number, number];
const state = generateState({ projects: 1, instancesPerProject: instances, rulesPerInstance: rules, seed });
const desired = desiredStateOf(policyOfState(state));
const live = liveStateOf(state, desired);
const parsed = parsePolicyText(await readFile(LIBRARY, 'utf8'), 'examples/guardrails/estate.yaml');
const guardrails = (validatePolicies(parsed.documents).desired.guardrails ?? []).map((g) => ({ ...g, match: '*' }));
await measureAndReport(
  () => planGuardrails(guardrails, desired, live),
  (report) => ({
    guardrails: report.checked,
    violations: report.violations.length,
    errors: report.violations.filter((v) => v.error !== undefined).length,
    instances: desired.instances.length,
    rules: desired.instances.reduce((n, d) => n + d.riskRules.length, 0),
  }),
);
