import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { useColor } from '../../src/cli/output.js';
import { run } from '../../src/cli/run.js';

const POLICIES = join(import.meta.dirname, '../../policies');
const COMMANDS = ['validate', 'plan', 'apply', 'show', 'reconcile', 'export', 'emulator'];

/** Runs the CLI in process; output streams record what was written. */
async function cli(args: string[], env: Record<string, string> = {}, tty = false) {
  const out = { isTTY: tty, text: '', write(c: string) { this.text += c; return true; } };
  const err = { isTTY: false, text: '', write(c: string) { this.text += c; return true; } };
  const code = await run(args, { stdout: out, stderr: err, env, cwd: process.cwd() });
  return { code, stdout: out.text, stderr: err.text };
}

describe('help', () => {
  it.each(COMMANDS)('"help <cmd>" and "<cmd> --help" print the usage, defaults and two examples of %s', async (name) => {
    const viaHelp = await cli(['help', name]);
    const viaFlag = await cli([name, '--help']);
    expect(viaHelp.code).toBe(0);
    expect(viaFlag).toEqual(viaHelp);
    expect(viaHelp.stdout).toMatch(new RegExp(`^Usage: dbss-policy ${name}`));
    expect(viaHelp.stdout).toContain('default');
    const examples = viaHelp.stdout.split('\nExamples:\n')[1] ?? '';
    expect(examples.split('\n').filter((l) => new RegExp(`^  dbss-policy ${name}( |$)`).test(l))).toHaveLength(2);
  });

  it('"help plan" and "help reconcile" show the flags that decide how much is read, and --rate-limit auto', async () => {
    const plan = (await cli(['help', 'plan'])).stdout;
    for (const flag of ['--changed-since REF', '--cache FILE', '--max-age D']) expect(plan).toContain(flag);
    expect(plan).toMatch(/--rate-limit R .*\(default 10\/s; 100\/s with --emulator\);\n\s+auto: start at that budget/);
    const reconcile = (await cli(['help', 'reconcile'])).stdout;
    for (const flag of ['--cache FILE', '--max-age D', '--yes, --auto-approve']) expect(reconcile).toContain(flag);
    expect(reconcile).not.toContain('--changed-since');
  });

  it('lists the commands and how to get help on one', async () => {
    const r = await cli(['help']);
    expect(r.code).toBe(0);
    for (const name of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    expect(r.stdout).toContain('dbss-policy help <command>');
  });
});

describe('did you mean', () => {
  it('suggests the command meant, for a command and for a help topic', async () => {
    const r = await cli(['plna']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe('dbss-policy: unknown command "plna" (did you mean "plan"?)');
    expect((await cli(['help', 'reconsile'])).stderr.split('\n')[0]).toBe('dbss-policy: unknown command "reconsile" (did you mean "reconcile"?)');
    expect((await cli(['frobnicate'])).stderr.split('\n')[0]).toBe('dbss-policy: unknown command "frobnicate"');
  });

  it.each([
    [['plan', '--polices', 'x'], 'dbss-policy plan: unknown option --polices (did you mean --policies?) (see dbss-policy plan --help)'],
    [['reconcile', '--dry-rn'], 'dbss-policy reconcile: unknown option --dry-rn (did you mean --dry-run?) (see dbss-policy reconcile --help)'],
    [['apply', '--auto-aprove'], 'dbss-policy apply: unknown option --auto-aprove (did you mean --auto-approve?) (see dbss-policy apply --help)'],
    [['export', '--regoin', 'x'], 'dbss-policy export: unknown option --regoin (did you mean --region?) (see dbss-policy export --help)'],
    [['emulator', '--seed-dmo'], 'dbss-policy emulator: unknown option --seed-dmo (did you mean --seed-demo?) (see dbss-policy emulator --help)'],
    [['validate', '--fromat', 'json'], 'dbss-policy validate: unknown option --fromat (did you mean --format?) (see dbss-policy validate --help)'],
    [['plan', '--xyzzy'], 'dbss-policy plan: unknown option --xyzzy (see dbss-policy plan --help)'],
    [['plan', '--dry-run'], 'dbss-policy plan: unknown option --dry-run (it is an option of reconcile) (see dbss-policy plan --help)'],
    [['plan', '--yes'], 'dbss-policy plan: unknown option --yes (it is an option of apply, reconcile) (see dbss-policy plan --help)'],
    [['plan', '--changed-sinse', 'HEAD^1'], 'dbss-policy plan: unknown option --changed-sinse (did you mean --changed-since?) (see dbss-policy plan --help)'],
    [['reconcile', '--max-ag', '2h'], 'dbss-policy reconcile: unknown option --max-ag (did you mean --max-age?) (see dbss-policy reconcile --help)'],
    [['reconcile', '--changed-since', 'HEAD^1'], 'dbss-policy reconcile: unknown option --changed-since (it is an option of plan) (see dbss-policy reconcile --help)'],
    [['validate', '--cache', 'x'], 'dbss-policy validate: unknown option --cache (it is an option of plan, reconcile) (see dbss-policy validate --help)'],
    [['plan', '--policies'], 'dbss-policy plan: --policies needs a value (see dbss-policy plan --help)'],
    [['plan', '--emulator=yes'], 'dbss-policy plan: --emulator takes no value (see dbss-policy plan --help)'],
  ])('%j: %s', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${message}\n`);
  });
});

describe('colour', () => {
  const io = (isTTY: boolean, env: Record<string, string>): CliIO => ({
    stdout: { isTTY, write: () => true },
    stderr: { write: () => true },
    env,
    cwd: '.',
  });

  it.each([
    [true, {}, false, true],
    [false, {}, false, false],
    [true, { NO_COLOR: '1' }, false, false],
    [false, { FORCE_COLOR: '1' }, false, true],
    [false, { FORCE_COLOR: '' }, false, true],
    [false, { FORCE_COLOR: 'true' }, false, true],
    [true, { FORCE_COLOR: '0' }, false, false],
    [true, { FORCE_COLOR: 'false' }, false, false],
    [false, { FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
    [true, { FORCE_COLOR: '1' }, true, false],
  ] as [boolean, Record<string, string>, boolean, boolean][])('tty %s, env %j, --no-color %s: colour %s', (tty, env, noColor, expected) => {
    expect(useColor(io(tty, env), noColor)).toBe(expected);
  });

  it('FORCE_COLOR colours a plan written to a pipe', async () => {
    const plain = await cli(['plan', '--emulator', '--policies', POLICIES]);
    const forced = await cli(['plan', '--emulator', '--policies', POLICIES], { FORCE_COLOR: '1' });
    expect(plain.stdout).not.toContain('\u001b[');
    expect(forced.stdout).toContain('\u001b[32m+ create');
  });
});
