import { codePointLength } from './checks/attributes.js';
import { getOwn, isPlainObject, setOwn, typeName } from './internal/object.js';
import {
  forbiddenCharacter,
  signupMetadataNotObject,
  signupNameTooLong,
  signupTooManyProperties,
  signupValueNotString,
  signupValueTooLong,
} from './issueConstructors.js';
import { failWith, type Issue, type Result, succeed } from './issues.js';
import { MAX_SIGNUP_NAME_LENGTH, MAX_SIGNUP_PROPERTIES, MAX_SIGNUP_VALUE_LENGTH } from './rules/limits.js';
import { FORBIDDEN_KEY_CHARACTERS } from './rules/metadata.js';
import { safely } from './safely.js';

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
 * // => { success: false, issues: [{ code: 'invalid_type', path: ['age'], expected: 'string', received: 'integer',
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
    return { success: false, issues: [signupMetadataNotObject(typeName(metadata))] };
  }
  const issues: Issue[] = [];
  const names = Object.keys(metadata);
  // MAX_SIGNUP_PROPERTIES, MAX_SIGNUP_NAME_LENGTH, MAX_SIGNUP_VALUE_LENGTH, inclusive (rules 20, 21).
  if (names.length > MAX_SIGNUP_PROPERTIES) {
    issues.push(signupTooManyProperties(names.length, MAX_SIGNUP_PROPERTIES));
  }
  const copy: Record<string, string> = {};
  for (const name of names) {
    const path = [name];
    const nameLength = codePointLength(name);
    if (nameLength > MAX_SIGNUP_NAME_LENGTH) {
      issues.push(signupNameTooLong(name, nameLength, MAX_SIGNUP_NAME_LENGTH));
    }
    // FORBIDDEN_KEY_CHARACTERS (rules 16, 21).
    const character = FORBIDDEN_KEY_CHARACTERS.find((forbidden) => name.includes(forbidden));
    if (character !== undefined) {
      issues.push(forbiddenCharacter(path, character, ['user_metadata', name]));
    }
    const value = getOwn(metadata, name);
    if (typeof value !== 'string') {
      issues.push(signupValueNotString(name, typeName(value)));
      continue;
    }
    const valueLength = codePointLength(value);
    if (valueLength > MAX_SIGNUP_VALUE_LENGTH) {
      issues.push(signupValueTooLong(name, valueLength, MAX_SIGNUP_VALUE_LENGTH));
    }
    setOwn(copy, name, value);
  }
  return failWith(issues) ?? succeed(Object.freeze(copy));
}
