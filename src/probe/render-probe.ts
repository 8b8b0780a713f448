import { PROFILE_KEYS } from '../emulator/api-profile.js';
import { escapeText } from '../render/escape.js';
import type { ProbeReport } from './types.js';

/**
 * The probe report as text and as JSON. Everything in it may quote what a region answered
 * (rule and instance names, error text), so every string passes through the escaping function
 * of its format: text through the one of all text output (src/render/escape.ts: ANSI removed,
 * controls and bidi characters shown escaped), JSON through toSafeJson below.
 */

const hex4 = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

// What JSON.stringify leaves raw inside strings (it escapes C0 itself; the layout's newlines must stay).
const UNSAFE_IN_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** JSON escaping: JSON.stringify plus `\uXXXX` for what it leaves raw (DEL, C1, separators, bidi); parses to the same value. */
export function toSafeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(UNSAFE_IN_JSON, hex4);
}

/** The JSON report (`--format json`); its `emulatorProfile` loads with `emulator --profile-file`. */
export function renderProbeJson(report: ProbeReport): string {
  return `${toSafeJson({ tool: 'dbss-policy probe', ...report })}\n`;
}

/**
 * `Emulator profile: "custom-ranks" (...)`; without a name, why not: the options observed fit
 * several named profiles (the unobserved ones would decide), or none of them.
 */
function profileLine(report: ProbeReport): string {
  const p = report.emulatorProfile;
  const seen = `${p.observed.length} of ${p.observed.length + p.assumed.length} options observed`;
  if (p.name) return `Emulator profile: "${p.name}" (${seen}; consistent with: ${p.matches.join(', ')})`;
  if (p.matches.length > 1) {
    const more = report.mode === 'read-only' ? '; --write observes more of them' : '';
    return `Emulator profile: undecided between ${p.matches.map((m) => `"${m}"`).join(' and ')}: the ${seen} fit each, the ones not observed tell them apart${more}`;
  }
  return `Emulator profile: none of the named profiles (${seen}, and no named profile has them all); the JSON report holds a profile made of what was observed`;
}

/** The text report. */
export function renderProbeText(report: ProbeReport): string {
  const e = escapeText;
  const lines: string[] = [];
  const where = report.instance ? `instance ${e(report.instance.name || '(no name)')} (${e(report.instance.id)}, ${e(report.instance.status)})` : 'project';
  lines.push(`Probe of ${where} in ${e(report.region)}/${e(report.projectId)} [${report.mode}]`);
  const width = Math.max(0, ...report.observations.map((o) => o.point.length));
  for (const o of report.observations) lines.push(`  ${e(o.point).padEnd(width)}  ${e(o.observed)}`);
  const p = report.emulatorProfile;
  lines.push('');
  lines.push(profileLine(report));
  if (p.assumed.length > 0) {
    // --write observes the risk-rule options; the other kinds' options only a write could show stay assumed.
    const ruleOptions = p.assumed.some((k) => (PROFILE_KEYS as readonly string[]).includes(k));
    lines.push(`  not observed (assumed): ${p.assumed.join(', ')}${report.mode === 'read-only' && ruleOptions ? ' (--write observes the risk-rule ones)' : ''}`);
  }
  lines.push('  rehearse against it: dbss-policy probe ... --format json > profile.json; dbss-policy emulator --profile-file profile.json');
  if (report.cleanup) {
    const c = report.cleanup;
    lines.push('');
    lines.push(`Temporary rules (created or attempted): ${c.created.map(e).join(', ') || 'none'}; ${c.deleted.length} deleted.`);
    if (c.leftovers.length > 0) lines.push(`LEFT BEHIND, delete by hand: ${c.leftovers.map(e).join(', ')}`);
    else lines.push('Nothing left behind.');
  }
  if (report.interrupted) lines.push('Interrupted: stopped early; the temporary rules were cleaned up as shown.');
  for (const err of report.errors) lines.push(`error: ${e(err)}`);
  return `${lines.join('\n')}\n`;
}
