import { celEnv, isCelError, parse, plan } from '@bufbuild/cel';
import type { CelResult } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import type { CelData } from './cel-values.js';

/**
 * CEL expressions compiled once each (@bufbuild/cel: parse, then plan), with the standard
 * library and the string extensions (`lowerAscii`, `split`, `join`, ...).
 */

/** A compiled expression: call it with the variables. */
export type GuardrailProgram = (vars: Record<string, CelData>) => CelResult;

const env = celEnv({ funcs: strings });
const compiled = new Map<string, GuardrailProgram | string>();

/** The line:column of a parse error in the expression, and what the parser expected. */
function syntaxMessage(err: unknown): string {
  const e = err as { message?: string; location?: { start?: { line?: number; column?: number } } };
  const start = e.location?.start;
  const where = start?.line !== undefined ? ` at ${start.line}:${start.column ?? 0} of the expression` : '';
  // The parser's message starts with `<input>:line:col: `; the position is said above.
  const detail = String(e.message ?? err).replace(/^<input>:\d+:\d+:\s*/, '');
  return `CEL syntax error${where}: ${detail}`;
}

/** The program of an expression, or its syntax error as a message. */
export function compileExpression(expression: string): GuardrailProgram | string {
  const known = compiled.get(expression);
  if (known !== undefined) return known;
  let result: GuardrailProgram | string;
  try {
    const run = plan(env, parse(expression));
    result = (vars) => run(vars as never);
  } catch (err) {
    result = syntaxMessage(err);
  }
  compiled.set(expression, result);
  return result;
}

/** What an evaluation gave: true or false, or why it could not tell. */
export type Outcome = { readonly holds: boolean } | { readonly error: string };

/** Evaluates a program; anything but a bool (an error, another type) is an error outcome. */
export function evaluate(program: GuardrailProgram, vars: Record<string, CelData>): Outcome {
  let value: CelResult;
  try {
    value = program(vars);
  } catch (err) {
    // The evaluator returns its errors; a throw would be its own bug, still reported, never a crash.
    return { error: (err as Error).message ?? String(err) };
  }
  if (isCelError(value)) return { error: value.message };
  if (typeof value !== 'boolean') return { error: `the expression gave ${typeName(value)}, not a bool` };
  return { holds: value };
}

function typeName(v: unknown): string {
  if (typeof v === 'bigint') return 'an int';
  if (typeof v === 'number') return 'a double';
  if (typeof v === 'string') return 'a string';
  if (v === null) return 'null';
  return 'a value of another type';
}
