import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { docPages, readPage } from '../../helpers/doc-pages.js';
import type { YamlMap } from './workflow-lint.js';
import { stepsOf } from './workflow-lint.js';

/**
 * Every piece of GitHub Actions YAML the project ships or tells people to copy: the workflows,
 * the composite action, and the workflow examples of the documentation (each ```yaml block with
 * `jobs:` in README.md or a docs/ page; docs/ci.md holds them today).
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** One workflow or action file, or one documentation example. */
export interface WorkflowSource {
  /** Where it is: a repository path, or `<page>: <file name the page gives it>` (`docs/ci.md: .github/workflows/dbss-plan.yml`). */
  readonly name: string;
  /** workflow or composite action (they have different schemas). */
  readonly kind: 'workflow' | 'action';
  /** The YAML text. */
  readonly text: string;
}

/** One `run:` script with where it is. */
export interface RunScript {
  /** `<source>: <step location>`. */
  readonly where: string;
  /** The script. */
  readonly run: string;
}

export const WORKFLOW_FILES = ['.github/workflows/ci.yml', '.github/workflows/plan.yml', '.github/workflows/reconcile.yml'] as const;

/** The workflow examples of one documentation page, by the file name given in the line before each block. */
export function pageWorkflows(page: string, text: string): WorkflowSource[] {
  const blocks = [...text.matchAll(/(?:`([^`\n]+\.ya?ml)`:?\s*\n\n)?```yaml\n([\s\S]*?)```/g)];
  return blocks
    .filter((m) => /^jobs:/m.test(m[2]!))
    .map((m, i) => ({ name: `${page}: ${m[1] ?? `workflow example ${i + 1}`}`, kind: 'workflow' as const, text: m[2]! }));
}

/** The workflow examples of every documentation page (README.md, then docs/). */
export function docWorkflows(): WorkflowSource[] {
  return docPages().flatMap((page) => pageWorkflows(page, readPage(page)));
}

/** The shipped workflows, action.yml and the documentation's examples. */
export async function allWorkflowSources(): Promise<WorkflowSource[]> {
  const files = await Promise.all(
    WORKFLOW_FILES.map(async (name) => ({ name, kind: 'workflow' as const, text: await readFile(root + name, 'utf8') })),
  );
  const action = { name: 'action.yml', kind: 'action' as const, text: await readFile(`${root}action.yml`, 'utf8') };
  return [...files, action, ...docWorkflows()];
}

/** Parses one source strictly. */
export function parseSource(source: WorkflowSource): YamlMap {
  const doc = parseDocument(source.text, { uniqueKeys: true });
  if (doc.errors.length > 0) throw new Error(`${source.name}: ${doc.errors.map((e) => e.message).join('; ')}`);
  return doc.toJS() as YamlMap;
}

/** The `run:` scripts of a source. */
export function runScripts(source: WorkflowSource): RunScript[] {
  return stepsOf(parseSource(source))
    .filter(({ step }) => typeof step['run'] === 'string')
    .map(({ where, step }) => ({ where: `${source.name}: ${where}`, run: step['run'] as string }));
}

/**
 * `uses:` lines that are not pinned to a full commit SHA with a `# vX.Y.Z` comment naming the
 * version (what Dependabot keeps up to date). Local actions (`./`) need no pin; `<owner>/dbss-policy@<ref>`
 * in the documentation's examples is a placeholder the reader fills in.
 */
export function pinProblems(source: WorkflowSource): string[] {
  const problems: string[] = [];
  source.text.split('\n').forEach((line, i) => {
    const m = /^\s*(?:-\s+)?uses:\s*(\S+)\s*(#.*)?$/.exec(line);
    if (!m) return;
    const [, uses, comment] = m as unknown as [string, string, string | undefined];
    if (uses.startsWith('./') || uses === '<owner>/dbss-policy@<ref>') return;
    if (!/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(uses)) problems.push(`${source.name}:${i + 1}: ${uses} is not pinned to a commit SHA`);
    else if (!/^# v\d+\.\d+\.\d+$/.test(comment?.trim() ?? '')) problems.push(`${source.name}:${i + 1}: ${uses} has no "# vX.Y.Z" comment naming its version`);
  });
  return problems;
}
