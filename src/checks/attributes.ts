import { typeName } from '../internal/object.js';
import { invalidFormat, invalidType, patternMismatch, tooLong, tooShort } from '../issueConstructors.js';
import type { Issue } from '../issues.js';
import type { AttributeRule } from '../rules/attributes.js';

/** Loose email check: something, `@`, something, no white space. Auth0's own format check is not public. */
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+$/;

/** The compiled `pattern` of each attribute rule that has one, kept here: a RegExp is never exported. */
const PATTERNS = new Map<string, RegExp>();

function compiled(source: string): RegExp {
  let pattern = PATTERNS.get(source);
  if (pattern === undefined) {
    pattern = new RegExp(source);
    PATTERNS.set(source, pattern);
  }
  return pattern;
}

/** Counts Unicode code points, as JSON-schema `minLength`/`maxLength` do. */
export function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}

/**
 * Checks one root attribute value against its row of `ATTRIBUTES` (type, nullable, lengths,
 * pattern, format: rules 6, 7, 10, 11); `object` attributes are only type-checked here.
 */
export function checkAttribute(key: string, rule: AttributeRule, value: unknown): Issue | undefined {
  const path = [key];
  const received = typeName(value);
  if (value === null && rule.nullable) return undefined;
  const typeMatches =
    rule.type === 'object'
      ? received === 'object'
      : rule.type === 'boolean'
        ? received === 'boolean'
        : received === 'string';
  if (!typeMatches) {
    return invalidType(path, rule.nullable ? `${rule.type},null` : rule.type, received);
  }
  if (typeof value !== 'string') return undefined;
  const length = codePointLength(value);
  if (rule.minLength !== undefined && length < rule.minLength) {
    return tooShort(path, length, rule.minLength);
  }
  if (rule.maxLength !== undefined && length > rule.maxLength) {
    return tooLong(path, length, rule.maxLength);
  }
  if (rule.pattern !== undefined && !compiled(rule.pattern).test(value)) {
    return patternMismatch(path, rule.pattern, value);
  }
  if (rule.format === 'email' && !EMAIL_PATTERN.test(value)) {
    return invalidFormat(path, rule.format, value);
  }
  return undefined;
}
