import { callback, fail, type Issue, type Result, succeed, type Warning } from '../issues.js';
import type { WriteOptions } from '../types.js';
import { measureJson } from './json.js';

/** Auth0 logs profiles over 10 KB of JSON (a limit it announced in 2026; writes still succeed). */
export const MAX_PROFILE_BYTES: number = 10 * 1024;

/** The write time as Auth0 stores it: ISO-8601 UTC with milliseconds. A throwing `now` is rethrown as it was. */
export function timestamp(options: WriteOptions): string {
  const now = options.now;
  return callback(() => (now === undefined ? new Date() : now()).toISOString());
}

/** Wraps a written user in a success, with a warning when the profile is over 10 KB. */
export function checkProfileSize<Written extends object>(user: Written, knownBytes?: number): Result<Written> {
  const bytes = knownBytes ?? measureJson(user);
  if (bytes === undefined) {
    const issue: Issue = {
      code: 'not_json',
      path: [],
      received: 'a stored user that is not JSON',
      message: 'The stored user is not JSON',
    };
    return fail(issue);
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
