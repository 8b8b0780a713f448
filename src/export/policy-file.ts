import { constants, existsSync } from 'node:fs';
import { lstat, mkdir, open } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { ConfigError, UsageError } from '../errors.js';

/** Where the export of one project goes: `<out>/<region>/<project_id>.yaml`. */
export function exportFilePath(outDir: string, region: string, projectId: string): string {
  return join(outDir, region, `${projectId}.yaml`);
}

/** Where a repository keeps the schema: its own copy, or the one of the installed tool. */
const SCHEMA_PLACES = ['schemas/policy.schema.json', 'node_modules/dbss-policy/schemas/policy.schema.json'];

/**
 * The policy schema that a file at `file` can point its editor to: the nearest
 * `schemas/policy.schema.json` (or `node_modules/dbss-policy/schemas/...`) in the file's
 * directory or above, up to the repository root (a directory with `.git`).
 */
function findSchema(file: string): string | undefined {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const found = SCHEMA_PLACES.map((p) => join(dir, p)).find((p) => existsSync(p));
    if (found) return found;
    if (existsSync(join(dir, '.git')) || dirname(dir) === dir) return undefined;
  }
}

/**
 * The `yaml-language-server: $schema=` path of a file: the schema found by findSchema, relative
 * to the file's directory with forward slashes, so the committed file works on every machine.
 * Undefined when the repository has no schema (the comment is then left out).
 */
export function schemaRefFor(file: string): string | undefined {
  const schema = findSchema(file);
  if (!schema) return undefined;
  const rel = relative(dirname(file), schema);
  return isAbsolute(rel) ? undefined : rel.split(sep).join('/');
}

const refusal = (shown: string): UsageError => new UsageError(`${shown} already exists; pass --force to overwrite it`);

/** Refuses early, before anything is read, when the file exists and overwriting was not asked for. */
export function refuseExisting(file: string, shown: string, force: boolean): void {
  if (!force && existsSync(file)) throw refusal(shown);
}

/** Why a file could not be written, by error code (EEXIST here comes from mkdir meeting a file). */
const REASONS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a parent path is a file, not a directory',
  EEXIST: 'a parent path is a file, not a directory',
};

/**
 * Writes the file (creating its directories); without `force` a file that appeared meanwhile
 * is not replaced. Never through a symbolic link: a link at the file (even with `force`) or at
 * a directory below `root` (the --out directory) is refused, and the file is opened with
 * O_NOFOLLOW, so a link planted between the check and the write is refused too.
 */
export async function writePolicyFile(file: string, shown: string, text: string, force: boolean, root?: string): Promise<void> {
  const failure = (err: unknown): ConfigError => {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const reason = code === 'ELOOP' ? 'it is a symbolic link; export never writes through one' : (REASONS[code] ?? (err as Error).message);
    return new ConfigError(`cannot write ${shown}: ${reason}`, { cause: err });
  };
  await refuseSymlinks(file, shown, root);
  await mkdir(dirname(file), { recursive: true }).catch((err: unknown) => {
    throw failure(err);
  });
  await refuseSymlinks(file, shown, root);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | (force ? constants.O_TRUNC : constants.O_EXCL);
  const handle = await open(file, flags, 0o644).catch((err: unknown) => {
    throw (err as NodeJS.ErrnoException).code === 'EEXIST' ? refusal(shown) : failure(err);
  });
  try {
    await handle.writeFile(text, 'utf8');
  } finally {
    await handle.close();
  }
}

/** Refuses when the file, or a directory between `root` and it, is a symbolic link. */
async function refuseSymlinks(file: string, shown: string, root: string | undefined): Promise<void> {
  const paths = [file];
  if (root !== undefined && !relative(root, file).startsWith('..')) {
    for (let dir = dirname(file); dir.length > root.length && dir !== dirname(dir); dir = dirname(dir)) paths.push(dir);
  }
  for (const p of paths) {
    const link = await lstat(p).then((s) => s.isSymbolicLink(), () => false);
    if (link) {
      const what = p === file ? 'it is a symbolic link' : `its directory ${relative(root ?? dirname(p), p)} is a symbolic link`;
      throw new ConfigError(`cannot write ${shown}: ${what}; export never writes through one`);
    }
  }
}
