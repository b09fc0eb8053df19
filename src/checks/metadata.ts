import { metadataTooLarge, notJson, reservedKey } from '../faults.js';
import { copyJson, type ForbiddenKey } from '../internal/json.js';
import { describeThrown, isJsonObject, isPlainObject } from '../internal/object.js';
import type { Issue, Path } from '../issues.js';
import { ATTRIBUTES } from '../rules/attributes.js';
import { MAX_METADATA_BYTES } from '../rules/limits.js';
import { METADATA, type MetadataKey } from '../rules/metadata.js';
import type { JsonObject } from '../types.js';
import { checkAttribute } from './attributes.js';

/** A validated metadata value from a request body: a deep-frozen copy and its size. */
export interface CheckedMetadata {
  readonly issues: readonly Issue[];
  readonly forbidden: ForbiddenKey | undefined;
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

const EMPTY: Readonly<JsonObject> = Object.freeze({});

/** Validates a metadata value sent in a request body and copies it; a hostile value gives an issue at `key`. */
export function checkMetadata(key: MetadataKey, value: unknown): CheckedMetadata {
  try {
    return checkMetadataValue(key, value);
  } catch (error) {
    const issue = notJson([key], `unreadable value (${describeThrown(error)})`);
    return { issues: [issue], forbidden: undefined, value: EMPTY, bytes: 2, firstLevel: NO_SIZES };
  }
}

function checkMetadataValue(key: MetadataKey, value: unknown): CheckedMetadata {
  // ATTRIBUTES.user_metadata / .app_metadata: an object, never null (rule 6).
  const typeIssue = checkAttribute(key, ATTRIBUTES[key], value);
  if (typeIssue !== undefined || !isPlainObject(value)) {
    const issues = typeIssue === undefined ? [] : [typeIssue];
    return { issues, forbidden: undefined, value: EMPTY, bytes: 2, firstLevel: NO_SIZES };
  }
  const rule = METADATA[key];
  // FORBIDDEN_KEY_CHARACTERS at any depth (rule 16); METADATA[key].maxBytes (rule 18).
  const outcome = copyJson(value, [key], {
    forbidDottedKeys: true,
    tooLarge: { maxBytes: rule.maxBytes, issue: arrayTooLarge },
  });
  const issues = [...outcome.issues];
  const copy = isJsonObject(outcome.value) ? outcome.value : EMPTY;
  // METADATA[key].reservedNames: RESERVED_APP_METADATA_KEYS for app_metadata (rule 17).
  const reserved = RESERVED[key];
  for (const name of reserved.size === 0 ? [] : Object.keys(copy)) {
    if (reserved.has(name)) {
      issues.push(reservedKey([key, name], name));
    }
  }
  return { issues, forbidden: outcome.forbidden, value: copy, bytes: outcome.bytes, firstLevel: outcome.firstLevel };
}

/**
 * The issue for an array in a metadata value whose length alone puts the metadata over 16 MB: the
 * value it sits in is stored whole, so the metadata can only be larger still.
 */
function arrayTooLarge(path: Path, minimumBytes: number): Issue {
  const key = path[0] ?? 'user_metadata';
  // MAX_METADATA_BYTES (rule 18).
  return metadataTooLarge([key], minimumBytes, MAX_METADATA_BYTES, true);
}

/** The issue for a metadata object over `METADATA[key].maxBytes` of JSON (rule 18), or `undefined` when it fits. */
export function checkMetadataSize(key: MetadataKey, bytes: number): Issue | undefined {
  if (bytes <= METADATA[key].maxBytes) return undefined;
  return metadataTooLarge([key], bytes, METADATA[key].maxBytes);
}
