import { DOCUMENTED_ACTIONS } from './check-scopes.js';

/**
 * The schema fragment of audit scopes (JSON Schema draft 2020-12, composed into
 * schemas/policy.schema.json): the `audit_scopes` and `full_audit` properties of an instance
 * entry and a rule set, and the $defs they use. `ruleSwitch` and `ipList` are the policy
 * schema's own.
 */

const ITEM_PATTERN = '^[^,\\s]([^,]*[^,\\s])?$';

const item = (what: string): object => ({
  description: `${what}: no commas (the API joins the list with them), no leading or trailing whitespace.`,
  type: 'string',
  maxLength: 255,
  pattern: ITEM_PATTERN,
});

/** The `audit_scopes` and `full_audit` properties, and their $defs. */
export const SCOPE_SCHEMA = {
  properties: {
    audit_scopes: {
      description:
        'Custom audit scopes: what DBSS audits at all (databases, operations, users, client addresses and ports, with exceptions). Identified by name; no order. With `prune: true`, live custom scopes not listed here are deleted. They take effect only while full audit is OFF (see full_audit).',
      type: 'array',
      items: { $ref: '#/$defs/auditScope' },
    },
    full_audit: {
      $ref: '#/$defs/ruleSwitch',
      description:
        'The built-in full-audit scope ("full audit rule": all_audit true in the scope list): ON audits everything and takes priority over every custom scope; OFF lets the custom scopes decide. It can only be switched, never edited or deleted. Absent = left as it is.',
    },
  },
  defs: {
    auditScope: {
      description: 'A custom audit scope. Unlisted optional fields take their defaults (all databases, every operation, user, address and port, no exception, ON), so removing a field resets it; an update sends every field.',
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: {
          description: 'Scope name (rule_name on write, name in the list), unique within the instance. The API limit on length and characters is unconfirmed.',
          type: 'string',
          minLength: 1,
          maxLength: 255,
        },
        databases: {
          $ref: '#/$defs/auditScopeDatabases',
          description: 'Databases audited (db_ids and db_names on the wire): ALL, or {ids, names}. Absent = ALL.',
          default: 'ALL',
        },
        actions: {
          $ref: '#/$defs/auditScopeActions',
          description: 'Operations audited (action, comma-joined on the wire). Empty or absent = every operation.',
          default: [],
        },
        db_users: {
          $ref: '#/$defs/auditScopeItems',
          description: 'Database accounts audited (db_users, comma-joined on the wire). Empty or absent = every account.',
          default: [],
        },
        source_ips: {
          $ref: '#/$defs/ipList',
          description: 'Client addresses audited (source_ips): private IPv4/IPv6 addresses (the console accepts intranet addresses only). Empty or absent = every address.',
          default: [],
        },
        source_ports: {
          $ref: '#/$defs/auditScopePorts',
          description: 'Client ports audited (source_ports, comma-joined on the wire). Empty or absent = every port.',
          default: [],
        },
        exception_ips: {
          $ref: '#/$defs/ipList',
          description: 'Client addresses never audited (exception_ips); they take priority over source_ips.',
          default: [],
        },
        status: { $ref: '#/$defs/ruleSwitch', description: 'Scope switch (status).', default: 'ON' },
      },
    },
    auditScopeDatabases: {
      description: 'Databases audited: ALL (db_ids [ALL], db_names [全部数据库] on the wire), or the ids and/or names of databases added to the instance.',
      oneOf: [
        { description: 'Every database.', type: 'string', const: 'ALL' },
        {
          description: 'The listed databases: ids (db_ids) and/or names (db_names), at least one.',
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            ids: { $ref: '#/$defs/auditScopeItems', description: 'Database ids from the audit database list (db_ids).', type: 'array', minItems: 1 },
            names: { $ref: '#/$defs/auditScopeItems', description: 'Database names (db_names).', type: 'array', minItems: 1 },
          },
        },
      ],
    },
    auditScopeItems: {
      description: 'A list of names or ids (comma-joined on the wire).',
      type: 'array',
      uniqueItems: true,
      items: item('A name or id'),
    },
    auditScopeActions: {
      description: 'A list of operation tokens.',
      type: 'array',
      uniqueItems: true,
      items: {
        description: 'An operation token: one of those the eu-west-0 reference lists (other regions may differ, so any other token is kept and sent as written).',
        anyOf: [
          {
            type: 'string',
            enum: DOCUMENTED_ACTIONS,
          },
          item('Another operation token'),
        ],
      },
    },
    auditScopePorts: {
      description: 'A list of client ports.',
      type: 'array',
      uniqueItems: true,
      items: {
        description: 'A port (1-65535), as a number or as text (text is sent as written, e.g. a range the region accepts).',
        anyOf: [{ type: 'integer', minimum: 1, maximum: 65535 }, item('A port')],
      },
    },
  },
} as const;
