import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportFilePath, refuseExisting, schemaRefFor, writePolicyFile } from '../../src/export/policy-file.js';

let dir: string;
const touch = async (file: string) => {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, '{}');
};
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dbss-export-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('policy files of an export', () => {
  it('puts a project at <out>/<region>/<project_id>.yaml', () => {
    expect(exportFilePath('exported', 'cn-north-4', 'abc')).toBe(join('exported', 'cn-north-4', 'abc.yaml'));
  });

  it('points the schema comment at the nearest schema of the repository, relative to the file', async () => {
    await touch(join(dir, 'repo/.git/HEAD'));
    await touch(join(dir, 'repo/schemas/policy.schema.json'));
    expect(schemaRefFor(join(dir, 'repo/policies/cn-north-4/p.yaml'))).toBe('../../schemas/policy.schema.json');
    expect(schemaRefFor(join(dir, 'repo/p.yaml'))).toBe('schemas/policy.schema.json');
  });

  it("uses the installed tool's schema when the repository has no copy", async () => {
    await touch(join(dir, 'repo/.git/HEAD'));
    await touch(join(dir, 'repo/node_modules/dbss-policy/schemas/policy.schema.json'));
    expect(schemaRefFor(join(dir, 'repo/exported/cn-east-3/p.yaml'))).toBe('../../node_modules/dbss-policy/schemas/policy.schema.json');
  });

  it('looks no further than the repository root, and gives none when nothing is found', async () => {
    await touch(join(dir, 'schemas/policy.schema.json'));
    await touch(join(dir, 'repo/.git/HEAD'));
    expect(schemaRefFor(join(dir, 'repo/policies/p.yaml'))).toBeUndefined();
  });

  it('finds this repository\'s schema for its policies/', () => {
    expect(schemaRefFor(join(import.meta.dirname, '../../policies/cn-north-4/p.yaml'))).toBe('../../schemas/policy.schema.json');
  });

  it('creates directories, refuses an existing file without force, and replaces it with force', async () => {
    const file = join(dir, 'out/cn-north-4/p.yaml');
    await writePolicyFile(file, 'p.yaml', 'version: 1\n', false);
    expect(await readFile(file, 'utf8')).toBe('version: 1\n');
    expect(() => refuseExisting(file, 'p.yaml', false)).toThrow('p.yaml already exists; pass --force to overwrite it');
    expect(() => refuseExisting(file, 'p.yaml', true)).not.toThrow();
    await expect(writePolicyFile(file, 'p.yaml', 'other\n', false)).rejects.toThrow('p.yaml already exists');
    expect(await readFile(file, 'utf8')).toBe('version: 1\n');
    await writePolicyFile(file, 'p.yaml', 'other\n', true);
    expect(await readFile(file, 'utf8')).toBe('other\n');
  });

  it('says which file could not be written and why', async () => {
    const blocker = join(dir, 'not-a-dir');
    await writeFile(blocker, '');
    await expect(writePolicyFile(join(blocker, 'p.yaml'), 'not-a-dir/p.yaml', 'x', false)).rejects.toThrow('cannot write not-a-dir/p.yaml: a parent path is a file, not a directory');
  });

  it('never writes through a symbolic link, with or without --force', async () => {
    const outside = join(dir, 'outside.txt');
    await writeFile(outside, 'precious\n');
    const out = join(dir, 'out');
    const file = join(out, 'cn-north-4/p.yaml');
    await mkdir(dirname(file), { recursive: true });
    await symlink(outside, file);
    for (const force of [false, true]) {
      await expect(writePolicyFile(file, 'p.yaml', 'version: 1\n', force, out)).rejects.toThrow('cannot write p.yaml: it is a symbolic link; export never writes through one');
    }
    // a dangling link (the target does not exist yet) is refused too
    const dangling = join(out, 'cn-north-4/q.yaml');
    await symlink(join(dir, 'not-yet.txt'), dangling);
    await expect(writePolicyFile(dangling, 'q.yaml', 'x', true, out)).rejects.toThrow('it is a symbolic link');
    // a linked directory below --out
    await mkdir(join(dir, 'elsewhere'));
    await symlink(join(dir, 'elsewhere'), join(out, 'cn-east-3'));
    await expect(writePolicyFile(join(out, 'cn-east-3/p.yaml'), 'r.yaml', 'x', true, out)).rejects.toThrow('cannot write r.yaml: its directory cn-east-3 is a symbolic link');
    expect(await readFile(outside, 'utf8')).toBe('precious\n');
    await expect(readFile(join(dir, 'not-yet.txt'))).rejects.toThrow();
    await expect(readFile(join(dir, 'elsewhere/p.yaml'))).rejects.toThrow();
  });
});
