import type { CliIO } from '../cli/io.js';
import { EXIT } from '../cli/io.js';
import { DbssPolicyError, UsageError } from '../errors.js';
import { createGitHubApi } from './github-api.js';
import type { GitHubApi } from './github-api.js';
import { readApiAccess, readPullRequestRef } from './github-context.js';
import type { PullRequestRef } from './github-context.js';
import { isEntryPoint, parseScriptFlags, processIO, redact, runScript, secretsIn } from './script-entry.js';
import { annotation } from './workflow-commands.js';

/** What setPullRequestLabel did. */
export type LabelOutcome = 'added' | 'removed' | 'absent';

/** Puts the label on the pull request (`present`) or takes it off; idempotent both ways. */
export async function setPullRequestLabel(
  api: GitHubApi,
  pr: PullRequestRef,
  label: string,
  present: boolean,
): Promise<LabelOutcome> {
  const issue = `/repos/${encodeURIComponent(pr.owner)}/${encodeURIComponent(pr.repo)}/issues/${pr.number}/labels`;
  if (present) {
    // Adding a label that is already there changes nothing, so this POST may be retried.
    await api.request('POST', issue, { body: { labels: [label] }, idempotent: true });
    return 'added';
  }
  const removed = await api.request('DELETE', `${issue}/${encodeURIComponent(label)}`, { tolerate: [404] });
  return removed === null ? 'absent' : 'removed';
}

const USAGE = 'usage: pr-label --label NAME --present true|false';

/**
 * `node dist/src/gitops/pr-label.js --label "dbss-policy: destructive" --present true|false`.
 * An API refusal (label missing and not creatable, token without pull-requests: write) is a
 * warning, not a failure: the sticky comment's heading already says the same thing.
 */
export function runPullRequestLabel(argv: readonly string[], io: CliIO): Promise<number> {
  return runScript('dbss-policy label', io, async () => {
    const { values } = parseScriptFlags(argv, ['label', 'present'], USAGE);
    const label = values.label?.trim();
    if (!label) throw new UsageError(USAGE);
    if (values.present !== 'true' && values.present !== 'false') {
      throw new UsageError(`--present must be true or false, got "${values.present ?? ''}"; ${USAGE}`);
    }
    const present = values.present === 'true';
    const api = createGitHubApi(readApiAccess(io.env));
    const pr = await readPullRequestRef(io.env);
    try {
      const outcome = await setPullRequestLabel(api, pr, label, present);
      io.stdout.write(`label "${label}" ${outcome} on pull request #${pr.number}\n`);
    } catch (err) {
      if (!(err instanceof DbssPolicyError) || err.code !== 'API') throw err;
      const what = present ? `add the label "${label}" to` : `remove the label "${label}" from`;
      const hint = 'create the label once in the repository and give the job pull-requests: write';
      const message = redact(`could not ${what} pull request #${pr.number} (${hint}): ${err.message}`, secretsIn(io.env));
      io.stderr.write(annotation('warning', message, { title: 'dbss-policy label' }));
    }
    return EXIT.ok;
  });
}

if (isEntryPoint(import.meta.url)) process.exitCode = await runPullRequestLabel(process.argv.slice(2), processIO());
