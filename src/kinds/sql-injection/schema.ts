import { RULES_KEY, SYSTEM_KEY } from './desired.js';

/** Longest rule name the schema takes (DBSS documents none; the risk rules' bound). */
export const NAME_MAX = 255;
/** A name: no leading or trailing whitespace (inner newlines and any other characters are kept). */
export const NAME_PATTERN = /^\S(?:[\s\S]*\S)?$/;

/**
 * The kind's schema fragment (JSON Schema draft 2020-12), composed into
 * schemas/policy.schema.json: the two policy keys of an instance entry and a rule set, and the
 * $defs they use. `nonBlank`-like names, `riskLevel` and `ruleSwitch` are the policy schema's.
 */
export const SQL_RULE_SCHEMA = {
  properties: {
    [RULES_KEY]: {
      description:
        'Custom SQL-injection rules (type CUSTOMIZE). List order is priority: the first is matched first, and a statement matches one rule only. With prune: true, custom SQL-injection rules that are not listed are deleted.',
      type: 'array',
      items: { $ref: '#/$defs/sqlInjectionRule' },
    },
    [SYSTEM_KEY]: {
      $ref: '#/$defs/systemSqlInjectionRules',
      description: 'Wanted ON/OFF of built-in (SYSTEM) SQL-injection rules, by name; rules not listed are left as they are.',
    },
  },
  defs: {
    sqlInjectionRule: {
      description: 'A custom SQL-injection rule. Every field is sent on create and update (DBSS requires all four).',
      type: 'object',
      additionalProperties: false,
      required: ['name', 'regex', 'risk_level'],
      properties: {
        name: {
          description: `Rule name (rule_name), unique within the instance. Max ${NAME_MAX} characters (the API limit is unconfirmed).`,
          type: 'string',
          minLength: 1,
          maxLength: NAME_MAX,
          pattern: NAME_PATTERN.source,
        },
        regex: {
          description:
            'Regular expression the SQL statement is matched against (sql_regex on write, regex on read). Checked by `validate` as a JavaScript RegExp after reading the Java-only syntax DBSS likely accepts ((?i), (?>…), possessive quantifiers, \\Q…\\E, \\A \\z): DBSS is Java-based and may still refuse what this check accepts (e.g. unknown escapes such as \\q).',
          type: 'string',
          minLength: 1,
        },
        risk_level: { $ref: '#/$defs/riskLevel', description: 'Risk level of a match (risk_level). Lowering it is a weakening.' },
        status: { $ref: '#/$defs/ruleSwitch', description: 'Rule switch (status). Switching OFF is a weakening.', default: 'ON' },
      },
    },
    systemSqlInjectionRules: {
      description:
        'Built-in SQL-injection rules of every instance: only their switch can be managed. Their names are not documented: any name is accepted here and checked against the instance\'s listed SYSTEM rules when planning (`dbss-policy export` writes the live names).',
      type: 'object',
      propertyNames: { minLength: 1 },
      additionalProperties: { $ref: '#/$defs/ruleSwitch', description: 'A built-in SQL-injection rule of the live instance: ON or OFF.' },
    },
  },
} as const;
