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

/**
 * A limit of one endpoint, below its API's: a bucket of its own, taken before the API's bucket.
 * `per` says whose requests share it: every request (`any`, Auth0's "Any request"), or those of one
 * client IP address (`ip`, Auth0's "From an IP address").
 */
export interface EndpointRateLimit extends RateLimitBucket {
  /** Auth0's name of the endpoint in its policy table. */
  readonly name: string;
  readonly method: string;
  /** The path, as the emulator's route table has it. */
  readonly path: string;
  readonly per: 'any' | 'ip';
}

/**
 * The limits of a tenant type: the global bucket of the Management API and of the Authentication
 * API, and the per-endpoint limits of the endpoints the emulator serves.
 */
export interface TenantRateLimits {
  readonly management: RateLimitBucket;
  readonly authentication: RateLimitBucket;
  /** The endpoints with a limit of their own, among those the emulator serves. */
  readonly endpoints: readonly EndpointRateLimit[];
  /** Where the numbers come from. */
  readonly source: string;
}

/**
 * `POST /dbconnections/signup`: burst 50, sustained 50 per minute, from an IP address (the
 * default; a tenant may change it with Suspicious IP Throttling). Documented alike on the pages
 * "Free", "Enterprise" and "Private Cloud Basic 100 RPS (1x)" of Auth0's Rate Limit Configurations.
 */
const SIGNUP_LIMIT: EndpointRateLimit = {
  name: 'Signup',
  method: 'POST',
  path: '/dbconnections/signup',
  burst: 50,
  perSecond: 50 / 60,
  per: 'ip',
};

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
 * RPS (1x)").
 *
 * Per-endpoint limits, of the endpoints the emulator serves (documented, the same pages' endpoint
 * tables): every tier limits signup per IP address (`SIGNUP_LIMIT`); `free` also limits "Get
 * Token" (`POST /oauth/token`, burst 30, 30/second, any request) and "JSON Web Token Keys"
 * (`GET /.well-known/jwks.json`, burst 20, 20/second, any request). The `enterprise` and
 * `private-cloud-basic` tables list neither, so only their global bucket applies there. No
 * users endpoint (`/api/v2/users*`) has a limit of its own in any table. "Native Social Login" on
 * `/oauth/token` (Apple and Facebook tokens only) is not modelled: the emulator has no social login.
 * How an endpoint's bucket and its API's combine is our decision: a request is refused by the first
 * that is empty (the endpoint's, then the API's) and then takes from neither; an allowed answer
 * carries the headers of the one with fewer requests left.
 */
export const RATE_LIMITS: Readonly<Record<RateLimitTier, TenantRateLimits>> = /* @__PURE__ */ deepFreeze({
  free: {
    management: { burst: 2, perSecond: 2 },
    authentication: { burst: 300, perSecond: 5 },
    endpoints: [
      SIGNUP_LIMIT,
      { name: 'Get Token', method: 'POST', path: '/oauth/token', burst: 30, perSecond: 30, per: 'any' },
      {
        name: 'JSON Web Token Keys',
        method: 'GET',
        path: '/.well-known/jwks.json',
        burst: 20,
        perSecond: 20,
        per: 'any',
      },
    ],
    source: 'documented: Rate Limit Configurations, Free',
  },
  enterprise: {
    management: { burst: 50, perSecond: 50 },
    authentication: { burst: 100, perSecond: 100 },
    endpoints: [SIGNUP_LIMIT],
    source: 'documented: Rate Limit Configurations, Enterprise; Management API Endpoint Rate Limits',
  },
  'private-cloud-basic': {
    management: { burst: 50, perSecond: 50 },
    authentication: { burst: 100, perSecond: 100 },
    endpoints: [SIGNUP_LIMIT],
    source: 'documented: Rate Limit Configurations, Private Cloud Basic 100 RPS (1x)',
  },
});

/** The tenant type of rate-limit mode when none is named: the free tier, the one most projects develop on (our decision). */
export const DEFAULT_RATE_LIMIT_TIER: RateLimitTier = 'free';
