/**
 * validateSignupMetadata: the examples of section 3 of the specification (rules 19-22) and its edge
 * cases. Its laws are in validateSignupMetadata.prop.test.ts.
 */
import { describe, expect, test } from 'vitest';
import { toAuth0Error, type UserExistsIssue, validateSignupMetadata } from '../src/index.js';
import { codesAndPaths, deepFreeze, httpErrorOf, issuesOf, successValue } from './helpers.js';

describe('section 3: POST /dbconnections/signup (validateSignupMetadata)', () => {
  /** The signup error body for `message`, as rule 21 decides it. */
  function signupError(message: string): unknown {
    return {
      api: 'authentication',
      status: 400,
      body: { name: 'BadRequestError', code: message, description: message, statusCode: 400 },
    };
  }

  test.each([
    { metadata: null, kind: 'null' },
    { metadata: 'hobby=surfing', kind: 'a string' },
    { metadata: ['surfing'], kind: 'an array' },
    { metadata: 42, kind: 'a number' },
  ])('rule 19: user_metadata as $kind is rejected', ({ metadata }) => {
    const result = validateSignupMetadata(deepFreeze(metadata));
    expect(toAuth0Error(issuesOf(result), 'authentication')).toStrictEqual(
      signupError('invalid user_metadata type (expected object)'),
    );
  });

  test('rule 19: an object of strings is accepted as sent', () => {
    expect(validateSignupMetadata(deepFreeze({ hobby: 'surfing' }))).toStrictEqual({
      success: true,
      value: { hobby: 'surfing' },
      warnings: [],
    });
  });

  test('rule 20: ten string properties of 500 characters each are accepted (per value, not in total)', () => {
    const metadata = Object.fromEntries(Array.from({ length: 10 }, (_, index) => [`key${index}`, 'v'.repeat(500)]));
    expect(validateSignupMetadata(deepFreeze(metadata))).toStrictEqual({
      success: true,
      value: metadata,
      warnings: [],
    });
  });

  test.each([
    { value: 42, kind: 'a number' },
    { value: true, kind: 'a boolean' },
    { value: null, kind: 'null' },
    { value: { city: 'Anytown' }, kind: 'a nested object' },
    { value: ['a'], kind: 'an array' },
  ])('rule 20: $kind as a value is rejected, only strings are allowed', ({ value }) => {
    const result = validateSignupMetadata(deepFreeze({ hobby: 'surfing', consent: value }));
    expect(toAuth0Error(issuesOf(result), 'authentication')).toStrictEqual(
      signupError('invalid user_metadata.consent type (only strings are allowed)'),
    );
  });

  test('rule 21: eleven properties are rejected', () => {
    const metadata = Object.fromEntries(Array.from({ length: 11 }, (_, index) => [`key${index}`, 'v']));
    const result = validateSignupMetadata(deepFreeze(metadata));
    expect(toAuth0Error(issuesOf(result), 'authentication')).toStrictEqual(
      signupError('invalid user_metadata (more than 10 properties)'),
    );
  });

  test('rule 21: a 100-character name is accepted, a 101-character one rejected', () => {
    const accepted = validateSignupMetadata(deepFreeze({ ['n'.repeat(100)]: 'v' }));
    const name = 'n'.repeat(101);
    const rejected = validateSignupMetadata(deepFreeze({ [name]: 'v' }));
    expect([accepted.success, toAuth0Error(issuesOf(rejected), 'authentication')]).toStrictEqual([
      true,
      signupError(`invalid user_metadata.${name} name (longer than 100 characters)`),
    ]);
  });

  test('rule 21: a 500-character value is accepted, a 501-character one rejected', () => {
    const accepted = validateSignupMetadata(deepFreeze({ bio: 'v'.repeat(500) }));
    const rejected = validateSignupMetadata(deepFreeze({ bio: 'v'.repeat(501) }));
    expect([accepted.success, toAuth0Error(issuesOf(rejected), 'authentication')]).toStrictEqual([
      true,
      signupError('invalid user_metadata.bio value (longer than 500 characters)'),
    ]);
  });

  test('rule 21: lengths count Unicode code points, not UTF-16 units', () => {
    const emoji = '\u{1F3C4}';
    const accepted = validateSignupMetadata(deepFreeze({ [emoji.repeat(100)]: emoji.repeat(500) }));
    const rejected = validateSignupMetadata(deepFreeze({ bio: emoji.repeat(501) }));
    expect([accepted.success, toAuth0Error(issuesOf(rejected), 'authentication')]).toStrictEqual([
      true,
      signupError('invalid user_metadata.bio value (longer than 500 characters)'),
    ]);
  });

  test('rule 21: a dot in a name is rejected with the rule-16 message', () => {
    const result = validateSignupMetadata(deepFreeze({ 'foo.bar': 'x' }));
    expect(toAuth0Error(issuesOf(result), 'authentication')).toStrictEqual(
      signupError('Fields with "." are not allowed, please remove all dotted fields. Example: user_metadata.foo.bar'),
    );
  });

  test('rule 21: a $ in a name is rejected with the rule-16 sentence for "$"', () => {
    const result = validateSignupMetadata(deepFreeze({ $where: 'x' }));
    expect(httpErrorOf(result, 'authentication')).toStrictEqual({
      status: 400,
      errorCode: expect.stringMatching(
        /^Fields with "\$" are not allowed, please remove all ("\$"|dotted) fields\. Example: user_metadata\.\$where$/,
      ),
      message: expect.stringMatching(/^Fields with "\$" are not allowed/),
    });
  });

  test('rule 22: a duplicate email on signup is the 400 user_exists body', () => {
    const issue: UserExistsIssue = { code: 'user_exists', path: [], message: 'The user already exists.' };
    expect(toAuth0Error([issue], 'authentication')).toStrictEqual({
      api: 'authentication',
      status: 400,
      body: { name: 'BadRequestError', code: 'user_exists', description: 'The user already exists.', statusCode: 400 },
    });
  });

  test('rule 22: the metadata echoed in the success response is the metadata sent', () => {
    const metadata = { hobby: 'surfing', plan: 'free' };
    expect(successValue(validateSignupMetadata(deepFreeze(metadata)))).toStrictEqual(metadata);
  });
});

describe('inputs are never mutated', () => {
  test('validateSignupMetadata leaves its metadata as it was', () => {
    const metadata = { hobby: 'surfing', lang: 'en' };
    const before = JSON.stringify(metadata);
    expect(validateSignupMetadata(metadata).success).toBe(true);
    expect(JSON.stringify(metadata)).toBe(before);
  });
});

describe('prototype-named keys (__proto__, constructor, prototype)', () => {
  test('signup metadata keeps a __proto__ key as data', () => {
    const value = successValue(validateSignupMetadata(deepFreeze(JSON.parse('{"__proto__":"x"}'))));
    expect([Object.keys(value), Object.getPrototypeOf(value)]).toStrictEqual([['__proto__'], Object.prototype]);
  });
});

describe('values JSON cannot carry: an issue with its path, never a throw', () => {
  test('signup metadata with a function value is rejected, not thrown', () => {
    const result = validateSignupMetadata({ hobby: () => 'surfing' });
    expect(codesAndPaths(issuesOf(result))).toStrictEqual([{ code: 'invalid_type', path: ['hobby'] }]);
  });
});
