import { formatPath } from '../formatPath.js';
import type { Issue } from '../issues.js';

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One issue on one line: its path (when it has one), then its message. */
export function issueLine(issue: Issue): string {
  return issue.path.length === 0 ? issue.message : `${formatPath(issue.path)}: ${issue.message}`;
}
