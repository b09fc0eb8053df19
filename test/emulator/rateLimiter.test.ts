/**
 * Rate-limit mode's buckets: per API, and per endpoint where Auth0 documents a limit of its own
 * (`RATE_LIMITS[tier].endpoints`): signup per IP address, the token endpoint and the JWKS on the
 * free tier. A refused request takes from no bucket; an allowed answer shows the bucket with fewer
 * requests left; per-IP buckets are bounded in number.
 */
import { describe, expect, onTestFinished, test, vi } from 'vitest';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { createRateLimiter, type RateLimitedRequest } from '../../src/emulator/rateLimiter.js';
import { RATE_LIMITS } from '../../src/rules/rateLimits.js';

const SIGNUP = (remoteAddress: string | undefined): RateLimitedRequest => ({
  api: 'authentication',
  method: 'POST',
  path: '/dbconnections/signup',
  remoteAddress,
});

/** Takes `count` requests at one instant; the statuses (200 allowed, 429 refused). */
function takeAll(limiter: ReturnType<typeof createRateLimiter>, request: RateLimitedRequest, count: number): number[] {
  return Array.from({ length: count }, () => (limiter.take(request)?.allowed === true ? 200 : 429));
}

describe('the endpoint limits as data', () => {
  test('every tier limits signup per IP address, 50 burst, 50 a minute; only free limits the token endpoint and the JWKS', () => {
    for (const limits of Object.values(RATE_LIMITS)) {
      expect(limits.endpoints.find((limit) => limit.path === '/dbconnections/signup')).toMatchObject({
        method: 'POST',
        burst: 50,
        perSecond: 50 / 60,
        per: 'ip',
      });
    }
    expect(
      RATE_LIMITS.free.endpoints.map((limit) => [limit.method, limit.path, limit.burst, limit.perSecond]),
    ).toStrictEqual([
      ['POST', '/dbconnections/signup', 50, 50 / 60],
      ['POST', '/oauth/token', 30, 30],
      ['GET', '/.well-known/jwks.json', 20, 20],
    ]);
    expect(RATE_LIMITS.enterprise.endpoints.map((limit) => limit.path)).toStrictEqual(['/dbconnections/signup']);
  });
});

describe('createRateLimiter', () => {
  test('signup: 50 from one address, then 429 with its own headers; another address has its own 50; nothing taken when refused', () => {
    const now = 1_000_000;
    const limiter = createRateLimiter(true, 'enterprise', () => now);
    expect(takeAll(limiter, SIGNUP('10.0.0.1'), 51)).toStrictEqual([...Array(50).fill(200), 429]);
    expect(limiter.take(SIGNUP('10.0.0.1'))?.headers).toStrictEqual({
      'x-ratelimit-limit': '50',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(Math.ceil((now + 60_000) / 1000)),
      'retry-after': '2',
    });
    // The Authentication API's bucket (100) lost only the 50 allowed.
    expect(limiter.state().authentication.remaining).toBe(50);
    expect(takeAll(limiter, SIGNUP('10.0.0.2'), 50)).toStrictEqual(Array(50).fill(200));
    // Now the API's bucket is empty: a third address is refused by it, with its headers.
    expect(limiter.take(SIGNUP('10.0.0.3'))?.headers).toMatchObject({ 'x-ratelimit-limit': '100', 'retry-after': '1' });
  });

  test('a bucket refills at its sustained rate: a refused address may sign up again 1.2 s later (50 a minute)', () => {
    let now = 0;
    const limiter = createRateLimiter(true, 'free', () => now);
    takeAll(limiter, SIGNUP('10.0.0.1'), 50);
    expect(limiter.take(SIGNUP('10.0.0.1'))?.allowed).toBe(false);
    now += 1000;
    expect(limiter.take(SIGNUP('10.0.0.1'))?.allowed).toBe(false);
    now += 200;
    expect(limiter.take(SIGNUP('10.0.0.1'))?.allowed).toBe(true);
  });

  test('per-IP buckets are bounded: past 1024 addresses the oldest is forgotten and starts full again', () => {
    /** Whether 10.0.0.1, emptied, may sign up 1 s later (its own bucket then holds 0.83) after `others` other addresses. */
    const againAfter = (others: number): boolean | undefined => {
      let now = 0;
      const limiter = createRateLimiter(true, 'private-cloud-basic', () => now);
      takeAll(limiter, SIGNUP('10.0.0.1'), 51);
      for (let index = 0; index < others; index++) limiter.take(SIGNUP(`10.1.${index >> 8}.${index & 255}`));
      // One second: the API's bucket (100 a second) is full again; 10.0.0.1's own is not.
      now += 1000;
      return limiter.take(SIGNUP('10.0.0.1'))?.allowed;
    };
    expect(againAfter(10)).toBe(false);
    expect(againAfter(1024)).toBe(true);
  });

  test('the bucket forgotten first is the one unused longest, not the one made first', () => {
    let now = 0;
    const limiter = createRateLimiter(true, 'private-cloud-basic', () => now);
    takeAll(limiter, SIGNUP('10.0.0.1'), 51);
    for (let index = 0; index < 1023; index++) {
      limiter.take(SIGNUP(`10.1.${index >> 8}.${index & 255}`));
      // 10.0.0.1 keeps being used (and refused): it stays remembered.
      if (index === 1000) limiter.take(SIGNUP('10.0.0.1'));
    }
    limiter.take(SIGNUP('10.2.0.1'));
    now += 1000;
    expect(limiter.take(SIGNUP('10.0.0.1'))?.allowed).toBe(false);
  });

  test('an endpoint without a limit of its own takes from its API bucket only, and shows its headers', () => {
    const limiter = createRateLimiter(true, 'enterprise', () => 0);
    const token: RateLimitedRequest = {
      api: 'authentication',
      method: 'POST',
      path: '/oauth/token',
      remoteAddress: undefined,
    };
    expect(limiter.take(token)?.headers['x-ratelimit-limit']).toBe('100');
    const free = createRateLimiter(true, 'free', () => 0);
    expect(takeAll(free, token, 31)).toStrictEqual([...Array(30).fill(200), 429]);
    expect(free.take(token)?.headers['x-ratelimit-limit']).toBe('30');
  });
});

describe('over HTTP', () => {
  async function signup(emulator: Emulator, index: number, remoteAddress: string): Promise<number> {
    const answer = await emulator.handle({
      method: 'POST',
      url: `${emulator.baseUrl}/dbconnections/signup`,
      headers: new Headers({ 'content-type': 'application/json' }),
      body: new TextEncoder().encode(
        JSON.stringify({
          client_id: emulator.clientId,
          connection: 'Username-Password-Authentication',
          email: `user${index}@example.com`,
          password: 'Passw0rd!x',
        }),
      ),
      remoteAddress,
    });
    return answer.status;
  }

  test('the 51st signup from one address is a 429; the same moment, another address signs up', async () => {
    // Time stands still: the buckets do not refill while the signups are answered.
    vi.useFakeTimers({ toFake: ['Date'] });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const emulator = createEmulator({ passwordHashIterations: 1, rateLimit: 'enterprise' });
    const statuses: number[] = [];
    for (let index = 0; index < 51; index++) statuses.push(await signup(emulator, index, '192.0.2.7'));
    expect(statuses).toStrictEqual([...Array(50).fill(200), 429]);
    expect(await signup(emulator, 99, '198.51.100.9')).toBe(200);
  });
});
