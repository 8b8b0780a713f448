import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { CLI_MAIN } from '../helpers/run-cli.js';
import { startEmulatorEnv, writes } from './emulator-env.js';
import type { EmulatorEnv } from './emulator-env.js';

const REPO = join(import.meta.dirname, '../..');
const POLICIES = join(REPO, 'policies');
const QUESTION = "Apply these 22 changes to 4 targets (cn-east-3, cn-north-4)? Only 'yes' is accepted: ";

let e: EmulatorEnv;
beforeEach(async () => {
  e = await startEmulatorEnv();
});
afterEach(async () => {
  await e.close();
});

/** A recording output stream, a terminal or not. */
const output = (isTTY: boolean) => ({ isTTY, text: '', write(c: string) { this.text += c; return true; } });

/** A keyboard that types `typed` (a terminal when `tty`). */
const keyboard = (tty: boolean, typed?: string) => {
  const input = Object.assign(new PassThrough(), { isTTY: tty });
  if (typed !== undefined) input.end(typed);
  return input;
};

/**
 * Runs the CLI in process with a keyboard that types `typed` (stdin a terminal when `tty`;
 * stdout or stderr not one when `stdoutTty` / `stderrTty` say so; `terminal`: a controlling terminal).
 */
async function runWith(
  args: string[],
  opts: { typed?: string; tty?: boolean; stdoutTty?: boolean; stderrTty?: boolean; terminal?: CliIO['terminal']; env?: Record<string, string> } = {},
) {
  const stdin = keyboard(opts.tty ?? true, opts.terminal ? undefined : opts.typed);
  const stdout = output(opts.stdoutTty ?? opts.tty ?? true);
  const stderr = output(opts.stderrTty ?? opts.tty ?? true);
  const io: CliIO = { stdout, stderr, stdin, env: { ...e.env, ...opts.env }, cwd: REPO, ...(opts.terminal ? { terminal: opts.terminal } : {}) };
  const code = await run([...args, '--policies', POLICIES], io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('apply and reconcile on an interactive terminal', () => {
  it('show the plan, ask, and change nothing on "no"', async () => {
    for (const verb of ['apply', 'reconcile']) {
      const r = await runWith([verb], { typed: 'no\n' });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('+ create truncate-in-prod');
      expect(r.stderr).toContain(QUESTION);
      expect(r.stderr).toContain('Apply cancelled; nothing was changed.');
      expect(writes(e.emulator)).toBe(0);
    }
  });

  it('accept only "yes": "y", an empty line and a closed input are no', async () => {
    for (const typed of ['y\n', '\n', 'YES please\n', '']) {
      const r = await runWith(['apply'], { typed });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('Apply cancelled');
    }
    expect(writes(e.emulator)).toBe(0);
  });

  it('apply on "yes", then verify and converge', async () => {
    const r = await runWith(['reconcile'], { typed: 'yes\n' });
    expect(r.stderr).toContain(QUESTION);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Apply: 22 applied, 0 failed, 0 skipped, 0 not-attempted.');
    expect(r.stdout).toContain('Converged');
    // The re-read after the apply shows its own progress line on the terminal.
    expect(r.stderr).toMatch(/\r\u001b\[Kverifying: (\d+) of ~\1 requests, (\d+) of \2 targets read/);
  });

  it('do not ask with --yes or --auto-approve', async () => {
    const r = await runWith(['apply', '--yes']);
    expect(r.stderr).not.toContain('Only \'yes\'');
    expect(r.code).toBe(0);
    expect(writes(e.emulator)).toBeGreaterThan(0);
    const again = await runWith(['reconcile', '--auto-approve']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('Nothing to apply.');
  });

  it('ask when stdout is piped (`reconcile | tee log`): stdin alone decides', async () => {
    for (const verb of ['apply', 'reconcile']) {
      const r = await runWith([verb], { typed: 'no\n', stdoutTty: false, stderrTty: false });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('+ create truncate-in-prod');
      expect(r.stderr).toContain(QUESTION);
      expect(r.stderr).toContain('Apply cancelled; nothing was changed.');
    }
    expect(writes(e.emulator)).toBe(0);
  });

  it('ask on the controlling terminal when stdin is a file, and close it after the answer', async () => {
    const opened: { released: boolean }[] = [];
    const terminal = () => {
      const state = { released: false };
      opened.push(state);
      return Object.assign(keyboard(true, 'no\n'), { close() { state.released = true; } });
    };
    const r = await runWith(['reconcile'], { tty: false, stderrTty: true, terminal });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(QUESTION);
    expect(r.stderr).toContain('Apply cancelled; nothing was changed.');
    expect(writes(e.emulator)).toBe(0);
    expect(opened).toEqual([{ released: true }]);
    const yes = await runWith(['reconcile'], { tty: false, stderrTty: true, terminal: () => Object.assign(keyboard(true, 'yes\n'), { close() {} }) });
    expect(yes.code).toBe(0);
    expect(yes.stdout).toContain('Converged');
  });

  it('show a saved plan before asking about it', async () => {
    const planFile = join(e.dir, 'plan.json');
    expect((await runWith(['plan', '--out', planFile])).code).toBe(0);
    const r = await runWith(['apply', planFile], { typed: 'no\n' });
    expect(r.stdout).toContain('+ create truncate-in-prod');
    expect(r.stderr).toContain(QUESTION);
    expect(writes(e.emulator)).toBe(0);
  });
});

describe('apply without a terminal (the scheduled job)', () => {
  it('applies without asking when stdin is not a terminal', async () => {
    const r = await runWith(['apply'], { tty: false });
    expect(r.stderr).not.toContain('Only \'yes\'');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Converged');
  });

  it('ends with what was not applied when some targets were not planned', async () => {
    const r = await runWith(['reconcile', '--instance', 'prod-audit', '--instance', 'nope-audit'], { tty: false });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Converged');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('Not applied: --instance "nope-audit" matched no declared instance; nothing was planned for it.');
    const none = await runWith(['apply', '--instance', 'nope-audit'], { tty: false });
    expect(none.code).toBe(1);
    expect(none.stderr.trimEnd().split('\n').at(-1)).toBe('Nothing to apply. --instance "nope-audit" matched no declared instance; nothing was planned for it.');
  });

  it('applies without asking when no terminal shows the question, even if one could be opened', async () => {
    let opened = 0;
    const terminal = () => {
      opened++;
      return Object.assign(keyboard(true, 'no\n'), { close() {} });
    };
    const r = await runWith(['apply'], { tty: false, terminal });
    expect(r.stderr).not.toContain('Only \'yes\'');
    expect(r.code).toBe(0);
    expect(opened).toBe(0);
  });

  it('applies without asking under CI=true, even on a terminal', async () => {
    const r = await runWith(['reconcile'], { env: { CI: 'true' } });
    expect(r.stderr).not.toContain('Only \'yes\'');
    expect(r.code).toBe(0);
  });
});

/**
 * Runs `shell` (the CLI's command line, quoted, is `$CLI`) on a real pseudo-terminal from
 * util-linux script(1), types `no` once the question is on the screen, and returns what the
 * terminal showed and the exit code of the shell.
 */
async function onPseudoTerminal(verb: string, shell: (cli: string) => string) {
  const cli = [process.execPath, CLI_MAIN, verb, '--policies', POLICIES].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qec', shell(cli), '/dev/null'], {
    cwd: REPO,
    env: { ...process.env, ...e.env, CI: '', TERM: 'dumb' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let typed = false;
  // The terminal may close before `script` reads our typing: a late EPIPE is not a failure.
  child.stdin.on('error', () => {});
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    out += c;
    // Type the answer once, when the question is on the screen, as a person would.
    if (!typed && out.includes("Only 'yes' is accepted:")) {
      typed = true;
      child.stdin.write('no\n');
    }
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', (err) => reject(new Error(`cannot run util-linux script(1) for a pseudo-terminal: ${err.message}`)));
    child.on('close', resolve);
  });
  return { out, code };
}

describe('a real pseudo-terminal (util-linux script)', () => {
  it('asks, and "no" typed on the terminal changes nothing', async () => {
    const r = await onPseudoTerminal('apply', (cli) => cli);
    expect(r.out).toContain(QUESTION);
    expect(r.out).toContain('Apply cancelled; nothing was changed.');
    expect(r.code).toBe(1);
    expect(writes(e.emulator)).toBe(0);
  });

  it('asks when stdout is piped (`reconcile | tee log`), and the log keeps the plan', async () => {
    const log = join(e.dir, 'log');
    const r = await onPseudoTerminal('reconcile', (cli) => `${cli} | tee '${log}'`);
    expect(r.out).toContain(QUESTION);
    expect(r.out).toContain('Apply cancelled; nothing was changed.');
    expect(writes(e.emulator)).toBe(0);
    const logged = await readFile(log, 'utf8');
    expect(logged).toContain('+ create truncate-in-prod');
    expect(logged).not.toContain('Only \'yes\'');
  });

  it('asks on the controlling terminal when stdin is redirected (`apply < /dev/null`)', async () => {
    const r = await onPseudoTerminal('apply', (cli) => `${cli} < /dev/null`);
    expect(r.out).toContain(QUESTION);
    expect(r.out).toContain('Apply cancelled; nothing was changed.');
    expect(r.code).toBe(1);
    expect(writes(e.emulator)).toBe(0);
  });
});
