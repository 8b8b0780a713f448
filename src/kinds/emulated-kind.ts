import type { ErrorStyle } from '../emulator/wire-errors.js';
import type { HandlerRequest, HandlerResponse, ServiceContext } from '../emulator/service-context.js';
import type { InstanceState } from '../emulator/types.js';

/**
 * A kind's part of the emulator: its routes, its per-instance state and its readings of the
 * API's open points. It lives in the kind's folder (`emulator.ts`) and shares no wire code with
 * the kind's client side: each follows the API reference on its own (house style).
 */

/** An open-point option of a kind: its values (the first is the default). */
export type KindOptionChoices = readonly [string, ...string[]];

/** What a kind's handler is given besides the request. */
export interface KindHandlerContext {
  /** The service (model, clock, id stream, hostile answers). */
  readonly service: ServiceContext;
  /** The ACTIVE instance the path names. */
  readonly instance: InstanceState;
  /** This kind's state on the instance (created by `initial` on first use); mutate it in place. */
  readonly state: unknown;
  /** This kind's option values in force (every option of `options`, by name). */
  readonly options: { readonly [option: string]: string };
}

/** One route of a kind. The path has `{project_id}` and `{instance_id}`; other `{x}` land in req.params. */
export interface KindRoute {
  /** Operation name as in the API reference, e.g. `CreateAuditScopeRule` (request log, counters, fault injection). */
  readonly operation: string;
  /** HTTP method. */
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path template. */
  readonly path: string;
  /** Error body shape of the path family (`flat` for the current paths, `nested` for the legacy ones). */
  readonly errors: ErrorStyle;
  /** True when it changes state. */
  readonly write: boolean;
  /** The operation (synchronous, like every emulator handler). */
  readonly handle: (ctx: KindHandlerContext, req: HandlerRequest) => HandlerResponse;
}

/** A kind's emulator part. */
export interface EmulatedKind {
  /** The kind's name (the key of its state on an instance). */
  readonly name: string;
  /**
   * Its open-point options (name → values, the first the default), e.g.
   * `{ scopeAllDatabases: ['brackets', 'plain'] }`. Option names are global to the emulator's
   * profile: prefix them with the kind (scope…, sqlRule…).
   */
  readonly options: { readonly [option: string]: KindOptionChoices };
  /** The option values each named profile bundles (profile name → option → value); unnamed = default. */
  readonly profiles: { readonly [profile: string]: { readonly [option: string]: string } };
  /** The kind's state of an instance that has none yet (e.g. the built-in objects every instance has). */
  initial(service: ServiceContext, options: { readonly [option: string]: string }): unknown;
  /** Its routes. */
  readonly routes: readonly KindRoute[];
}
