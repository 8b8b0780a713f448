import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/run-in-process.js';

/**
 * The repository config file (dbss-policy.yaml or --config FILE) and the environment as sources
 * of flag values: flags > environment > file > defaults, shown by --help, checked like policies.
 */

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dbss-settings-'));
  const plan = { formatVersion: 1, toolVersion: '0.1.0', liveFingerprint: 'a'.repeat(64), desiredHash: 'b'.repeat(64), targets: [], changes: [], notes: [], errors: [], refusals: [], selectors: [] };
  await writeFile(join(dir, 'plan.json'), JSON.stringify(plan));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cli = (args: string[], env: Record<string, string> = {}) => runInProcess(args, { cwd: dir, env });
const config = (text: string, name = 'dbss-policy.yaml') => writeFile(join(dir, name), text);

/** Which format `show` printed the (empty) plan in. */
const shownAs = (stdout: string): string => (stdout.startsWith('### dbss-policy plan') ? 'markdown' : stdout.startsWith('{') ? 'json' : stdout === 'No changes.\n' ? 'text' : `? ${stdout}`);

describe('precedence: flags > environment > config file > defaults', () => {
  it('each layer wins over the ones below it', async () => {
    expect(shownAs((await cli(['show', 'plan.json'])).stdout)).toBe('text');
    await config('format: markdown\n');
    expect(shownAs((await cli(['show', 'plan.json'])).stdout)).toBe('markdown');
    expect(shownAs((await cli(['show', 'plan.json'], { DBSS_POLICY_FORMAT: 'json' })).stdout)).toBe('json');
    expect(shownAs((await cli(['show', 'plan.json', '--format', 'text'], { DBSS_POLICY_FORMAT: 'json' })).stdout)).toBe('text');
    expect(shownAs((await cli(['show', 'plan.json', '--format=text'])).stdout)).toBe('text');
  });

  it('a boolean true in the file turns its flag on; false in the environment turns it off again', async () => {
    await config(`policies: ${JSON.stringify(join(import.meta.dirname, '../../policies'))}\nfail-on-weakening: true\n`);
    const on = await cli(['plan', '--emulator']);
    expect(on.code).toBe(1);
    expect(on.stderr).toMatch(/weaken/);
    const off = await cli(['plan', '--emulator'], { DBSS_POLICY_FAIL_ON_WEAKENING: 'false' });
    expect(off.code).toBe(0);
    expect(off.stdout).toContain('- delete legacy-export');
  });

  it('--help shows each value in effect and where it came from', async () => {
    await config('rate-limit: 20/s\nfail-on-weakening: true\nconcurrency: 4\n');
    const r = await cli(['plan', '--help', '--concurrency', '2'], { DBSS_POLICY_FAIL_ON_WEAKENING: 'false', DBSS_ENDPOINT: 'https://dbss.example.test' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Settings in effect (flags > environment > config file > defaults); config file: ${join(dir, 'dbss-policy.yaml')}\n`);
    expect(r.stdout).toMatch(/^ {2}--rate-limit +20\/s +\(from dbss-policy\.yaml:1\)$/m);
    expect(r.stdout).toMatch(/^ {2}--fail-on-weakening +false +\(from DBSS_POLICY_FAIL_ON_WEAKENING\)$/m);
    expect(r.stdout).toMatch(/^ {2}--endpoint +https:\/\/dbss\.example\.test +\(from DBSS_ENDPOINT\)$/m);
    expect(r.stdout).toMatch(/^ {2}--concurrency +as given +\(command line\)$/m);
    expect(r.stdout).toMatch(/^ {2}--timeout +default +\(env DBSS_POLICY_TIMEOUT, or the config file\)$/m);
  });

  it('says when there is no config file', async () => {
    const r = await cli(['validate', '--help']);
    expect(r.stdout).toContain('config file: none (no dbss-policy.yaml here; --config FILE names one)');
    const settings = r.stdout.split('Settings in effect')[1]!;
    // validate has two settings; its --format (text, json, github) is not the plans' format
    expect(settings.split('\n').filter((l) => l.startsWith('  --'))).toEqual([
      '  --policies           default  (env DBSS_POLICY_POLICIES, or the config file)',
      '  --fail-on-guardrail  default  (env DBSS_POLICY_FAIL_ON_GUARDRAIL, or the config file)',
    ]);
  });

  it('a path in the file is relative to the file, and --config names another file', async () => {
    await mkdir(join(dir, 'infra', 'dbss'), { recursive: true });
    await writeFile(join(dir, 'infra', 'dbss', 'a.yaml'), 'version: 1\nregion: cn-north-4\nproject_id: 0f1e2d3c4b5a69788796a5b4c3d2e1f0\ninstances:\n  - name: x\n');
    await config('policies: dbss\n', 'infra/repo.yaml');
    const r = await cli(['validate', '--config', 'infra/repo.yaml']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^infra\/dbss\/: 1 file, .*valid/m);
    const missing = await cli(['validate']);
    expect(missing.code).toBe(1);
    expect(missing.stdout + missing.stderr).toContain('policies');
  });
});

describe('errors', () => {
  it('lists every problem of the config file as file:line:col $.key: message, and runs nothing', async () => {
    await config('format: yaml\nconcurency: 3\nrate-limit: fast\nmax-change-ratio: 2\n');
    const r = await cli(['show', 'plan.json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      [
        'dbss-policy show: invalid config file dbss-policy.yaml; nothing was run:',
        '  dbss-policy.yaml:1:9 $.format: must be one of text, markdown, json, github (got "yaml")',
        '  dbss-policy.yaml:2:1 $.concurency: unknown key "concurency" (did you mean "concurrency"?)',
        '  dbss-policy.yaml:3:13 $["rate-limit"]: must be a request budget such as 10/s, 600/min or 1000/h, or auto (got "fast")',
        '  dbss-policy.yaml:4:19 $["max-change-ratio"]: must be at most 1 (got 2)',
        '',
      ].join('\n'),
    );
  });

  it('names a YAML syntax error by line and column', async () => {
    await config('format: [text\n');
    const r = await cli(['show', 'plan.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^dbss-policy show: invalid config file dbss-policy\.yaml; nothing was run:\n {2}dbss-policy\.yaml:\d+:\d+: YAML syntax error/);
  });

  it('names the environment variable of a bad value, never another', async () => {
    const r = await cli(['plan', '--emulator'], { DBSS_POLICY_CONCURRENCY: 'many' });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('dbss-policy plan: DBSS_POLICY_CONCURRENCY="many": must be an integer (got "many")\n');
  });

  it('refuses a --config file that cannot be read, and --config on a command without settings', async () => {
    const r = await cli(['show', 'plan.json', '--config', 'nope.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('dbss-policy show: cannot read config file nope.yaml: ENOENT\n');
    const schema = await cli(['schema', '--config', 'x.yaml']);
    expect(schema.code).toBe(1);
    expect(schema.stderr).toContain('unknown option --config');
  });
});
