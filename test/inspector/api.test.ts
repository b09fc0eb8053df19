/**
 * How the inspector page reads an answer's error (src/inspector/api.ts): Auth0's envelope word for
 * word, the OAuth form of /oauth/token, and a plain sentence for anything else, never a throw.
 */
import { describe, expect, test } from 'vitest';
import { auth0Error } from '../../src/inspector/api.js';

describe('auth0Error', () => {
  test("the Management API's envelope, as Auth0 words it", () => {
    const body = {
      statusCode: 400,
      error: 'Bad Request',
      message: 'Fields with "." are not allowed, please remove all dotted fields. Example: user_metadata.a.b',
      errorCode: 'invalid_body',
    };
    expect(auth0Error({ status: 400, body })).toStrictEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: body.message,
      errorCode: 'invalid_body',
    });
  });

  test('the OAuth form (error, error_description): the description is the message', () => {
    expect(
      auth0Error({ status: 401, body: { error: 'access_denied', error_description: 'Unauthorized' } }),
    ).toStrictEqual({
      statusCode: 401,
      error: 'access_denied',
      message: 'Unauthorized',
      errorCode: undefined,
    });
  });

  test.each([undefined, null, 'text', 42, [], { message: 7, error: false }])(
    'a body that is no envelope (%j): the status in plain words',
    (body) => {
      expect(auth0Error({ status: 503, body })).toStrictEqual({
        statusCode: 503,
        error: 'HTTP 503',
        message: 'The server answered 503',
        errorCode: undefined,
      });
    },
  );
});
