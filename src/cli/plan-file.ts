import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DbssPolicyError } from '../errors.js';
import { parsePlan } from '../plan/plan-json.js';
import type { Plan } from '../plan/types.js';

/**
 * A saved plan file (`plan --out`) read for `apply` and `show`: a file that cannot be read, is
 * not JSON, is of another format version or does not match schemas/plan.schema.json is refused
 * with the same message by both.
 */
export async function readPlanFile(cwd: string, file: string): Promise<Plan> {
  const path = resolve(cwd, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new DbssPolicyError('USAGE', `cannot read plan file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return parsePlan(text, file);
}
