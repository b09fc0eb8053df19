import { copyJson, type ForbiddenKey, isCopiedObject } from '../internal/copies.js';
import { EMPTY_OBJECT } from '../internal/freeze.js';
import { isPlainObject } from '../internal/object.js';
import type { WalkLimits } from '../internal/values.js';
import { copyIssue, metadataTooLarge, reservedKey, unreadableValue } from '../issueConstructors.js';
import type { Issue } from '../issues.js';
import { ATTRIBUTES } from '../rules/attributes.js';
import { MAX_METADATA_DEPTH } from '../rules/limits.js';
import { FORBIDDEN_KEY_CHARACTERS, type ForbiddenKeyCharacter, METADATA, type MetadataKey } from '../rules/metadata.js';
import type { JsonObject } from '../types.js';
import { checkAttribute } from './attributes.js';

/** A validated metadata value from a request body: a deep-frozen copy and its size. */
export interface CheckedMetadata {
  readonly issues: readonly Issue[];
  readonly forbidden: ForbiddenKey<ForbiddenKeyCharacter> | undefined;
  readonly value: Readonly<JsonObject>;
  readonly bytes: number;
  /** The bytes of each first-level value, by key. */
  readonly firstLevel: ReadonlyMap<string, number>;
}

/** METADATA[key].reservedNames as private sets, for a lookup per key; the exported tables stay arrays. */
const RESERVED: Readonly<Record<MetadataKey, ReadonlySet<string>>> = {
  user_metadata: new Set(METADATA.user_metadata.reservedNames),
  app_metadata: new Set(METADATA.app_metadata.reservedNames),
};

const NO_SIZES: ReadonlyMap<string, number> = new Map();

/** Validates a metadata value sent in a request body and copies it; a hostile value gives an issue at `key`. */
export function checkMetadata(key: MetadataKey, value: unknown): CheckedMetadata {
  try {
    return checkMetadataValue(key, value);
  } catch (error) {
    const issue = unreadableValue([key], error);
    return { issues: [issue], forbidden: undefined, value: EMPTY_OBJECT, bytes: 2, firstLevel: NO_SIZES };
  }
}

function checkMetadataValue(key: MetadataKey, value: unknown): CheckedMetadata {
  // ATTRIBUTES.user_metadata / .app_metadata: an object, never null (rule 6).
  const typeIssue = checkAttribute(key, ATTRIBUTES[key], value);
  if (typeIssue !== undefined || !isPlainObject(value)) {
    const issues = typeIssue === undefined ? [] : [typeIssue];
    return { issues, forbidden: undefined, value: EMPTY_OBJECT, bytes: 2, firstLevel: NO_SIZES };
  }
  // FORBIDDEN_KEY_CHARACTERS at any depth (rule 16); METADATA[key].maxBytes on the running total
  // (rule 18), so a value sharing one object a million times stops as soon as it passes the limit.
  const outcome = copyJson(value, [key], { forbiddenKeyCharacters: FORBIDDEN_KEY_CHARACTERS, limits: LIMITS[key] });
  const walked = outcome.issue;
  if (walked !== undefined) {
    // A running total past the limit: the metadata is at least that large (rule 18).
    const issue =
      walked.code === 'too_large' ? metadataTooLarge([key], walked.bytes, walked.maximum, true) : copyIssue(walked);
    return { issues: [issue], forbidden: outcome.forbidden, value: EMPTY_OBJECT, bytes: 2, firstLevel: NO_SIZES };
  }
  const issues: Issue[] = [];
  const copy = isCopiedObject(outcome.value) ? outcome.value : EMPTY_OBJECT;
  // METADATA[key].reservedNames: RESERVED_APP_METADATA_KEYS for app_metadata (rule 17).
  const reserved = RESERVED[key];
  for (const name of reserved.size === 0 ? [] : Object.keys(copy)) {
    if (reserved.has(name)) {
      issues.push(reservedKey([key, name], name));
    }
  }
  return { issues, forbidden: outcome.forbidden, value: copy, bytes: outcome.bytes, firstLevel: outcome.firstLevel };
}

/** The bounds of a walk of one metadata value: MAX_METADATA_DEPTH (rule 32) and METADATA[key].maxBytes (rule 18). */
const LIMITS: Readonly<Record<MetadataKey, WalkLimits>> = /* @__PURE__ */ Object.freeze({
  user_metadata: Object.freeze({ maxDepth: MAX_METADATA_DEPTH, maxBytes: METADATA.user_metadata.maxBytes }),
  app_metadata: Object.freeze({ maxDepth: MAX_METADATA_DEPTH, maxBytes: METADATA.app_metadata.maxBytes }),
});

/** The walk bounds of stored metadata at `key` (what a PATCH merging it may read). */
export function metadataLimits(key: MetadataKey): WalkLimits {
  return LIMITS[key];
}

/** The issue for a metadata object over `METADATA[key].maxBytes` of JSON (rule 18), or `undefined` when it fits. */
export function checkMetadataSize(key: MetadataKey, bytes: number): Issue | undefined {
  if (bytes <= METADATA[key].maxBytes) return undefined;
  return metadataTooLarge([key], bytes, METADATA[key].maxBytes);
}
