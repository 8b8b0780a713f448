import { DbssPolicyError } from '../errors.js';
import { preparePlan } from '../run/reconcile.js';
import { savedPlanMismatch, savedPlanTargets } from '../apply/saved-plan-check.js';
import { runApplyFlow } from './apply-flow.js';
import { EXIT } from './io.js';
import type { CliIO, Command } from './io.js';
import { emitPlan, printDiagnostics, reportPolicyErrors, useColor } from './output.js';
import { reconcileJson } from './apply-record.js';
import type { ApplyRecord } from './apply-record.js';
import type { Plan } from '../plan/types.js';
import { renderText } from '../render/text.js';
import { APPLY_OPTIONS, APPLY_USAGE, COMMON_OPTIONS, COMMON_USAGE, parseFlags } from './run-options.js';
import { isInteractive } from './confirm.js';
import { openSession, runInputs } from './session.js';
import { readPlanFile } from './plan-file.js';
import { TARGET_OPTIONS, TARGET_USAGE } from './scope-flags.js';
import { parseRuleTarget } from '../plan/rule-target.js';

const OPTIONS = { ...COMMON_OPTIONS, ...APPLY_OPTIONS, ...TARGET_OPTIONS, report: { type: 'string' }, format: { type: 'string', default: 'text' } } as const;

/** `dbss-policy apply [PLANFILE]`: apply a reviewed plan, or plan and apply. */
export const applyCommand: Command = {
  name: 'apply',
  summary: 'apply a saved plan (refused when stale), or plan and apply',
  usage: `Usage: dbss-policy apply [PLANFILE] [--policies DIR] [--yes] [--force] [--report FILE] [--format text|json] [options]

With PLANFILE (from 'plan --out'): plans again from the policies and a fresh read of the targets
the plan lists, and applies only when that gives exactly the saved changes and refusals;
otherwise (a stale or edited plan) refuses, naming the first difference, and writes nothing.
Without PLANFILE: computes the plan and applies it.
  --report FILE         write a JSON record of the apply
  --format F            text (default), or json: one document on stdout, {"plan": <as plan
                        --format json>, "result": <the --report record, null when nothing was
                        applied>}; everything else goes to stderr
${TARGET_USAGE}
${APPLY_USAGE}

${COMMON_USAGE}`,
  options: OPTIONS,
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseFlags(argv, OPTIONS, 'apply', true);
    if (positionals.length > 1) throw new DbssPolicyError('USAGE', `expected at most one plan file, got ${positionals.length}`);
    const planFile = positionals[0];
    const saved = planFile ? await readPlanFile(io.cwd, planFile) : undefined;
    const scoped = saved?.coverage?.changedSince;
    if (scoped) {
      // A preview left the unchanged targets (and rules) unread: it is not a plan of the estate.
      throw new DbssPolicyError('USAGE', `${planFile} is a preview scoped with --changed-since ${scoped.ref}; nothing was read or changed. Apply a plan made without --changed-since.`);
    }
    if (saved && (values['target'] as string[]).length > 0) {
      throw new DbssPolicyError('USAGE', `--target cannot be combined with a plan file: ${planFile} applies the targets it was planned with`);
    }
    const format = values['format'];
    if (format !== 'text' && format !== 'json') throw new DbssPolicyError('USAGE', `--format must be text or json for apply, got "${String(format)}"`);
    const json = format === 'json';
    const ask = values['yes'] !== true && values['auto-approve'] !== true && isInteractive(io);
    const session = await openSession(values, io);
    // With --format json, stdout gets one document at the end: the plan and the apply's record.
    let shown: Plan | undefined;
    let record: ApplyRecord | undefined;
    try {
      const all = runInputs(values, io, session);
      // A saved plan is re-planned from a fresh read of the targets it lists, nothing more,
      // with the --target patterns it was planned with, so the same rules are compared.
      const inputs = saved
        ? { ...all, targets: savedPlanTargets(saved), planOptions: { ...all.planOptions, ruleTargets: (saved.ruleTargets ?? []).map(parseRuleTarget) } }
        : all;
      const prepared = await preparePlan(inputs);
      printDiagnostics(io, prepared.warnings, 'text');
      if (saved) {
        const mismatch = savedPlanMismatch(saved, prepared.plan);
        if (mismatch !== undefined) {
          throw new DbssPolicyError(
            'PLAN_STALE',
            `${planFile} is stale or was edited: ${mismatch}; nothing was changed. Run plan again and review it.`,
          );
        }
        // A person about to say yes sees what they say yes to (on stderr when stdout is JSON).
        if (ask) await showText(saved);
      } else if (!json || ask) {
        await showText(prepared.plan);
      }
      const report = values['report'] as string | undefined;
      // What runs is the fresh plan (equal to the saved one); the file's errors still set the exit code.
      const plan = saved ? { ...prepared.plan, errors: [...saved.errors, ...prepared.plan.errors] } : prepared.plan;
      shown = plan;
      return await runApplyFlow({ desired: prepared.desired, live: prepared.live, plan }, inputs, io, {
        failOnWeakening: values['fail-on-weakening'] === true,
        failOnGuardrail: values['fail-on-guardrail'] === true,
        force: values['force'] === true,
        ask,
        ...(report ? { report } : {}),
        ...(json ? { onRecord: (r: ApplyRecord) => (record = r) } : {}),
      });
    } catch (err) {
      if (reportPolicyErrors(io, err, 'text')) return EXIT.error;
      throw err;
    } finally {
      if (json && shown) io.stdout.write(reconcileJson(shown, record));
      await session.close();
    }

    async function showText(plan: Plan): Promise<void> {
      const color = useColor(io, values['no-color'] === true);
      if (json) io.stderr.write(renderText(plan, { color }));
      else await emitPlan(plan, io, { format: 'text', color });
    }
  },
};
