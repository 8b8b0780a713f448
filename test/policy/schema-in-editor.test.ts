import { mkdir, mkdtemp, readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type * as YamlLanguageService from 'yaml-language-server/lib/umd/languageservice/yamlLanguageService.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { schemaRefFor } from '../../src/export/policy-file.js';
import { renderPolicyYaml } from '../../src/export/policy-yaml.js';
import { captureIO } from '../gitops/helpers/io.js';

/**
 * The schema driven through the YAML language server, the engine of the VS Code "YAML"
 * extension (and of Neovim's and JetBrains' YAML support): what a person editing a policy file
 * sees. Schemas are read from disk through the server's schema request hook, as the extension does.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);
const yls = require('yaml-language-server/lib/umd/languageservice/yamlLanguageService.js') as typeof YamlLanguageService;

type Settings = Parameters<YamlLanguageService.LanguageService['configure']>[0];

function service(settings: Settings = {}): YamlLanguageService.LanguageService {
  const ls = yls.getLanguageService({
    schemaRequestService: (uri) => readFile(fileURLToPath(uri), 'utf8'),
    workspaceContext: { resolveRelativePath: (rel, resource) => new URL(rel, resource).href },
  });
  ls.configure({ validate: true, completion: true, yamlVersion: '1.2', ...settings });
  return ls;
}

let documents = 0;
/** A document at `path` (the server caches by URI and version, so each opening gets its own version). */
const open = (path: string, text: string) => TextDocument.create(pathToFileURL(path).href, 'yaml', ++documents, text);

async function problems(ls: YamlLanguageService.LanguageService, path: string, text: string): Promise<string[]> {
  const found = await ls.doValidation(open(path, text), false);
  return found.map((d) => `${d.range.start.line + 1}: ${d.message}`);
}

const MODELINE = '# yaml-language-server: $schema=../schemas/policy.schema.json\n';
const body = (extra: string) => `version: 1\nregion: cn-north-4\nproject_id: 0123456789abcdef0123456789abcdef\n${extra}: 1\n`;
const policyFile = join(root, 'policies', 'two-documents.yaml');

describe('the schema in the YAML language server', () => {
  it('a modeline covers its own document only: the second document of a file goes unchecked without one', async () => {
    const text = `${MODELINE}${body('first_typo')}---\n${body('second_typo')}`;
    expect(await problems(service(), policyFile, text)).toEqual(['5: Property first_typo is not allowed.']);
  });

  it('with the modeline on every document, both documents are checked', async () => {
    const text = `${MODELINE}${body('first_typo')}---\n${MODELINE}${body('second_typo')}`;
    expect(await problems(service(), policyFile, text)).toEqual(['5: Property first_typo is not allowed.', '11: Property second_typo is not allowed.']);
  });

  it('the yaml.schemas setting (fileMatch) checks every document without modelines', async () => {
    const schemas = [{ uri: pathToFileURL(join(root, 'schemas/policy.schema.json')).href, fileMatch: ['**/policies/**/*.yaml'] }];
    const text = `${body('first_typo')}---\n${body('second_typo')}`;
    expect(await problems(service({ schemas }), policyFile, text)).toEqual(['4: Property first_typo is not allowed.', '9: Property second_typo is not allowed.']);
  });

  it('completing risk_rules inserts a rule with its required keys (the enums say type: string)', async () => {
    const text = `${MODELINE}${body('x').replace('x: 1\n', '')}instances:\n  - name: prod-audit\n    `;
    const lines = text.split('\n');
    const list = await service().doComplete(open(policyFile, text), { line: lines.length - 1, character: lines.at(-1)!.length }, false);
    const riskRules = list.items.find((i) => i.label === 'risk_rules');
    expect(riskRules?.insertText).toMatch(/^risk_rules:\n\s+- name: \$1\n\s+risk_level: \$2\n/);
  });

  it('has an $id, and every shipped policy document carries the modeline', async () => {
    const schema = JSON.parse(await readFile(join(root, 'schemas/policy.schema.json'), 'utf8')) as Record<string, unknown>;
    expect(schema['$id']).toBe('https://github.com/dbss-policy/dbss-policy/schemas/policy.schema.json');
    const files = (await readdir(join(root, 'policies'), { recursive: true })).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      const text = await readFile(join(root, 'policies', file), 'utf8');
      const docs = text.split(/^---$/m);
      const rel = relative(join(root, 'policies', file, '..'), join(root, 'schemas/policy.schema.json'));
      for (const [i, doc] of docs.entries()) expect(doc.trimStart().startsWith(`# yaml-language-server: $schema=${rel}\n`), `${file} document ${i + 1}`).toBe(true);
      expect(await problems(service(), join(root, 'policies', file), text), file).toEqual([]);
    }
  });
});

describe('a policies-only repository: dbss-policy schema --out schemas, then export', () => {
  let repo: string;
  beforeAll(async () => {
    repo = await mkdtemp(join(tmpdir(), 'dbss-policies-repo-'));
    await mkdir(join(repo, '.git'));
    const io = captureIO({}, repo);
    expect(await run(['schema', '--out', 'schemas'], io)).toBe(0);
    expect(io.out()).toBe('wrote schemas/policy.schema.json\nwrote schemas/plan.schema.json\nwrote schemas/config.schema.json\n');
  });

  it('writes the three schemas, the same as the shipped ones', async () => {
    for (const name of ['policy.schema.json', 'plan.schema.json', 'config.schema.json']) {
      expect(await readFile(join(repo, 'schemas', name), 'utf8')).toBe(await readFile(join(root, 'schemas', name), 'utf8'));
    }
  });

  it('export points its modeline at that schema, and the language server resolves it and checks the file', async () => {
    const file = join(repo, 'policies', 'cn-north-4', '0123456789abcdef0123456789abcdef.yaml');
    const ref = schemaRefFor(file);
    expect(ref).toBe('../../schemas/policy.schema.json');
    const text = renderPolicyYaml(
      { region: 'cn-north-4', projectId: '0123456789abcdef0123456789abcdef', summaryTasks: [], ruleSets: [], instances: [], notes: [] },
      { schemaRef: ref! },
    );
    expect(text.startsWith(`# yaml-language-server: $schema=${ref}\n`)).toBe(true);
    expect(await problems(service(), file, text)).toEqual([]);
    expect(await problems(service(), file, text.replace('version: 1', 'version: 2'))).toEqual([expect.stringMatching(/^\d+: Value must be 1\.?$/)]);
  });

  it('without schemas/ in the repository, export leaves the modeline out rather than point at nothing', () => {
    expect(schemaRefFor(join(tmpdir(), 'no-such-repo', 'policies', 'p.yaml'))).toBeUndefined();
  });
});
