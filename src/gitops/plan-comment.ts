import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliIO } from '../cli/io.js';
import { EXIT } from '../cli/io.js';
import { ConfigError, UsageError } from '../errors.js';
import { readPullRequestEvent, runUrl } from './github-context.js';
import { escapeText, neutraliseCommands } from '../render/escape.js';
import { readPlanFlags } from './plan-flags.js';
import type { PlanFlags } from './plan-flags.js';
import { isEntryPoint, parseScriptFlags, processIO, redact, runScript, secretsIn } from './script-entry.js';

/** Everything the pull-request plan comment is made of. */
export interface PlanCommentInput {
  /** The plan as `dbss-policy plan --format markdown` printed it (may be empty after a failure). */
  readonly markdown: string;
  /** Exit code of `dbss-policy plan --detailed-exitcode`: 0 no changes, 2 changes, else failed. */
  readonly exitCode: number;
  /** Review flags of the saved JSON plan; absent when no plan was computed. */
  readonly flags?: PlanFlags;
  /** What the plan step printed on stderr (shown only when it failed). */
  readonly errors?: string;
  /** Link to the workflow run. */
  readonly runUrl?: string;
  /** Link to the uploaded JSON plan artifact. */
  readonly artifactUrl?: string;
  /** Head commit of the pull request the plan is for. */
  readonly headSha?: string;
}

/** Lines of failure output kept in the comment (the end is where the cause is). */
const ERROR_TAIL_LINES = 60;

const planSucceeded = (exitCode: number): boolean => exitCode === 0 || exitCode === 2;

/** A fenced block that no backtick run inside `text` can close early. */
function fenced(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}text\n${text}\n${fence}`;
}

function failureSection(input: PlanCommentInput): string {
  // Strip colours, keep the tail: the error that stopped the plan is printed last.
  const lines = (input.errors ?? '').split(/\r?\n/).map(escapeText);
  const tail = lines.slice(-ERROR_TAIL_LINES).join('\n').trim();
  return [
    `## ❌ dbss-policy plan failed (exit code ${input.exitCode})`,
    '',
    'No plan could be computed for this commit. Fix the problem below and push again; this comment is updated on every push.',
    ...(tail ? ['', fenced(tail)] : []),
  ].join('\n');
}

function destructiveHeading(flags: PlanFlags): string {
  return [
    '## ⚠️ This plan deletes or weakens audit rules',
    '',
    `**${flags.summary}.** Review every change marked as weakening before merging.`,
  ].join('\n');
}

function footer(input: PlanCommentInput): string {
  const parts = [
    `dbss-policy plan${input.headSha ? ` for ${input.headSha.slice(0, 7)}` : ''}`,
    ...(input.runUrl ? [`[workflow run](${input.runUrl})`] : []),
    ...(input.artifactUrl ? [`[JSON plan](${input.artifactUrl})`] : []),
  ];
  return `<sub>${parts.join(' · ')}</sub>`;
}

/** The markdown of the sticky plan comment (without the marker, which sticky-comment adds). */
export function composePlanComment(input: PlanCommentInput): string {
  const sections: string[] = [];
  if (!planSucceeded(input.exitCode)) sections.push(failureSection(input));
  else if (input.flags?.destructive) sections.push(destructiveHeading(input.flags));
  if (input.markdown.trim()) sections.push(input.markdown.trim());
  sections.push('---', footer(input));
  // Printed to stdout, which the Actions runner may read: no line of it may start a command.
  return neutraliseCommands(`${sections.join('\n\n')}\n`);
}

async function readOptional(file: string | undefined): Promise<string | undefined> {
  if (!file) return undefined;
  return readFile(file, 'utf8').catch(() => undefined);
}

const USAGE =
  'usage: plan-comment --exit-code N --markdown plan.md [--plan plan.json] [--errors plan.err] [--artifact-url URL]';

/** `node dist/src/gitops/plan-comment.js --exit-code "$code" --markdown plan.md --plan plan.json … > comment.md` */
export function runPlanComment(argv: readonly string[], io: CliIO): Promise<number> {
  return runScript('dbss-policy plan comment', io, async () => {
    const { values } = parseScriptFlags(argv, ['exit-code', 'markdown', 'plan', 'errors', 'artifact-url'], USAGE);
    const exitCode = Number(values['exit-code']);
    if (values['exit-code'] === undefined || !Number.isInteger(exitCode)) throw new UsageError(`--exit-code must be a number; ${USAGE}`);
    if (!values.markdown) throw new UsageError(USAGE);
    const at = (file: string | undefined): string | undefined => (file ? resolve(io.cwd, file) : undefined);
    const markdown = await readOptional(at(values.markdown));
    if (planSucceeded(exitCode) && markdown === undefined) throw new ConfigError(`cannot read --markdown ${values.markdown}`);
    if (planSucceeded(exitCode) && !values.plan) throw new UsageError(`--plan is required when the plan succeeded; ${USAGE}`);
    const flags = planSucceeded(exitCode) ? await readPlanFlags(at(values.plan)!) : undefined;
    const errors = await readOptional(at(values.errors));
    const headSha = io.env['GITHUB_EVENT_PATH'] ? (await readPullRequestEvent(io.env).catch(() => undefined))?.headSha : undefined;
    const link = runUrl(io.env);
    const comment = composePlanComment({
      markdown: markdown ?? '',
      exitCode,
      ...(flags ? { flags } : {}),
      ...(errors ? { errors } : {}),
      ...(link ? { runUrl: link } : {}),
      ...(values['artifact-url'] ? { artifactUrl: values['artifact-url'] } : {}),
      ...(headSha ? { headSha } : {}),
    });
    io.stdout.write(redact(comment, secretsIn(io.env)));
    return EXIT.ok;
  });
}

if (isEntryPoint(import.meta.url)) process.exitCode = await runPlanComment(process.argv.slice(2), processIO());
