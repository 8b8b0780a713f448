import { DbssPolicyError } from '../errors.js';
import { toolVersion } from '../version.js';
import { neutraliseCommands, stripAnsi } from '../render/escape.js';
import type { CliIO, Command } from './io.js';
import { EXIT } from './io.js';
import { validateCommand } from './validate-command.js';
import { emulatorCommand } from './emulator-command.js';
import { planCommand } from './plan-command.js';
import { applyCommand } from './apply-command.js';
import { showCommand } from './show-command.js';
import { reconcileCommand } from './reconcile-command.js';
import { exportCommand } from './export-command.js';
import { schemaCommand } from './schema-command.js';
import { probeCommand } from './probe-command.js';
import { completionCommand } from './completion-command.js';
import { coverageCommand } from './coverage-command.js';
import { commandHint } from './flag-errors.js';
import { commandHelp, topHelp } from './help.js';
import { commandSettings, settingsHelp } from './settings.js';

/** Every command, in the order the top-level help lists them. */
export const COMMANDS: readonly Command[] = [
  validateCommand,
  planCommand,
  applyCommand,
  showCommand,
  reconcileCommand,
  exportCommand,
  probeCommand,
  coverageCommand,
  schemaCommand,
  emulatorCommand,
  completionCommand(() => COMMANDS),
];

/** Runs the CLI: the one place that maps failures to exit codes. */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === '--help' || verb === '-h') {
    io.stdout.write(topHelp(COMMANDS));
    return verb === undefined ? EXIT.error : EXIT.ok;
  }
  if (verb === 'help') {
    const topic = rest[0];
    if (topic === undefined) {
      io.stdout.write(topHelp(COMMANDS));
      return EXIT.ok;
    }
    const about = COMMANDS.find((c) => c.name === topic);
    if (!about) return unknownCommand(topic, io);
    io.stdout.write(commandHelp(about) + (await settingsHelp(about, [], io)));
    return EXIT.ok;
  }
  if (verb === 'version' || verb === '--version' || verb === '-v' || verb === '-V') {
    io.stdout.write(`${toolVersion()}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === verb);
  if (!command) return unknownCommand(verb, io);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(commandHelp(command) + (await settingsHelp(command, rest, io)));
    return EXIT.ok;
  }
  try {
    // Environment and config-file values become flags in front of the user's own; the file's
    // credentials map is not a flag and travels with io.
    const settings = await commandSettings(command, rest, io);
    return await command.run(settings.argv, settings.config ? { ...io, config: settings.config } : io);
  } catch (err) {
    if (err instanceof DbssPolicyError) {
      io.stderr.write(neutraliseCommands(stripAnsi(`dbss-policy ${verb}: ${withOwnerHint(err.message, verb)}\n`)));
      return err.code === 'INTERRUPTED' ? EXIT.interrupted : EXIT.error;
    }
    const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    io.stderr.write(`dbss-policy ${verb}: internal error (a bug, please report it): ${detail}\n`);
    return EXIT.error;
  }
}

/**
 * `unknown option --dry-run` on plan: names the commands that have the flag (`it is an option
 * of reconcile`), read from their usage, when no flag of this command was close enough to suggest.
 */
function withOwnerHint(message: string, verb: string): string {
  const flag = /^unknown option (--[a-z][a-z-]*) \(see /.exec(message)?.[1];
  if (!flag) return message;
  const owners = COMMANDS.filter((c) => c.name !== verb && new RegExp(`(^|[\\s\\[,])${flag}(?![a-z-])`, 'm').test(c.usage)).map((c) => c.name);
  return owners.length === 0 ? message : message.replace(' (see ', ` (it is an option of ${owners.join(', ')}) (see `);
}

function unknownCommand(verb: string, io: CliIO): number {
  const hint = commandHint(verb, [...COMMANDS.map((c) => c.name), 'help', 'version']);
  io.stderr.write(`dbss-policy: unknown command "${verb}"${hint}\n\n${topHelp(COMMANDS)}`);
  return EXIT.error;
}
