import { describe, expect, it } from 'vitest';
import type { Json } from '../../../src/kinds/kind.js';
import { EMULATED_WHITELIST } from '../../../src/kinds/whitelist/emulator.js';
import { WHITELIST_KIND as kind } from '../../../src/kinds/whitelist/index.js';
import { converge, desiredOf, specs, type EntryDecl } from './cycle.js';
import { directApi, TARGET } from './direct-api.js';

/** SQL texts a hostile estate may hold: quotes, a newline inside a literal, unicode, markup. */
const HOSTILE = {
  quote: `SELECT * FROM t WHERE name = 'O''Brien' AND note = "say \\"hi\\""`,
  newline: "SELECT 'first line\nsecond  line' FROM dual",
  unicode: "SELECT * FROM 规则 WHERE ünï = 'ü 🚀'",
  markup: 'SELECT \'<b>&amp;</b>\' AS `tick`, \'${x}\' FROM t',
};

const first: EntryDecl[] = [
  { sql: HOSTILE.quote, databases: ['db-1'], description: `O'Brien "quoted"\nnote` },
  { sql: HOSTILE.newline, enabled: false },
  { sql: `  ${HOSTILE.unicode.replace(' FROM ', '\n   FROM ')}  `, databases: ['db-2', 'db-1'], description: 'ünïcødé 规则' },
  { sql: HOSTILE.markup },
];

/** One entry's databases widened, one enabled, one emptied to every database and disabled, one SQL text changed (a new entry, the old one pruned). */
const second: EntryDecl[] = [
  { sql: HOSTILE.quote, databases: ['db-1', 'db-3'], description: '' },
  { sql: HOSTILE.newline, enabled: true },
  { sql: HOSTILE.unicode, enabled: false },
  { sql: `${HOSTILE.markup} WHERE 1 = 1`, description: '<i>new</i>' },
];

const values = (entries: readonly EntryDecl[]): { [k: string]: Json } => ({ sql_whitelist: entries as unknown as Json });

/** Every reading: each option value on its own (the others at their default), and each named profile. */
const readings: [string, Record<string, string>][] = [
  ...Object.entries(EMULATED_WHITELIST.options).flatMap(([option, choices]) => choices.map((v): [string, Record<string, string>] => [`${option}=${v}`, { [option]: v }])),
  ...Object.entries(EMULATED_WHITELIST.profiles).map(([name, o]): [string, Record<string, string>] => [`profile ${name}`, o]),
];

describe('the whitelist converges under every reading of the open points', () => {
  it.each(readings)('%s', async (_, options) => {
    const { api, log } = directApi(EMULATED_WHITELIST, options, 4);
    // something undeclared that must not be touched (prune: false first)
    await api.write(TARGET, { operation: 'BatchAddAuditWhitelist', method: 'POST', path: '/v1/{project_id}/audit/{instance_id}/whitelists', body: { whitelists: [{ sql: 'SELECT hand_made', enabled: true }] } });

    const one = await converge(kind, api, desiredOf(kind, values(first), false));
    expect(one.sent.map((c) => c.op)).toEqual(['create', 'create', 'create', 'create']);
    const after = specs(one.live);
    expect(after[HOSTILE.quote]).toEqual({ databases: ['db-1'], description: `O'Brien "quoted"\nnote`, enabled: true });
    expect(after[HOSTILE.newline]).toEqual({ databases: [], description: '', enabled: false });
    expect(after[HOSTILE.unicode]).toEqual({ databases: ['db-1', 'db-2'], description: 'ünïcødé 规则', enabled: true });
    expect(after[HOSTILE.markup]).toEqual({ databases: [], description: '', enabled: true });
    expect(after['SELECT hand_made']).toEqual({ databases: [], description: '', enabled: true });

    const two = await converge(kind, api, desiredOf(kind, values(second), true));
    expect(two.sent.map((c) => `${c.op} ${c.subject}`).sort()).toEqual(
      [`create ${HOSTILE.markup} WHERE 1 = 1`, `delete ${HOSTILE.markup}`, 'delete SELECT hand_made', `update ${HOSTILE.quote}`, `update ${HOSTILE.newline}`, `update ${HOSTILE.unicode}`].sort(),
    );
    expect(specs(two.live)).toEqual({
      [HOSTILE.quote]: { databases: ['db-1', 'db-3'], description: '', enabled: true },
      [HOSTILE.newline]: { databases: [], description: '', enabled: true },
      [HOSTILE.unicode]: { databases: [], description: '', enabled: false },
      [`${HOSTILE.markup} WHERE 1 = 1`]: { databases: [], description: '<i>new</i>', enabled: true },
    });
    // adds and deletes went in one call each per reconcile; an added text is never sent twice
    const writes = log.filter((c) => c.operation !== 'ListWhitelists').map((c) => c.operation);
    expect(writes).toEqual(['BatchAddAuditWhitelist', 'BatchAddAuditWhitelist', 'UpdateAuditWhitelist', 'UpdateAuditWhitelist', 'UpdateAuditWhitelist', 'BatchAddAuditWhitelist', 'DeleteAuditWhitelist']);
    const added = log.filter((c) => c.operation === 'BatchAddAuditWhitelist').flatMap((c) => (c.body as { whitelists: { sql: string }[] }).whitelists.map((w) => w.sql));
    expect(new Set(added).size).toBe(added.length);
    // the delete of the old text was sent after a read listed the new text
    const ops = log.map((c) => c.operation);
    const del = ops.lastIndexOf('DeleteAuditWhitelist');
    expect(ops.slice(ops.lastIndexOf('BatchAddAuditWhitelist'), del)).toContain('ListWhitelists');
  });
});
