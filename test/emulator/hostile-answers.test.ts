import { describe, expect, it } from 'vitest';
import { call } from './helpers/call.js';
import { emulator, P1, PROD, paths, ruleBody } from './helpers/fixtures.js';

/** The emulator's hostile answers (EmulatorOptions.hostileAnswers), seen on the wire. */

const list = async (url: string) => (await call(url, 'GET', `${paths.rulesNew(P1, PROD)}?limit=1000`)).json;

describe('hostileAnswers', () => {
  it('ruleIds: created rules get ids in four hostile forms in turn; a switch acts on every comma-separated part that names a rule', async () => {
    const emu = await emulator({ hostileAnswers: { ruleIds: true } });
    for (const name of ['a', 'b', 'c', 'd', 'e']) expect((await call(emu.url, 'POST', paths.create(P1, PROD), { body: ruleBody(name) })).json).toEqual({ status: 'SUCCESS' });
    const rules: { id: string; name: string; status: string }[] = (await list(emu.url)).rules;
    const first = rules[0]!;
    const id = (name: string) => rules.find((r) => r.name === name)!.id;
    expect(id('a')).toMatch(new RegExp(`^\\w{20},${first.id}$`));
    expect(id('b')).toMatch(new RegExp(`^\\w{20} ${first.id}$`));
    expect(id('c')).toMatch(new RegExp(`^\\w{20}/\\.\\./${first.id}$`));
    expect(id('d')).toMatch(/^\w{20}\u0007$/);
    expect(id('e')).toMatch(new RegExp(`^\\w{20},${first.id}$`));
    const switched = await call(emu.url, 'POST', paths.switchV2(P1, PROD), { body: { ids: id('a'), status: 'OFF' } });
    expect(switched.json).toEqual({ status: 'SUCCESS' });
    expect(emu.state.projects[P1]!.instances.find((i) => i.id === PROD)!.rules[0]).toMatchObject({ id: first.id, status: 'OFF' });
  });

  it('builtInType: built-in rules listed as BUILT_IN, and no customize_total', async () => {
    const emu = await emulator({ hostileAnswers: { builtInType: true } });
    const body = await list(emu.url);
    expect(body).not.toHaveProperty('customize_total');
    expect(new Set(body.rules.map((r: { rule_type: string }) => r.rule_type))).toEqual(new Set(['BUILT_IN', 'CUSTOMIZE']));
  });

  it('lyingCreate: SUCCESS and nothing stored; once per name lets the second create land', async () => {
    const always = await emulator({ hostileAnswers: { lyingCreate: 'always' } });
    const before = (await list(always.url)).total;
    for (let i = 0; i < 2; i++) expect((await call(always.url, 'POST', paths.create(P1, PROD), { body: ruleBody('n') })).json).toEqual({ status: 'SUCCESS' });
    expect((await list(always.url)).total).toBe(before);
    const once = await emulator({ hostileAnswers: { lyingCreate: 'once' } });
    await call(once.url, 'POST', paths.create(P1, PROD), { body: ruleBody('n') });
    expect((await list(once.url)).total).toBe(before);
    await call(once.url, 'POST', paths.create(P1, PROD), { body: ruleBody('n') });
    expect((await list(once.url)).total).toBe(before + 1);
  });
});
