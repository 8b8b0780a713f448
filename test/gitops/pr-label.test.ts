import { writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runPullRequestLabel } from '../../src/gitops/pr-label.js';
import { startFakeGitHub } from './helpers/fake-github.js';
import type { FakeGitHub } from './helpers/fake-github.js';
import { captureIO, tempDir, writePullRequestEvent } from './helpers/io.js';

const TOKEN = 'ghs_LabelT0kenSecret987654321';
const LABEL = 'dbss-policy: destructive';
const PR = 12;

let gh: FakeGitHub;
let env: Record<string, string>;

beforeEach(async () => {
  gh = await startFakeGitHub({ token: TOKEN });
  const dir = await tempDir();
  env = {
    GITHUB_TOKEN: TOKEN,
    GITHUB_API_URL: gh.apiUrl,
    GITHUB_REPOSITORY: 'acme/policies',
    GITHUB_EVENT_PATH: await writePullRequestEvent(dir, PR),
  };
});
afterEach(() => gh.close());

async function label(present: string) {
  const io = captureIO(env, '/');
  const code = await runPullRequestLabel(['--label', LABEL, '--present', present], io);
  return { code, out: io.out(), err: io.err() };
}

describe('destructive label', () => {
  it('adds the label while the plan is destructive and removes it once it is not', async () => {
    expect(await label('true')).toEqual({ code: 0, out: `label "${LABEL}" added on pull request #12\n`, err: '' });
    expect([...gh.labels.get(PR)!]).toEqual([LABEL]);
    expect(gh.requests[0]).toMatchObject({ method: 'POST', url: '/api/v3/repos/acme/policies/issues/12/labels', body: { labels: [LABEL] } });

    expect((await label('false')).out).toBe(`label "${LABEL}" removed on pull request #12\n`);
    expect(gh.requests[1]).toMatchObject({ method: 'DELETE', url: '/api/v3/repos/acme/policies/issues/12/labels/dbss-policy%3A%20destructive' });
    expect(gh.labels.get(PR)!.size).toBe(0);

    expect(await label('false')).toMatchObject({ code: 0, out: `label "${LABEL}" absent on pull request #12\n` });
  });

  it('turns an API refusal into a warning, not a failure, and hides the token', async () => {
    gh.failures.push({ method: 'POST', pathPrefix: '/repos/', status: 403, message: `Resource not accessible by integration (${TOKEN})` });
    const r = await label('true');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^::warning title=dbss-policy label::could not add the label "dbss-policy: destructive" to pull request #12 \(create the label once/);
    expect(r.err).toContain('403 Resource not accessible by integration (***)');
    expect(r.out + r.err).not.toContain(TOKEN);
  });

  it('rejects a --present that is not true or false', async () => {
    const r = await label('yes');
    expect(r.code).toBe(1);
    expect(r.err).toContain('--present must be true or false, got "yes"');
    expect(gh.requests).toHaveLength(0);
  });

  it('fails clearly when the event is not a pull request', async () => {
    const dir = await tempDir();
    await writeFile(`${dir}/push.json`, JSON.stringify({ ref: 'refs/heads/main' }));
    env.GITHUB_EVENT_PATH = `${dir}/push.json`;
    const r = await label('true');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/the event payload .*push\.json names no pull request/);
  });
});
