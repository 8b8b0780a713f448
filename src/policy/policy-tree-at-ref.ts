import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { ConfigError, UsageError } from '../errors.js';

/**
 * The policies directory as it was at a git ref, written to a temporary directory so that the
 * normal loader reads it (same file names relative to the tree, same limits, same checks).
 * Git runs as a child process (`git ls-tree`, `git cat-file --batch`): one process for every
 * blob, whatever the size of the tree.
 */

/** A policy tree checked out from a ref. */
export interface TreeAtRef {
  /** The directory that holds the tree as it was at the ref (empty when the ref had none). */
  readonly dir: string;
  /** The commit the ref resolved to. */
  readonly commit: string;
  /** Files written (blobs and symlinks). */
  readonly files: number;
  /** Removes the temporary directory. */
  dispose(): Promise<void>;
}

/** Runs git in `cwd` and returns stdout; a failure carries git's own message. */
function git(cwd: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', [...args], { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(err, { stderr: String(stderr).trim() }));
      else resolve(stdout);
    });
  });
}

const gitMessage = (err: unknown): string => {
  const e = err as { stderr?: string; code?: unknown; message?: string };
  if (e.code === 'ENOENT') return 'git is not installed (not on PATH)';
  return (e.stderr || e.message || String(err)).split('\n')[0]!;
};

/** Reads the objects in one `git cat-file --batch` process; answers in request order. */
function catFiles(cwd: string, ids: readonly string[]): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`git cat-file failed: ${stderr.trim()}`));
      const all = Buffer.concat(chunks);
      const out: Buffer[] = [];
      let at = 0;
      for (const id of ids) {
        const eol = all.indexOf(0x0a, at);
        const header = all.subarray(at, eol).toString('utf8').split(' ');
        if (header[1] === 'missing' || header.length < 3) return reject(new Error(`git cat-file: object ${id} is missing`));
        const size = Number(header[2]);
        out.push(all.subarray(eol + 1, eol + 1 + size));
        at = eol + 1 + size + 1;
      }
      resolve(out);
    });
    child.stdin.end(ids.map((id) => `${id}\n`).join(''));
  });
}

/**
 * Writes `policiesDir` as it was at `ref` into a fresh temporary directory. A directory that is
 * not in a git work tree, or a ref that names no commit, is a usage error naming both; a
 * policies directory that did not exist at the ref gives an empty tree (everything is new).
 */
export async function policyTreeAtRef(policiesDir: string, ref: string): Promise<TreeAtRef> {
  // A leading dash would be read by git as an option: no ref starts with one.
  if (ref.startsWith('-') || ref.trim() === '') throw new UsageError(`--changed-since: "${ref}" is not a git ref`);
  let top: string;
  try {
    top = (await git(policiesDir, ['rev-parse', '--show-toplevel'])).trim();
  } catch (err) {
    throw new UsageError(`--changed-since needs the policies directory in a git work tree: ${policiesDir}: ${gitMessage(err)}`);
  }
  let commit: string;
  try {
    commit = (await git(top, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim();
  } catch {
    throw new UsageError(
      `--changed-since: unknown git ref "${ref}" in ${top} (in CI, fetch the base commit: actions/checkout with fetch-depth: 0)`,
    );
  }
  const prefix = relative(top, await realpath(policiesDir)).split(sep).join('/');
  const listing = await git(top, ['ls-tree', '-r', '-z', '--full-tree', commit, '--', prefix === '' ? '.' : prefix]).catch(
    (err: unknown) => {
      throw new ConfigError(`--changed-since: cannot list ${prefix || '.'} at ${ref}: ${gitMessage(err)}`);
    },
  );
  const entries = listing
    .split('\0')
    .filter((l) => l !== '')
    .map((l) => {
      const tab = l.indexOf('\t');
      const [mode, type, id] = l.slice(0, tab).split(' ');
      return { mode: mode!, type: type!, id: id!, path: l.slice(tab + 1) };
    })
    // Submodules (commit entries) hold no policy files of this repository.
    .filter((e) => e.type === 'blob');
  const dir = await mkdtemp(join(tmpdir(), 'dbss-policy-at-ref-'));
  try {
    const blobs = await catFiles(top, entries.map((e) => e.id));
    for (const [n, e] of entries.entries()) {
      const rel = prefix === '' ? e.path : e.path.slice(prefix.length + 1);
      const target = join(dir, ...rel.split('/'));
      await mkdir(dirname(target), { recursive: true });
      // A symlink's blob is its target, as git checks it out.
      if (e.mode === '120000') await symlink(blobs[n]!.toString('utf8'), target);
      else await writeFile(target, blobs[n]!);
    }
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw new ConfigError(`--changed-since: cannot read the policies at ${ref}: ${gitMessage(err)}`, { cause: err });
  }
  return { dir, commit, files: entries.length, dispose: () => rm(dir, { recursive: true, force: true }) };
}
