import { generateState } from '../../src/emulator/index.js';
import type { EmulatorState, RuleState } from '../../src/emulator/index.js';
import { Prng } from '../../src/emulator/prng.js';
import { customRule } from '../../src/emulator/seed-rules.js';

/** Custom rule names that need care in YAML (quoting, 1.1 booleans, sexagesimal, unicode). */
export const ODD_NAMES = ['yes', 'on', '#x', 'a: b', '10:20', 'null', '- dash', "it's \"quoted\"", '审计 规则', '@start', 'ON'] as const;

let counter = 0;

/** A stored custom rule with a fresh 20-character id; unset fields take the API's empty values. */
export function storedRule(content: Partial<RuleState> & Pick<RuleState, 'name'>): RuleState {
  counter += 1;
  const id = `oddrule${String(counter).padStart(13, '0')}`;
  return { ...customRule(new Prng(counter), { riskLevel: 'LOW', ...content }), id };
}

/** One rule per odd name, cycling through every comparison symbol and every odd value. */
function oddRules(): RuleState[] {
  const symbols = ['GREATER', 'EQUAL', 'LESS', 'GREATER_EQUAL', 'LESS_EQUAL', 'NO_MATCH'] as const;
  return ODD_NAMES.map((name, n) =>
    storedRule({
      name,
      riskLevel: (['HIGH', 'MEDIUM', 'LOW', 'NO_RISK'] as const)[n % 4]!,
      status: n % 3 === 0 ? 'OFF' : 'ON',
      action: n % 2 === 0 ? 'SELECT,DELETE,GRANT' : null,
      clientIps: n % 2 === 0 ? '2001:DB8:0:0::/32,2001:db8::1-2001:db8::ff,10.1.2.3' : '::ffff:10.0.0.1,192.168.0.0/24',
      exceptionIps: '10.9.9.9',
      dbIds: n % 3 === 1 ? 'true,123,db-x' : null,
      ignoreCase: n % 2 === 1,
      schemas: n % 2 === 0 ? [{ schema: 'hr', table: 'salaries', column: 'amount' }, { column: 'ssn' }, { schema: 'null', table: 'yes' }] : [],
      affectSymbol: symbols[n % 6]!,
      affectRows: n * 7,
      executionSymbol: symbols[(n + 3) % 6]!,
      executionTime: n % 2 === 0 ? 0 : 2147483647,
    }),
  );
}

/**
 * A generated estate (one project, three instances of 40 rules each) with the odd rules mixed
 * in: some before the system rules, some between the generated ones, so rank order matters.
 */
export function oddState(): EmulatorState {
  const state = generateState({ projects: 1, instancesPerProject: 3, rulesPerInstance: 40, seed: 7 });
  const project = Object.values(state.projects)[0]!;
  const odd = oddRules();
  project.instances.forEach((instance, n) => {
    const mine = odd.filter((_, i) => i % project.instances.length === n);
    instance.rules.splice(0, 0, mine[0]!);
    for (const [k, rule] of mine.slice(1).entries()) instance.rules.splice(6 + k * 9, 0, rule);
  });
  return state;
}

/** The only project id of an oddState(). */
export function onlyProject(state: EmulatorState): string {
  return Object.keys(state.projects)[0]!;
}
