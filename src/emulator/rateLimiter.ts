import {
  DEFAULT_RATE_LIMIT_TIER,
  type EndpointRateLimit,
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
  /** The endpoints of that tenant type with a limit of their own (a bucket per IP address for `per: 'ip'`). */
  readonly endpoints: readonly EndpointRateLimit[];
}

/** What one request takes from its bucket: whether it may go on, and the headers of its answer. */
export interface RateLimitDecision {
  readonly allowed: boolean;
  readonly headers: Readonly<Record<string, string>>;
}

/** The request a rate limiter counts: its API, its route (method and path template) and its client's address. */
export interface RateLimitedRequest {
  readonly api: 'management' | 'authentication';
  readonly method: string;
  readonly path: string;
  readonly remoteAddress: string | undefined;
}

/** The rate limiter of one emulator: a token bucket per API and per limited endpoint, off until enabled. */
export interface RateLimiter {
  readonly state: () => RateLimitState;
  readonly configure: (settings: { readonly enabled?: boolean; readonly tier?: RateLimitTier }) => RateLimitState;
  /** Takes one request from its buckets, or says when to come back; `undefined` when the mode is off. */
  readonly take: (request: RateLimitedRequest) => RateLimitDecision | undefined;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * How many endpoint buckets (one per IP address for a per-IP limit) are kept at most: past it, the
 * one unused longest is forgotten (it starts full again), so no stream of addresses grows memory
 * without bound.
 */
const MAX_ENDPOINT_BUCKETS = 1024;

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

/** A token bucket per API, and per limited endpoint (and IP address), with the documented limits of `tier` (real time, like Auth0's). */
export function createRateLimiter(
  enabled: boolean,
  tier: RateLimitTier = DEFAULT_RATE_LIMIT_TIER,
  clock: () => number = Date.now,
): RateLimiter {
  let on = enabled;
  let current = tier;
  const fresh = (limits: RateLimitBucket): Bucket => ({ tokens: limits.burst, at: clock() });
  const freshApis = (): Record<'management' | 'authentication', Bucket> => ({
    management: fresh(RATE_LIMITS[current].management),
    authentication: fresh(RATE_LIMITS[current].authentication),
  });
  let buckets = freshApis();
  const endpointBuckets = new Map<string, Bucket>();
  const refill = (bucket: Bucket, limits: RateLimitBucket, now: number): Bucket => {
    bucket.tokens = Math.min(limits.burst, bucket.tokens + ((now - bucket.at) / 1000) * limits.perSecond);
    bucket.at = now;
    return bucket;
  };
  /** The bucket of an endpoint's limit for this request (its own, or its client address's). */
  const endpointBucket = (limit: EndpointRateLimit, remoteAddress: string | undefined): Bucket => {
    const key = `${limit.method} ${limit.path}${limit.per === 'ip' ? ` ${remoteAddress ?? ''}` : ''}`;
    const known = endpointBuckets.get(key);
    if (known !== undefined) {
      // Kept in the order of use: the one forgotten first is the one unused longest.
      endpointBuckets.delete(key);
      endpointBuckets.set(key, known);
      return known;
    }
    if (endpointBuckets.size >= MAX_ENDPOINT_BUCKETS) {
      const [oldest] = endpointBuckets.keys();
      if (oldest !== undefined) endpointBuckets.delete(oldest);
    }
    const bucket = fresh(limit);
    endpointBuckets.set(key, bucket);
    return bucket;
  };
  const restart = (): void => {
    buckets = freshApis();
    endpointBuckets.clear();
  };
  const state = (): RateLimitState => {
    const now = clock();
    const limits = RATE_LIMITS[current];
    return {
      enabled: on,
      tier: current,
      management: {
        ...limits.management,
        remaining: Math.floor(refill(buckets.management, limits.management, now).tokens),
      },
      authentication: {
        ...limits.authentication,
        remaining: Math.floor(refill(buckets.authentication, limits.authentication, now).tokens),
      },
      endpoints: limits.endpoints,
    };
  };
  return {
    state,
    configure: (settings) => {
      if (settings.tier !== undefined && settings.tier !== current) {
        current = settings.tier;
        restart();
      }
      if (settings.enabled !== undefined) {
        if (settings.enabled && !on) restart();
        on = settings.enabled;
      }
      return state();
    },
    take: ({ api, method, path, remoteAddress }) => {
      if (!on) return undefined;
      const now = clock();
      const limits = RATE_LIMITS[current];
      const global = { limits: limits[api], bucket: refill(buckets[api], limits[api], now) };
      const limit = limits.endpoints.find((entry) => entry.method === method && entry.path === path);
      const own =
        limit === undefined
          ? undefined
          : { limits: limit, bucket: refill(endpointBucket(limit, remoteAddress), limit, now) };
      // The first empty bucket refuses (the endpoint's, then the API's), and nothing is taken.
      const empty = [own, global].find((entry) => entry !== undefined && entry.bucket.tokens < 1);
      if (empty !== undefined) {
        return { allowed: false, headers: rateLimitHeaders(empty.limits, empty.bucket.tokens, now, true) };
      }
      global.bucket.tokens -= 1;
      if (own !== undefined) own.bucket.tokens -= 1;
      // The headers of the bucket that will refuse first: the one with fewer requests left.
      const shown = own !== undefined && own.bucket.tokens <= global.bucket.tokens ? own : global;
      return { allowed: true, headers: rateLimitHeaders(shown.limits, shown.bucket.tokens, now, false) };
    },
  };
}
