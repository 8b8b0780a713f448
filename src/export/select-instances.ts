import type { AuditInstance } from '../api/types.js';
import { UsageError } from '../errors.js';

/** The longest instance name a policy can declare (schema `nonBlank`). */
const MAX_NAME_LENGTH = 255;
/** What the schema accepts as a name: no leading or trailing whitespace, not empty. */
const NON_BLANK = /^\S(.*\S)?$/u;

/**
 * The instances of a project that `--instance` names (by id or name; every instance when none
 * is given), in the order given, each once. Instance names are only unique, if at all, within a
 * project: a name shared by several instances is refused with their ids. Every argument that
 * matches nothing or is ambiguous is reported in one UsageError.
 */
export function selectInstances(listed: readonly AuditInstance[], wanted: readonly string[], where: string): AuditInstance[] {
  if (wanted.length === 0) return [...listed];
  const problems: string[] = [];
  const selected = new Map<string, AuditInstance>();
  for (const w of wanted) {
    const byId = listed.find((i) => i.id === w);
    const byName = listed.filter((i) => i.name === w);
    if (byId) selected.set(byId.id, byId);
    else if (byName.length === 1) selected.set(byName[0]!.id, byName[0]!);
    else if (byName.length === 0) problems.push(`--instance ${w}: no instance with that name or id in ${where}`);
    else {
      const ids = byName.map((i) => i.id).join(', ');
      problems.push(`--instance ${w}: ${byName.length} instances have that name in ${where} (ids ${ids}); give the id instead`);
    }
  }
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return [...selected.values()];
}

/**
 * How a policy should refer to an instance: by name when exactly one instance of the project
 * has it and the policy format accepts it, else by id (a shared name would make the policy
 * ambiguous, which plan refuses).
 */
export function instanceRef(instance: AuditInstance, listed: readonly AuditInstance[]): 'name' | 'id' {
  const usable = [...instance.name].length <= MAX_NAME_LENGTH && NON_BLANK.test(instance.name);
  const unique = listed.filter((i) => i.name === instance.name).length === 1;
  return usable && unique ? 'name' : 'id';
}
