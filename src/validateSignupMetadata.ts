import { codePointLength } from './checks/attributes.js';
import { getOwn, isPlainObject, setOwn } from './internal/object.js';
import { failWith, forbiddenCharacterMessage, type Issue, type Result, safely, succeed } from './issues.js';
import { MAX_SIGNUP_NAME_LENGTH, MAX_SIGNUP_PROPERTIES, MAX_SIGNUP_VALUE_LENGTH } from './rules/limits.js';
import { FORBIDDEN_KEY_CHARACTERS } from './rules/metadata.js';

/** Signup metadata that passed: at most ten short string values. */
export type SignupMetadata = Readonly<Record<string, string>>;

/**
 * Validates the `user_metadata` of POST /dbconnections/signup, which is far stricter than the
 * Management API: an object of at most 10 properties, names of at most 100 characters without `.`
 * or `$`, and every value a string of at most 500 characters (per value). Limits are inclusive.
 *
 * @param metadata - The `user_metadata` of the signup body.
 * @returns A frozen copy of the metadata, or every issue in the order found (Auth0 reports the first).
 * @example
 * validateSignupMetadata({ hobby: 'surfing' });
 * // => { success: true, warnings: [], value: { hobby: 'surfing' } }
 * validateSignupMetadata({ age: 42 });
 * // => { success: false, issues: [{ code: 'signup_invalid_type', path: ['age'],
 * //      message: 'invalid user_metadata.age type (only strings are allowed)' }] }
 * @see https://auth0.com/docs/api/authentication/signup/create-a-new-user
 */
export function validateSignupMetadata(metadata: unknown): Result<SignupMetadata> {
  return safely(() => checkSignupMetadata(metadata));
}

/** @internal {@link validateSignupMetadata}, unwrapped. */
export function checkSignupMetadata(metadata: unknown): Result<SignupMetadata> {
  // Rule 19: an object.
  if (!isPlainObject(metadata)) {
    const message = 'invalid user_metadata type (expected object)';
    return { success: false, issues: [{ code: 'signup_invalid_type', path: [], message }] };
  }
  const issues: Issue[] = [];
  const names = Object.keys(metadata);
  // MAX_SIGNUP_PROPERTIES, MAX_SIGNUP_NAME_LENGTH, MAX_SIGNUP_VALUE_LENGTH, inclusive (rules 20, 21).
  if (names.length > MAX_SIGNUP_PROPERTIES) {
    issues.push({
      code: 'signup_too_many_properties',
      path: [],
      count: names.length,
      maximum: MAX_SIGNUP_PROPERTIES,
      message: `invalid user_metadata (more than ${MAX_SIGNUP_PROPERTIES} properties)`,
    });
  }
  const copy: Record<string, string> = {};
  for (const name of names) {
    const path = [name];
    const nameLength = codePointLength(name);
    if (nameLength > MAX_SIGNUP_NAME_LENGTH) {
      issues.push({
        code: 'signup_name_too_long',
        path,
        length: nameLength,
        maximum: MAX_SIGNUP_NAME_LENGTH,
        message: `invalid user_metadata.${name} name (longer than ${MAX_SIGNUP_NAME_LENGTH} characters)`,
      });
    }
    // FORBIDDEN_KEY_CHARACTERS (rules 16, 21).
    const character = FORBIDDEN_KEY_CHARACTERS.find((forbidden) => name.includes(forbidden));
    if (character !== undefined) {
      const message = forbiddenCharacterMessage(character, ['user_metadata', name]);
      issues.push({ code: 'signup_forbidden_character', path, character, message });
    }
    const value = getOwn(metadata, name);
    if (typeof value !== 'string') {
      const message = `invalid user_metadata.${name} type (only strings are allowed)`;
      issues.push({ code: 'signup_invalid_type', path, message });
      continue;
    }
    const valueLength = codePointLength(value);
    if (valueLength > MAX_SIGNUP_VALUE_LENGTH) {
      issues.push({
        code: 'signup_value_too_long',
        path,
        length: valueLength,
        maximum: MAX_SIGNUP_VALUE_LENGTH,
        message: `invalid user_metadata.${name} value (longer than ${MAX_SIGNUP_VALUE_LENGTH} characters)`,
      });
    }
    setOwn(copy, name, value);
  }
  return failWith(issues) ?? succeed(Object.freeze(copy));
}
