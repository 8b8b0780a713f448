import { Document, Scalar, YAMLMap, YAMLSeq, isMap, isScalar, isSeq, parse } from 'yaml';
import { riskRuleEntry } from './rule-entry.js';
import type { ExportedSystemRule, InstanceExport, ProjectExport, RuleSetExport } from './types.js';

/** Options of renderPolicyYaml. */
export interface RenderOptions {
  /** Path of schemas/policy.schema.json relative to the file, for the editor's schema comment; none = no comment. */
  readonly schemaRef?: string;
}

/** The reminder at the end of every exported rule: the API never returns exception_ips. */
export const EXCEPTION_IPS_NOTE = ' exception_ips: write-only in the DBSS API, so not exported; add it here if the rule has any';

/** The reminder on a rule of a set: the instances that use it may have different exception_ips, which cannot be read. */
export const EXCEPTION_IPS_SET_NOTE =
  ' exception_ips: write-only in the DBSS API, so not exported; add it here if all users of this set have the same, else in their overrides';

/** The note on every exported `prune: false`. */
export const PRUNE_NOTE = ' set true once this list is complete: live custom rules not listed are then deleted';

const HEADER = [
  ' Exported by `dbss-policy export` from the live state. Review before committing:',
  ' - exception_ips cannot be read back from DBSS: each rule says where to add it by hand.',
  ' - prune is false, so nothing is deleted until you set it to true.',
];

const FACTORED = ' - rule_sets hold the rules several instances have identically (--factor): a change to a set changes every instance that uses it.';

/** How many users a set's description names before "and N more". */
const NAMED_USERS = 5;

/**
 * A policy document of one project, in the documented format and key order (schema order:
 * version, region, project_id, summary_tasks, instances; in a rule name, risk_level, status,
 * actions, thresholds, db_ids, client_ips, schemas, ignore_case), with comments where a value
 * could not be read back. Rule sets (`--factor`) come before the instances that use them, so the
 * file reads top down. Written as YAML 1.2 (what the loader reads); free text that a YAML 1.1
 * reader would take for a boolean, number or null (`yes`, `on`, `10:20`) is quoted as well.
 */
export function renderPolicyYaml(project: ProjectExport, options: RenderOptions = {}): string {
  const doc = new Document(null, { version: '1.2', schema: 'core' });
  const root = new YAMLMap();
  root.set('version', 1);
  root.set('region', project.region);
  root.set('project_id', project.projectId);
  if (project.summaryTasks.length > 0) {
    const tasks = new YAMLMap();
    for (const t of project.summaryTasks) tasks.set(t.busiType, t.enabled ? 'on' : 'off');
    root.set('summary_tasks', tasks);
  }
  if (project.ruleSets.length > 0) {
    const sets = new YAMLMap();
    for (const [n, set] of project.ruleSets.entries()) {
      sets.set(Object.assign(freeText(set.name), { spaceBefore: n > 0 }), ruleSetNode(doc, set));
    }
    root.set('rule_sets', sets);
  }
  if (project.instances.length > 0) {
    const instances = new YAMLSeq();
    instances.items = project.instances.map((i, n) => Object.assign(instanceNode(doc, i), { spaceBefore: n > 0 }));
    root.set(Object.assign(new Scalar('instances'), { spaceBefore: project.ruleSets.length > 0 }), instances);
  }
  doc.contents = root;
  const notes = project.notes.length > 0 ? ['', ' Not exported:', ...project.notes.map((n) => ` - ${n}`)] : [];
  const schema = options.schemaRef ? [` yaml-language-server: $schema=${options.schemaRef}`, ''] : [];
  const header = project.ruleSets.length > 0 ? [...HEADER, FACTORED] : HEADER;
  doc.commentBefore = [...schema, ...header, ...notes].join('\n');
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

function instanceNode(doc: Document, i: InstanceExport): YAMLMap {
  const node = new YAMLMap();
  if (i.ref === 'name') node.set('name', freeText(i.name));
  else {
    const id = new Scalar(i.id);
    if (i.name) id.comment = ` name ${JSON.stringify(i.name)} is shared by several instances or not valid in a policy`;
    node.set('id', id);
  }
  const prune = new Scalar(false);
  prune.comment = PRUNE_NOTE;
  node.set('prune', prune);
  if (i.use.length > 0) {
    const use = new YAMLSeq();
    use.flow = true;
    use.items = i.use.map(freeText);
    node.set('use', use);
  }
  addRuleLists(doc, node, i.systemRules, i.riskRules, EXCEPTION_IPS_NOTE);
  for (const [key, value] of Object.entries(i.kinds ?? {})) node.set(key, doc.createNode(value));
  if (i.notes.length > 0) node.commentBefore = [' Not exported:', ...i.notes.map((n) => ` - ${n}`)].join('\n');
  return node;
}

/** A set made by --factor: a description naming its users, then its rules. */
function ruleSetNode(doc: Document, set: RuleSetExport): YAMLMap {
  const node = new YAMLMap();
  const named = set.usedBy.slice(0, NAMED_USERS).join(', ');
  const more = set.usedBy.length > NAMED_USERS ? ` and ${set.usedBy.length - NAMED_USERS} more` : '';
  node.set('description', freeText(`Rules that ${named}${more} have identically, at the same place in their lists (dbss-policy export --factor).`));
  addRuleLists(doc, node, set.systemRules, set.riskRules, EXCEPTION_IPS_SET_NOTE);
  return node;
}

/** Adds `system_rules` and `risk_rules` to an instance or a set, each only when not empty. */
function addRuleLists(doc: Document, node: YAMLMap, systemRules: readonly ExportedSystemRule[], riskRules: InstanceExport['riskRules'], note: string): void {
  if (systemRules.length > 0) {
    const systems = new YAMLMap();
    for (const r of systemRules) systems.set(r.name, r.status);
    node.set('system_rules', systems);
  }
  if (riskRules.length > 0) {
    const rules = new YAMLSeq();
    rules.items = riskRules.map((r, n) => Object.assign(ruleNode(doc, r, note), { spaceBefore: n > 0 }));
    node.set('risk_rules', rules);
  }
}

/** One rule: lists and thresholds in flow style as in the examples, schemas one per line. */
function ruleNode(doc: Document, rule: InstanceExport['riskRules'][number], note: string): YAMLMap {
  const node = doc.createNode(riskRuleEntry(rule)) as YAMLMap<Scalar<string>, unknown>;
  for (const pair of node.items) {
    const value = pair.value;
    if (!isSeq(value) && !isMap(value)) continue;
    if (pair.key.value !== 'schemas') value.flow = true;
    else for (const target of value.items) if (isMap(target)) target.flow = true;
  }
  quoteFreeText(node.get('name', true));
  const dbIds = node.get('db_ids', true);
  if (isSeq(dbIds)) dbIds.items.forEach(quoteFreeText);
  const schemas = node.get('schemas', true);
  if (isSeq(schemas)) for (const t of schemas.items) if (isMap(t)) for (const p of t.items) quoteFreeText(p.value);
  node.comment = note;
  return node;
}

function freeText(value: string): Scalar {
  const node = new Scalar(value);
  quoteFreeText(node);
  return node;
}

/** Double-quotes a string that YAML 1.1 (many editors and linters) would not read back as itself. */
function quoteFreeText(node: unknown): void {
  if (!isScalar(node) || typeof node.value !== 'string') return;
  let read: unknown;
  try {
    read = parse(node.value, { version: '1.1', logLevel: 'error' });
  } catch {
    read = undefined;
  }
  if (read !== node.value) node.type = Scalar.QUOTE_DOUBLE;
}
