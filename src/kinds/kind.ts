import type { RuleProvenance, SourceLocation, Switch } from '../domain.js';

/**
 * The shape every kind of audit-policy object fills in (house style, "Many kinds, one engine").
 * A kind is one folder under src/kinds/ that exports one `Kind`; src/kinds/registry.ts lists
 * them. The policy loader, the live reader, the planner, the apply engine, the renderers,
 * fingerprints, `--changed-since`, `export` and `probe` call what the kind defines and never
 * branch on its name.
 *
 * Every value a kind hands the engine (desired, live, change payloads) is plain JSON: it is
 * hashed into the plan's fingerprints, saved in plan files and compared when a saved plan is
 * applied.
 */

/** JSON data. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/** One object of a kind as a policy declares it, after defaults. */
export interface DesiredObject {
  /** Identity within the instance (a name; the normalised SQL text for the whitelist). */
  readonly key: string;
  /** The kind's domain form of the object (compared field by field with a live object). */
  readonly spec: { readonly [field: string]: Json };
  /** Where it is declared (and through which rule set). */
  readonly source: RuleProvenance;
  /** Time-boxed exception data and the like, kept for later stages (absent = none). */
  readonly meta?: { readonly [key: string]: Json };
}

/** What an instance entry (or selector) declares of one kind. */
export interface DesiredKind {
  /** Declared objects, in declaration order (the order is the priority for an ordered kind). */
  readonly objects: readonly DesiredObject[];
  /** Built-in objects switched by name: name → wanted switch, with where it is declared. */
  readonly switches: readonly { readonly name: string; readonly status: Switch; readonly source: RuleProvenance }[];
  /** Singleton settings of the kind (e.g. `full_audit: OFF`), by setting name. */
  readonly settings: { readonly [name: string]: { readonly value: Json; readonly source: SourceLocation } };
  /** Delete live custom objects that are not declared. */
  readonly prune: boolean;
}

/** One live object of a kind, in the kind's domain form. */
export interface LiveObject {
  /** Live id (writes address it). */
  readonly id: string;
  /** Identity (see DesiredObject.key). */
  readonly key: string;
  /** Built in: may only be switched, never created, updated or deleted. */
  readonly builtIn: boolean;
  /** Readable fields in the kind's domain form (the same field names as DesiredObject.spec). */
  readonly spec: { readonly [field: string]: Json };
  /** Priority for an ordered kind (smaller = higher); absent when the answer has none. */
  readonly rank?: number;
}

/** The live state of one kind on one instance, as its read answered. */
export interface LiveKind {
  /** Every object listed (custom and built in), in list order. */
  readonly objects: readonly LiveObject[];
  /** Singleton settings as read, by setting name (absent = not answered). */
  readonly settings: { readonly [name: string]: Json };
  /** What the read learned or could not tell (e.g. "page base 1"), shown as plan notes and by `probe`. */
  readonly observations: readonly string[];
  /** The emulator options (the kind's EmulatedKind.options) this read settled, e.g. `{ sqlRulePageBase: '1' }`; `probe` builds the matching profile from them. */
  readonly learned?: { readonly [option: string]: string };
}

/** One field that differs. */
export interface KindFieldChange {
  /** Policy field name (snake_case as written in YAML). */
  readonly field: string;
  /** Live value; absent when not read. */
  readonly before?: Json;
  /** Wanted value. */
  readonly after: Json;
}

/**
 * The operations a kind's change can be; apply runs them in this order within one kind of one
 * instance. What replaces coverage comes before what removes it: creates before switches (a
 * built-in scope switched OFF once the custom scopes exist), settings after both (masking or
 * alarms switched off last), deletes after everything else was confirmed.
 */
export const KIND_OPS = ['update', 'create', 'switch', 'order', 'set', 'delete'] as const;
/** One operation. */
export type KindOp = (typeof KIND_OPS)[number];

/** A change the kind plans (the engine adds the id, target and kind name). */
export interface KindChangeDraft {
  /** The operation. */
  readonly op: KindOp;
  /** What it is about, for people and change ids: an object key, a setting name, or `order`. */
  readonly subject: string;
  /** Live ids the write addresses (update/delete/switch/order); absent for a create or a setting. */
  readonly ids?: readonly string[];
  /** The kind's payload for its write call (e.g. the full object for a create or update). */
  readonly payload: Json;
  /** The fields that differ (update, set), or the objects switched (switch). */
  readonly fields?: readonly KindFieldChange[];
  /** True when the change weakens auditing, with the reasons. */
  readonly weakening?: readonly string[];
  /** Where what the change serves is declared. */
  readonly source?: RuleProvenance;
}

/** The plan of one kind on one instance. */
export interface KindPlan {
  /** Its changes. */
  readonly changes: readonly KindChangeDraft[];
  /** Remarks that are not changes (e.g. "custom scopes have no effect while full audit is ON"). */
  readonly notes: readonly string[];
  /** What stops the kind from being planned on this instance (no changes then). */
  readonly problems: readonly string[];
}

/** Which instance a call is about. */
export interface KindTarget {
  /** IAM project id. */
  readonly projectId: string;
  /** Instance id. */
  readonly instanceId: string;
}

