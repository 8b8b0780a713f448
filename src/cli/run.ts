import { DbssPolicyError } from '../errors.js';
import { toolVersion } from '../version.js';
import { neutraliseCommands, stripAnsi } from '../render/escape.js';
import type { CliIO, Command } from './io.js';
import { EXIT } from './io.js';
import { validateCommand } from './validate-command.js';
import { emulatorCommand } from './emulator-command.js';
import { planCommand } from './plan-command.js';
import { applyCommand } from './apply-command.js';
import { reconcileCommand } from './reconcile-command.js';
import { exportCommand } from './export-command.js';
import { probeCommand } from './probe-command.js';

const COMMANDS: readonly Command[] = [validateCommand, planCommand, applyCommand, reconcileCommand, exportCommand, probeCommand, emulatorCommand];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'dbss-policy: Huawei Cloud DBSS audit policy as code',
    '',
    'Usage: dbss-policy <command> [options]   (dbss-policy <command> --help for its options)',
    '',
    'Commands:',
    ...lines,
    '',
    'Exit codes: 0 ok/no changes, 1 error, 2 changes present (--detailed-exitcode), 130 interrupted',
    '',
  ].join('\n');
}

/** Runs the CLI: the one place that maps failures to exit codes. */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === '--help' || verb === '-h' || verb === 'help') {
    io.stdout.write(help());
    return verb === undefined ? EXIT.error : EXIT.ok;
  }
  if (verb === '--version' || verb === '-v') {
    io.stdout.write(`${toolVersion()}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === verb);
  if (!command) {
    io.stderr.write(`dbss-policy: unknown command "${verb}"\n\n${help()}`);
    return EXIT.error;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.usage.endsWith('\n') ? command.usage : `${command.usage}\n`);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof DbssPolicyError) {
      io.stderr.write(neutraliseCommands(stripAnsi(`dbss-policy ${verb}: ${err.message}\n`)));
      return err.code === 'INTERRUPTED' ? EXIT.interrupted : EXIT.error;
    }
    const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    io.stderr.write(`dbss-policy ${verb}: internal error (a bug, please report it): ${detail}\n`);
    return EXIT.error;
  }
}
