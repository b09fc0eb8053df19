// The emulator's answers before any rule of an endpoint, and those of /oauth/token, as data (src/rules/).
export type { BulkImportUser, SeedEntry } from '../readSeedUser.js';
export {
  CHECK_ORDER,
  type ErrorStatus,
  type RequestCheck,
  TRANSPORT_ANSWERS,
  type TransportAnswer,
  type TransportReason,
} from '../rules/http.js';
export { TOKEN_ANSWERS, type TokenAnswer, type TokenReason } from '../rules/oauth.js';
export {
  DEFAULT_RATE_LIMIT_TIER,
  type EndpointRateLimit,
  RATE_LIMITS,
  type RateLimitBucket,
  type RateLimitTier,
  type TenantRateLimits,
  TOO_MANY_REQUESTS_BODY,
  type TooManyRequestsBody,
} from '../rules/rateLimits.js';
export { CURRENT_USER_SCOPES, type UserAction } from '../rules/scopes.js';
export type { ClockState } from './clock.js';
export type {
  ControlToken,
  EmulatorControl,
  HealthState,
} from './control.js';
export {
  createEmulator,
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SCOPES,
  DEFAULT_DOMAIN,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_PASSWORD_HASH_ITERATIONS,
  DEFAULT_REQUEST_LOG_SIZE,
  DEFAULT_TOKEN_LIFETIME,
  type Emulator,
  type EmulatorOptions,
  EmulatorSeedError,
  type FetchHandler,
  type IssueTokenOptions,
  isEmulatorSeedError,
} from './createEmulator.js';
export type { OAuthErrorBody } from './errors.js';
export { type EmulatorRequest, type EmulatorResponse, toResponse } from './http.js';
export type { EmulatorIdentity, SigningKey, StoredPasswordHash } from './identity.js';
export type { InjectedFault, InjectedFaultSpec } from './injectedFaults.js';
export { PASSWORD_REALM_GRANT } from './oauth.js';
export type { RateLimitState } from './rateLimiter.js';
export type { JournalEffect, JournalEntry, RecordedRequest, RequestFilter } from './requests.js';
export type { SearchIndexState } from './searchIndex.js';
export type { UserChanges } from './undo.js';
