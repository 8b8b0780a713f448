import { readFile, rename, writeFile, unlink } from 'node:fs/promises';
import { ConfigError } from '../errors.js';
import { INSTANCE_STATUSES } from './types.js';
import type { EmulatorState } from './types.js';

/**
 * The emulator's state file: the EmulatorState as JSON. Saves are atomic (write a temporary
 * file beside it, then rename), so a crash never leaves a half-written file.
 */

/** Reads a state file; undefined when it does not exist. A malformed file is a ConfigError. */
export async function loadStateFile(file: string): Promise<EmulatorState | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`cannot read emulator state ${file}: ${(err as Error).message}`, { cause: err });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`emulator state ${file} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  const problem = stateProblem(data);
  if (problem) throw new ConfigError(`emulator state ${file}: ${problem}`);
  return data as EmulatorState;
}

let tempCounter = 0;

/** Writes the state atomically (temporary file + rename). */
export async function saveStateFile(file: string, state: EmulatorState): Promise<void> {
  const temp = `${file}.${process.pid}.${++tempCounter}.tmp`;
  try {
    await writeFile(temp, `${JSON.stringify(state, null, 1)}\n`, 'utf8');
    await rename(temp, file);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first structural problem of a parsed state file, naming where it is; undefined when sound. */
function stateProblem(data: unknown): string | undefined {
  if (!isObject(data)) return 'top level must be an object';
  if (data.version !== 1) return `unsupported version ${JSON.stringify(data.version)} (expected 1)`;
  if (typeof data.idRngState !== 'number') return 'idRngState must be a number';
  if (!isObject(data.projects)) return 'projects must be an object';
  for (const [pid, project] of Object.entries(data.projects)) {
    const at = `projects.${pid}`;
    if (!isObject(project)) return `${at} must be an object`;
    if (typeof project.region !== 'string') return `${at}.region must be a string`;
    if (!isObject(project.summaryTasks) || !isObject(project.summaryTasks.risk) || !isObject(project.summaryTasks.audit)) {
      return `${at}.summaryTasks must have risk and audit tasks`;
    }
    if (!Array.isArray(project.instances)) return `${at}.instances must be an array`;
    for (const [i, inst] of project.instances.entries()) {
      const iat = `${at}.instances[${i}]`;
      if (!isObject(inst) || typeof inst.id !== 'string' || typeof inst.name !== 'string') return `${iat} needs id and name`;
      if (!INSTANCE_STATUSES.includes(inst.status as never)) return `${iat}.status ${JSON.stringify(inst.status)} is not an instance status`;
      if (!Array.isArray(inst.rules)) return `${iat}.rules must be an array`;
      for (const [r, rule] of inst.rules.entries()) {
        if (!isObject(rule) || typeof rule.id !== 'string' || typeof rule.name !== 'string') return `${iat}.rules[${r}] needs id and name`;
        if (rule.ruleType !== 'SYSTEM' && rule.ruleType !== 'CUSTOMIZE') return `${iat}.rules[${r}].ruleType must be SYSTEM or CUSTOMIZE`;
      }
    }
  }
  return undefined;
}
