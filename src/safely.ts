import { guarded } from './internal/guarded.js';
import { unreadableValue } from './issueConstructors.js';
import { type Failure, fail, type Result } from './issues.js';

/** The failure for input that threw while being read: a `not_json` issue at the root (rule 32). */
export function unreadable(thrown: unknown): Failure {
  return fail(unreadableValue([], thrown));
}

/**
 * @internal {@link guarded} for the exports that return a {@link Result}: what throws is a
 * `not_json` issue.
 */
export function safely<Value>(compute: () => Result<Value>): Result<Value> {
  return guarded(compute, unreadable);
}
