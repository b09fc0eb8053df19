/**
 * toAuth0Error: the error bodies of section 2 of the specification, and what it answers for what
 * is not a list of issues.
 */
import { describe, expect, test } from 'vitest';
import {
  applyPatch,
  authorizeUserRequest,
  type InvalidTokenIssue,
  type Issues,
  type TokenGrant,
  toAuth0Error,
  type UserExistsIssue,
  type UserNotFoundIssue,
} from '../src/index.js';
import { internalError } from '../src/issueConstructors.js';
import { revokedProxy, trapsThrowing } from './arbitraries.js';
import {
  at,
  deepFreeze,
  httpErrorOf,
  INTERNAL_ERROR_BODY,
  invalidBody,
  issuesOf,
  JANE,
  JANE_ID,
  LATER,
} from './helpers.js';

describe('section 2: error bodies (toAuth0Error)', () => {
  test('section 2: a validation error is the full Management API 400 body', () => {
    const result = applyPatch(JANE, deepFreeze<unknown>(null), at(LATER));
    expect(toAuth0Error(issuesOf(result))).toStrictEqual({
      api: 'management',
      status: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        message: "Payload validation error: 'Expected type object but found type null'.",
        errorCode: 'invalid_body',
      },
    });
  });

  test('section 2: an unknown user is the 404 inexistent_user body', () => {
    const issue: UserNotFoundIssue = { code: 'user_not_found', path: [], message: 'The user does not exist.' };
    expect(toAuth0Error([issue])).toStrictEqual({
      api: 'management',
      status: 404,
      body: { statusCode: 404, error: 'Not Found', message: 'The user does not exist.', errorCode: 'inexistent_user' },
    });
  });

  test('section 2: a PATCH without a fitting scope is the 403 body, scopes joined without spaces', () => {
    const token: TokenGrant = { scopes: ['read:users'], subject: 'client@clients' };
    const result = authorizeUserRequest(token, { action: 'update', userId: JANE_ID, patch: { name: 'Jane' } });
    expect(toAuth0Error(issuesOf(result))).toStrictEqual({
      api: 'management',
      status: 403,
      body: {
        statusCode: 403,
        error: 'Forbidden',
        message:
          'Insufficient scope, expected any of: update:users,update:users_app_metadata,update:current_user_metadata',
        errorCode: 'insufficient_scope',
      },
    });
  });

  test('section 2: a duplicate user on the Management API is the 409 body', () => {
    const issue: UserExistsIssue = { code: 'user_exists', path: [], message: 'The user already exists.' };
    expect(toAuth0Error([issue])).toStrictEqual({
      api: 'management',
      status: 409,
      body: { statusCode: 409, error: 'Conflict', message: 'The user already exists.', errorCode: 'auth0_idp_error' },
    });
  });

  test('section 2: a bad token is the 401 body', () => {
    const issue: InvalidTokenIssue = { code: 'invalid_token', path: [], message: 'Invalid token' };
    expect(toAuth0Error([issue])).toStrictEqual({
      api: 'management',
      status: 401,
      body: { statusCode: 401, error: 'Unauthorized', message: 'Invalid token', errorCode: 'invalid_token' },
    });
  });

  test('section 2: several schema errors are joined with " (also) "', () => {
    const result = applyPatch(JANE, deepFreeze({ given_name: '', family_name: 'x'.repeat(151) }), at(LATER));
    expect(httpErrorOf(result)).toStrictEqual(
      invalidBody(
        /^Payload validation error: 'String is too short \(0 chars\), minimum 1' on property given_name \(.+\)\. \(also\) Payload validation error: 'String is too long \(151 chars\), maximum 150' on property family_name \(.+\)\.$/,
      ),
    );
  });

  test('section 2: unknown attributes and a wrong type are both reported', () => {
    const result = applyPatch(JANE, deepFreeze<unknown>({ foo: 1, app_metadata: 'x' }), at(LATER));
    expect(httpErrorOf(result)).toStrictEqual(
      invalidBody(
        "Payload validation error: 'Additional properties not allowed: foo'. (also) Payload validation error: 'Expected type object but found type string' on property app_metadata (User metadata to which this user has read-only access).",
      ),
    );
  });

  test('section 2: a nested path is dotted with [i] for array indexes', () => {
    const result = applyPatch(JANE, deepFreeze({ user_metadata: { scores: [1, Number.NaN] } }), at(LATER));
    expect(httpErrorOf(result)).toStrictEqual(
      invalidBody(/^Payload validation error: '.+' on property user_metadata\.scores\[1\]( \(.+\))?\.$/),
    );
  });
});

describe('toAuth0Error on what is not a list of issues: a 500', () => {
  test.each<[string, unknown]>([
    ['[]', []],
    ['null', null],
    ['a revoked Proxy', revokedProxy([])],
    ['an issue without a code', [{ path: [], message: 'x' }]],
    [
      'a Proxy whose every trap throws',
      new Proxy(
        [],
        trapsThrowing(() => new Error('trap')),
      ),
    ],
  ])('toAuth0Error(%s): a 500 internal_error', (_name, issues) => {
    expect(Reflect.apply(toAuth0Error, undefined, [issues])).toStrictEqual({
      api: 'management',
      status: 500,
      body: INTERNAL_ERROR_BODY,
    });
  });

  test.each<[string, unknown]>([
    ['[]', []],
    ['an issue without a code', [{ path: [], message: 'x' }]],
    ['an issue without a message', [{ path: [], code: 'invalid_body' }]],
  ])('toAuth0Error(%s, "authentication"): a 500 internal_error', (_name, issues) => {
    expect(Reflect.apply(toAuth0Error, undefined, [issues, 'authentication'])).toStrictEqual({
      api: 'management',
      status: 500,
      body: INTERNAL_ERROR_BODY,
    });
  });

  test('an internal_error issue (a bug of this library) is a 500 on either envelope, with its message', () => {
    const issues: Issues = [internalError()];
    expect(toAuth0Error(issues).status).toBe(500);
    expect(toAuth0Error(issues, 'authentication')).toStrictEqual({
      api: 'authentication',
      status: 500,
      body: {
        name: 'InternalServerError',
        code: 'internal_error',
        description: 'Internal validation error',
        statusCode: 500,
      },
    });
  });
});
