import type { Diagnostic } from '../policy/diagnostics.js';
import { parsePolicyText } from '../policy/parse-documents.js';
import { validatePolicies } from '../policy/validate-policies.js';

/**
 * Reads an exported document back through the policy loader and validator, so a live value the
 * policy format cannot hold (a name over 255 characters, an IP entry DBSS accepted but the
 * format does not) is reported with its line before anyone plans with the file.
 */
export function checkExportedPolicy(text: string, file: string): Diagnostic[] {
  const parsed = parsePolicyText(text, file);
  return [...parsed.diagnostics, ...validatePolicies(parsed.documents).diagnostics];
}
