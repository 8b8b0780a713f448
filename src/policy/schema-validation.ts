import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import ajv2020 from 'ajv/dist/2020.js';
import type { Diagnostic } from './diagnostics.js';
import type { PolicyDocument } from './policy-document.js';
import { jsonPath } from './policy-document.js';
import { isRedundant, schemaProblem } from './schema-messages.js';

/** The one policy format version this build reads. */
export const POLICY_VERSION = 1;

// ajv is CommonJS: under NodeNext the default import is module.exports, whose `default` is the class.
const Ajv2020 = ajv2020.default;

/** schemas/policy.schema.json, found from src/policy (tests) or dist/src/policy (built CLI). */
export function policySchemaPath(): string {
  for (const rel of ['../../schemas/policy.schema.json', '../../../schemas/policy.schema.json']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error('schemas/policy.schema.json not found next to the dbss-policy sources');
}

let compiled: { schema: Record<string, unknown>; validate: ValidateFunction } | undefined;

/** The policy JSON Schema (parsed) and its compiled validator, loaded once. */
export function policySchema(): { schema: Record<string, unknown>; validate: ValidateFunction } {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(policySchemaPath(), 'utf8')) as Record<string, unknown>;
    // useDefaults writes the schema's defaults into the data, so the schema alone defines them.
    // unicode: false: maxLength counts UTF-16 code units, as DBSS (a Java service) counts names;
    // a character outside the BMP (an emoji, some CJK) counts twice.
    // ajv marks the option deprecated (it still works and is the only switch for this), so
    // that one notice is not printed.
    const logger = { log: console.log, error: console.error, warn: (...args: unknown[]) => void (/option unicode/.test(String(args[0])) || console.warn(...args)) };
    const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true, useDefaults: true, unicode: false, logger });
    compiled = { schema, validate: ajv.compile(schema) };
  }
  return compiled;
}

/** A JSON pointer as path segments; list indexes become numbers. */
function segments(pointer: string, data: unknown): (string | number)[] {
  const out: (string | number)[] = [];
  let node = data;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const key = Array.isArray(node) ? Number(seg) : seg;
    out.push(key);
    node = (node as Record<string | number, unknown> | undefined)?.[key];
  }
  return out;
}

/**
 * Checks one document against the schema (filling in its defaults). A document of another
 * format version gets that one message only: the rest of the schema would not apply to it.
 */
export function validateAgainstSchema(doc: PolicyDocument): Diagnostic[] {
  const diagnostic = (path: readonly (string | number)[], part: 'value' | 'key', message: string): Diagnostic => ({
    ...doc.locate(path, part),
    path: jsonPath(path),
    message,
    severity: 'error',
  });
  const version = doc.data['version'];
  if (version !== undefined && version !== POLICY_VERSION) {
    const shown = typeof version === 'string' ? JSON.stringify(version) : String(version);
    const message = `unsupported policy version ${shown}: this dbss-policy reads version ${POLICY_VERSION}`;
    return [diagnostic(['version'], 'value', message)];
  }
  const { validate } = policySchema();
  if (validate(doc.data)) return [];
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const error of validate.errors ?? []) {
    if (isRedundant(error)) continue;
    const problem = schemaProblem(error, segments(error.instancePath, doc.data));
    const d = diagnostic(problem.path, problem.part, problem.message);
    const key = `${d.path}\n${d.message}`;
    if (!seen.has(key)) out.push(d);
    seen.add(key);
  }
  return out;
}
