import { ENABLED_DEFAULT, WHITELIST_KEY } from './desired.js';

/**
 * The kind's schema fragment (JSON Schema draft 2020-12), composed into
 * schemas/policy.schema.json: the policy key of an instance entry and a rule set, and the $defs
 * it uses (`dbIdList` is the policy schema's).
 */
export const WHITELIST_SCHEMA = {
  properties: {
    [WHITELIST_KEY]: {
      description:
        'SQL whitelist: statements DBSS does not audit as risks. An entry is identified by its SQL text (whitespace outside quotes collapsed, case kept), which DBSS cannot edit: a changed text is a new entry, and with prune: true the old one is deleted once the new one is listed. With prune: true, entries that are not listed are deleted.',
      type: 'array',
      items: { $ref: '#/$defs/whitelistEntry' },
    },
  },
  defs: {
    whitelistEntry: {
      description: 'One SQL whitelist entry. Adding an enabled entry, enabling one, or widening its databases weakens auditing.',
      type: 'object',
      additionalProperties: false,
      required: ['sql'],
      properties: {
        sql: {
          description:
            'The SQL statement (sql). Its identity: leading and trailing whitespace is dropped and every run of whitespace outside quotes is read as one space (a statement may be folded over several lines); text inside quotes and letter case are kept. Whitespace only is refused, and no two entries of one list may have the same text.',
          type: 'string',
          minLength: 1,
        },
        databases: {
          $ref: '#/$defs/dbIdList',
          description: 'Database ids the entry applies to (db_ids). Empty or absent = every database (read as the widest reading: the API does not say).',
          default: [],
        },
        description: { description: 'Description (desc). Empty or absent = none.', type: 'string', default: '' },
        enabled: {
          description: `Whether the entry is in force (enabled). Always sent: the API's default for a new entry is undocumented. Enabling an entry weakens auditing.`,
          type: 'boolean',
          default: ENABLED_DEFAULT,
        },
      },
    },
  },
} as const;
