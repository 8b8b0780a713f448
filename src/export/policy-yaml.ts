import { Document, Scalar, YAMLMap, YAMLSeq, isMap, isScalar, isSeq, parse } from 'yaml';
import { riskRuleEntry } from './rule-entry.js';
import type { InstanceExport, ProjectExport } from './types.js';

/** Options of renderPolicyYaml. */
export interface RenderOptions {
  /** Path of schemas/policy.schema.json relative to the file, for the editor's schema comment; none = no comment. */
  readonly schemaRef?: string;
}

/** The reminder at the end of every exported rule: the API never returns exception_ips. */
export const EXCEPTION_IPS_NOTE = ' exception_ips: write-only in the DBSS API, so not exported; add it here if the rule has any';

/** The note on every exported `prune: false`. */
export const PRUNE_NOTE = ' set true once this list is complete: live custom rules not listed are then deleted';

const HEADER = [
  ' Exported by `dbss-policy export` from the live state. Review before committing:',
  ' - exception_ips cannot be read back from DBSS: each rule says where to add it by hand.',
  ' - prune is false, so nothing is deleted until you set it to true.',
];

/**
 * A policy document of one project, in the documented format and key order (schema order:
 * version, region, project_id, summary_tasks, instances; in a rule name, risk_level, status,
 * actions, thresholds, db_ids, client_ips, schemas, ignore_case), with comments where a value
 * could not be read back. Written as YAML 1.2 (what the loader reads); free text that a YAML 1.1
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
  if (project.instances.length > 0) {
    const instances = new YAMLSeq();
    instances.items = project.instances.map((i, n) => Object.assign(instanceNode(doc, i), { spaceBefore: n > 0 }));
    root.set('instances', instances);
  }
  doc.contents = root;
  const notes = project.notes.length > 0 ? ['', ' Not exported:', ...project.notes.map((n) => ` - ${n}`)] : [];
  const schema = options.schemaRef ? [` yaml-language-server: $schema=${options.schemaRef}`, ''] : [];
  doc.commentBefore = [...schema, ...HEADER, ...notes].join('\n');
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
  if (i.systemRules.length > 0) {
    const systems = new YAMLMap();
    for (const r of i.systemRules) systems.set(r.name, r.status);
    node.set('system_rules', systems);
  }
  if (i.riskRules.length > 0) {
    const rules = new YAMLSeq();
    rules.items = i.riskRules.map((r, n) => Object.assign(ruleNode(doc, r), { spaceBefore: n > 0 }));
    node.set('risk_rules', rules);
  }
  if (i.notes.length > 0) node.commentBefore = [' Not exported:', ...i.notes.map((n) => ` - ${n}`)].join('\n');
  return node;
}

/** One rule: lists and thresholds in flow style as in the examples, schemas one per line. */
function ruleNode(doc: Document, rule: InstanceExport['riskRules'][number]): YAMLMap {
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
  node.comment = EXCEPTION_IPS_NOTE;
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
