/**
 * The masking keys of an instance entry and a rule set (JSON Schema draft 2020-12), composed
 * into schemas/policy.schema.json by src/kinds/policy-schema.ts.
 */

const switchOf = (description: string): object => ({ $ref: '#/$defs/maskingSwitch', description });

/** The schema fragment of the kind. */
export const MASKING_SCHEMA = {
  properties: {
    masking: switchOf(
      'Privacy masking of the instance (SetSensitiveSwitch): ON masks what the mask rules match in audited statements and results. OFF is a weakening. Absent = left as it is.',
    ),
    result_set_storage: switchOf(
      'Storage of query result sets in the audit log (SetSensitiveResultSwitch; agent-mode databases only). PCI DSS and 3DS require OFF; ON is a weakening. Absent = left as it is.',
    ),
    mask_rules: {
      description:
        'Custom privacy mask rules (type USER_DEFINE), without an order. Rules not listed are left alone, or deleted with prune: true when this key is declared. A changed regex is shown as changed, never judged: whether it masks less cannot be told.',
      type: 'array',
      items: { $ref: '#/$defs/maskRule' },
    },
    system_mask_rules: {
      description: 'Built-in privacy mask rules (type BUILD_IN, as the API spells it): only their switch can be managed, by name. Rules not listed are left as they are.',
      type: 'object',
      propertyNames: { $ref: '#/$defs/nonBlank' },
      additionalProperties: switchOf('A built-in mask rule of the live instance, by its listed name: ON or OFF (OFF is a weakening).'),
    },
  },
  defs: {
    maskingSwitch: { description: 'A masking switch, upper case as the API spells it.', type: 'string', enum: ['ON', 'OFF'] },
    maskRule: {
      description: 'A custom privacy mask rule: what a regex matches is replaced by mask_value.',
      type: 'object',
      additionalProperties: false,
      required: ['name', 'regex', 'mask_value'],
      properties: {
        name: { $ref: '#/$defs/nonBlank', description: 'Rule name (rule_name), unique within the instance (the API limits are not documented).' },
        regex: {
          description: 'What is masked (mask_regex): a regular expression. It is checked as a JavaScript regular expression; the dialect DBSS uses is not documented and may differ.',
          type: 'string',
          minLength: 1,
        },
        mask_value: { description: 'What a match is replaced by (mask_value), e.g. "****".', type: 'string', minLength: 1 },
        status: {
          $ref: '#/$defs/maskingSwitch',
          description: 'Rule switch. A new rule is switched to it after its create (the create call takes no status). OFF is a weakening.',
          default: 'ON',
        },
      },
    },
  },
} as const;
