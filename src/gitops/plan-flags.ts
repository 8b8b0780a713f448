import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliIO } from '../cli/io.js';
import { EXIT } from '../cli/io.js';
import { ConfigError, UsageError } from '../errors.js';
import type { Change } from '../plan/types.js';
import { CHANGE_KIND_ORDER } from '../plan/types.js';
import { isEntryPoint, parseScriptFlags, processIO, runScript } from './script-entry.js';

/** What a saved plan means for review, read from its JSON (for workflow outputs and comments). */
export interface PlanFlags {
  /** The plan deletes a rule or weakens auditing in any way: reviewers must look closely. */
  readonly destructive: boolean;
  /** Number of changes. */
  readonly changes: number;
  /** Number of rule deletions. */
  readonly deletes: number;
  /** Number of changes that weaken auditing (deletions and turning things off included). */
  readonly weakening: number;
  /** Targets that could not be read or planned. */
  readonly errors: number;
  /** Safety refusals (too many deletes/updates). */
  readonly refusals: number;
  /** Changes per kind, in apply order, kinds with none left out. */
  readonly byKind: Readonly<Partial<Record<Change['kind'], number>>>;
  /** One line for an annotation or a heading, e.g. `3 changes (1 create, 2 delete); 2 weaken auditing`. */
  readonly summary: string;
}

/**
 * A change weakens auditing when the planner says so, and — independently of that display-only
 * flag, so a renderer bug cannot hide it — whenever it deletes a rule, switches rules OFF or
 * turns a summary task off.
 */
export function weakensAuditing(change: Change): boolean {
  if (change.review?.weakening === true) return true;
  switch (change.kind) {
    case 'delete':
      return true;
    case 'switch':
      return change.status === 'OFF';
    case 'set-task':
      return change.after === false;
    case 'object':
      return change.op === 'delete' || (change.op === 'switch' && change.subject === 'OFF');
    default:
      return false;
  }
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function checkedChanges(plan: unknown, source: string): readonly Change[] {
  const p = plan as { formatVersion?: unknown; changes?: unknown };
  if (typeof plan !== 'object' || plan === null) throw new ConfigError(`${source}: not a dbss-policy plan (expected a JSON object)`);
  if (p.formatVersion !== 1) throw new ConfigError(`${source}: unsupported plan formatVersion ${JSON.stringify(p.formatVersion)} (expected 1)`);
  if (!Array.isArray(p.changes)) throw new ConfigError(`${source}: "changes" is not an array`);
  p.changes.forEach((c: unknown, i) => {
    const kind = (c as { kind?: unknown } | null)?.kind;
    if (!CHANGE_KIND_ORDER.includes(kind as Change['kind'])) {
      throw new ConfigError(`${source}: changes[${i}].kind ${JSON.stringify(kind)} is not a known change kind`);
    }
  });
  return p.changes as Change[];
}

/** The review flags of a parsed plan; `source` names it in errors. */
export function planFlags(plan: unknown, source = 'plan'): PlanFlags {
  const changes = checkedChanges(plan, source);
  const count = (key: 'errors' | 'refusals'): number => {
    const list = (plan as Record<string, unknown>)[key];
    return Array.isArray(list) ? list.length : 0;
  };
  const byKind: Partial<Record<Change['kind'], number>> = {};
  for (const kind of CHANGE_KIND_ORDER) {
    const n = changes.filter((c) => c.kind === kind).length;
    if (n > 0) byKind[kind] = n;
  }
  const deletes = byKind.delete ?? 0;
  const weakening = changes.filter(weakensAuditing).length;
  const errors = count('errors');
  const refusals = count('refusals');
  const kinds = Object.entries(byKind).map(([kind, n]) => `${n} ${kind}`);
  const summary = [
    changes.length === 0 ? 'no changes' : `${plural(changes.length, 'change')} (${kinds.join(', ')})`,
    ...(weakening > 0 ? [`${weakening} ${weakening === 1 ? 'weakens' : 'weaken'} auditing`] : []),
    ...(errors > 0 ? [`${plural(errors, 'target')} could not be planned`] : []),
    ...(refusals > 0 ? [`${plural(refusals, 'safety refusal')}`] : []),
  ].join('; ');
  return { destructive: weakening > 0, changes: changes.length, deletes, weakening, errors, refusals, byKind, summary };
}

/** Reads and checks a plan file written by `dbss-policy plan --out FILE`. */
export async function readPlanFlags(file: string): Promise<PlanFlags> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read the plan ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  let plan: unknown;
  try {
    plan = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${file}: not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  return planFlags(plan, file);
}

/** `name=value` lines for $GITHUB_OUTPUT. */
export function githubOutputLines(flags: PlanFlags): string {
  const pairs: [string, string | number | boolean][] = [
    ['destructive', flags.destructive],
    ['changes', flags.changes],
    ['deletes', flags.deletes],
    ['weakening', flags.weakening],
    ['errors', flags.errors],
    ['refusals', flags.refusals],
    ['summary', flags.summary],
  ];
  return pairs.map(([k, v]) => `${k}=${String(v).replace(/[\r\n]+/g, ' ')}\n`).join('');
}

const USAGE = 'usage: plan-flags PLAN.json   (prints destructive=…, changes=…, summary=… for $GITHUB_OUTPUT)';

/** `node dist/src/gitops/plan-flags.js plan.json >> "$GITHUB_OUTPUT"` */
export function runPlanFlags(argv: readonly string[], io: CliIO): Promise<number> {
  return runScript('dbss-policy plan flags', io, async () => {
    const { positionals } = parseScriptFlags(argv, [], USAGE, true);
    if (positionals.length !== 1) throw new UsageError(USAGE);
    io.stdout.write(githubOutputLines(await readPlanFlags(resolve(io.cwd, positionals[0]!))));
    return EXIT.ok;
  });
}

if (isEntryPoint(import.meta.url)) process.exitCode = await runPlanFlags(process.argv.slice(2), processIO());
