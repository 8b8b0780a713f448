import type { EmulatedKind } from '../kinds/emulated-kind.js';
import { EMULATED_KINDS } from '../kinds/registry.js';
import type { ApiProfile } from './api-profile.js';
import type { Handler } from './service-context.js';
import { activeInstance, type ServiceContext } from './service-context.js';

/**
 * The emulator's side of the kinds (src/kinds): their routes, their state on each instance and
 * their open-point options, wired in once so that a kind's emulator part stays in its folder.
 */

/** A kind's option values in force: its defaults (the first value of each), then the profile's. */
export function kindOptionsOf(profile: ApiProfile, kind: EmulatedKind): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [option, values] of Object.entries(kind.options)) out[option] = profile.kinds?.[option] ?? values[0];
  return out;
}

/** The kind's state on an instance, created on first use. */
function kindState(service: ServiceContext, instance: { kinds?: Record<string, unknown> }, kind: EmulatedKind): unknown {
  instance.kinds ??= {};
  if (!(kind.name in instance.kinds)) instance.kinds[kind.name] = kind.initial(service, kindOptionsOf(service.profile, kind));
  return instance.kinds[kind.name];
}

/** The routes of every emulated kind, each run on the ACTIVE instance its path names. */
export const KIND_ROUTES: readonly { operation: string; method: EmulatedKind['routes'][number]['method']; path: string; errors: EmulatedKind['routes'][number]['errors']; write: boolean; handle: Handler }[] = EMULATED_KINDS.flatMap((kind) =>
  kind.routes.map(
    (route) => ({
      operation: route.operation,
      method: route.method,
      path: route.path,
      errors: route.errors,
      write: route.write,
      handle: (service, req) => {
        const instance = activeInstance(service, req);
        return route.handle({ service, instance, state: kindState(service, instance, kind), options: kindOptionsOf(service.profile, kind) }, req);
      },
    }),
  ),
);
