/**
 * `user_metadata` and `app_metadata`, as data: how each behaves when emptied, which names it
 * reserves, how large it may grow. Rule numbers are those of docs/rules.md.
 */
import { deepFreeze } from '../internal/freeze.js';
import { MAX_METADATA_BYTES } from './limits.js';

/** The two metadata attributes. */
export type MetadataKey = 'user_metadata' | 'app_metadata';

/** What Auth0 does with one metadata attribute. */
export interface MetadataRule {
  /**
   * What an emptied metadata becomes, by `{}` or by deleting its last key with `null` on PATCH, or
   * sent as `{}` on create: `kept` as `{}`, or `removed` from the user (rules 3, 4, 23).
   */
  readonly whenEmpty: 'kept' | 'removed';
  /** First-level names it may not hold, whatever their value, `null` included (rule 17). */
  readonly reservedNames: readonly string[];
  /** Most UTF-8 bytes of its JSON (rule 18). */
  readonly maxBytes: number;
  /** Whether Auth0 answers it after every other attribute when a user is created (rule 24). */
  readonly lastOnCreate: boolean;
  /** The rules of docs/rules.md this row restates. */
  readonly spec: string;
}

/**
 * First-level `app_metadata` names Auth0 reserves, case-sensitive (its schema says `not: {}` for
 * each): rule 17.
 */
export const RESERVED_APP_METADATA_KEYS: readonly string[] = /* @__PURE__ */ Object.freeze([
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

/** The two metadata attributes, in the order Auth0's schema lists them. */
export const METADATA: Readonly<Record<MetadataKey, MetadataRule>> = /* @__PURE__ */ deepFreeze({
  user_metadata: {
    whenEmpty: 'kept',
    reservedNames: [],
    maxBytes: MAX_METADATA_BYTES,
    lastOnCreate: false,
    spec: 'rules 1-6, 16, 18, 23',
  },
  app_metadata: {
    whenEmpty: 'removed',
    reservedNames: RESERVED_APP_METADATA_KEYS,
    maxBytes: MAX_METADATA_BYTES,
    lastOnCreate: true,
    spec: 'rules 1-6, 16-18, 23, 24',
  },
});

/** `user_metadata`, then `app_metadata`. */
export const METADATA_KEYS: readonly MetadataKey[] = /* @__PURE__ */ Object.freeze(['user_metadata', 'app_metadata']);

/** Whether `key` names one of the metadata attributes. */
export function isMetadataKey(key: string): key is MetadataKey {
  return key === 'user_metadata' || key === 'app_metadata';
}

/** A character a metadata key may not contain. */
export type ForbiddenKeyCharacter = '.' | '$';

/**
 * Characters a metadata key may not contain, at any depth, on every endpoint: documented (rule 16;
 * signup, rule 21); "at any depth" is our decision (docs/assumptions.md, library 4). The first key
 * holding one is reported, `.` before `$` within a key.
 */
export const FORBIDDEN_KEY_CHARACTERS: readonly ForbiddenKeyCharacter[] = /* @__PURE__ */ Object.freeze(['.', '$']);
