import { deepFreeze } from '../internal/freeze.js';
import type { JsonObject, JsonValue } from '../types.js';

/** What a step expects back: a status, and either parts of a user or parts of an error body. */
export interface ConformanceExpectation {
  readonly status: number;
  /** Top-level keys that must be present with exactly these (deep-equal) values. */
  readonly body?: JsonObject;
  /** Top-level keys that must be absent from the body. */
  readonly absent?: readonly string[];
}

/** One HTTP request of a case. `{id}` in the path is the id of the user the case created. */
export interface ConformanceRequest {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly path: string;
  /** A JSON body; the string `{email}` is replaced by the case's unique email, `{other_email}` by a second one. */
  readonly body?: JsonValue;
}

/** A documented behaviour as data: create a user, send requests, compare the answers. */
export interface ConformanceCase {
  /** Stable, unique id, e.g. `patch-null-deletes`. */
  readonly id: string;
  /** The rule it checks, as docs/rules.md and docs/search-rules.md number them. */
  readonly rule: number;
  readonly title: string;
  /** The POST /api/v2/users body that creates the user first (`connection`, email and password are added). */
  readonly user?: JsonObject;
  readonly steps: readonly { readonly request: ConformanceRequest; readonly expect: ConformanceExpectation }[];
}

const USER = '/api/v2/users/{id}';
const desc = {
  user: 'User metadata to which this user has read/write access',
  app: 'User metadata to which this user has read-only access',
};
const invalid = (message: string): ConformanceExpectation => ({
  status: 400,
  body: { statusCode: 400, error: 'Bad Request', message, errorCode: 'invalid_body' },
});
const patch = (body: JsonValue, expect: ConformanceExpectation) =>
  ({
    request: { method: 'PATCH', path: USER, body },
    expect,
  }) as const;
const ok = (body: JsonObject, absent?: readonly string[]): ConformanceExpectation =>
  absent === undefined ? { status: 200, body } : { status: 200, body, absent };

