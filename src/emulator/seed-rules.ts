import type { Prng } from './prng.js';
import { ruleId } from './prng.js';
import type { RuleState, SchemaState } from './types.js';

/**
 * The built-in rules the emulator seeds. The user guide describes four (dump/"drag", slow SQL,
 * batch tampering, batch deletion); only `Database_drag_detection` is a name seen in a
 * document, the other three are the emulator's own guesses. Its own list: the client learns the
 * names from the live list and must not depend on the emulator guessing like it.
 */
export const SYSTEM_RULE_NAMES = ['Database_drag_detection', 'Slow_SQL_detection', 'Batch_data_tampering_detection', 'Batch_data_deletion_detection'] as const;

type SystemRuleName = (typeof SYSTEM_RULE_NAMES)[number];

/** Other plausible spellings of the built-in rules' names (ApiProfile.systemRuleNames `variant`). */
export const SYSTEM_RULE_VARIANT_NAMES: Readonly<Record<SystemRuleName, string>> = {
  Database_drag_detection: 'Database_drag_detection',
  Slow_SQL_detection: 'Slow_sql_detection',
  Batch_data_tampering_detection: 'Batch_data_modification_detection',
  Batch_data_deletion_detection: 'Batch_deletion_detection',
};

/** What each built-in rule detects; the thresholds are plausible, the real ones are not published. */
const SYSTEM_RULE_CONTENT: Record<SystemRuleName, Pick<RuleState, 'action' | 'affectSymbol' | 'affectRows' | 'executionSymbol' | 'executionTime'>> = {
  Database_drag_detection: {
    action: 'SELECT',
    affectSymbol: 'GREATER_EQUAL',
    affectRows: 10000,
    executionSymbol: 'GREATER_EQUAL',
    executionTime: 0,
  },
  Slow_SQL_detection: {
    action: null,
    affectSymbol: 'GREATER_EQUAL',
    affectRows: 0,
    executionSymbol: 'GREATER_EQUAL',
    executionTime: 5000,
  },
  Batch_data_tampering_detection: {
    action: 'UPDATE',
    affectSymbol: 'GREATER_EQUAL',
    affectRows: 1000,
    executionSymbol: 'GREATER_EQUAL',
    executionTime: 0,
  },
  Batch_data_deletion_detection: {
    action: 'DELETE',
    affectSymbol: 'GREATER_EQUAL',
    affectRows: 1000,
    executionSymbol: 'GREATER_EQUAL',
    executionTime: 0,
  },
};

/**
 * The four built-in rules every instance has (rule_type SYSTEM, type OPERATE, HIGH), in
 * their usual order. `off` lists the names that start switched OFF.
 */
export function systemRules(prng: Prng, off: readonly string[] = []): RuleState[] {
  return SYSTEM_RULE_NAMES.map((name) => ({
    id: ruleId(prng),
    ruleType: 'SYSTEM' as const,
    name,
    riskLevel: 'HIGH' as const,
    status: off.includes(name) ? ('OFF' as const) : ('ON' as const),
    clientIps: null,
    exceptionIps: null,
    dbIds: null,
    ignoreCase: false,
    schemas: [] as SchemaState[],
    ...SYSTEM_RULE_CONTENT[name],
  }));
}

/** The content of a custom rule; unset fields take the API's empty values. */
export type CustomRuleContent = Pick<RuleState, 'name' | 'riskLevel'> & Partial<Omit<RuleState, 'id' | 'ruleType'>>;

/** A CUSTOMIZE rule with a fresh id. */
export function customRule(prng: Prng, content: CustomRuleContent): RuleState {
  return {
    id: ruleId(prng),
    ruleType: 'CUSTOMIZE',
    status: 'ON',
    action: null,
    clientIps: null,
    exceptionIps: null,
    dbIds: null,
    ignoreCase: false,
    schemas: [],
    affectSymbol: 'GREATER_EQUAL',
    affectRows: 0,
    executionSymbol: 'GREATER_EQUAL',
    executionTime: 0,
    ...content,
  };
}
