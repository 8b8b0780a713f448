import { appendFile, stat } from 'node:fs/promises';
import type { CliIO } from '../cli/io.js';

/** GitHub refuses a step summary over 1 MiB (and then shows none of it). */
export const STEP_SUMMARY_LIMIT_BYTES = 1024 * 1024;

/** What appendStepSummary did; it never throws, so a summary problem cannot fail a reconcile. */
export interface StepSummaryOutcome {
  /**
   * not-configured: GITHUB_STEP_SUMMARY unset (not in Actions); written: all of it;
   * truncated: cut to stay under the 1 MiB limit, with a notice; failed: nothing written.
   */
  readonly status: 'not-configured' | 'written' | 'truncated' | 'failed';
  /** For truncated and failed: one line for stderr, naming the file. */
  readonly message?: string;
}

const NOTICE = '\n\n> **Truncated**: the job summary reached GitHub\'s 1 MiB limit; see the log or the uploaded artifacts for the rest.\n';

/** The longest prefix of `text` that fits in `bytes` UTF-8 bytes, cut at a line end when one is near. */
function fitUtf8(text: string, bytes: number): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= bytes) return text;
  let end = bytes;
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--; // never split a multi-byte character
  const cut = buf.subarray(0, end).toString('utf8');
  const lastLine = cut.lastIndexOf('\n');
  return lastLine > cut.length / 2 ? cut.slice(0, lastLine) : cut;
}

/**
 * Appends markdown to the job summary named by GITHUB_STEP_SUMMARY, as its own block (blank
 * line before and after), keeping the step's file under GitHub's 1 MiB limit.
 */
export async function appendStepSummary(env: CliIO['env'], markdown: string): Promise<StepSummaryOutcome> {
  const file = env['GITHUB_STEP_SUMMARY'];
  if (!file) return { status: 'not-configured' };
  try {
    const existing = await stat(file).then((s) => s.size, (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return 0;
      throw err;
    });
    const block = `${existing > 0 ? '\n' : ''}${markdown.trim()}\n\n`;
    const room = STEP_SUMMARY_LIMIT_BYTES - existing;
    if (Buffer.byteLength(block) <= room) {
      await appendFile(file, block);
      return { status: 'written' };
    }
    const noticeBytes = Buffer.byteLength(NOTICE);
    if (room <= noticeBytes) {
      return { status: 'failed', message: `job summary ${file} is already at GitHub's 1 MiB limit; nothing appended` };
    }
    await appendFile(file, fitUtf8(block, room - noticeBytes) + NOTICE);
    return { status: 'truncated', message: `job summary ${file} truncated to stay under GitHub's 1 MiB limit` };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { status: 'failed', message: `cannot append to the job summary ${file}: ${reason}` };
  }
}
