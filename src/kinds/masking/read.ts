import { collectPages } from '../../api/paging.js';
import type { DesiredKind, Json, KindApi, KindTarget, LiveKind, LiveObject } from '../kind.js';
import type { ListedMaskRule, SwitchSetting } from './wire.js';
import { listCall, listedPage, MAX_PAGE, shownSwitch, showSwitchCall } from './wire.js';

/**
 * Reading masking on one instance: the two instance-wide switches (one GET each) and the rule
 * list (every page), each only when the entry declares it, so a plan of `masking: ON` alone
 * costs one request and a plan of mask rules alone costs the list pages.
 */

/** Which parts of the kind a read covers. */
export interface MaskingParts {
  /** The instance-wide masking switch. */
  readonly masking: boolean;
  /** The result-set storage switch. */
  readonly result_set_storage: boolean;
  /** The rule list (custom and built-in rules). */
  readonly rules: boolean;
}

/** Every part (a read that is not told what is declared: export, apply's read-back). */
export const ALL_PARTS: MaskingParts = { masking: true, result_set_storage: true, rules: true };

/** The parts a declaration needs: a switch when it is declared, the list when rules are declared, switched or pruned. */
export function partsOf(d: DesiredKind): MaskingParts {
  return {
    masking: d.settings['masking'] !== undefined,
    result_set_storage: d.settings['result_set_storage'] !== undefined,
    rules: d.objects.length > 0 || d.switches.length > 0 || d.prune,
  };
}

/** The listed rules of one instance in domain form, with what their reading could not tell. */
export interface ReadRules {
  /** Every rule listed, in list order. */
  readonly objects: LiveObject[];
  /** What the list left open (rules without a known type, ...). */
  readonly observations: string[];
  /** The emulator options the list settled (maskListTotal, maskRuleType, maskOperateTime), for probe. */
  readonly learned: Record<string, string>;
}

/** Lists every mask rule (pages of the client's page size, at most 1000). */
export async function readRules(api: KindApi, target: KindTarget): Promise<ReadRules> {
  let totals = 0;
  const listed = await collectPages(
    async (offset, limit) => {
      const page = listedPage(await api.read(target, listCall(offset, limit)));
      if (page.total !== undefined) totals++;
      return page;
    },
    Math.min(Math.max(1, api.pageSize), MAX_PAGE),
    (r) => JSON.stringify([r.id ?? null, r.name ?? null]),
  );
  const guessed = listed.filter((r) => r.builtIn === undefined);
  const observations =
    guessed.length > 0
      ? [`${guessed.length} mask rule${guessed.length === 1 ? '' : 's'} listed without a known type (BUILD_IN or USER_DEFINE): told built in when the regex is "-" or absent, custom otherwise`]
      : [];
  return { objects: listed.map(liveRule), observations, learned: learnedFrom(listed, totals > 0) };
}

/** What a listing settles of the open points: whether it gives a total, a type, and how it writes operate_time. */
function learnedFrom(listed: readonly ListedMaskRule[], total: boolean): Record<string, string> {
  const learned: Record<string, string> = { maskListTotal: total ? 'present' : 'absent' };
  if (listed.length === 0) return learned;
  const typed = listed.filter((r) => r.builtIn !== undefined).length;
  if (typed === listed.length) learned['maskRuleType'] = 'present';
  if (typed === 0) learned['maskRuleType'] = 'absent';
  const shapes = new Set(listed.map((r) => r.operateTime));
  const [shape] = shapes;
  if (shapes.size === 1 && shape !== 'other') learned['maskOperateTime'] = shape!;
  return learned;
}

function liveRule(r: ListedMaskRule): LiveObject {
  const builtIn = r.builtIn ?? (r.regex === undefined || r.regex === '-');
  const spec: Record<string, Json> = {};
  if (!builtIn && r.regex !== undefined) spec['regex'] = r.regex;
  if (!builtIn && r.maskValue !== undefined) spec['mask_value'] = r.maskValue;
  if (r.status !== undefined) spec['status'] = r.status;
  return { id: r.id ?? '', key: r.name ?? '', builtIn, spec };
}

/** One switch as read, with a note when its answer is not understood (then it is set as declared). */
interface SwitchRead {
  /** ON/OFF; absent when not read or not understood. */
  readonly value?: Json;
  /** Why the answer was not understood. */
  readonly note?: string;
}

async function readSwitch(api: KindApi, target: KindTarget, setting: SwitchSetting): Promise<SwitchRead> {
  const { status, raw } = shownSwitch(await api.read(target, showSwitchCall(setting)));
  if (status !== undefined) return { value: status };
  return { note: `the ${setting.replaceAll('_', '-')} switch answered ${raw === undefined ? 'no status' : `status ${JSON.stringify(raw)}`}: not understood, so it is set as declared` };
}

/** Reads the given parts of the kind on one instance, concurrently. */
export async function readMasking(api: KindApi, target: KindTarget, parts: MaskingParts = ALL_PARTS): Promise<LiveKind> {
  const [masking, resultSet, rules] = await Promise.all([
    parts.masking ? readSwitch(api, target, 'masking') : ({} as SwitchRead),
    parts.result_set_storage ? readSwitch(api, target, 'result_set_storage') : ({} as SwitchRead),
    parts.rules ? readRules(api, target) : undefined,
  ]);
  const settings: Record<string, Json> = {};
  if (masking.value !== undefined) settings['masking'] = masking.value;
  if (resultSet.value !== undefined) settings['result_set_storage'] = resultSet.value;
  const notes = [masking.note, resultSet.note].filter((n): n is string => n !== undefined);
  return {
    objects: rules?.objects ?? [],
    settings,
    observations: [...notes, ...(rules?.observations ?? [])],
    ...(rules ? { learned: rules.learned } : {}),
  };
}
