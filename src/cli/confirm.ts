import { createInterface } from 'node:readline';
import type { Plan } from '../plan/types.js';
import type { CliIO } from './io.js';

/**
 * True when a person can be asked and no CI system says otherwise: standard input is a terminal
 * (whatever stdout is: `reconcile | tee log` still asks), or it is not but the question shows on
 * a terminal (stderr) and the controlling terminal opens (`... < file`). Only then does apply
 * ask; a scheduled job (no terminal at all) applies as it always has.
 */
export function isInteractive(io: CliIO): boolean {
  const ci = io.env['CI'];
  const inCi = ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
  if (inCi) return false;
  return io.stdin?.isTTY === true || (io.stderr.isTTY === true && io.terminal !== undefined);
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
 * keeps only the plan; the answer is read from stdin when it is a terminal, else from the
 * controlling terminal.
 */
export async function confirmApply(io: CliIO, plan: Plan): Promise<boolean> {
  const own = io.stdin?.isTTY === true ? undefined : io.terminal?.();
  const input = own ?? io.stdin;
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
    own?.close();
  }
}
