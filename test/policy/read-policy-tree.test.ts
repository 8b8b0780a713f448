import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnosticLine } from '../../src/policy/diagnostics.js';
import { MAX_FILE_BYTES, readPolicyTree } from '../../src/policy/read-policy-tree.js';
import { header, useTempTrees } from './policy-fixtures.js';

const tree = useTempTrees();
const ok = `${header()}summary_tasks: {risk: on}\n`;

describe('readPolicyTree', () => {
  it('finds *.yaml and *.yml recursively, sorted, skipping hidden entries and other files', async () => {
    const root = await tree({
      'b.yml': ok,
      'a/z.YAML': ok,
      'a.yaml': ok,
      'notes.txt': 'not a policy',
      '.hidden.yaml': ': broken',
      '.git/x.yaml': ': broken',
      '..data/y.yaml': ': broken',
    });
    const result = await readPolicyTree('.', root);
    expect(result.files).toEqual(['a.yaml', 'a/z.YAML', 'b.yml']);
    expect(result.documents).toHaveLength(3);
    expect(result.diagnostics).toEqual([]);
  });

  it('shows paths relative to the working directory, or absolute outside it', async () => {
    const root = await tree({ 'policies/p.yaml': ok });
    expect((await readPolicyTree('policies', root)).files).toEqual(['policies/p.yaml']);
    const outside = await tree({});
    const abs = join(root, 'policies');
    expect((await readPolicyTree(abs, outside)).files).toEqual([join(abs, 'p.yaml')]);
  });

  it('reports an empty directory, a directory without policy files, a missing one and a file', async () => {
    const root = await tree({ 'docs/readme.md': '#', 'file.yaml': ok });
    await mkdir(join(root, 'empty'));
    const messages = async (dir: string) => (await readPolicyTree(dir, root)).diagnostics.map(formatDiagnosticLine);
    expect(await messages('empty')).toEqual(['empty/: no policy files (*.yaml, *.yml) found']);
    expect(await messages('docs')).toEqual(['docs/: no policy files (*.yaml, *.yml) found']);
    expect(await messages('nowhere')).toEqual([
      'nowhere/: cannot open the policies directory: it does not exist (pass --policies DIR; the default is ./policies)',
    ]);
    await symlink(join(root, 'gone'), join(root, 'link'));
    expect(await messages('link')).toEqual(['link/: cannot open the policies directory: a dangling symlink (its target does not exist)']);
    expect(await messages('file.yaml')).toEqual(['file.yaml: the policies path is not a directory']);
  });

  it('refuses a file over the size cap without parsing it', async () => {
    const big = `${header()}# ${'x'.repeat(MAX_FILE_BYTES)}\n`;
    const root = await tree({ 'big.yaml': big, 'ok.yaml': ok });
    const result = await readPolicyTree('.', root);
    expect(result.diagnostics.map(formatDiagnosticLine)).toEqual([
      `big.yaml: the file is ${Buffer.byteLength(big)} bytes, over the ${MAX_FILE_BYTES}-byte (1 MiB) limit`,
    ]);
    expect(result.documents.map((d) => d.file)).toEqual(['ok.yaml']);
  });

  it('reports unreadable entries (a dangling symlink, a symlink to a directory) and reads the rest', async () => {
    // chmod 000 does not stop root, so unreadable files are made of symlinks instead.
    const root = await tree({ 'ok.yaml': ok, 'real/inner.yaml': ok });
    await symlink(join(root, 'missing.yaml'), join(root, 'dangling.yaml'));
    await symlink(join(root, 'real'), join(root, 'dir-link.yaml'));
    await symlink(join(root, 'ok.yaml'), join(root, 'z-link.yml'));
    const result = await readPolicyTree('.', root);
    expect(result.diagnostics.map(formatDiagnosticLine)).toEqual([
      'dangling.yaml: cannot read the file: a dangling symlink (its target does not exist)',
      'dir-link.yaml: cannot read the file: it is a directory',
    ]);
    expect(result.documents.map((d) => d.file)).toEqual(['ok.yaml', 'real/inner.yaml', 'z-link.yml']);
  });

  it('treats a directory named like a policy file as a directory', async () => {
    const root = await tree({ 'team.yaml/p.yaml': ok });
    const result = await readPolicyTree('.', root);
    expect(result.files).toEqual(['team.yaml/p.yaml']);
    expect(result.diagnostics).toEqual([]);
  });

  it('rejects bytes that are not UTF-8 text', async () => {
    const root = await tree({ 'bin.yaml': new Uint8Array([0x76, 0x3a, 0x20, 0xff, 0xfe, 0x0a]) });
    expect((await readPolicyTree('.', root)).diagnostics.map(formatDiagnosticLine)).toEqual([
      'bin.yaml: the file is not valid UTF-8 text',
    ]);
  });

  it('ignores a UTF-8 byte order mark', async () => {
    const root = await tree({ 'bom.yaml': `\uFEFF${ok}` });
    const result = await readPolicyTree('.', root);
    expect(result.diagnostics).toEqual([]);
    expect(result.documents[0]?.locate(['region'])).toEqual({ file: 'bom.yaml', line: 2, col: 9 });
  });
});
