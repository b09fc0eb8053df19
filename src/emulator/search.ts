import type { Result } from '../issues.js';
import { SEARCH_TIMEOUT } from '../rules/search.js';
import { type SearchUsersBody, type SearchUsersQuery, searchSteps } from '../searchUsers.js';
import { EmulatorHttpError } from './errors.js';

/** The longest a search runs before letting other requests through, in ms: well under 50 ms. */
const SLICE_MS = 10;

/**
 * Users matched between two looks at the clock: few, since one user against a thousand-clause
 * query can take a millisecond.
 */
const USERS_PER_STEP = 8;

/** Lets the event loop run whatever waits (other requests, timers) before the search goes on. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Auth0's 503 for a search over its time budget (`SEARCH_TIMEOUT`, src/rules/search.ts: S11). */
function searchTimeout(): EmulatorHttpError {
  const { status, message, errorCode } = SEARCH_TIMEOUT;
  return new EmulatorHttpError({
    api: 'management',
    status,
    body: { statusCode: status, error: 'Service Unavailable', message, errorCode },
  });
}

/**
 * Runs the core's search (`searchSteps`) in slices of at most {@link SLICE_MS}, yielding to the
 * event loop between them, so that other requests are answered during a long search; past
 * `SEARCH_TIMEOUT.milliseconds` it gives up with Auth0's 503, as Auth0 does at 2 seconds.
 *
 * @param users - A snapshot of the stored users, taken when the request came.
 * @param query - The query parameters.
 * @param budget - The time budget in ms (Auth0's 2 seconds).
 * @param clock - The time in ms (`performance.now`).
 * @returns What `searchUsers` returns.
 * @throws {@link EmulatorHttpError} with the 503 once the budget is spent.
 */
export async function searchWithinBudget(
  users: readonly object[],
  query: SearchUsersQuery,
  budget: number = SEARCH_TIMEOUT.milliseconds,
  clock: () => number = () => performance.now(),
): Promise<Result<SearchUsersBody<object>>> {
  const steps = searchSteps(users, query, USERS_PER_STEP);
  const started = clock();
  let sliceStarted = started;
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    const now = clock();
    if (now - sliceStarted < SLICE_MS) continue;
    if (now - started >= budget) throw searchTimeout();
    await nextTurn();
    sliceStarted = clock();
    if (sliceStarted - started >= budget) throw searchTimeout();
  }
}
