import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docPages } from '../helpers/doc-pages.js';

/**
 * The install path a user takes: `npm pack` the project, `npm install -g` the tarball into a
 * fresh prefix, run the installed `dbss-policy`. One pack and one install per run. The pack uses
 * the dist/ that `npm test` just built (pretest) with scripts off, so it never rebuilds dist/
 * under the other tests; dependencies come from the npm cache that `npm ci` filled.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
// Installing from the cache can take a while on a busy machine; this bound is far from reach.
const SLOW = 300_000;

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program; never rejects, the exit code is part of the result. */
function exec(file: string, args: readonly string[], cwd: string, more: Record<string, string> = {}): Promise<Result> {
  // Only what npm and node need: no npm_config_* of the `npm test` that started us.
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? tmpdir(), NO_COLOR: '1', npm_config_update_notifier: 'false', ...more };
  return new Promise((resolve) => {
    execFile(file, [...args], { cwd, env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

let work: string;
let tarball: string;
let packed: string[];
let bin: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'dbss-pack-'));
  const pack = await exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], root);
  if (pack.code !== 0) throw new Error(`npm pack failed (${pack.code}):\n${pack.stderr}`);
  const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  tarball = join(work, info!.filename);
  packed = info!.files.map((f) => f.path);
  const prefix = join(work, 'prefix');
  // --prefix alone would move npm's global config to PREFIX/etc/npmrc and drop a CA file,
  // registry or proxy set in the user's: name the user's own.
  const globalconfig = (await exec('npm', ['config', 'get', 'globalconfig'], work)).stdout.trim();
  const install = await exec('npm', ['install', '-g', '--prefix', prefix, '--globalconfig', globalconfig, '--prefer-offline', '--no-audit', '--no-fund', tarball], work);
  if (install.code !== 0) throw new Error(`npm install -g of the tarball failed (${install.code}):\n${install.stderr}`);
  bin = join(prefix, 'bin', 'dbss-policy');
}, SLOW);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('packs the built CLI and both schemas, and no sources or tests', () => {
    expect(packed).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/src/cli/main.js', 'dist/src/gitops/sticky-comment.js', 'schemas/policy.schema.json', 'schemas/plan.schema.json', 'schemas/config.schema.json']));
    expect(packed.filter((p) => /^(src|test|bench|policies|\.github)\//.test(p) || p.endsWith('.ts'))).toEqual([]);
  });

  it('packs the documentation the README links to: every page of docs/', () => {
    expect(packed).toEqual(expect.arrayContaining(docPages()));
  });

  it('ships the MIT licence the package declares', async () => {
    expect(packed).toContain('LICENSE');
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { license: string; files: string[] };
    expect(pkg.license).toBe('MIT');
    expect(pkg.files).toContain('LICENSE');
    const text = await readFile(join(root, 'LICENSE'), 'utf8');
    expect(text).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} dbss-policy contributors\n/);
    expect(text).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
  });

  it('declares where the project lives and builds on install from source', async () => {
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg['repository']).toMatchObject({ type: 'git', url: expect.stringMatching(/^git\+https:\/\/github\.com\/[\w-]+\/dbss-policy\.git$/) });
    expect(pkg['homepage']).toMatch(/^https:\/\/github\.com\/[\w-]+\/dbss-policy/);
    expect(pkg['bugs']).toMatchObject({ url: expect.stringMatching(/\/issues$/) });
    expect((pkg['scripts'] as Record<string, string>)['prepare']).toBe('node scripts/build-on-install.mjs');
  });
});

describe('npx in the checkout', () => {
  it('runs the checkout\'s own dbss-policy (dist/ built by npm ci), without asking the registry', async () => {
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
    const main = join(root, 'dist/src/cli/main.js');
    const before = (await stat(main)).mtimeMs;
    // A cache of its own: npx links the checkout into it afresh, as on a machine that never ran it.
    const r = await exec('npx', ['--no-install', 'dbss-policy', '--version'], root, { npm_config_cache: join(work, 'npx-cache') });
    expect(r, r.stderr).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    // npm runs `prepare` for the linked checkout: it must not rebuild dist/ under the other tests.
    expect((await stat(main)).mtimeMs).toBe(before);
  });
});

describe('the installed dbss-policy', () => {
  it('prints the version of package.json', async () => {
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
    const r = await exec(bin, ['--version'], work);
    expect(r).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  it('validates the example policies with the schema it ships', async () => {
    const r = await exec(bin, ['validate', '--policies', join(root, 'policies')], work);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/: 6 files, .* valid( \(\d+ warnings?\))?\n$/);
  });

  it('finds a mistake in a policy, naming the file, the line and the field', async () => {
    const dir = join(work, 'bad');
    await mkdir(dir);
    await writeFile(join(dir, 'p.yaml'), 'version: 1\nregion: cn-north-4\nproject_id: 0123456789abcdef0123456789abcdef\nsummary_tasks:\n  ALL: maybe\n');
    const r = await exec(bin, ['validate', '--policies', dir], work);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/p\.yaml:5:\d+ .*summary_tasks/);
  });
});
