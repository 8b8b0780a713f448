import type { ApiProfile } from './api-profile.js';
import type { ListLag } from './list-lag.js';
import type { HostileAnswers } from './hostile-answers.js';
import { Prng } from './prng.js';
import { newProject } from './project-state.js';
import type { EmulatorState, InstanceState, ProjectState } from './types.js';
import { checkInstanceId, checkProjectId } from './validate-request.js';
import { badRequest, DBSS } from './wire-errors.js';

/** What a DBSS handler works with: the model and the emulator's sense of time. */
export interface ServiceContext {
  /** The live model; handlers mutate it synchronously, so concurrent requests cannot interleave. */
  readonly state: EmulatorState;
  /** The PRNG of rule ids (its state is copied back to `state.idRngState` after each write). */
  readonly ids: Prng;
  /** Current time in epoch ms (injectable for tests). */
  now(): number;
  /** How long an executed summary task stays running ("1") before it reads as succeeded ("2"). */
  readonly summaryTaskDurationMs: number;
  /** The reading of the API's open points this emulator follows. */
  readonly profile: ApiProfile;
  /** Which created rules the lists do not show yet (runtime setting listLagMs). */
  readonly listLag: ListLag;
  /** Hostile answers asked for (EmulatorOptions.hostileAnswers); empty = none. */
  readonly hostile: HostileAnswers;
  /** Instance and rule names a `lyingCreate: once` already lied about. */
  readonly lied: Set<string>;
}

/** One request as a handler sees it. */
export interface HandlerRequest {
  /** Path parameters by name (percent-decoded). */
  readonly params: Readonly<Record<string, string>>;
  /** Query parameters. */
  readonly query: URLSearchParams;
  /** The raw body bytes. */
  readonly body: Buffer;
}

/** A handler's answer: a status and a JSON body, or no body at all (`body` undefined). */
export interface HandlerResponse {
  /** HTTP status. */
  readonly status: number;
  /** JSON body; undefined sends an empty body. */
  readonly body?: unknown;
}

/** A DBSS operation: synchronous, so each request's change to the model is atomic. */
export type Handler = (ctx: ServiceContext, req: HandlerRequest) => HandlerResponse;

/**
 * The project of a (validated) project id. An unknown project reads as an empty one (a tenant
 * with no DBSS instances lists none); it is not stored until a write needs it.
 */
export function projectOf(ctx: ServiceContext, projectId: string): ProjectState {
  checkProjectId(projectId);
  return ctx.state.projects[projectId] ?? newProject(new Prng(0), 'unknown');
}

/** The project of a project id, created (empty) when a write needs it to exist. */
export function projectForWrite(ctx: ServiceContext, projectId: string): ProjectState {
  checkProjectId(projectId);
  const existing = ctx.state.projects[projectId];
  if (existing) return existing;
  const created = newProject(ctx.ids, 'unknown');
  ctx.state.projects[projectId] = created;
  return created;
}

/**
 * The instance a rule call targets. Unknown instances are a 400 invalid-id error (the real
 * code is unconfirmed). Rules can only be managed on an ACTIVE instance, as in the console;
 * what the API answers otherwise is unconfirmed, so the emulator answers a 400 DBSS error.
 */
export function activeInstance(ctx: ServiceContext, req: HandlerRequest): InstanceState {
  const projectId = req.params.project_id ?? '';
  const instanceId = checkInstanceId(req.params.instance_id ?? '');
  const instance = projectOf(ctx, projectId).instances.find((i) => i.id === instanceId);
  if (!instance) throw badRequest(`instance ${instanceId} not found in project ${projectId}`, DBSS.invalidId);
  if (instance.status !== 'ACTIVE') {
    throw badRequest(`instance ${instanceId} is ${instance.status}: rules can only be managed on an ACTIVE instance`);
  }
  return instance;
}
