import type { Diagnostic } from './diagnostics.js';
import { hasErrors, sortDiagnostics } from './diagnostics.js';
import { readPolicyTree } from './read-policy-tree.js';
import type { DesiredState } from './types.js';
import type { ExceptionCheckOptions } from '../governance/exception-rules.js';
import { validatePolicies } from './validate-policies.js';

/** A loaded and validated policy tree. */
export interface PolicyResult {
  /** The desired state; complete only when `valid` (otherwise built from the valid documents). */
  readonly desired: DesiredState;
  /** Every problem of every file, sorted by file, line and column. */
  readonly diagnostics: readonly Diagnostic[];
  /** The policy files read, relative to the working directory when inside it, sorted. */
  readonly files: readonly string[];
  /** True when no diagnostic is an error (warnings allowed). */
  readonly valid: boolean;
}

/** Options of loadPolicies. */
export interface LoadOptions {
  /** Directory that `dir` and the file names in messages are relative to (default: process.cwd()). */
  readonly cwd?: string;
  /** The repository's exception policy and "now" for its checks (default: shape checks only). */
  readonly exceptions?: ExceptionCheckOptions;
}

/**
 * The policy stage: reads every `*.yaml`/`*.yml` under `dir` (recursively), parses, validates
 * and builds the desired state. User mistakes come back as diagnostics, never as exceptions.
 */
export async function loadPolicies(dir: string, opts: LoadOptions = {}): Promise<PolicyResult> {
  const tree = await readPolicyTree(dir, opts.cwd ?? process.cwd());
  const checked = validatePolicies(tree.documents, opts.exceptions);
  const diagnostics = sortDiagnostics([...tree.diagnostics, ...checked.diagnostics]);
  return { desired: checked.desired, diagnostics, files: tree.files, valid: !hasErrors(diagnostics) };
}
