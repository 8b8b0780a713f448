import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Diagnostic } from './diagnostics.js';
import { parsePolicyText } from './parse-documents.js';
import type { PolicyDocument } from './policy-document.js';

/** Largest policy file read (bytes); bigger files are refused unread. */
export const MAX_FILE_BYTES = 1024 * 1024;

/** Files read ahead of parsing. */
const READ_AHEAD = 8;

/** Policy file names: `*.yaml` and `*.yml`. */
const POLICY_FILE = /\.ya?ml$/i;

/** Every document of a policy tree, with the problems met while reading and parsing it. */
export interface PolicyTree {
  /** The policy files found, as shown in messages, sorted. */
  readonly files: readonly string[];
  /** Their mapping documents, in file then document order. */
  readonly documents: readonly PolicyDocument[];
  /** Read and parse problems. */
  readonly diagnostics: readonly Diagnostic[];
}

/** A path relative to `cwd` when inside it, else absolute. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  if (rel === '') return '.';
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/** A directory as shown in messages: its display path with one trailing slash (`policies/`). */
export function displayDir(path: string, cwd: string): string {
  return `${displayPath(path, cwd).replace(/\/+$/, '')}/`;
}

/** Why `path` could not be used: a missing path and a symlink to nothing are told apart. */
async function reason(err: unknown, path: string): Promise<string> {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    const link = await lstat(path).then((s) => s.isSymbolicLink(), () => false);
    return link ? 'a dangling symlink (its target does not exist)' : 'it does not exist';
  }
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  return (err as Error).message;
}

/**
 * Policy files under `dir`, recursively. Hidden entries (`.git`, a Kubernetes `..data`) are
 * skipped, and symlinked directories are not followed (no cycles); symlinked files are read.
 */
async function findFiles(dir: string, problems: { path: string; message: string }[]): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    problems.push({ path: dir, message: `cannot list the directory: ${await reason(err, dir)}` });
    return [];
  }
  const found: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await findFiles(path, problems)));
    else if (POLICY_FILE.test(entry.name)) found.push(path);
  }
  return found;
}

/** Reads one file within the size cap; a string, or why it cannot be read. */
async function readPolicyFile(path: string): Promise<{ text: string } | { problem: string }> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) return { problem: 'cannot read the file: it is a directory' };
    if (!info.isFile()) return { problem: 'cannot read the file: not a regular file' };
    if (info.size > MAX_FILE_BYTES) {
      return { problem: `the file is ${info.size} bytes, over the ${MAX_FILE_BYTES}-byte (1 MiB) limit` };
    }
    const bytes = await readFile(path);
    if (bytes.length > MAX_FILE_BYTES) return { problem: `the file grew over the ${MAX_FILE_BYTES}-byte limit while read` };
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { text };
  } catch (err) {
    if (err instanceof TypeError) return { problem: 'the file is not valid UTF-8 text' };
    return { problem: `cannot read the file: ${await reason(err, path)}` };
  }
}

/** Finds, reads and parses every policy file under `dir` (resolved against `cwd`). */
export async function readPolicyTree(dir: string, cwd: string): Promise<PolicyTree> {
  const root = resolve(cwd, dir);
  const shownRoot = displayDir(root, cwd);
  const whole = (file: string, message: string): Diagnostic =>
    ({ file, line: 0, col: 0, path: '', message, severity: 'error' });
  const unusable = (d: Diagnostic): PolicyTree => ({ files: [], documents: [], diagnostics: [d] });
  try {
    if (!(await stat(root)).isDirectory()) {
      return unusable(whole(displayPath(root, cwd), 'the policies path is not a directory'));
    }
  } catch (err) {
    const why = await reason(err, root);
    const hint = why === 'it does not exist' ? ' (pass --policies DIR; the default is ./policies)' : '';
    return unusable(whole(shownRoot, `cannot open the policies directory: ${why}${hint}`));
  }
  const problems: { path: string; message: string }[] = [];
  const paths = (await findFiles(root, problems)).map((p) => ({ path: p, shown: displayPath(p, cwd) }));
  paths.sort((a, b) => (a.shown < b.shown ? -1 : a.shown > b.shown ? 1 : 0));
  const diagnostics = problems.map((p) => whole(displayDir(p.path, cwd), p.message));
  if (paths.length === 0 && problems.length === 0) {
    diagnostics.push(whole(shownRoot, 'no policy files (*.yaml, *.yml) found'));
  }
  const documents: PolicyDocument[] = [];
  // Files are read a few ahead of the one being parsed, so that waiting for the disk overlaps
  // with parsing; they are still parsed (and reported) in order.
  const reads: (Promise<{ text: string } | { problem: string }> | undefined)[] = [];
  for (const [i, { shown }] of paths.entries()) {
    for (let j = i; j < Math.min(paths.length, i + READ_AHEAD); j++) reads[j] ??= readPolicyFile(paths[j]!.path);
    const read = await reads[i]!;
    reads[i] = undefined;
    if ('problem' in read) {
      diagnostics.push(whole(shown, read.problem));
      continue;
    }
    const parsed = parsePolicyText(read.text.replace(/^\uFEFF/, ''), shown);
    documents.push(...parsed.documents);
    diagnostics.push(...parsed.diagnostics);
  }
  return { files: paths.map((p) => p.shown), documents, diagnostics };
}
