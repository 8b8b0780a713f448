import type { ApiProfile } from '../emulator/api-profile.js';

/** One open point of the API as the probe saw it answered. */
export interface Observation {
  /** The open point, e.g. `instance list`, `system rules`, `task_switch`. */
  readonly point: string;
  /** What was seen, in words (may quote API-supplied text; renderers escape it). */
  readonly observed: string;
  /** The emulator option this settles, if it settles one. */
  readonly option?: keyof ApiProfile;
  /** The option's value as observed. */
  readonly value?: ApiProfile[keyof ApiProfile];
  /** The option of another kind's emulator part (src/kinds) this settles, with its value. */
  readonly kindOption?: { readonly name: string; readonly value: string };
}

/** The emulator profile that behaves like the probed region. */
export interface ProfileMatch {
  /** The named profile equal to `options`, or null when none is (or several could be). */
  readonly name: string | null;
  /** Named profiles consistent with every observed option. */
  readonly matches: readonly string[];
  /** A complete option set: observed values, the rest from the single match or the default. */
  readonly options: ApiProfile;
  /** Options settled by an observation (kinds' options included). */
  readonly observed: readonly string[];
  /** Options not observed (taken from the single matching profile, or the default; kinds' options included). */
  readonly assumed: readonly string[];
}

/** What happened to the probe's temporary rules (write mode). */
export interface ProbeCleanup {
  /** Names of the temporary rules the probe created (or tried to). */
  readonly created: readonly string[];
  /** Ids deleted at the end. */
  readonly deleted: readonly string[];
  /** Names of temporary rules still there after cleanup (delete them by hand). */
  readonly leftovers: readonly string[];
}

/** The probe's whole result. */
export interface ProbeReport {
  /** Report format version. */
  readonly formatVersion: 1;
  /** read-only, or write (temporary rules created and deleted). */
  readonly mode: 'read-only' | 'write';
  /** Region probed. */
  readonly region: string;
  /** Project probed. */
  readonly projectId: string;
  /** The instance probed, as listed (undefined when it was not found). */
  readonly instance?: { readonly id: string; readonly name: string; readonly status: string };
  /** Every open point observed, in probing order. */
  readonly observations: readonly Observation[];
  /** The emulator profile matching the observations (load it with `emulator --profile-file`). */
  readonly emulatorProfile: ProfileMatch;
  /** Temporary rules (write mode only). */
  readonly cleanup?: ProbeCleanup;
  /** True when SIGINT/SIGTERM stopped the probe early (cleanup still ran). */
  readonly interrupted: boolean;
  /** Failures that stopped a step, each saying which. */
  readonly errors: readonly string[];
}
