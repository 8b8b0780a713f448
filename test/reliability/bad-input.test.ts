import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../src/policy/diagnostics.js';
import { loadPolicies } from '../../src/policy/load-policies.js';
import { runCli } from '../helpers/run-cli.js';
import { STACK_LINE } from './helpers/cli-process.js';
import { hostileTree } from './helpers/hostile-yaml.js';

/**
 * Bad input: random, malformed and hostile policy trees never make validation throw or print a
 * stack trace; every problem is reported with its file (and line, when it is about a value).
 */
const root = await mkdtemp(join(tmpdir(), 'dbss-bad-input-'));
afterAll(() => rm(root, { recursive: true, force: true }));

let trees = 0;
async function writeTree(files: readonly (readonly [string, string | Uint8Array])[]): Promise<string> {
  const dir = join(root, `t${++trees}`);
  for (const [path, content] of files) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

describe('validate on hostile policy trees', () => {
  it('loadPolicies never throws, and every diagnostic is located', async () => {
    await fc.assert(
      fc.asyncProperty(hostileTree, async (files) => {
        const dir = await writeTree(files);
        const result = await loadPolicies(dir, { cwd: dir });
        const policyFiles = files.map(([p]) => p).filter((p) => /^[^.].*\.ya?ml$/i.test(p.split('/').at(-1)!));
        expect([...result.files].sort()).toEqual([...policyFiles].sort());
        expect(result.valid).toBe(!result.diagnostics.some((d) => d.severity === 'error'));
        for (const d of result.diagnostics) {
          expect([...result.files, './']).toContain(d.file);
          expect(d.message.trim()).not.toBe('');
          expect(Number.isInteger(d.line) && d.line >= 0 && Number.isInteger(d.col) && d.col >= 0).toBe(true);
          if (d.path !== '') expect(d.line, `${d.file} ${d.path}: ${d.message}`).toBeGreaterThan(0);
        }
        expect(formatDiagnostics(result.diagnostics, 'text')).not.toMatch(STACK_LINE);
        await rm(dir, { recursive: true, force: true });
      }),
      { numRuns: 250, seed: 20240607 },
    );
  });

  it('the validate command exits 0 or 1 with located messages and no stack trace', async () => {
    const samples = fc.sample(hostileTree, { numRuns: 6, seed: 7 });
    const runs = await Promise.all(
      samples.map(async (files, i) => {
        const dir = await writeTree(files);
        const format = (['text', 'json', 'github'] as const)[i % 3]!;
        return { files, format, run: await runCli(['validate', '--policies', dir, '--format', format], { cwd: dir }) };
      }),
    );
    for (const { files, format, run } of runs) {
      const out = run.stdout + run.stderr;
      expect([0, 1], `${format}: ${out}`).toContain(run.code);
      expect(out).not.toMatch(STACK_LINE);
      expect(out).not.toContain('internal error');
      if (run.code === 1 && format === 'text') expect(run.stdout).toMatch(/^\S+:\d+:\d+:? /m);
      if (format === 'json') expect(JSON.parse(run.stdout)).toHaveProperty('valid', run.code === 0);
      expect(files.length).toBeGreaterThan(0);
    }
  });
});
