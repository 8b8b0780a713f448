import type { Switch } from '../../domain.js';
import type { KindApi, KindChangeDraft, KindTarget, LiveObject } from '../kind.js';
import { readRules } from './read.js';
import type { MaskRuleWrite, SwitchSetting } from './wire.js';
import { createCall, deleteCall, setSwitchCall, switchCall, updateCall } from './wire.js';

/**
 * The write of one planned masking change. A create has no status field and the status a new
 * rule starts with is unsettled (dbss-api-more.md §7.4): after the create the rule is listed
 * (over the settle window: a list may lag) and switched when its status differs from the
 * declared one, all inside the create's write; the engine's read-back then confirms name,
 * regex, replacement and status together.
 */

/** A mask rule's declared spec as a change carries it. */
interface MaskSpec {
  readonly regex: string;
  readonly mask_value: string;
  readonly status: Switch;
}

const customsNamed = (objects: readonly LiveObject[], name: string): LiveObject[] => objects.filter((o) => !o.builtIn && o.key === name);

const writeOf = (name: string, spec: MaskSpec): MaskRuleWrite => ({ name, regex: spec.regex, maskValue: spec.mask_value });

/** Creates a rule (never twice: a lost answer is decided by listing), then switches it to its declared status when it starts otherwise. */
async function createRule(api: KindApi, target: KindTarget, name: string, spec: MaskSpec): Promise<void> {
  const listed = async (): Promise<LiveObject[]> => customsNamed((await readRules(api, target)).objects, name);
  await api.write(target, createCall(writeOf(name, spec)), async () => (await listed()).length > 0);
  const found = await api.settle(listed, (rules) => rules.length > 0);
  if (found.length !== 1) {
    throw new Error(
      found.length === 0
        ? `mask rule ${JSON.stringify(name)} was created, but the list does not show it, so its status could not be set`
        : `${found.length} mask rules are listed as ${JSON.stringify(name)}, so which one to switch cannot be told`,
    );
  }
  const rule = found[0]!;
  if (rule.spec['status'] !== spec.status) await api.write(target, switchCall([rule.id], spec.status));
}

/** Sends one planned change. */
export async function writeMasking(api: KindApi, target: KindTarget, change: KindChangeDraft): Promise<void> {
  const id = change.ids?.[0] ?? '';
  switch (change.op) {
    case 'set': {
      const { name, value } = change.payload as { name: SwitchSetting; value: Switch };
      return api.write(target, setSwitchCall(name, value));
    }
    case 'create':
      return createRule(api, target, change.subject, change.payload as unknown as MaskSpec);
    case 'update':
      return api.write(target, updateCall(id, writeOf(change.subject, change.payload as unknown as MaskSpec)));
    case 'switch':
      return api.write(target, switchCall(change.ids ?? [], (change.payload as { status: Switch }).status));
    case 'delete':
      return api.write(target, deleteCall(id));
    case 'order':
      throw new Error('mask rules have no order');
  }
}
