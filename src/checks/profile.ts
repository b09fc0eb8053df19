import { invalidStoredUser } from '../faults.js';
import { measureJson } from '../internal/json.js';
import { callback, fail, type Result, succeed, type Warning } from '../issues.js';
import { MAX_PROFILE_BYTES } from '../rules/limits.js';
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

/** Wraps a written user in a success, with a warning when the profile is over MAX_PROFILE_BYTES (rule 18). */
export function checkProfileSize<Written extends object>(user: Written, knownBytes?: number): Result<Written> {
  const bytes = knownBytes ?? measureJson(user);
  if (bytes === undefined) {
    return fail(invalidStoredUser([], 'a value that is not JSON'));
  }
  if (bytes <= MAX_PROFILE_BYTES) return succeed(user);
  const warning: Warning = {
    code: 'profile_too_large',
    path: [],
    bytes,
    limit: MAX_PROFILE_BYTES,
    message: `The user profile is ${bytes} bytes of JSON, over Auth0's ${MAX_PROFILE_BYTES}-byte limit; Auth0 accepts the write but logs it`,
  };
  return succeed(user, [warning]);
}
