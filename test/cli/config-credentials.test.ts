import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/cli/config-file.js';
import { runInProcess } from '../helpers/run-in-process.js';

/**
 * The credentials map of the repository config file: it names environment variables, never
 * values; anything that looks like a key written where a name belongs is refused at its line,
 * and the value never appears in the message.
 */

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dbss-config-credentials-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const PROJECT = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const POLICIES = join(import.meta.dirname, '../../policies');
/** What a pasted Huawei Cloud key pair looks like: a 20-character AK, a 40-character SK. */
const PASTED_AK = 'HPUAL3JZQ4N0XKD7VWE2';
const PASTED_SK = 'q8Zr1Lw0Yk3Vb6Nf9Tg2Hs5Jd8Mc1Xp4Ra7Ue0Io';

const write = (text: string) => writeFile(join(dir, 'dbss-policy.yaml'), text);
const loadError = async (): Promise<string> => {
  try {
    await loadConfigFile(dir);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('the config file was accepted');
};

describe('the credentials map of dbss-policy.yaml', () => {
  it('reads each entry with its line; the flag settings beside it are unchanged', async () => {
    await write(`rate-limit: 5/s
credentials:
  - name: prod
    projects: [${PROJECT}]
    access_key_env: DBSS_PROD_AK
    secret_key_env: DBSS_PROD_SK
  - name: eu
    regions: [eu-west-101]
    access_key_env: DBSS_EU_AK
    secret_key_env: DBSS_EU_SK
    security_token_env: DBSS_EU_TOKEN
`);
    const config = await loadConfigFile(dir);
    expect(Object.keys(config!.entries)).toEqual(['rate-limit']);
    expect(config!.credentials).toEqual([
      { name: 'prod', projects: [PROJECT], accessKeyEnv: 'DBSS_PROD_AK', secretKeyEnv: 'DBSS_PROD_SK', at: 'dbss-policy.yaml:3' },
      { name: 'eu', regions: ['eu-west-101'], accessKeyEnv: 'DBSS_EU_AK', secretKeyEnv: 'DBSS_EU_SK', securityTokenEnv: 'DBSS_EU_TOKEN', at: 'dbss-policy.yaml:7' },
    ]);
  });

  it('refuses key values written where variable names belong, at their lines, without showing them', async () => {
    await write(`credentials:
  - name: prod
    projects: [${PROJECT}]
    access_key_env: ${PASTED_AK}
    secret_key_env: ${PASTED_SK}
  - name: staging
    regions: [cn-north-4]
    access_key_env: DBSS_STAGING_AK
    secret_key: ${PASTED_SK}
`);
    const message = await loadError();
    expect(message).toContain('invalid config file dbss-policy.yaml; nothing was run');
    expect(message).toContain('dbss-policy.yaml:4:21 $.credentials[0].access_key_env: looks like a key value, not the name of an environment variable (the value is not shown here)');
    expect(message).toContain('dbss-policy.yaml:5:21 $.credentials[0].secret_key_env: must be an environment variable name (upper-case letters, digits and _): it looks like a key value');
    expect(message).toContain('dbss-policy.yaml:9:5 $.credentials[1].secret_key: "secret_key" would hold the key itself: the config file names environment variables, never values; write secret_key_env: THE_VARIABLE');
    expect(message).toContain('dbss-policy.yaml:6:5 $.credentials[1].secret_key_env: missing required key "secret_key_env"');
    expect(message).not.toContain(PASTED_AK);
    expect(message).not.toContain(PASTED_SK);
    expect(message).not.toContain(PASTED_SK.slice(0, 12));
  });

  it('refuses a name used twice, the reserved name default, and an entry that would match every project', async () => {
    await write(`credentials:
  - name: prod
    projects: [${PROJECT}]
    access_key_env: A_AK
    secret_key_env: A_SK
  - name: prod
    regions: [cn-east-3]
    access_key_env: B_AK
    secret_key_env: B_SK
  - name: default
    access_key_env: C_AK
    secret_key_env: C_SK
`);
    const message = await loadError();
    expect(message).toContain('dbss-policy.yaml:6:11 $.credentials[1].name: credential "prod" is named twice (first at line 2)');
    expect(message).toContain('dbss-policy.yaml:10:11 $.credentials[2].name: "default" names the environment credentials (HUAWEICLOUD_SDK_AK, ...) that sign unmatched projects: choose another name');
    expect(message).toContain('$.credentials[2]: credential "default" needs projects, regions or both');
  });

  it('--help lists the map: what each entry matches and whether its variables are set, never their values', async () => {
    await write(`credentials:\n  - name: prod\n    projects: [${PROJECT}]\n    regions: [cn-north-4]\n    access_key_env: DBSS_PROD_AK\n    secret_key_env: DBSS_PROD_SK\n`);
    const help = await runInProcess(['plan', '--help'], { cwd: dir, env: { DBSS_PROD_AK: PASTED_AK } });
    expect(help.stdout).toContain(`  prod: projects ${PROJECT} in regions cn-north-4; DBSS_PROD_AK (set), DBSS_PROD_SK (not set) (from dbss-policy.yaml:2)`);
    expect(help.stdout).toContain('  default: every other project; the environment credentials');
    expect(help.stdout).not.toContain(PASTED_AK);
  });

  it('a command run with such a file sends nothing and prints no value', async () => {
    await write(`credentials:\n  - name: prod\n    projects: [${PROJECT}]\n    access_key_env: DBSS_PROD_AK\n    secret_key_env: ${PASTED_SK}\n`);
    const run = await runInProcess(['plan', '--emulator', '--policies', POLICIES], { cwd: dir, env: {} });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('dbss-policy.yaml:5:21 $.credentials[0].secret_key_env: must be an environment variable name');
    expect(run.stderr).not.toContain('Using the embedded DBSS emulator');
    expect(run.stdout + run.stderr).not.toContain(PASTED_SK);
  });
});
