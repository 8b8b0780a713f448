import type { LiveState } from '../live/types.js';
import type { DesiredState } from '../policy/types.js';
import { desiredSubjects } from './desired-subjects.js';
import { guardrailReport } from './evaluate-guardrails.js';
import { liveSubjects } from './live-subjects.js';
import type { Guardrail, GuardrailReport } from './types.js';

/**
 * The guardrails of a plan (pure): over the declared state as planned (selectors resolved into
 * the instances they matched) and over the live state of the planned instances as read.
 */
export function planGuardrails(guardrails: readonly Guardrail[], desired: DesiredState, live: LiveState): GuardrailReport {
  return guardrailReport(guardrails, [
    ['desired', desiredSubjects(desired, { selectors: false })],
    ['live', liveSubjects(live, desired)],
  ]);
}
