import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { captureIO } from '../gitops/helpers/io.js';

/** `dbss-policy schema`: the schemas for a repository that holds only policies. */

const root = fileURLToPath(new URL('../../', import.meta.url));
const shipped = (name: string) => readFile(join(root, 'schemas', name), 'utf8');

async function schema(args: string[], cwd?: string) {
  const dir = cwd ?? (await mkdtemp(join(tmpdir(), 'dbss-schema-')));
  const io = captureIO({}, dir);
  const code = await run(['schema', ...args], io);
  return { code, out: io.out(), err: io.err(), dir };
}

describe('dbss-policy schema', () => {
  it('--out DIR writes the three schemas (creating DIR) and names each file', async () => {
    const r = await schema(['--out', 'repo/schemas']);
    expect(r).toMatchObject({ code: 0, err: '', out: 'wrote repo/schemas/policy.schema.json\nwrote repo/schemas/plan.schema.json\nwrote repo/schemas/config.schema.json\n' });
    expect(await readFile(join(r.dir, 'repo/schemas/config.schema.json'), 'utf8')).toBe(await shipped('config.schema.json'));
    expect(await readFile(join(r.dir, 'repo/schemas/policy.schema.json'), 'utf8')).toBe(await shipped('policy.schema.json'));
    expect(await readFile(join(r.dir, 'repo/schemas/plan.schema.json'), 'utf8')).toBe(await shipped('plan.schema.json'));
  });

  it('replaces older copies (after an upgrade)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dbss-schema-'));
    await mkdir(join(dir, 'schemas'));
    await writeFile(join(dir, 'schemas/policy.schema.json'), '{"old": true}');
    expect((await schema(['--out', 'schemas'], dir)).code).toBe(0);
    expect(await readFile(join(dir, 'schemas/policy.schema.json'), 'utf8')).toBe(await shipped('policy.schema.json'));
  });

  it('prints the policy schema by default, the plan schema with --name plan', async () => {
    expect((await schema([])).out).toBe(await shipped('policy.schema.json'));
    expect((await schema(['--name', 'plan'])).out).toBe(await shipped('plan.schema.json'));
    expect((await schema(['--name', 'config'])).out).toBe(await shipped('config.schema.json'));
  });

  it('bad usage is exit 1 with the reason', async () => {
    expect(await schema(['--name', 'rules'])).toMatchObject({ code: 1, err: expect.stringContaining('--name must be policy, plan, config; got "rules"') });
    expect(await schema(['--out', 'x', '--name', 'plan'])).toMatchObject({ code: 1, err: expect.stringContaining('--out writes every schema') });
    expect(await schema(['--outt', 'x'])).toMatchObject({ code: 1, err: expect.stringContaining('did you mean --out?') });
  });

  it('a directory that cannot be written is exit 1 naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dbss-schema-'));
    await writeFile(join(dir, 'schemas'), 'a file, not a directory');
    const r = await schema(['--out', 'schemas'], dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^dbss-policy schema: cannot write schemas\/policy\.schema\.json: /);
  });

  it('is listed in the top-level help', async () => {
    const io = captureIO({}, root);
    await run(['--help'], io);
    expect(io.out()).toMatch(/^ {2}schema +write the policy, plan and config JSON Schemas/m);
  });
});
