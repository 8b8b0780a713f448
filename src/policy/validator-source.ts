import { createHash } from 'node:crypto';
import ajv2020 from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';

/**
 * The policy schema's validator as JavaScript source, so that it is compiled once, when the
 * schema changes, instead of on every run (ajv's compile is about a third of a second, more
 * than reading and checking a 10,000-rule tree). `src/policy/policy-validator.generated.ts` holds
 * the output; test/policy/policy-validator.test.ts fails when it is out of date and rewrites it
 * with UPDATE_GENERATED=1.
 */

// ajv is CommonJS: under NodeNext the default import is module.exports, whose `default` is the export.
const Ajv2020 = ajv2020.default;
const standalone = standaloneCode.default;

/**
 * The options the policy validator is compiled with, at run time and in the generated module alike.
 * unicode: false: maxLength counts UTF-16 code units, as DBSS (a Java service) counts names; a
 * character outside the BMP (an emoji, some CJK) counts twice. ajv marks the option deprecated
 * (it still works and is the only switch for this), so that one notice is not printed.
 */
export const POLICY_AJV_OPTIONS = {
  allErrors: true,
  strict: true,
  verbose: true,
  useDefaults: true,
  unicode: false,
  logger: { log: console.log, error: console.error, warn: (...args: unknown[]) => void (/option unicode/.test(String(args[0])) || console.warn(...args)) },
} as const;

/** sha256 (hex) of the schema file's text: the generated module is used only for exactly that text. */
export const schemaDigest = (schemaText: string): string => createHash('sha256').update(schemaText).digest('hex');

/** The generated module's source for the schema text. */
export function validatorSource(schemaText: string): string {
  const ajv = new Ajv2020({ ...POLICY_AJV_OPTIONS, code: { source: true, esm: true } });
  const code = standalone(ajv, ajv.compile(JSON.parse(schemaText) as object));
  return [
    '// @ts-nocheck',
    '/* eslint-disable */',
    '// Generated from schemas/policy.schema.json by src/policy/validator-source.ts; do not edit.',
    '// Regenerate: UPDATE_GENERATED=1 npx vitest run test/policy/policy-validator.test.ts',
    "import { createRequire } from 'node:module';",
    'const require = createRequire(import.meta.url);',
    `export const SCHEMA_SHA256 = '${schemaDigest(schemaText)}';`,
    code.replace(/^"use strict";/, ''),
    '',
  ].join('\n');
}
