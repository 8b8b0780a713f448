import { COMPARISONS, RISK_LEVELS } from '../domain.js';
import { Prng, hexId } from './prng.js';
import { newProject } from './project-state.js';
import { customRule, systemRules } from './seed-rules.js';
import type { EmulatorState, RuleState } from './types.js';

/**
 * Operation tokens drawn for generated rules: concrete operations only (no "OPERATE ALL", which
 * would make a rule match anything), the emulator's own list so generated estates stay the same
 * whatever the client offers.
 */
const GENERATED_ACTIONS = [
  'LOGIN', 'CREATE_TABLE', 'CREATE_TABLESPACE', 'DROP_TABLE', 'DROP_TABLESPACE', 'DELETE', 'INSERT', 'INSERT_SELECT',
  'SELECT', 'SELECT_FOR_UPDATE', 'UPDATE', 'CREATE_USER', 'DROP_USER', 'GRANT', 'REVOKE', 'ROLLBACK',
] as const;

/** The size and seed of a generated state. */
export interface GenerateStateOptions {
  /** Number of projects (ids: 32 hex characters from the seed). */
  readonly projects: number;
  /** Instances per project, all ACTIVE, named `audit-P-I` (1-based, e.g. `audit-1-3`). */
  readonly instancesPerProject: number;
  /** Custom rules per instance, named `rule-R` (1-based, zero-padded to 4 digits: `rule-0007`), after the 4 system rules. */
  readonly rulesPerInstance: number;
  /** PRNG seed; the same options always give the same state (default 1). */
  readonly seed?: number;
  /** Region of every project (default cn-north-4). */
  readonly region?: string;
}

function randomRule(prng: Prng, index: number): RuleState {
  const actionCount = 1 + prng.int(3);
  const actions = new Set<string>();
  for (let i = 0; i < actionCount; i++) actions.add(prng.pick(GENERATED_ACTIONS));
  const octet = 1 + prng.int(254);
  return customRule(prng, {
    name: `rule-${String(index).padStart(4, '0')}`,
    riskLevel: prng.pick(RISK_LEVELS),
    status: prng.next() < 0.85 ? 'ON' : 'OFF',
    action: [...actions].join(','),
    clientIps: prng.next() < 0.5 ? `10.${octet}.0.0/16` : null,
    exceptionIps: prng.next() < 0.2 ? `10.${octet}.0.1` : null,
    dbIds: prng.next() < 0.3 ? prng.string(20, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789') : null,
    ignoreCase: prng.next() < 0.5,
    schemas: prng.next() < 0.3 ? [{ schema: `db${prng.int(10)}`, table: `t${prng.int(100)}` }] : [],
    affectSymbol: prng.pick(COMPARISONS),
    affectRows: prng.int(100000),
    executionSymbol: prng.pick(COMPARISONS),
    executionTime: prng.int(60000),
  });
}

/** A benchmark state of N projects × M instances × R custom rules, reproducible from the seed. */
export function generateState(options: GenerateStateOptions): EmulatorState {
  const prng = new Prng(options.seed ?? 1);
  const state: EmulatorState = { version: 1, idRngState: 0, projects: {} };
  for (let p = 1; p <= options.projects; p++) {
    const project = newProject(prng, options.region ?? 'cn-north-4');
    for (let i = 1; i <= options.instancesPerProject; i++) {
      const rules = systemRules(prng);
      for (let r = 1; r <= options.rulesPerInstance; r++) rules.push(randomRule(prng, r));
      project.instances.push({
        id: hexId(prng),
        name: `audit-${p}-${i}`,
        status: 'ACTIVE',
        created: '2024-01-15T08:00:00Z',
        specification: 'audit.professional',
        rules,
      });
    }
    state.projects[hexId(prng)] = project;
  }
  state.idRngState = prng.state;
  return state;
}