/** One call of a kind, before the client fills in project and instance. */
export interface KindCall {
  /** Operation name (stats, errors), e.g. `CreateAuditScopeRule`. */
  readonly operation: string;
  /** HTTP method. */
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path template; `{project_id}` and `{instance_id}` are filled by the client, other `{x}` from params. */
  readonly path: string;
  /** Other path parameters (ids are checked as usable path segments). */
  readonly params?: { readonly [name: string]: string };
  /** Query pairs. */
  readonly query?: readonly (readonly [string, string])[];
  /** JSON body. */
  readonly body?: Json;
  /** Content-Type (default application/json). */
  readonly contentType?: string;
}

/** The API as a kind sees it: the run's client for one endpoint, with its budget, retries and auth gate. */
export interface KindApi {
  /** A read: the JSON answer. Retried like every read. */
  read(target: KindTarget, call: KindCall): Promise<unknown>;
  /**
   * A write answered `{status}` (SUCCESS in any case; the answer is checked). Retried like every
   * write; give `wasApplied` for a write that must not be sent twice (a create): after an
   * ambiguous failure it is asked (a read) before any resend, and the write is resent only
   * when it says false.
   */
  write(target: KindTarget, call: KindCall, wasApplied?: () => Promise<boolean>): Promise<void>;
  /** Lists again over the client's settle window until `settled` holds (a list may lag a write); the last answer when it never does. */
  settle<T>(read: () => Promise<T>, settled: (answer: T) => boolean): Promise<T>;
  /** Page size of list reads (the client's --page-size). */
  readonly pageSize: number;
}

/** A kind of audit-policy object. */
export interface Kind {
  /** Machine name: plan JSON `objectKind`, change ids, `--fail-on-weakening` reasons, e.g. `audit-scope`. */
  readonly name: string;
  /** What people call one object, e.g. `audit scope`. */
  readonly label: string;
  /** What people call several, when it is not the label with an `s` (`whitelist entries`). */
  readonly plural?: string;
  /** The instance-entry (and rule set) YAML keys the kind owns, e.g. `audit_scopes`, `full_audit`. */
  readonly policyKeys: readonly string[];
  /** Its schema fragment: properties of an instance entry and rule set, and the $defs they use. */
  readonly schema: { readonly properties: { readonly [key: string]: object }; readonly defs: { readonly [name: string]: object } };
  /**
   * The declared state of an entry: `values` holds the validated YAML of the policy keys that
   * are present (rule sets' values first, in `use` order, then the entry's own); undefined when
   * none is. `at(path)` locates a value.
   */
  desired(values: readonly KindValues[], prune: boolean): DesiredKind | undefined;
  /**
   * What the schema cannot check in one place's values (an entry's or a rule set's): a name
   * declared twice, a regex that does not compile, ... Each finding names the path under the
   * place (e.g. `['sql_injection_rules', 2, 'regex']`); `validate` reports it at its file:line:col.
   */
  check?(values: KindValues['values']): readonly KindFinding[];
  /** Reads the kind on one instance (every page), tolerant of every optional field. */
  read(api: KindApi, target: KindTarget): Promise<LiveKind>;
  /** Plans one instance. Pure. */
  plan(desired: DesiredKind, live: LiveKind): KindPlan;
  /** Sends one planned change. */
  write(api: KindApi, target: KindTarget, change: KindChangeDraft): Promise<void>;
  /**
   * Sends every change of one op on one instance at once, for an API that writes in batches
   * (whitelist adds and deletes): all or nothing on the wire; the engine still confirms each
   * change by its read-back and reports each. Absent: `write` per change, concurrently.
   */
  writeBatch?(api: KindApi, target: KindTarget, op: KindOp, changes: readonly KindChangeDraft[]): Promise<void>;
  /**
   * Whether a read shows a change done: the object listed with its declared fields, gone, in
   * order, switched, the setting set. The engine reads back after every write (a SUCCESS is a
   * claim until a read shows it) and after a lost answer.
   */
  shows(change: KindChangeDraft, live: LiveKind): boolean;
  /** The policy YAML of a live state (keys of `policyKeys`), for `export`; empty when nothing is worth writing. */
  export(live: LiveKind): { readonly [policyKey: string]: Json };
}

/** The YAML of a kind's policy keys in one place (an entry or a rule set it uses). */
export interface KindValues {
  /** Validated YAML values by policy key (only keys that are present). */
  readonly values: { readonly [policyKey: string]: Json };
  /** Where a value is: `at(['audit_scopes', 0])`. */
  readonly at: (path: readonly (string | number)[]) => SourceLocation;
  /** The rule set, when the values come from one (and where it was used). */
  readonly ruleSet?: { readonly name: string; readonly appliedAt: SourceLocation };
}

/** A problem `check` found, at a path under the place it checked. */
export interface KindFinding {
  /** Path under the entry or rule set, e.g. `['audit_scopes', 0, 'name']`. */
  readonly path: readonly (string | number)[];
  /** What is wrong. */
  readonly message: string;
  /** A warning instead of an error. */
  readonly warning?: boolean;
}

/** What people call several objects of a kind (or of a collection shape). */
export const pluralOf = (k: { readonly label: string; readonly plural?: string }): string => k.plural ?? `${k.label}s`;
