import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendStepSummary, STEP_SUMMARY_LIMIT_BYTES } from '../../src/gitops/step-summary.js';
import { tempDir } from './helpers/io.js';

describe('appendStepSummary', () => {
  it('does nothing outside GitHub Actions', async () => {
    expect(await appendStepSummary({}, '# plan')).toEqual({ status: 'not-configured' });
    expect(await appendStepSummary({ GITHUB_STEP_SUMMARY: '' }, '# plan')).toEqual({ status: 'not-configured' });
  });

  it('appends each markdown block separated by a blank line', async () => {
    const file = join(await tempDir(), 'summary.md');
    expect(await appendStepSummary({ GITHUB_STEP_SUMMARY: file }, '## Plan\n\n3 to create\n\n\n')).toEqual({ status: 'written' });
    expect(await appendStepSummary({ GITHUB_STEP_SUMMARY: file }, '## Result\nok')).toEqual({ status: 'written' });
    expect(await readFile(file, 'utf8')).toBe('## Plan\n\n3 to create\n\n\n## Result\nok\n\n');
  });

  it('cuts a block that would pass the 1 MiB limit, on a whole character, with a notice', async () => {
    const file = join(await tempDir(), 'summary.md');
    await writeFile(file, 'x'.repeat(STEP_SUMMARY_LIMIT_BYTES - 3000));
    const euros = Array.from({ length: 400 }, () => '€'.repeat(9)).join('\n'); // 3 bytes each
    const r = await appendStepSummary({ GITHUB_STEP_SUMMARY: file }, euros);
    expect(r.status).toBe('truncated');
    expect(r.message).toContain(file);
    const size = (await stat(file)).size;
    expect(size).toBeLessThanOrEqual(STEP_SUMMARY_LIMIT_BYTES);
    expect(size).toBeGreaterThan(STEP_SUMMARY_LIMIT_BYTES - 400);
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('\uFFFD');
    expect(text).toMatch(/\n€{9}\n\n> \*\*Truncated\*\*: the job summary reached GitHub's 1 MiB limit/);
  });

  it('writes nothing into a full summary and says so', async () => {
    const file = join(await tempDir(), 'summary.md');
    await writeFile(file, 'x'.repeat(STEP_SUMMARY_LIMIT_BYTES));
    expect(await appendStepSummary({ GITHUB_STEP_SUMMARY: file }, 'more')).toEqual({
      status: 'failed',
      message: `job summary ${file} is already at GitHub's 1 MiB limit; nothing appended`,
    });
    expect((await stat(file)).size).toBe(STEP_SUMMARY_LIMIT_BYTES);
  });

  it('reports an unwritable summary instead of throwing', async () => {
    const dir = join(await tempDir(), 'a-directory');
    await mkdir(dir);
    const r = await appendStepSummary({ GITHUB_STEP_SUMMARY: dir }, 'plan');
    expect(r.status).toBe('failed');
    expect(r.message).toMatch(new RegExp(`^cannot append to the job summary ${dir}: EISDIR`));
  });
});
