import {
  DEFAULT_RATE_LIMIT_TIER,
  RATE_LIMIT_HEADERS,
  RATE_LIMITS,
  type RateLimitBucket,
  type RateLimitTier,
} from '../rules/rateLimits.js';

/** Rate-limit mode as the control API shows it. */
export interface RateLimitState {
  readonly enabled: boolean;
  /** The tenant type whose documented limits apply (`RATE_LIMITS`, src/rules/rateLimits.ts). */
  readonly tier: RateLimitTier;
  /** The buckets of that tenant type, and what is left in each now. */
  readonly management: RateLimitBucket & { readonly remaining: number };
  readonly authentication: RateLimitBucket & { readonly remaining: number };
}

/** What one request takes from its bucket: whether it may go on, and the headers of its answer. */
export interface RateLimitDecision {
  readonly allowed: boolean;
  readonly headers: Readonly<Record<string, string>>;
}

/** The rate limiter of one emulator: a token bucket per API, off until enabled. */
export interface RateLimiter {
  readonly state: () => RateLimitState;
  readonly configure: (settings: { readonly enabled?: boolean; readonly tier?: RateLimitTier }) => RateLimitState;
  /** Takes one request from the bucket of `api`, or says when to come back; `undefined` when the mode is off. */
  readonly take: (api: 'management' | 'authentication') => RateLimitDecision | undefined;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * The headers of an answer under a bucket, as Auth0 documents them: the limit, what is left, and
 * when the bucket is full again (UTC epoch seconds); a refusal adds `Retry-After`, the seconds
 * until the next request is allowed (RFC 9110 §10.2.3).
 */
export function rateLimitHeaders(
  limits: RateLimitBucket,
  tokens: number,
  nowMs: number,
  refused: boolean,
): Record<string, string> {
  const fullInMs = ((limits.burst - tokens) / limits.perSecond) * 1000;
  const headers: Record<string, string> = {
    [RATE_LIMIT_HEADERS.limit]: String(limits.burst),
    [RATE_LIMIT_HEADERS.remaining]: String(Math.max(0, Math.floor(tokens))),
    [RATE_LIMIT_HEADERS.reset]: String(Math.ceil((nowMs + fullInMs) / 1000)),
  };
  if (refused) headers['retry-after'] = String(Math.max(1, Math.ceil((1 - tokens) / limits.perSecond)));
  return headers;
}

/** A token bucket per API with the documented limits of `tier` (real time, like Auth0's). */
export function createRateLimiter(
  enabled: boolean,
  tier: RateLimitTier = DEFAULT_RATE_LIMIT_TIER,
  clock: () => number = Date.now,
): RateLimiter {
  let on = enabled;
  let current = tier;
  const fresh = (api: 'management' | 'authentication'): Bucket => ({
    tokens: RATE_LIMITS[current][api].burst,
    at: clock(),
  });
  let buckets = { management: fresh('management'), authentication: fresh('authentication') };
  const refill = (api: 'management' | 'authentication', now: number): Bucket => {
    const limits = RATE_LIMITS[current][api];
    const bucket = buckets[api];
    bucket.tokens = Math.min(limits.burst, bucket.tokens + ((now - bucket.at) / 1000) * limits.perSecond);
    bucket.at = now;
    return bucket;
  };
  const state = (): RateLimitState => {
    const now = clock();
    return {
      enabled: on,
      tier: current,
      management: { ...RATE_LIMITS[current].management, remaining: Math.floor(refill('management', now).tokens) },
      authentication: {
        ...RATE_LIMITS[current].authentication,
        remaining: Math.floor(refill('authentication', now).tokens),
      },
    };
  };
  return {
    state,
    configure: (settings) => {
      if (settings.tier !== undefined && settings.tier !== current) {
        current = settings.tier;
        buckets = { management: fresh('management'), authentication: fresh('authentication') };
      }
      if (settings.enabled !== undefined) {
        if (settings.enabled && !on)
          buckets = { management: fresh('management'), authentication: fresh('authentication') };
        on = settings.enabled;
      }
      return state();
    },
    take: (api) => {
      if (!on) return undefined;
      const now = clock();
      const bucket = refill(api, now);
      const allowed = bucket.tokens >= 1;
      if (allowed) bucket.tokens -= 1;
      return { allowed, headers: rateLimitHeaders(RATE_LIMITS[current][api], bucket.tokens, now, !allowed) };
    },
  };
}