/** Every case, in the order of the rules of docs/rules.md. */
export const CONFORMANCE_CASES: readonly ConformanceCase[] = /* @__PURE__ */ deepFreeze([
  {
    id: 'patch-first-level-merge',
    rule: 1,
    title: 'user_metadata merges at the first level: keys not sent are kept',
    user: { user_metadata: { hobby: 'surfing' } },
    steps: [
      patch(
        { user_metadata: { addresses: { home: { city: 'Lisbon' } } } },
        ok({ user_metadata: { hobby: 'surfing', addresses: { home: { city: 'Lisbon' } } } }),
      ),
    ],
  },
  {
    id: 'patch-nested-replaced',
    rule: 1,
    title: 'objects below the first level are replaced whole, not merged',
    user: { user_metadata: { addresses: { home: 'Lisbon', work: 'Porto' } } },
    steps: [
      patch({ user_metadata: { addresses: { work: 'Faro' } } }, ok({ user_metadata: { addresses: { work: 'Faro' } } })),
    ],
  },
  {
    id: 'patch-arrays-replaced',
    rule: 1,
    title: 'arrays are replaced, not concatenated',
    user: { app_metadata: { roles: ['a', 'b'] } },
    steps: [patch({ app_metadata: { roles: ['c'] } }, ok({ app_metadata: { roles: ['c'] } }))],
  },
  {
    id: 'patch-null-deletes',
    rule: 2,
    title: 'a first-level null deletes the key',
    user: { user_metadata: { baz: 'qux', foo: 'bar' } },
    steps: [patch({ user_metadata: { baz: null, foo: 'bars' } }, ok({ user_metadata: { foo: 'bars' } }))],
  },
  {
    id: 'patch-null-missing-key',
    rule: 2,
    title: 'deleting a missing key is a no-op',
    user: { user_metadata: { a: 1 } },
    steps: [patch({ user_metadata: { nope: null } }, ok({ user_metadata: { a: 1 } }))],
  },
  {
    id: 'patch-empty-object-clears',
    rule: 3,
    title: '{} clears user_metadata (kept as {}) and app_metadata (key gone)',
    user: { user_metadata: { a: 1 }, app_metadata: { b: 2 } },
    steps: [patch({ user_metadata: {}, app_metadata: {} }, ok({ user_metadata: {} }, ['app_metadata']))],
  },
  {
    id: 'patch-last-app-key-deleted',
    rule: 4,
    title: 'deleting the last app_metadata key removes app_metadata',
    user: { app_metadata: { plan: 'full' } },
    steps: [patch({ app_metadata: { plan: null } }, ok({}, ['app_metadata']))],
  },
  {
    id: 'patch-last-user-key-deleted',
    rule: 4,
    title: 'deleting the last user_metadata key leaves {}',
    user: { user_metadata: { hobby: 'surfing' } },
    steps: [patch({ user_metadata: { hobby: null } }, ok({ user_metadata: {} }))],
  },
  {
    id: 'create-no-metadata',
    rule: 4,
    title: 'a user never given metadata has neither key',
    steps: [
      { request: { method: 'GET', path: USER }, expect: { status: 200, absent: ['user_metadata', 'app_metadata'] } },
    ],
  },
  {
    id: 'patch-nested-null-stored',
    rule: 5,
    title: 'null below the first level is stored as sent',
    steps: [
      patch({ user_metadata: { addresses: { home: null } } }, ok({ user_metadata: { addresses: { home: null } } })),
    ],
  },
  {
    id: 'patch-metadata-null',
    rule: 6,
    title: 'user_metadata: null is a 400',
    steps: [
      patch(
        { user_metadata: null },
        invalid(
          `Payload validation error: 'Expected type object but found type null' on property user_metadata (${desc.user}).`,
        ),
      ),
    ],
  },
  {
    id: 'patch-metadata-array',
    rule: 6,
    title: 'app_metadata as an array is a 400',
    steps: [
      patch(
        { app_metadata: [1] },
        invalid(
          `Payload validation error: 'Expected type object but found type array' on property app_metadata (${desc.app}).`,
        ),
      ),
    ],
  },
  {
    id: 'patch-root-replaced-and-unset',
    rule: 7,
    title: 'root attributes are replaced; null unsets a nullable one',
    user: { given_name: 'Jane', family_name: 'Doe' },
    steps: [
      patch({ given_name: 'Janet', family_name: null }, ok({ given_name: 'Janet' }, ['family_name', 'password'])),
    ],
  },
  {
    id: 'patch-unknown-attribute',
    rule: 8,
    title: 'unknown root attributes are a 400',
    steps: [
      patch(
        { logins_count: 3 },
        invalid("Payload validation error: 'Additional properties not allowed: logins_count'."),
      ),
    ],
  },
  {
    id: 'patch-empty-body',
    rule: 9,
    title: 'an empty body is a 400',
    steps: [patch({}, invalid("Payload validation error: 'None of the valid schemas were met'."))],
  },
  {
    id: 'patch-body-array',
    rule: 10,
    title: 'a body that is not an object is a 400 without "on property"',
    steps: [patch([], invalid("Payload validation error: 'Expected type object but found type array'."))],
  },
  {
    id: 'patch-given-name-too-long',
    rule: 11,
    title: 'given_name is at most 150 characters',
    steps: [
      patch(
        { given_name: 'x'.repeat(151) },
        invalid(
          "Payload validation error: 'String is too long (151 chars), maximum 150' on property given_name (Given name/first name/forename of this user).",
        ),
      ),
    ],
  },
  {
    id: 'patch-password-and-email',
    rule: 12,
    title: 'password and email cannot change together',
    steps: [
      patch(
        { password: 'Another-Passw0rd', email: 'other@example.com' },
        invalid('Cannot update password and email simultaneously.'),
      ),
    ],
  },
  {
    id: 'patch-email-lower-cased',
    rule: 15,
    title: 'emails are stored lower-cased',
    steps: [patch({ email: 'Mixed.Case@Example.com' }, ok({ email: 'mixed.case@example.com' }))],
  },
  {
    id: 'patch-dotted-key',
    rule: 16,
    title: 'metadata keys must not contain a dot',
    steps: [
      patch(
        { user_metadata: { 'foo.bar': 12345 } },
        invalid('Fields with "." are not allowed, please remove all dotted fields. Example: user_metadata.foo.bar'),
      ),
    ],
  },
  {
    id: 'patch-reserved-app-key',
    rule: 17,
    title: 'reserved app_metadata names are a 400',
    steps: [
      patch(
        { app_metadata: { email: 'x@example.com' } },
        invalid("Payload validation error: 'Data matches schema from 'not'' on property app_metadata.email."),
      ),
    ],
  },
  {
    id: 'signup-valid',
    rule: 22,
    title: 'signup with string metadata answers the signup shape',
    steps: [
      {
        request: {
          method: 'POST',
          path: '/dbconnections/signup',
          body: { email: '{other_email}', password: 'Passw0rd!xyz', user_metadata: { plan: 'pro' } },
        },
        expect: { status: 200, body: { email_verified: false, user_metadata: { plan: 'pro' } } },
      },
    ],
  },
  {
    id: 'signup-non-string',
    rule: 20,
    title: 'signup metadata values must be strings',
    steps: [
      {
        request: {
          method: 'POST',
          path: '/dbconnections/signup',
          body: { email: '{other_email}', password: 'Passw0rd!xyz', user_metadata: { consent: true } },
        },
        expect: {
          status: 400,
          body: {
            name: 'BadRequestError',
            code: 'invalid user_metadata.consent type (only strings are allowed)',
            description: 'invalid user_metadata.consent type (only strings are allowed)',
            statusCode: 400,
          },
        },
      },
    ],
  },
  {
    id: 'signup-not-object',
    rule: 19,
    title: 'signup metadata must be an object',
    steps: [
      {
        request: {
          method: 'POST',
          path: '/dbconnections/signup',
          body: { email: '{other_email}', password: 'Passw0rd!xyz', user_metadata: '{"a":"b"}' },
        },
        expect: { status: 400, body: { description: 'invalid user_metadata type (expected object)', statusCode: 400 } },
      },
    ],
  },
  {
    id: 'create-metadata-empties',
    rule: 23,
    title: 'create keeps user_metadata {} and drops app_metadata {}',
    user: { user_metadata: {}, app_metadata: {} },
    steps: [
      {
        request: { method: 'GET', path: USER },
        expect: { status: 200, body: { user_metadata: {} }, absent: ['app_metadata'] },
      },
    ],
  },
  {
    id: 'create-defaults',
    rule: 24,
    title: 'create fills email_verified, and nothing of last_login or logins_count',
    steps: [
      {
        request: { method: 'GET', path: USER },
        expect: {
          status: 200,
          body: { email_verified: false },
          absent: ['last_login', 'logins_count', 'last_ip', 'blocked'],
        },
      },
    ],
  },
  {
    id: 'get-fields-include',
    rule: 25,
    title: 'fields=user_metadata&include_fields=true returns only user_metadata',
    user: { user_metadata: { hobby: 'surfing' }, app_metadata: { plan: 'full' } },
    steps: [
      {
        request: { method: 'GET', path: `${USER}?fields=user_metadata&include_fields=true` },
        expect: {
          status: 200,
          body: { user_metadata: { hobby: 'surfing' } },
          absent: ['user_id', 'app_metadata', 'email'],
        },
      },
    ],
  },
  {
    id: 'get-fields-exclude',
    rule: 25,
    title: 'include_fields=false removes the listed fields',
    user: { user_metadata: { hobby: 'surfing' } },
    steps: [
      {
        request: { method: 'GET', path: `${USER}?fields=user_metadata,email&include_fields=false` },
        expect: { status: 200, absent: ['user_metadata', 'email'] },
      },
    ],
  },
  {
    id: 'get-fields-missing',
    rule: 26,
    title: 'a listed field the user lacks is simply omitted',
    steps: [
      {
        request: { method: 'GET', path: `${USER}?fields=app_metadata` },
        expect: { status: 200, absent: ['app_metadata', 'user_id'] },
      },
    ],
  },
  {
    id: 'get-unknown-user',
    rule: 28,
    title: 'an unknown user is a 404',
    steps: [
      {
        request: { method: 'GET', path: '/api/v2/users/auth0%7C000000000000000000000000' },
        expect: {
          status: 404,
          body: {
            statusCode: 404,
            error: 'Not Found',
            message: 'The user does not exist.',
            errorCode: 'inexistent_user',
          },
        },
      },
    ],
  },
  {
    id: 'patch-types-kept',
    rule: 32,
    title: 'values keep their JSON type: "23" is not 23',
    steps: [
      patch(
        { user_metadata: { age: '23', count: 23, flag: false, list: [1, '1'] } },
        ok({ user_metadata: { age: '23', count: 23, flag: false, list: [1, '1'] } }),
      ),
    ],
  },
]);
