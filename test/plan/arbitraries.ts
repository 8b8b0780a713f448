import fc from 'fast-check';
import type { Switch } from '../../src/domain.js';
import { COMPARISONS, RISK_LEVELS } from '../../src/domain.js';

/** IP entries with equivalent spellings, so the planner must compare by meaning. */
const IPS: readonly (readonly string[])[] = [
  ['10.0.0.0/8', '10.0.0.0/08'],
  ['2001:db8::1', '2001:DB8:0:0::1'],
  ['192.168.1.10-192.168.1.20', ' 192.168.1.10-192.168.1.20'],
  ['10.20.0.0/16'],
  ['2001:db8::/32', '2001:0db8::/32'],
];
const ipList = fc
  .shuffledSubarray([...IPS.keys()], { maxLength: 3 })
  .chain((picks) => fc.tuple(...picks.map((i) => fc.constantFrom(...IPS[i]!))));
const threshold = fc.record({ symbol: fc.constantFrom(...COMPARISONS), value: fc.integer({ min: 0, max: 3 }) });
/** A rule's content, spelled in any of the ways the API and the policies may spell it. */
export const content = fc.record({
  riskLevel: fc.constantFrom(...RISK_LEVELS),
  status: fc.constantFrom<Switch>('ON', 'OFF'),
  actions: fc.shuffledSubarray(['SELECT', 'DELETE', 'GRANT', 'REVOKE', 'DROP_TABLE'], { maxLength: 3 }),
  affectRows: threshold,
  executionTime: threshold,
  dbIds: fc.shuffledSubarray(['db1', 'db2', 'db3']),
  clientIps: ipList,
  exceptionIps: ipList,
  schemas: fc.shuffledSubarray([{ schema: 'f' }, { schema: 'f', table: 't' }, { schema: 'g', table: 'u', column: 'c' }]),
  ignoreCase: fc.boolean(),
});
