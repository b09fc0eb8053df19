import type { Issue, Path } from '../issues.js';
import type { JsonObject } from '../types.js';
import { ATTRIBUTES, checkAttribute } from './attributes.js';
import { copyJson, type ForbiddenKey } from './json.js';
import { describeThrown, isJsonObject, isPlainObject } from './object.js';

/** The two metadata attributes. */
export type MetadataKey = 'user_metadata' | 'app_metadata';

/** First-level `app_metadata` names Auth0 reserves (its schema says `not: {}` for each). */
export const RESERVED_APP_METADATA_KEYS: ReadonlySet<string> = new Set([
  '__tenant',
  '_id',
  'blocked',
  'clientID',
  'created_at',
  'email_verified',
  'email',
  'globalClientID',
  'global_client_id',
  'identities',
  'lastIP',
  'lastLogin',
  'loginsCount',
  'metadata',
  'multifactor_last_modified',
  'multifactor',
  'updated_at',
  'user_id',
]);

/** Each metadata attribute may hold at most 16 MB of JSON. */
export const MAX_METADATA_BYTES: number = 16 * 1024 * 1024;

/** A validated metadata value from a request body: a deep-frozen copy and its size. */
export interface CheckedMetadata {
  readonly issues: readonly Issue[];
  readonly forbidden: ForbiddenKey | undefined;
  readonly value: Readonly<JsonObject>;
  readonly bytes: number;
  /** The bytes of each first-level value, by key. */
  readonly firstLevel: ReadonlyMap<string, number>;
}

const NO_SIZES: ReadonlyMap<string, number> = new Map();

const EMPTY: Readonly<JsonObject> = Object.freeze({});

/** Validates a metadata value sent in a request body and copies it; a hostile value gives an issue at `key`. */
export function checkMetadata(key: MetadataKey, value: unknown): CheckedMetadata {
  try {
    return checkMetadataValue(key, value);
  } catch (error) {
    const received = `unreadable value (${describeThrown(error)})`;
    const issue: Issue = {
      code: 'not_json',
      path: [key],
      received,
      message: `Expected a JSON value but found ${received}`,
    };
    return { issues: [issue], forbidden: undefined, value: EMPTY, bytes: 2, firstLevel: NO_SIZES };
  }
}

function checkMetadataValue(key: MetadataKey, value: unknown): CheckedMetadata {
  const typeIssue = checkAttribute(key, ATTRIBUTES[key], value);
  if (typeIssue !== undefined || !isPlainObject(value)) {
    const issues = typeIssue === undefined ? [] : [typeIssue];
    return { issues, forbidden: undefined, value: EMPTY, bytes: 2, firstLevel: NO_SIZES };
  }
  const outcome = copyJson(value, [key], {
    forbidDottedKeys: true,
    tooLarge: { maxBytes: MAX_METADATA_BYTES, issue: arrayTooLarge },
  });
  const issues = [...outcome.issues];
  const copy = isJsonObject(outcome.value) ? outcome.value : EMPTY;
  if (key === 'app_metadata') {
    for (const name of Object.keys(copy)) {
      if (RESERVED_APP_METADATA_KEYS.has(name)) {
        issues.push({ code: 'reserved_key', path: [key, name], key: name, message: "Data matches schema from 'not'" });
      }
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
  const message = `Metadata is too large (at least ${minimumBytes} bytes), maximum ${MAX_METADATA_BYTES}`;
  return { code: 'metadata_too_large', path: [key], bytes: minimumBytes, maximum: MAX_METADATA_BYTES, message };
}

/** The issue for a metadata object over 16 MB of JSON, or `undefined` when it fits. */
export function checkMetadataSize(key: MetadataKey, bytes: number): Issue | undefined {
  if (bytes <= MAX_METADATA_BYTES) return undefined;
  const message = `Metadata is too large (${bytes} bytes), maximum ${MAX_METADATA_BYTES}`;
  return { code: 'metadata_too_large', path: [key], bytes, maximum: MAX_METADATA_BYTES, message };
}
