import { afterEach } from 'vitest';
import type { DbssClient } from '../../../src/api/types.js';
import type { ApiProfile, Emulator, EmulatorOptions } from '../../../src/emulator/index.js';
import { DEFAULT_PROFILE, DEMO_INSTANCES, DEMO_PROJECTS, demoState, startEmulator } from '../../../src/emulator/index.js';
import type { DesiredKind, Json, KindChangeDraft, KindPlan, KindTarget, LiveKind } from '../../../src/kinds/kind.js';
import { KIND_OPS } from '../../../src/kinds/kind.js';
import { masking } from '../../../src/kinds/masking/index.js';
import { testClient } from '../../api/helpers/client.js';

/** The instance the tests work on (ACTIVE in the demo state). */
export const TARGET: KindTarget = { projectId: DEMO_PROJECTS.payments, instanceId: DEMO_INSTANCES.prodAudit };

/** A profile with the given masking options over the default readings. */
export const withOptions = (kinds: Record<string, string>): ApiProfile => ({ ...DEFAULT_PROFILE, kinds });

/** An emulator on the demo state and a client of it, closed after each test. */
export interface Rig {
  /** The emulator. */
  readonly emulator: Emulator;
  /** A client of it. */
  readonly client: DbssClient;
}

const open: Rig[] = [];
afterEach(async () => {
  for (const r of open.splice(0)) {
    await r.client.close();
    await r.emulator.close();
  }
});

/** Starts a rig (open-mode emulator, demo state). */
export async function rig(options: EmulatorOptions = {}, pageSize?: number): Promise<Rig> {
  const emulator = await startEmulator({ state: demoState(), ...options });
  const { client } = testClient(emulator.url, { settleMs: 0, ...(pageSize ? { pageSize } : {}) });
  const r = { emulator, client };
  open.push(r);
  return r;
}

/** The declared masking of one entry's YAML values (no rule sets). */
export function declare(values: Record<string, Json>, prune = false): DesiredKind {
  const declared = masking.desired([{ values, at: (path) => ({ file: 'p.yaml', line: path.length, col: 1 }) }], prune);
  if (!declared) throw new Error('nothing declared');
  return declared;
}

/** How many requests of each operation the emulator served since the last reset. */
export const served = (e: Emulator): Record<string, number> => ({ ...e.counters().byOperation });

/** What one cycle did: the plan, each change's read-back verdict, the second plan. */
export interface Cycle {
  /** The first plan. */
  readonly plan: KindPlan;
  /** Per change (subject/op), whether the read after its op shows it. */
  readonly shown: readonly { readonly change: KindChangeDraft; readonly shown: boolean }[];
  /** The plan after the writes. */
  readonly again: KindPlan;
  /** The live state after the writes. */
  readonly live: LiveKind;
}

/** read → plan → write (op by op, as apply runs them) → read → shows, then plan again. */
export async function cycle(client: DbssClient, desired: DesiredKind): Promise<Cycle> {
  const api = client.kinds;
  const plan = masking.plan(desired, await masking.read(api, TARGET, desired));
  const shown: { change: KindChangeDraft; shown: boolean }[] = [];
  for (const op of KIND_OPS) {
    const group = plan.changes.filter((c) => c.op === op);
    if (group.length === 0) continue;
    await Promise.all(group.map((c) => masking.write(api, TARGET, c)));
    const after = await masking.read(api, TARGET);
    for (const change of group) shown.push({ change, shown: masking.shows(change, after) });
  }
  const live = await masking.read(api, TARGET, desired);
  return { plan, shown, again: masking.plan(desired, live), live };
}
