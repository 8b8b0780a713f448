import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';
import type { Diagnostic } from '../../src/policy/diagnostics.js';
import { formatDiagnosticLine, sortDiagnostics } from '../../src/policy/diagnostics.js';
import { parsePolicyText } from '../../src/policy/parse-documents.js';
import type { ValidatedPolicies } from '../../src/policy/validate-policies.js';
import { validatePolicies } from '../../src/policy/validate-policies.js';

/**
 * Temporary policy trees written by a test and removed after it. `files` maps a relative path
 * to its content (string or bytes).
 */
export function useTempTrees(): (files: Record<string, string | Uint8Array>) => Promise<string> {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async (files) => {
    const root = await mkdtemp(join(tmpdir(), 'dbss-policy-test-'));
    made.push(root);
    for (const [rel, content] of Object.entries(files)) {
      await mkdir(dirname(join(root, rel)), { recursive: true });
      await writeFile(join(root, rel), content);
    }
    return root;
  };
}

/** Project ids and a document header for building policy texts. */
export const P1 = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
export const P2 = '7a6b5c4d3e2f10213243546576879809';

/** `version`, `region` and `project_id` lines of a valid document. */
export function header(project = P1, region = 'cn-north-4'): string {
  return `version: 1\nregion: ${region}\nproject_id: ${project}\n`;
}

/** Parses and validates in-memory files (no disk): the pure part of loadPolicies. */
export function validateTexts(files: Record<string, string>): ValidatedPolicies {
  const parsed = Object.entries(files).map(([file, text]) => parsePolicyText(text, file));
  const checked = validatePolicies(parsed.flatMap((p) => p.documents));
  const diagnostics = sortDiagnostics([...parsed.flatMap((p) => p.diagnostics), ...checked.diagnostics]);
  return { desired: checked.desired, diagnostics };
}

/** Diagnostics in their printed form, for compact assertions. */
export function lines(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map(formatDiagnosticLine);
}
