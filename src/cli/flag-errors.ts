import { UsageError } from '../errors.js';
import { nearest } from '../policy/schema-messages.js';

/**
 * A `parseArgs` failure as a usage error a person can act on: the flag named, a likely intended
 * flag suggested (`unknown option --dry-rn (did you mean --dry-run?)`), and where the options
 * are listed. Node's own text ("... place it at the end of the command after '--' ...") is
 * advice about positionals that rarely applies here.
 */
export function flagError(err: unknown, options: Readonly<Record<string, unknown>>, verb: string): UsageError {
  const see = `(see dbss-policy ${verb} --help)`;
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: string }).code;
  const flag = /(?:Unknown option|Option) '([^' ]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) {
    const known = Object.keys(options).map((o) => `--${o}`);
    const guess = nearest(flag.replace(/=.*$/, ''), known);
    return new UsageError(`unknown option ${flag}${guess ? ` (did you mean ${guess}?)` : ''} ${see}`);
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag) {
    const takesValue = (options[flag.replace(/^-+/, '')] as { type?: string } | undefined)?.type === 'string';
    return new UsageError(takesValue ? `${flag} needs a value ${see}` : `${flag} takes no value ${see}`);
  }
  return new UsageError(`${message.split('. ')[0]} ${see}`);
}

/** The command closest to a mistyped one, for `unknown command "plna" (did you mean "plan"?)`. */
export function commandHint(verb: string, commands: readonly string[]): string {
  const guess = nearest(verb, commands);
  return guess ? ` (did you mean "${guess}"?)` : '';
}
