/**
 * The body check create and update share (rules 6 to 11, 15 to 18): what `validatePatch` and
 * `validateCreateUser` run before their own rules (an empty PATCH, conflicting attributes; the
 * required attributes of a create).
 */

import { getOwn, isPlainObject, setOwn, typeName } from '../internal/object.js';
import { forbiddenCharacter, invalidType, unknownKeys } from '../issueConstructors.js';
import { fail, failWith, type Issue, type Result, succeed } from '../issues.js';
import { ATTRIBUTES, type AttributeName } from '../rules/attributes.js';
import { isMetadataKey } from '../rules/metadata.js';
import { checkAttribute } from './attributes.js';
import { checkMetadata } from './metadata.js';

/** The bytes of each first-level value of the metadata of a body, by attribute and key. */
export type MetadataSizes = Map<string, ReadonlyMap<string, number>>;

/** Type-level re-check of a body that passed {@link checkBody}: every value has its schema's JSON type. */
export function hasAttributeTypes(body: object, allowed: ReadonlySet<string>): boolean {
  return Object.keys(body).every((key) => {
    if (!isAllowedAttribute(key, allowed)) return false;
    const value = getOwn(body, key);
    const rule = ATTRIBUTES[key];
    if (value === null) return rule.nullable;
    return rule.type === 'object' ? isPlainObject(value) : typeof value === rule.type;
  });
}

function isAllowedAttribute(key: string, allowed: ReadonlySet<string>): key is AttributeName {
  return allowed.has(key);
}

/**
 * The shared body check of create and update: a JSON object of known attributes, each of the right
 * type and length, metadata free of `.`/`$` keys and reserved names. Returns a frozen copy with
 * metadata deep-copied, or the issues in the order Auth0 reports them: schema errors first (all of
 * them), then the first forbidden key.
 */
export function checkBody(body: unknown, allowed: ReadonlySet<string>, sizes?: MetadataSizes): Result<object> {
  if (!isPlainObject(body)) {
    // Rule 10: a body that is not an object.
    return fail(invalidType([], 'object', typeName(body)));
  }
  const issues: Issue[] = [];
  const keys = Object.keys(body);
  const unknown = keys.filter((key) => !allowed.has(key));
  if (unknown.length > 0) {
    // Rule 8: attributes outside `allowed` (PATCHABLE_ATTRIBUTES or CREATABLE_ATTRIBUTES).
    issues.push(unknownKeys(unknown));
  }
  const copy: Record<string, unknown> = {};
  let forbidden: Issue | undefined;
  for (const key of keys) {
    if (!isAllowedAttribute(key, allowed)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(body, key);
    const value: unknown = descriptor !== undefined && 'value' in descriptor ? descriptor.value : undefined;
    if (isMetadataKey(key)) {
      // METADATA[key]: rules 6, 16-18.
      const checked = checkMetadata(key, value);
      for (const issue of checked.issues) issues.push(issue);
      sizes?.set(key, checked.firstLevel);
      if (forbidden === undefined && checked.forbidden !== undefined) {
        forbidden = forbiddenCharacter(checked.forbidden.path, checked.forbidden.character);
      }
      setOwn(copy, key, checked.value);
      continue;
    }
    // ATTRIBUTES[key]: type, nullable, lengths, pattern, format (rules 7, 10, 11).
    const rule = ATTRIBUTES[key];
    const issue = checkAttribute(key, rule, value);
    if (issue !== undefined) issues.push(issue);
    // ATTRIBUTES[key].lowerCased: the email (rule 15).
    setOwn(copy, key, rule.lowerCased && typeof value === 'string' ? value.toLowerCase() : value);
  }
  const failure = failWith(issues) ?? (forbidden === undefined ? undefined : fail(forbidden));
  return failure ?? succeed(Object.freeze(copy));
}
