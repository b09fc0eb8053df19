/**
 * Valid Unicode (emoji, which take two UTF-16 units) and lone surrogates in every string attribute
 * of createUser, signupUser and POST /api/v2/users: a user is created, or a validation issue names
 * the attribute; nothing reads as malformed input, and the default picture is well-formed.
 */
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { createUser, signupUser } from '../src/index.js';
import { send, testEmulator } from './emulator/helpers.js';
import { at, CONNECTION } from './helpers.js';

/** Text whose UTF-16 units a careless `slice` or `encodeURIComponent` breaks. */
const TEXTS: Readonly<Record<string, string>> = {
  'an emoji second': 'J😀ane',
  'an emoji first': '😀Jane',
  'only emoji': '😀😀😀',
  'a lone high surrogate second': 'J\uD83Dane',
  'a lone low surrogate first': '\uDE00Jane',
  'a lone high surrogate last': 'Jane\uD83D',
};

/** Whether a string is well-formed UTF-16 (no unpaired surrogate). */
function wellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/** The body of a create with `text` in `attribute` (an email keeps its `@domain`). */
function bodyWith(attribute: string, text: string): Record<string, unknown> {
  const body: Record<string, unknown> = { connection: CONNECTION, email: 'jane@example.com', password: 'Pw1!xxxx' };
  Object.defineProperty(body, attribute, {
    value: attribute === 'email' ? `${text}@example.com` : text,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return body;
}

/** Every string attribute a create body may carry, and the one issue code its schema may give for odd text. */
const CREATE_STRINGS: Readonly<Record<string, string | undefined>> = {
  email: undefined,
  name: undefined,
  given_name: undefined,
  family_name: undefined,
  nickname: undefined,
  picture: undefined,
  username: undefined,
  user_id: undefined,
  password: undefined,
  connection: undefined,
  phone_number: 'pattern_mismatch',
};

const CASES = Object.keys(CREATE_STRINGS).flatMap((attribute) =>
  Object.entries(TEXTS).map(([what, text]) => [attribute, what, text] as const),
);

describe('createUser with any Unicode in any string attribute', () => {
  test.each(CASES)('%s with %s: created, or refused by its schema', (attribute, _what, text) => {
    const result = createUser(bodyWith(attribute, text), at());
    const allowed = CREATE_STRINGS[attribute];
    if (allowed === undefined) {
      expect(result.success ? [] : result.issues).toStrictEqual([]);
    } else {
      expect(result.success ? [] : result.issues.map((issue) => issue.code)).toStrictEqual([allowed]);
    }
    // A picture sent is stored as sent; the default one is built here and must be well-formed.
    if (result.success && attribute !== 'picture') {
      expect(wellFormed(String(result.value.picture))).toBe(true);
      expect(() => decodeURIComponent(String(result.value.picture))).not.toThrow();
    }
  });

  test('the default picture takes the first two characters of the name, never half of one', () => {
    const result = createUser(bodyWith('name', 'J😀ane'), at());
    expect(result.success && result.value.picture).toBe(
      `https://s.gravatar.com/avatar/${createHash('md5').update('jane@example.com').digest('hex')}?s=480&r=pg&d=${encodeURIComponent('https://cdn.auth0.com/avatars/j😀.png')}`,
    );
  });

  test('a lone surrogate in the initials becomes U+FFFD, as UTF-8 encodes it', () => {
    const result = createUser(bodyWith('name', '\uDE00Jane'), at());
    expect(result.success && result.value.picture).toContain(
      encodeURIComponent('https://cdn.auth0.com/avatars/\uFFFDj.png'),
    );
  });

  test('an emoji name with a picture given keeps that picture', () => {
    const result = createUser({ ...bodyWith('name', 'J😀ane'), picture: 'https://example.com/a.png' }, at());
    expect(result.success && result.value.picture).toBe('https://example.com/a.png');
  });
});

/** Every string attribute of a signup body. */
const SIGNUP_STRINGS = [
  'client_id',
  'email',
  'password',
  'connection',
  'username',
  'given_name',
  'family_name',
  'name',
  'nickname',
  'picture',
] as const;

describe('signupUser with any Unicode in any string attribute', () => {
  test.each(
    SIGNUP_STRINGS.flatMap((attribute) => Object.entries(TEXTS).map(([what, text]) => [attribute, what, text])),
  )('%s with %s: signed up', (attribute, _what, text) => {
    const body = { ...bodyWith(String(attribute), String(text)), client_id: 'app' };
    const result = signupUser(attribute === 'client_id' ? { ...body, client_id: text } : body, at());
    expect(result.success ? [] : result.issues).toStrictEqual([]);
    if (result.success && attribute !== 'picture') expect(wellFormed(String(result.value.user.picture))).toBe(true);
  });

  test('user_metadata names and values with emoji and lone surrogates', () => {
    const metadata = Object.fromEntries(Object.values(TEXTS).map((text) => [text, text]));
    const result = signupUser({ ...bodyWith('name', 'J😀ane'), client_id: 'app', user_metadata: metadata }, at());
    expect(result.success && result.value.response.user_metadata).toStrictEqual(metadata);
  });
});

describe('POST /api/v2/users with any Unicode in any string attribute', () => {
  test.each(CASES)('%s with %s: 201, or the schema 400', async (attribute, _what, text) => {
    const { emulator } = testEmulator();
    const token = await emulator.issueToken({ scopes: ['create:users'] });
    const reply = await send(emulator, 'POST', '/api/v2/users', { token, json: bodyWith(attribute, text) });
    const expected = CREATE_STRINGS[attribute] === undefined ? 201 : 400;
    expect({ status: reply.status, malformed: JSON.stringify(reply.body).includes('URI malformed') }).toStrictEqual({
      status: expected,
      malformed: false,
    });
  });
});
