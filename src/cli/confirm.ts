import { createInterface } from 'node:readline';
import type { Plan } from '../plan/types.js';
import type { CliIO } from './io.js';

/**
 * True when a person is at the keyboard: standard input and standard output are both terminals
 * and no CI system says otherwise. Only then does apply ask; a scheduled job (no terminal on
 * stdin) applies as it always has.
 */
export function isInteractive(io: CliIO): boolean {
  const ci = io.env['CI'];
  const inCi = ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
  return io.stdin?.isTTY === true && io.stdout.isTTY === true && !inCi;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** `Apply these 12 changes to 4 targets (cn-east-3, cn-north-4)? Only 'yes' is accepted: ` (regions sorted) */
export function confirmQuestion(plan: Plan): string {
  const targets = new Set(plan.changes.map((c) => c.target));
  const regions = [...new Set(plan.targets.filter((t) => targets.has(t.key)).map((t) => t.region))].sort();
  const where = regions.length > 0 ? ` (${regions.join(', ')})` : '';
  return `Apply these ${plural(plan.changes.length, 'change')} to ${plural(targets.size, 'target')}${where}? Only 'yes' is accepted: `;
}

/**
 * Asks on the terminal before a plan changes anything; true only for the answer `yes` (a
 * closed input, Ctrl-D, counts as no). The question goes to stderr so a redirected stdout
 * keeps only the plan.
 */
export async function confirmApply(io: CliIO, plan: Plan): Promise<boolean> {
  const input = io.stdin;
  if (!input) return false;
  // The terminal echoes what is typed; readline only splits lines (no output stream needed).
  const rl = createInterface({ input, terminal: false });
  try {
    const answer = await new Promise<string | undefined>((resolve) => {
      rl.once('line', (line) => resolve(line));
      rl.once('close', () => resolve(undefined));
      io.stderr.write(`\n${confirmQuestion(plan)}`);
    });
    return answer?.trim() === 'yes';
  } finally {
    rl.close();
  }
}
