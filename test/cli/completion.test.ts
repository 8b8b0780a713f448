import { execFile, execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/run.js';
import { hasSettings } from '../../src/cli/settings.js';
import { runCli } from '../helpers/run-cli.js';

/**
 * `dbss-policy completion bash|zsh|fish`: each script parses in its shell (zsh and fish are
 * checked by their own parser where installed, by structure always) and offers every command
 * and every flag each command parses, so completion cannot drift from the CLI.
 */

const has = (shell: string): boolean => {
  try {
    execFileSync('sh', ['-c', `command -v ${shell}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** Runs a shell on a script given on stdin-free argv; resolves with its exit code and output. */
function shell(file: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, [...args], (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });
}

const printed = new Map<string, Promise<string>>();

/** The script `dbss-policy completion NAME` prints (one CLI run per shell). */
const script = (name: string): Promise<string> => {
  if (!printed.has(name)) {
    printed.set(name, runCli(['completion', name]).then((r) => {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      return r.stdout;
    }));
  }
  return printed.get(name)!;
};

/** What bash completes for a command line whose last word is being typed. */
async function bashComplete(words: readonly string[]): Promise<string[]> {
  const text = await script('bash');
  const quoted = words.map((w) => `'${w}'`).join(' ');
  const r = await shell('bash', ['-c', `${text}\nCOMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _dbss_policy; printf '%s\\n' "\${COMPREPLY[@]}"`]);
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter((l) => l !== '');
}

/** Every single-quoted string closed on its line (fish: `\'` escapes a quote inside one). */
function quotesBalanced(text: string, escapes: boolean): boolean {
  return text.split('\n').every((line) => {
    if (line.trimStart().startsWith('#')) return true;
    const plain = escapes ? line.replace(/\\['\\]/g, '') : line;
    return (plain.match(/'/g) ?? []).length % 2 === 0;
  });
}

describe('completion scripts', () => {
  it('every flag a command parses is in its help, the table completion reads', () => {
    for (const c of COMMANDS) {
      const missing = Object.keys(c.options).filter((o) => !new RegExp(`--${o}(?![a-z-])`).test(c.usage));
      expect({ command: c.name, missing }).toEqual({ command: c.name, missing: [] });
    }
  });

  it('bash: parses, and completes commands, flags, flag values and directories', async () => {
    const text = await script('bash');
    const syntax = await shell('bash', ['-n', '-c', text]);
    expect(syntax).toMatchObject({ code: 0, stderr: '' });
    expect(await bashComplete(['dbss-policy', ''])).toEqual(expect.arrayContaining([...COMMANDS.map((c) => c.name), 'help', '--help', '--version']));
    expect(await bashComplete(['dbss-policy', 'sh'])).toEqual(['show']);
    expect(await bashComplete(['dbss-policy', 'plan', '--fo'])).toEqual(['--force', '--format']);
    expect(await bashComplete(['dbss-policy', 'plan', '--format', ''])).toEqual(['text', 'markdown', 'json', 'github']);
    expect(await bashComplete(['dbss-policy', 'show', '--'])).toEqual(['--config', '--format', '--no-color', '--help']);
    expect(await bashComplete(['dbss-policy', 'schema', '--'])).not.toContain('--config');
    expect(await bashComplete(['dbss-policy', 'help', 'rec'])).toEqual(['reconcile']);
    expect(await bashComplete(['dbss-policy', 'plan', '--concurrency', ''])).toEqual([]);
    const dirs = await bashComplete(['dbss-policy', 'plan', '--policies', '']);
    expect(dirs).toContain('policies');
    expect(dirs).not.toContain('package.json');
    for (const c of COMMANDS) {
      const offered = await bashComplete(['dbss-policy', c.name, '--']);
      const config = hasSettings(c) ? ['--config'] : [];
      expect(offered.sort()).toEqual([...Object.keys(c.options).map((o) => `--${o}`), ...config, '--help'].sort());
    }
  });

  it('zsh: parses where zsh is installed, and describes every command and flag', async () => {
    const text = await script('zsh');
    if (has('zsh')) expect(await shell('zsh', ['-n', '-c', text])).toMatchObject({ code: 0, stderr: '' });
    expect(text.startsWith('#compdef dbss-policy\n')).toBe(true);
    expect(quotesBalanced(text, false)).toBe(true);
    expect(text).toContain('compdef _dbss_policy dbss-policy');
    for (const c of COMMANDS) {
      expect(text).toContain(`    '${c.name}:`);
      const section = new RegExp(`\\n    ${c.name}\\)\\n([\\s\\S]*?)\\n      ;;`).exec(text)?.[1] ?? '';
      for (const [name, o] of Object.entries(c.options)) {
        expect(section).toMatch(new RegExp(`'\\*?--${name}${o.type === 'string' ? '=' : ''}\\[`));
      }
    }
    expect(text).toContain(`'--format=[text (default), markdown (PR comment), json, github (annotations + text)]:format:(text markdown json github)'`);
  });

  it('fish: parses where fish is installed, and completes every command and flag', async () => {
    const text = await script('fish');
    if (has('fish')) expect(await shell('fish', ['-n', '-c', text])).toMatchObject({ code: 0, stderr: '' });
    expect(quotesBalanced(text, true)).toBe(true);
    for (const line of text.split('\n').filter((l) => l !== '' && !l.startsWith('#'))) expect(line).toMatch(/^complete -c dbss-policy /);
    for (const c of COMMANDS) {
      expect(text).toContain(`-n '__fish_use_subcommand' -a ${c.name} -d `);
      for (const name of Object.keys(c.options)) expect(text).toContain(`-n '__fish_seen_subcommand_from ${c.name}' -l ${name}`);
    }
    expect(text).toContain(`-n '__fish_seen_subcommand_from show' -l format -x -a 'text markdown json github'`);
    expect(text).toContain(`rules (default 0.3)`);
  });

  it('names the shells it knows when given another', async () => {
    const r = await runCli(['completion', 'powershell']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('dbss-policy completion: expected one shell: bash, zsh, fish, got "powershell" (see dbss-policy completion --help)\n');
  });
});
