/**
 * A loopback soak of a served emulator: workers send mixed create, read, patch and delete requests,
 * each checking every answer against its own model of the users it owns, and all of them writing
 * their own key of one shared user. Used by `soak.test.ts` (about 20 seconds) and `npm run soak`
 * (about a minute).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const CONNECTION = 'Username-Password-Authentication';

/** How long and how hard to soak. Both bounds end the soak: whichever comes first. */
export interface SoakOptions {
  readonly baseUrl: string;
  readonly token: string;
  /** The user every worker writes its own key of. */
  readonly sharedUserId: string;
  readonly durationMs: number;
  readonly maxRequests: number;
  /** Concurrent workers, each with one request in flight at a time. */
  readonly workers: number;
  /** Most users a worker keeps alive: it deletes before it creates past this. */
  readonly usersPerWorker: number;
  readonly seed: number;
}

/** What a soak did and saw. */
export interface SoakReport {
  readonly requests: number;
  readonly statuses: Readonly<Record<string, number>>;
  /** Answers that differ from the model: wrong status, wrong body, a 5xx, a failed fetch. */
  readonly problems: readonly string[];
  /** Per worker, the users it created and has not deleted, with the user_metadata it was told it has. */
  readonly live: ReadonlyMap<string, Readonly<Record<string, number>>>;
  /** Users deleted with an acknowledged DELETE. */
  readonly deleted: ReadonlySet<string>;
  /** The last acknowledged value of each worker's key in the shared user. */
  readonly shared: Readonly<Record<string, number>>;
}

/** A small seeded generator (mulberry32): each worker's sequence of requests is reproducible. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function sameMetadata(actual: unknown, expected: Readonly<Record<string, number>>): boolean {
  if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return false;
  const keys = Object.keys(actual);
  if (keys.length !== Object.keys(expected).length) return false;
  return keys.every((key) => Object.hasOwn(expected, key) && Reflect.get(actual, key) === expected[key]);
}

function read(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined;
}

/** Runs the soak; resolves when the time or the request budget is spent and every worker has stopped. */
export async function soak(options: SoakOptions): Promise<SoakReport> {
  const started = performance.now();
  const statuses: Record<string, number> = {};
  const problems: string[] = [];
  const live = new Map<string, Record<string, number>>();
  const deleted = new Set<string>();
  const shared: Record<string, number> = {};
  let requests = 0;
  const headers = { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' };
  const userUrl = (userId: string): string => `${options.baseUrl}/api/v2/users/${encodeURIComponent(userId)}`;

  const call = async (method: string, url: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
    requests++;
    try {
      const response = await fetch(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      if (response.status >= 500) problems.push(`${method} ${url} answered ${response.status} ${text.slice(0, 200)}`);
      return { status: response.status, json: text === '' ? undefined : JSON.parse(text) };
    } catch (error) {
      problems.push(`${method} ${url} failed: ${String(error)}`);
      return { status: 0, json: undefined };
    }
  };

  const expectStatus = (what: string, actual: number, expected: number): boolean => {
    if (actual === expected) return true;
    if (actual !== 0) problems.push(`${what}: expected ${expected}, got ${actual}`);
    return false;
  };

  const worker = async (index: number): Promise<void> => {
    const next = random(options.seed + index);
    const mine: string[] = [];
    let created = 0;
    let counter = 0;
    const pick = (): string | undefined => mine[Math.floor(next() * mine.length)];
    while (performance.now() - started < options.durationMs && requests < options.maxRequests) {
      const roll = next();
      const userId = pick();
      if (userId === undefined || (roll < 0.15 && mine.length < options.usersPerWorker)) {
        const email = `s${options.seed}-w${index}-${created++}@soak.test`;
        const reply = await call('POST', `${options.baseUrl}/api/v2/users`, {
          connection: CONNECTION,
          email,
          password: 'Passw0rd!',
          user_metadata: {},
        });
        if (!expectStatus(`create ${email}`, reply.status, 201)) continue;
        const id = String(read(reply.json, 'user_id'));
        mine.push(id);
        live.set(id, {});
      } else if (roll < 0.22) {
        const reply = await call('DELETE', userUrl(userId));
        if (!expectStatus(`delete ${userId}`, reply.status, 204)) continue;
        mine.splice(mine.indexOf(userId), 1);
        live.delete(userId);
        deleted.add(userId);
      } else if (roll < 0.5) {
        const reply = await call('GET', `${userUrl(userId)}?fields=user_metadata`);
        if (!expectStatus(`get ${userId}`, reply.status, 200)) continue;
        const model = live.get(userId) ?? {};
        const metadata = read(reply.json, 'user_metadata');
        if (!sameMetadata(metadata, model)) {
          problems.push(`get ${userId}: ${JSON.stringify(metadata)} instead of ${JSON.stringify(model)}`);
        }
      } else if (roll < 0.85) {
        const key = `k${Math.floor(next() * 8)}`;
        const value = next() < 0.2 ? null : ++counter;
        const reply = await call('PATCH', userUrl(userId), { user_metadata: { [key]: value } });
        if (!expectStatus(`patch ${userId}`, reply.status, 200)) continue;
        const model = { ...(live.get(userId) ?? {}) };
        if (value === null) Reflect.deleteProperty(model, key);
        else model[key] = value;
        live.set(userId, model);
        if (!sameMetadata(read(reply.json, 'user_metadata'), model)) {
          problems.push(`patch ${userId}: answered ${JSON.stringify(read(reply.json, 'user_metadata'))}`);
        }
      } else {
        const value = ++counter;
        const reply = await call('PATCH', userUrl(options.sharedUserId), { user_metadata: { [`w${index}`]: value } });
        if (expectStatus('patch the shared user', reply.status, 200)) shared[`w${index}`] = value;
      }
    }
  };

  await Promise.all(Array.from({ length: options.workers }, (_, index) => worker(index)));
  return { requests, statuses, problems, live, deleted, shared };
}

/** A `gc()` without `--expose-gc` on the command line (the test runner starts the process). */
export function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  if (typeof gc !== 'function') throw new Error('gc() is not available');
  return () => {
    for (let round = 0; round < 3; round++) gc();
  };
}
