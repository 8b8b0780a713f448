import { serializePlan } from '../plan/plan-json.js';
import type { Plan } from '../plan/types.js';

/** The plan as versioned JSON (schemas/plan.schema.json), the same text `plan --out` writes and `apply` reads. */
export function renderJson(plan: Plan): string {
  return serializePlan(plan);
}
