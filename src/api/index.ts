/** The DBSS API client: the only module that speaks HTTP to DBSS. */
export { createDbssClient } from './client.js';
export type { ClientEvent, ClientOptions } from './client-options.js';
export { AkSkCredentials, TokenCredentials, credentialsFromEnv, type Credentials } from './credentials.js';
export { credentialMap, credentialNameOf, DEFAULT_CREDENTIAL, type CredentialMap, type CredentialRule } from './credential-map.js';
export { isLoopbackHost, resolveEndpoint, type Endpoint } from './endpoint.js';
export { DbssApiError, parseErrorBody, type ApiErrorDetail, type ApiFailureKind, type ParsedErrorBody } from './errors.js';
export { describeLearnedLimit, memoryLimitStore, parseLearnedLimit, type LearnedLimit, type LearnedLimitStore } from './learned-limit.js';
export { DEFAULT_RATE_LIMIT, formatRateLimit, parseRateLimit, type RateLimit } from './rate-limit.js';
export { DEFAULT_SETTLE_MS, MAX_SETTLE_MS } from './settle.js';
export { signRequest, type SignableRequest, type SigningKey } from './signer.js';
export { UNREACHABLE_CODES } from './unreachable.js';
export type * from './types.js';
