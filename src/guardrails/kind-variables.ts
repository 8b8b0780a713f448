import type { DesiredKind, Kind, LiveKind } from '../kinds/kind.js';
import { KINDS } from '../kinds/registry.js';
import type { CelData } from './cel-values.js';
import { celJson, celNumber } from './cel-values.js';

/**
 * `instance.kinds`: every registered kind (src/kinds/registry.ts) the instance declares (desired)
 * or was read for (live), by kind name, in one generic shape, so a new kind has variables
 * without code here:
 *   objects   list of maps: `key` plus the kind's spec fields (live: also `id`, `built_in`, `rank`)
 *   switches  list of `{name, status}`: declared switches of built-in objects (live: the built-in
 *             objects, with their `status` field when they have one)
 *   settings  map of setting name to value
 * A kind that is not declared (or not read) has no entry: guard with `'name' in instance.kinds`
 * or `has(instance.kinds.name)`.
 */

/** The variables of one kind as declared. */
function desiredKind(k: DesiredKind): CelData {
  const settings: Record<string, CelData> = {};
  for (const [name, s] of Object.entries(k.settings)) settings[name] = celJson(s.value);
  return {
    objects: k.objects.map((o) => ({ ...(celJson(o.spec) as Record<string, CelData>), key: o.key })),
    switches: k.switches.map((s) => ({ name: s.name, status: s.status })),
    settings,
  };
}

/** The variables of one kind as read. */
function liveKind(k: LiveKind): CelData {
  const settings: Record<string, CelData> = {};
  for (const [name, value] of Object.entries(k.settings)) settings[name] = celJson(value);
  return {
    objects: k.objects.map((o) => ({
      ...(celJson(o.spec) as Record<string, CelData>),
      key: o.key,
      id: o.id,
      built_in: o.builtIn,
      ...(o.rank !== undefined ? { rank: celNumber(o.rank) } : {}),
    })),
    switches: k.objects
      .filter((o) => o.builtIn)
      .map((o) => ({ name: o.key, ...(typeof o.spec['status'] === 'string' ? { status: o.spec['status'] } : {}) })),
    settings,
  };
}

/** The kinds whose variables are built: the registry (a test passes its own). */
export type KindRegistry = readonly Pick<Kind, 'name'>[];

/** `instance.kinds` of a declared instance or selector. */
export function desiredKindVariables(kinds: Readonly<Record<string, DesiredKind>> | undefined, registry: KindRegistry = KINDS): Record<string, CelData> {
  const out: Record<string, CelData> = {};
  for (const kind of registry) {
    const k = kinds?.[kind.name];
    if (k) out[kind.name] = desiredKind(k);
  }
  return out;
}

/** `instance.kinds` of a live instance. */
export function liveKindVariables(kinds: Readonly<Record<string, LiveKind>> | undefined, registry: KindRegistry = KINDS): Record<string, CelData> {
  const out: Record<string, CelData> = {};
  for (const kind of registry) {
    const k = kinds?.[kind.name];
    if (k) out[kind.name] = liveKind(k);
  }
  return out;
}

/** `instance.kinds` of the sample instance every expression is tried on: every registered kind, empty. */
export function sampleKindVariables(registry: KindRegistry = KINDS): Record<string, CelData> {
  const out: Record<string, CelData> = {};
  for (const kind of registry) out[kind.name] = { objects: [], switches: [], settings: {} };
  return out;
}
