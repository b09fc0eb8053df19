/**
 * Auth0's rate limits and the answer to a request over them, as data: what the emulator's faults
 * and its rate-limit mode answer with.
 */
import { deepFreeze } from '../internal/freeze.js';

/** The body of Auth0's 429 (see {@link TOO_MANY_REQUESTS_BODY}). */
export interface TooManyRequestsBody {
  readonly statusCode: 429;
  readonly error: 'Too Many Requests';
  readonly message: 'Global limit has been reached';
  readonly errorCode: 'too_many_requests';
}

/**
 * The body of Auth0's 429. Recorded: auth0/terraform-provider-auth0,
 * `test/data/recordings/TestAccUser.yaml` (2022-10-06 and 2022-10-07 versions), interaction 39:
 * `GET /api/v2/users/{id}` answered 429 with exactly this body.
 */
export const TOO_MANY_REQUESTS_BODY: TooManyRequestsBody = /* @__PURE__ */ deepFreeze({
  statusCode: 429,
  error: 'Too Many Requests',
  message: 'Global limit has been reached',
  errorCode: 'too_many_requests',
} as const);

/** The headers of a rate-limited API (documented: Auth0's rate-limit policy, "Rate limit headers"). */
export const RATE_LIMIT_HEADERS: {
  readonly limit: 'x-ratelimit-limit';
  readonly remaining: 'x-ratelimit-remaining';
  readonly reset: 'x-ratelimit-reset';
} = /* @__PURE__ */ deepFreeze({
  /** The most requests the bucket holds. */
  limit: 'x-ratelimit-limit',
  /** The requests left in the bucket. */
  remaining: 'x-ratelimit-remaining',
  /** When the bucket is full again, in UTC epoch seconds. */
  reset: 'x-ratelimit-reset',
} as const);

/** One token bucket: it holds `burst` requests and gains `perSecond` back each second. */
export interface RateLimitBucket {
  /** The burst request limit: how many requests the bucket holds. */
  readonly burst: number;
  /** The sustained request limit, in requests per second. */
  readonly perSecond: number;
}

/** The global limits of a tenant type: one bucket for the Management API, one for the Authentication API. */
export interface TenantRateLimits {
  readonly management: RateLimitBucket;
  readonly authentication: RateLimitBucket;
  /** Where the numbers come from. */
  readonly source: string;
}

/** The tenant types whose limits the emulator knows. */
export type RateLimitTier = 'free' | 'enterprise' | 'private-cloud-basic';

/**
 * Auth0's documented global limits per tenant type (documented: Auth0 docs, "Rate Limit
 * Configurations", under troubleshoot/customer-support/operational-policies/rate-limit-policy).
 * `free`: Management API burst 2, sustained 2/second; Authentication API burst 300, sustained
 * 300/minute (page "Free"). `enterprise`: Authentication API 100 burst, 100/second (page
 * "Enterprise"); Management API "most endpoints are rate limited to 50 rps" (page "Management API
 * Endpoint Rate Limits", Enterprise and Startup subscriptions). `private-cloud-basic`: Management
 * API 50 burst, 50/second; Authentication API 100 burst, 100/second (page "Private Cloud Basic 100
 * RPS (1x)"). Per-endpoint limits (`/oauth/token`, signup per IP) are not modelled: our decision.
 */
export const RATE_LIMITS: Readonly<Record<RateLimitTier, TenantRateLimits>> = /* @__PURE__ */ deepFreeze({
  free: {
    management: { burst: 2, perSecond: 2 },
    authentication: { burst: 300, perSecond: 5 },
    source: 'documented: Rate Limit Configurations, Free',
  },
  enterprise: {
    management: { burst: 50, perSecond: 50 },
    authentication: { burst: 100, perSecond: 100 },
    source: 'documented: Rate Limit Configurations, Enterprise; Management API Endpoint Rate Limits',
  },
  'private-cloud-basic': {
    management: { burst: 50, perSecond: 50 },
    authentication: { burst: 100, perSecond: 100 },
    source: 'documented: Rate Limit Configurations, Private Cloud Basic 100 RPS (1x)',
  },
});

/** The tenant type of rate-limit mode when none is named: the free tier, the one most projects develop on (our decision). */
export const DEFAULT_RATE_LIMIT_TIER: RateLimitTier = 'free';
