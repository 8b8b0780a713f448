import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { credentialMap, credentialNameOf, DEFAULT_CREDENTIAL } from '../../src/api/credential-map.js';
import type { CredentialRule } from '../../src/api/credential-map.js';
import { ConfigError } from '../../src/errors.js';

const PROD = 'a'.repeat(32);
const STAGING = 'b'.repeat(32);
const OTHER = 'c'.repeat(32);
const PROD_SK = 'prod-secret-key-value-never-printed-0000';

const RULES: readonly CredentialRule[] = [
  { name: 'prod', projects: [PROD], accessKeyEnv: 'DBSS_PROD_AK', secretKeyEnv: 'DBSS_PROD_SK', at: 'dbss-policy.yaml:2' },
  { name: 'eu', regions: ['eu-west-101'], accessKeyEnv: 'DBSS_EU_AK', secretKeyEnv: 'DBSS_EU_SK', securityTokenEnv: 'DBSS_EU_TOKEN', at: 'dbss-policy.yaml:6' },
  { name: 'staging-north', projects: [STAGING], regions: ['cn-north-4'], accessKeyEnv: 'DBSS_STG_AK', secretKeyEnv: 'DBSS_STG_SK', at: 'dbss-policy.yaml:11' },
];

describe('which credential signs a project', () => {
  it('the first entry whose projects and regions both match; unmatched projects use the environment credentials', () => {
    expect(credentialNameOf(RULES, 'cn-north-4', PROD)).toBe('prod');
    expect(credentialNameOf(RULES, 'eu-west-101', PROD)).toBe('prod'); // first match wins
    expect(credentialNameOf(RULES, 'eu-west-101', OTHER)).toBe('eu');
    expect(credentialNameOf(RULES, 'cn-north-4', STAGING)).toBe('staging-north');
    expect(credentialNameOf(RULES, 'cn-east-3', STAGING)).toBe(DEFAULT_CREDENTIAL); // project matches, region does not
    expect(credentialNameOf(RULES, 'cn-north-4', OTHER)).toBe(DEFAULT_CREDENTIAL);
    expect(credentialNameOf([], 'cn-north-4', PROD)).toBe(DEFAULT_CREDENTIAL);
  });
});

describe('credentialMap', () => {
  it('reads an entry from the variables it names, once, and its source names the variables, never the values', () => {
    const env = { DBSS_PROD_AK: 'PRODACCESSKEY0000001', DBSS_PROD_SK: PROD_SK };
    const map = credentialMap(RULES, env);
    expect(map.names).toEqual(['prod', 'eu', 'staging-north', 'default']);
    const prod = map.credentials('prod');
    expect(map.credentials('prod')).toBe(prod); // one object: one auth gate per credential
    expect(prod.source).toBe('credential "prod": DBSS_PROD_AK and DBSS_PROD_SK');
    const shown = `${JSON.stringify(prod)} ${String(prod)} ${inspect(prod)}`;
    expect(shown).not.toContain(PROD_SK);
    expect(shown).not.toContain('PRODACCESSKEY0000001');
  });

  it('a variable that is not set is an error naming it, the entry and its line', () => {
    const map = credentialMap(RULES, { DBSS_EU_AK: 'EUACCESSKEY000000001', DBSS_EU_SK: 'eu-secret-key-value-long-enough' });
    expect(() => map.credentials('prod')).toThrow(ConfigError);
    expect(() => map.credentials('prod')).toThrow('credential "prod" (dbss-policy.yaml:2): the environment variable DBSS_PROD_AK (its access key) is not set; nothing was sent');
    // the security token of a temporary key is required once the entry names it
    expect(() => map.credentials('eu')).toThrow('the environment variable DBSS_EU_TOKEN (its security token) is not set');
  });

  it('a blank or placeholder value is refused without showing it', () => {
    const map = credentialMap(RULES, { DBSS_PROD_AK: 'PRODACCESSKEY0000001', DBSS_PROD_SK: 'xyz' });
    let message = '';
    try {
      map.credentials('prod');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('credential "prod" (dbss-policy.yaml:2, DBSS_PROD_AK, DBSS_PROD_SK): secret key is 3 characters long');
    expect(message).not.toContain('xyz');
    expect(() => credentialMap(RULES, { DBSS_PROD_AK: '  ', DBSS_PROD_SK: PROD_SK }).credentials('prod')).toThrow('DBSS_PROD_AK (its access key) is not set');
  });

  it('default is the environment credentials; an unknown name lists the names', () => {
    const map = credentialMap(RULES, { HUAWEICLOUD_SDK_AK: 'DEFAULTACCESSKEY0001', HUAWEICLOUD_SDK_SK: 'default-secret-key-long-enough' });
    expect(map.credentials(DEFAULT_CREDENTIAL).source).toBe('HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK');
    expect(() => map.credentials('nope')).toThrow('no credential named "nope" in the config file (names: prod, eu, staging-north, default)');
  });
});
