import { callback } from '../internal/guarded.js';
import { measureJson } from '../internal/sizes.js';
import type { WalkLimits } from '../internal/values.js';
import { invalidStoredUser, profileTooLarge } from '../issueConstructors.js';
import type { InvalidStoredUserIssue } from '../issues.js';
import { fail, type Result, succeed } from '../issues.js';
import { MAX_METADATA_BYTES, MAX_METADATA_DEPTH, MAX_PROFILE_BYTES } from '../rules/limits.js';
import type { WriteOptions } from '../types.js';

/**
 * The write time as Auth0 stores it: ISO-8601 UTC with milliseconds (rule 13). A throwing `now` is
 * rethrown as it was; one that returns anything but a valid Date is refused (the export's wrapper
 * makes that an issue), never called `toISOString` on.
 */
export function timestamp(options: WriteOptions): string {
  const now = options.now;
  const date: unknown = callback(() => (now === undefined ? new Date() : now()));
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new TypeError('now() must return a valid Date');
  return date.toISOString();
}

/**
 * The bounds of a walk of a whole stored user, to measure its profile: two metadata objects at
 * their limits (MAX_METADATA_BYTES, rule 18) plus a megabyte of root attributes, nested two levels
 * more than MAX_METADATA_DEPTH (rule 32) allows inside metadata. A user past these bounds is not
 * measured, and is patched without the profile warning.
 */
export const STORED_USER_LIMITS: WalkLimits = /* @__PURE__ */ Object.freeze({
  maxDepth: MAX_METADATA_DEPTH + 2,
  maxBytes: 2 * MAX_METADATA_BYTES + 1024 * 1024,
});

/**
 * The bounds of measuring a user or a value of it with no size limit: deep enough for a whole
 * stored user (metadata nested MAX_METADATA_DEPTH deep, rule 32, below the user and its key).
 */
export const MEASURE_LIMITS: WalkLimits = /* @__PURE__ */ Object.freeze({
  maxDepth: MAX_METADATA_DEPTH + 2,
  maxBytes: Number.MAX_SAFE_INTEGER,
});

/** Wraps a written user in a success, with a warning when the profile is over MAX_PROFILE_BYTES (rule 18). */
export function checkProfileSize<Written extends object>(user: Written, knownBytes?: number): Result<Written> {
  const bytes = knownBytes ?? measureJson(user, MEASURE_LIMITS);
  if (bytes === undefined) {
    return fail(invalidStoredUser([], 'JSON', 'a value that is not JSON'));
  }
  if (bytes <= MAX_PROFILE_BYTES) return succeed(user);
  return succeed(user, [profileTooLarge(bytes, MAX_PROFILE_BYTES)]);
}

/**
 * Frozen users whose root keys were all found to be data properties. A frozen object's properties
 * can no longer change (a Proxy of a frozen object must report them as they are), so such a user
 * is checked once, not at each GET, search page or patch of it.
 */
const readableRoots = new WeakSet<object>();

/**
 * The issue for a root key of a stored user that cannot be read as data (a getter, say): a function
 * that copies the user's other keys as they are would otherwise drop it silently. One descriptor
 * per root key, once per frozen user; values below the root are read only where a function needs them.
 */
export function unreadableRootKey(user: object): InvalidStoredUserIssue | undefined {
  if (readableRoots.has(user)) return undefined;
  for (const key of Object.keys(user)) {
    const descriptor = Object.getOwnPropertyDescriptor(user, key);
    if (descriptor === undefined || !('value' in descriptor)) {
      const received = descriptor === undefined ? 'deleted key' : 'accessor property';
      return invalidStoredUser([key], 'a data property (the user as JSON holds no getters)', received);
    }
  }
  if (Object.isFrozen(user)) readableRoots.add(user);
  return undefined;
}
