import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { DbssPolicyError } from '../errors.js';
import type { Plan } from './types.js';

/** The plan format this version writes and reads. */
export const PLAN_FORMAT_VERSION = 1;

/** The plan as JSON (two-space indented, trailing newline); key order is the plan's own, so stable. */
export function serializePlan(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

let validator: ValidateFunction | undefined;

/** The plan schema's validator, compiled on first use. */
const planValidator = (): ValidateFunction => (validator ??= compilePlanValidator());

/** schemas/plan.schema.json, found upwards from this module (works from src/ and from dist/src/). */
function compilePlanValidator(): ValidateFunction {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const file = join(dir, 'schemas', 'plan.schema.json');
    if (existsSync(file)) {
      const ajv = new Ajv2020({ allErrors: true, strict: true, discriminator: true });
      return ajv.compile(JSON.parse(readFileSync(file, 'utf8')) as object);
    }
    if (dirname(dir) === dir) throw new Error('schemas/plan.schema.json not found next to the dbss-policy installation');
  }
}

/** `/changes/0/kind must be one of: create, update, ...` */
const describe = (e: ErrorObject): string => {
  const where = e.instancePath === '' ? '(top level)' : e.instancePath;
  const p = e.params as { allowedValues?: unknown[]; allowedValue?: unknown; additionalProperty?: string; unevaluatedProperty?: string };
  // Ajv gives allowedValues with every enum error.
  if (e.keyword === 'enum') return `${where} must be one of: ${p.allowedValues!.map(String).join(', ')}`;
  if (e.keyword === 'const') return `${where} must be ${JSON.stringify(p.allowedValue)}`;
  const extra = p.additionalProperty ?? p.unevaluatedProperty;
  return `${where} ${e.message ?? e.keyword}${extra ? ` (${extra})` : ''}`;
};

/**
 * Reads a saved plan. Throws DbssPolicyError('USAGE') naming the file for text that is not
 * JSON, a plan of another format version, or a plan that does not match the schema (up to
 * five problems, each with its JSON path).
 */
export function parsePlan(text: string, file = 'plan'): Plan {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new DbssPolicyError('USAGE', `${file}: not a dbss-policy plan: invalid JSON (${(err as Error).message})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new DbssPolicyError('USAGE', `${file}: not a dbss-policy plan: expected a JSON object`);
  }
  const version = (data as { formatVersion?: unknown }).formatVersion;
  if (version !== PLAN_FORMAT_VERSION) {
    const got = version === undefined ? 'no formatVersion' : `formatVersion ${JSON.stringify(version)}`;
    throw new DbssPolicyError(
      'USAGE',
      `${file}: unsupported plan format (${got}); this dbss-policy reads formatVersion ${PLAN_FORMAT_VERSION}, re-run plan --out with it`,
    );
  }
  const validate = planValidator();
  if (!validate(data)) {
    const errors = validate.errors!; // set whenever validate returns false
    const shown = errors.slice(0, 5).map((e) => `  ${describe(e)}`);
    const more = errors.length > 5 ? [`  ... and ${errors.length - 5} more`] : [];
    throw new DbssPolicyError('USAGE', [`${file}: not a valid dbss-policy plan:`, ...shown, ...more].join('\n'));
  }
  return data as Plan;
}
