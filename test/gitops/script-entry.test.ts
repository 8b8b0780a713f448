import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { isEntryPoint, redact, runScript } from '../../src/gitops/script-entry.js';
import { captureIO, tempDir } from './helpers/io.js';

describe('isEntryPoint', () => {
  it('is true for the started script, also through a symlink (npx bin links), and false otherwise', async () => {
    const dir = await tempDir();
    const real = join(dir, 'dist', 'plan-flags.js');
    await mkdir(join(dir, 'dist'));
    await writeFile(real, '');
    await symlink(real, join(dir, 'link.js'));
    const url = pathToFileURL(real).href;
    expect(isEntryPoint(url, real)).toBe(true);
    expect(isEntryPoint(url, join(dir, 'link.js'))).toBe(true);
    expect(isEntryPoint(url, join(dir, 'other.js'))).toBe(false);
    expect(isEntryPoint(url, undefined)).toBe(false);
  });
});

describe('redact', () => {
  it('replaces every occurrence of each secret, ignoring empty and very short values', () => {
    expect(redact('a tok123 b tok123 c', ['tok123', undefined, '', 'a'])).toBe('a *** b *** c');
  });
});

describe('runScript', () => {
  it('turns a user-facing error into one ::error line and exit 1, without the token', async () => {
    const io = captureIO({ GITHUB_TOKEN: 'ghs_TokenInMessage42' }, '/');
    const code = await runScript('dbss-policy test', io, async () => {
      throw new ConfigError('bad value ghs_TokenInMessage42\nsecond line');
    });
    expect(code).toBe(1);
    expect(io.err()).toBe('::error title=dbss-policy test::bad value ***%0Asecond line\n');
    expect(io.out()).toBe('');
  });

  it('calls anything else an internal error', async () => {
    const io = captureIO({}, '/');
    expect(await runScript('dbss-policy test', io, async () => JSON.parse('{') as number)).toBe(1);
    expect(io.err()).toMatch(/^::error title=dbss-policy test::internal error \(a bug, please report it\): SyntaxError: /);
  });
});
