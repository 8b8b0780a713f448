import type { RiskLevel, Switch } from '../../domain.js';
import type { Json, KindApi, KindChangeDraft, KindTarget } from '../kind.js';
import { listAll } from './list-pages.js';
import { writeOrder } from './rank-write.js';
import { createCall, deleteCall, switchCall, updateCall, type SqlRuleContent } from './wire.js';

/** The full content of a create or update from its change (subject = name, payload = spec). */
function contentOf(change: KindChangeDraft): SqlRuleContent {
  const spec = change.payload as { readonly regex: string; readonly risk_level: RiskLevel; readonly status: Switch };
  return { name: change.subject, regex: spec.regex, risk_level: spec.risk_level, status: spec.status };
}

const onlyId = (change: KindChangeDraft): string => {
  const id = change.ids?.[0];
  if (id === undefined || change.ids!.length !== 1) throw new Error(`internal: ${change.op} of SQL-injection rule ${JSON.stringify(change.subject)} needs one id`);
  return id;
};

/**
 * Sends one planned change. A create is never sent twice: after an ambiguous failure the list
 * is asked whether a custom rule of that name exists (the answer has no id). A switch is one
 * call per rule (the body takes one id). The order is learned as rank-write.ts says.
 */
export async function writeSqlRuleChange(api: KindApi, target: KindTarget, change: KindChangeDraft): Promise<void> {
  switch (change.op) {
    case 'create': {
      const content = contentOf(change);
      const wasApplied = async (): Promise<boolean> => (await listAll(api, target)).objects.some((o) => !o.builtIn && o.key === content.name);
      return api.write(target, createCall(content), wasApplied);
    }
    case 'update':
      return api.write(target, updateCall(onlyId(change), contentOf(change)));
    case 'delete':
      return api.write(target, deleteCall(onlyId(change)));
    case 'switch': {
      const { status } = change.payload as { readonly status: Switch; readonly keys: Json };
      for (const id of change.ids ?? []) await api.write(target, switchCall(id, status));
      return;
    }
    case 'order':
      return writeOrder(api, target, (change.payload as { readonly order: readonly string[] }).order);
    case 'set':
      throw new Error(`internal: SQL-injection rules have no setting ${JSON.stringify(change.subject)}`);
  }
}
