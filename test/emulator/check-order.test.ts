/**
 * The emulator checks each request in the order of CHECK_ORDER (src/rules/http.ts): a request
 * that fails every check is answered by the first; fixing the checks one by one, in that order,
 * moves the answer to the next, until the request succeeds.
 */

import { describe, expect, test } from 'vitest';
import { EmulatorHttpError, foundByCheck } from '../../src/emulator/errors.js';
import { CHECK_ORDER, type RequestCheck, type UserAction } from '../../src/emulator/index.js';
import { JANE, send, testEmulator, userPath } from './helpers.js';

/** What the answer is when `check` is the first to fail. */
const FAILURE: Readonly<Record<RequestCheck, (action: UserAction) => { status: number; errorCode: string }>> = {
  path: () => ({ status: 400, errorCode: 'invalid_uri' }),
  token: () => ({ status: 401, errorCode: 'invalid_token' }),
  body: () => ({ status: 400, errorCode: 'invalid_body' }),
  scopes: () => ({ status: 403, errorCode: 'insufficient_scope' }),
  query: () => ({ status: 400, errorCode: 'invalid_query_string' }),
  user: (action) =>
    action === 'create' ? { status: 409, errorCode: 'auth0_idp_error' } : { status: 404, errorCode: 'inexistent_user' },
};

/** The request of `action` in which the checks in `passing` pass and every other fails. */
async function attempt(
  action: UserAction,
  passing: ReadonlySet<RequestCheck>,
): Promise<{ status: number; body: unknown }> {
  const { emulator } = testEmulator();
  const created = await emulator.createUser(JANE);
  if (!created.success) throw new Error('the seed user was refused');
  const pass = (check: RequestCheck): boolean => passing.has(check);
  const id = pass('user') ? created.value.user_id : 'auth0|nobody';
  const path = pass('path') ? userPath(id) : '/api/v2/users/%E0%A4%A';
  const scopes = pass('scopes') ? undefined : ['read:clients'];
  const token = pass('token') ? await emulator.issueToken(scopes === undefined ? {} : { scopes }) : 'not-a-token';
  const json = { 'content-type': 'application/json' };
  switch (action) {
    case 'get':
      return send(emulator, 'GET', `${path}${pass('query') ? '' : '?include_fields=maybe'}`, { token });
    case 'list':
      return send(emulator, 'GET', `/api/v2/users${pass('query') ? '' : '?per_page=1000'}`, { token });
    case 'delete':
      return send(emulator, 'DELETE', path, { token });
    case 'update':
      return send(emulator, 'PATCH', path, {
        token,
        raw: pass('body') ? JSON.stringify({ user_metadata: { hobby: 'diving' } }) : '{',
        headers: json,
      });
    case 'create': {
      const email = pass('user') ? 'new@example.com' : JANE.email;
      return send(emulator, 'POST', '/api/v2/users', {
        token,
        raw: pass('body') ? JSON.stringify({ ...JANE, email }) : '{',
        headers: json,
      });
    }
  }
}

const ACTIONS = Object.keys(CHECK_ORDER).filter((action): action is UserAction => action in CHECK_ORDER);

describe.each(ACTIONS)('%s', (action) => {
  const order = CHECK_ORDER[action];

  test.each(order.map((check, index) => [check, index] as const))(
    '%s (check %i of the order) fails first and answers',
    async (check, index) => {
      const reply = await attempt(action, new Set(order.slice(0, index)));
      const expected = FAILURE[check](action);
      expect({ status: reply.status, body: reply.body }).toMatchObject({
        status: expected.status,
        body: { statusCode: expected.status, errorCode: expected.errorCode },
      });
    },
  );

  test('with every check passing, the request succeeds', async () => {
    const reply = await attempt(action, new Set(order));
    expect(reply.status).toBeLessThan(300);
  });
});

describe('what an earlier check found (foundByCheck)', () => {
  test('is passed on when found; missing, it is the 500 internal_error of a check order that disagrees', () => {
    const grant = { scopes: ['read:users'] };
    expect(foundByCheck(grant)).toBe(grant);
    let thrown: unknown;
    try {
      foundByCheck(undefined);
    } catch (error) {
      thrown = error;
    }
    expect(thrown instanceof EmulatorHttpError ? thrown.answer : thrown).toMatchObject({
      api: 'management',
      status: 500,
      body: { statusCode: 500, errorCode: 'internal_error' },
    });
  });
});
