import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE } from '../../src/emulator/api-profile.js';
import { renderProbeText } from '../../src/probe/render-probe.js';
import type { ProbeReport, ProfileMatch } from '../../src/probe/types.js';

/** A probe report whose profile match is `match` (the rest as a read-only probe of one instance). */
function report(match: Partial<ProfileMatch>, mode: ProbeReport['mode'] = 'read-only'): ProbeReport {
  return {
    formatVersion: 1,
    mode,
    region: 'cn-north-4',
    projectId: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
    observations: [],
    emulatorProfile: { name: null, matches: [], options: DEFAULT_PROFILE, observed: ['instanceList'], assumed: ['rankNumbering', 'systemRanks'], ...match } as ProfileMatch,
    interrupted: false,
    errors: [],
  };
}

const profileLine = (r: ProbeReport): string => renderProbeText(r).split('\n').find((l) => l.startsWith('Emulator profile:')) ?? '';

describe('the probe report names the emulator profile coherently', () => {
  it('a single match: its name', () => {
    expect(profileLine(report({ name: 'custom-ranks', matches: ['custom-ranks'] }))).toBe('Emulator profile: "custom-ranks" (1 of 3 options observed; consistent with: custom-ranks)');
  });

  it('several matches: undecided between them, and what would decide', () => {
    const line = profileLine(report({ matches: ['default', 'system-pinned'] }));
    expect(line).toBe('Emulator profile: undecided between "default" and "system-pinned": the 1 of 3 options observed fit each, the ones not observed tell them apart; --write observes more of them');
    expect(line).not.toContain('no named profile');
    expect(profileLine(report({ matches: ['default', 'system-pinned'] }, 'write'))).not.toContain('--write');
  });

  it('no match: none of the named profiles, and where the observed one is', () => {
    expect(profileLine(report({ matches: [] }))).toBe(
      'Emulator profile: none of the named profiles (1 of 3 options observed, and no named profile has them all); the JSON report holds a profile made of what was observed',
    );
  });
});
