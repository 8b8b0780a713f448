import { UsageError } from '../errors.js';
import { completionScript, SHELLS } from './completion-scripts.js';
import type { Shell } from './completion-scripts.js';
import { EXIT } from './io.js';
import type { CliIO, Command } from './io.js';
import { parseFlags } from './run-options.js';

const OPTIONS = {} as const;

/** `dbss-policy completion bash|zsh|fish`: the completion script of the given commands (read when run, so it lists them all). */
export function completionCommand(commands: () => readonly Command[]): Command {
  return {
    name: 'completion',
    summary: 'print a shell completion script (bash, zsh, fish)',
    usage: `Usage: dbss-policy completion bash|zsh|fish

Prints a completion script for the shell: commands, their flags, flag values the help lists
(--format text|markdown|json|github) and file names. Generated from the same flag tables the
commands parse with, so it completes exactly what this version accepts.
  bash   source <(dbss-policy completion bash)
         or: dbss-policy completion bash > ~/.local/share/bash-completion/completions/dbss-policy
  zsh    source <(dbss-policy completion zsh)
         or: dbss-policy completion zsh > "\${fpath[1]}/_dbss-policy"
  fish   dbss-policy completion fish > ~/.config/fish/completions/dbss-policy.fish

Exit codes: 0 printed, 1 bad usage`,
    options: OPTIONS,
    async run(argv: readonly string[], io: CliIO): Promise<number> {
      const { positionals } = parseFlags(argv, OPTIONS, 'completion', true);
      const shell = positionals[0];
      if (positionals.length !== 1 || !(SHELLS as readonly string[]).includes(shell!)) {
        throw new UsageError(`expected one shell: ${SHELLS.join(', ')}${shell !== undefined ? `, got "${positionals.join(' ')}"` : ''} (see dbss-policy completion --help)`);
      }
      io.stdout.write(completionScript(shell as Shell, commands()));
      return EXIT.ok;
    },
  };
}
