import { describe, expect, test } from 'vitest';
import { EmulatorHttpError, errorResponse } from '../../src/emulator/errors.js';
import { searchWithinBudget } from '../../src/emulator/search.js';
import { SEARCH_TIMEOUT } from '../../src/rules/search.js';
import { searchSteps, searchUsers } from '../../src/searchUsers.js';

/** 2,000 users (eight slices of the core's steps), every tenth on the gold plan. */
const USERS = Array.from({ length: 2000 }, (_, index) =>
  Object.freeze({ user_id: `auth0|${index}`, app_metadata: { plan: index % 10 === 0 ? 'gold' : 'free' } }),
);
const QUERY = { q: 'app_metadata.plan:gold', per_page: 100, include_totals: 'true' };

/** A clock that moves `step` ms each time it is read. */
function ticking(step: number): () => number {
  let now = 0;
  return () => {
    now += step;
    return now;
  };
}

describe('searchWithinBudget', () => {
  test('within its budget, the answer of searchUsers', async () => {
    expect(await searchWithinBudget(USERS, QUERY)).toStrictEqual(searchUsers(USERS, QUERY));
  });

  test("over its budget, Auth0's 503 (S11) in the Management API envelope", async () => {
    const failure = await searchWithinBudget(USERS, QUERY, 30, ticking(11)).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(EmulatorHttpError);
    if (!(failure instanceof EmulatorHttpError)) return;
    const answer = errorResponse(failure);
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body ?? '')).toStrictEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: SEARCH_TIMEOUT.message,
      errorCode: SEARCH_TIMEOUT.errorCode,
    });
  });

  test('a long search lets other work run between its slices', async () => {
    const events: string[] = [];
    setTimeout(() => events.push('other request'), 0);
    // Each slice "takes" 11 ms: past the 10 ms slice, the search yields before going on.
    const search = searchWithinBudget(USERS, QUERY, 10_000, ticking(11)).then(() => events.push('search done'));
    await search;
    expect(events).toStrictEqual(['other request', 'search done']);
  });
});

describe('searchSteps: a long query is parsed and compiled in steps too', () => {
  /** The steps `searchSteps` takes for `q` over no users, and what it returns. */
  function stepsOf(q: string): { readonly steps: number; readonly result: unknown } {
    const steps = searchSteps([], { q }, 8);
    for (let count = 0; ; count++) {
      const step = steps.next();
      if (step.done) return { steps: count, result: step.value };
    }
  }
  const words = Array.from({ length: 1024 }, (_, index) => `w${index}`);

  test('1,024 bare words pause at least once every 16 clauses while they are parsed', () => {
    const { steps, result } = stepsOf(words.join(' '));
    expect(steps).toBeGreaterThanOrEqual(1024 / 16 - 1);
    expect(result).toStrictEqual(searchUsers([], { q: words.join(' ') }));
  });

  test('1,024 negations pause after each one while they are compiled, grouped or not', () => {
    const negations = words.map((word) => `NOT ${word}`);
    for (const q of [negations.join(' '), `(${negations.join(' AND ')})`]) {
      const { steps, result } = stepsOf(q);
      expect(steps, q.slice(0, 20)).toBeGreaterThanOrEqual(1024 + 1024 / 16 - 1);
      expect(result).toStrictEqual(searchUsers([], { q }));
    }
  });

  test('a query refused while it is parsed is the issue searchUsers answers', () => {
    const q = `${words.join(' ')} AND`;
    const { result } = stepsOf(q);
    expect(result).toMatchObject({ success: false, issues: [{ code: 'invalid_search_query' }] });
    expect(result).toStrictEqual(searchUsers([], { q }));
  });
});
