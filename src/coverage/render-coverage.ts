import { KINDS } from '../kinds/registry.js';
import { escapeMarkdown, escapeText, markdownCode } from '../render/escape.js';
import type { Coverage, ProjectCoverage } from './read-coverage.js';
import { RISK_RULES } from './read-coverage.js';

/** Coverage as text, markdown (the scheduled job's step summary, with a chart) or JSON. */

const labelOf = (kind: string): string => (kind === RISK_RULES ? 'risk rules' : `${KINDS.find((k) => k.name === kind)?.label ?? kind}s`);
const kindsOf = (): string[] => [RISK_RULES, ...KINDS.map((k) => k.name)];
const share = (n: number, of: number): string => (of === 0 ? '—' : `${n}/${of} (${Math.round((100 * n) / of)}%)`);
const projectName = (p: { region: string; projectId: string }): string => `${p.region}/${p.projectId}`;

/** Plain text, API-supplied names escaped. */
export function coverageText(c: Coverage): string {
  const out: string[] = [];
  for (const p of c.projects) {
    out.push(`${escapeText(projectName(p))}: ${p.error !== undefined ? `not read: ${escapeText(p.error)}` : `${share(p.managed, p.active)} ACTIVE instances managed`}`);
    if (p.error === undefined) for (const k of kindsOf()) out.push(`  ${labelOf(k)}: declared on ${share(p.byKind[k] ?? 0, p.active)}`);
  }
  if (c.unmanaged.length > 0) {
    out.push('', `Instances no policy declares or matches (${c.unmanaged.length}):`);
    for (const i of c.unmanaged) out.push(`  ${escapeText(projectName(i))}/${escapeText(i.name)} (${escapeText(i.id)})`);
  }
  if (c.unowned.length > 0) {
    out.push('', 'Live custom objects no policy owns:');
    for (const u of c.unowned) out.push(`  ${escapeText(u.instance)}: ${labelOf(u.kind)}: ${u.keys.map(escapeText).join(', ')}`);
  }
  for (const e of c.errors) out.push(`error: ${escapeText(e)}`);
  if (c.requests !== undefined) out.push('', `${c.requests} API requests`);
  return `${out.join('\n')}\n`;
}

/** A mermaid bar chart of managed and unmanaged ACTIVE instances per project. */
function chart(projects: readonly ProjectCoverage[]): string[] {
  const read = projects.filter((p) => p.error === undefined && p.active > 0);
  if (read.length === 0) return [];
  const names = read.map((p) => JSON.stringify(`${p.region}/${p.projectId.slice(0, 8)}`));
  return [
    '```mermaid',
    'xychart-beta',
    '  title "ACTIVE instances managed by the policies"',
    `  x-axis [${names.join(', ')}]`,
    `  y-axis "instances" 0 --> ${Math.max(...read.map((p) => p.active))}`,
    `  bar [${read.map((p) => p.active).join(', ')}]`,
    `  bar [${read.map((p) => p.managed).join(', ')}]`,
    '```',
    '',
    'Taller bars: ACTIVE instances; shorter bars: those the policies manage.',
    '',
  ];
}

/** Markdown for a job summary: a table per kind, the chart, and the unmanaged lists. */
export function coverageMarkdown(c: Coverage): string {
  const head = `| project | managed | ${kindsOf().map(labelOf).join(' | ')} |`;
  const rule = `|---|---|${kindsOf().map(() => '---|').join('')}`;
  const rows = c.projects.map((p) =>
    p.error !== undefined
      ? `| ${markdownCode(projectName(p))} | not read: ${escapeMarkdown(p.error)} |${kindsOf().map(() => ' |').join('')}`
      : `| ${markdownCode(projectName(p))} | ${share(p.managed, p.active)} | ${kindsOf().map((k) => share(p.byKind[k] ?? 0, p.active)).join(' | ')} |`,
  );
  const out = ['### dbss-policy coverage', '', head, rule, ...rows, '', ...chart(c.projects)];
  if (c.unmanaged.length > 0) out.push(`**Instances no policy declares or matches** (${c.unmanaged.length}):`, '', ...c.unmanaged.map((i) => `- ${markdownCode(`${projectName(i)}/${i.name}`)} (${markdownCode(i.id)})`), '');
  if (c.unowned.length > 0) out.push('**Live custom objects no policy owns:**', '', ...c.unowned.map((u) => `- ${markdownCode(u.instance)} ${labelOf(u.kind)}: ${u.keys.map(markdownCode).join(', ')}`), '');
  for (const e of c.errors) out.push(`> error: ${escapeMarkdown(e)}`);
  return `${out.join('\n')}\n`;
}

/** JSON (formatVersion 1). */
export function coverageJson(c: Coverage): string {
  return `${JSON.stringify({ formatVersion: 1, ...c }, null, 2)}\n`;
}
