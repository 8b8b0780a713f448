/**
 * The local DBSS API server: a faithful emulator of the DBSS risk-rule, instance and summary
 * task APIs (dbss-api.md), with APIG-style authentication, throttling, latency, fault
 * injection, a request log and a persisted model. Used by the demo, the integration tests,
 * the benchmarks and `dbss-policy emulator`.
 */
export { startEmulator } from './start-emulator.js';
export type { Emulator, EmulatorOptions, LatencySettings, RuntimeSettings } from './options.js';
export type { AccessKeyCredential, AuthSettings } from './auth/authenticator.js';
export type { FaultKind, FaultSettings } from './faults.js';
export type { HostileAnswers } from './hostile-answers.js';
export { FAULT_KINDS } from './faults.js';
export type { RateLimit, StatedLimit } from './throttle.js';
export { parseRateLimit } from './throttle.js';
export type { EmulatorCounters, RequestLogEntry } from './request-log.js';
export { OPERATIONS } from './routes.js';
export type { OperationName } from './routes.js';
export { demoState, DEMO_INSTANCES, DEMO_PROJECTS } from './demo-state.js';
export { generateState } from './generate-state.js';
export type { GenerateStateOptions } from './generate-state.js';
export { emptyState } from './project-state.js';
export { loadStateFile, saveStateFile } from './state-file.js';
export { rankOf } from './rule-order.js';
export type { ApiProfile } from './api-profile.js';
export { checkProfile, DEFAULT_PROFILE, PROFILE_CHOICES, PROFILE_KEYS } from './api-profile.js';
export type { ProfileName } from './profiles.js';
export { loadProfileFile, nameOfProfile, PROFILE_NAMES, PROFILES, profileByName, sameProfile } from './profiles.js';
export type * from './types.js';
export { INSTANCE_STATUSES } from './types.js';
