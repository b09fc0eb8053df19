import { guarded } from './internal/guarded.js';
import type { Path } from './issues.js';

/**
 * Renders a path the way Auth0 writes it in messages: keys joined with `.`, array indexes as `[i]`.
 *
 * @param path - The path of an issue.
 * @returns The dotted path, or `''` for the root (and for anything that is not a path).
 * @example
 * formatPath(['user_metadata', 'addresses', 0, 'city']);
 * // => 'user_metadata.addresses[0].city'
 */
export function formatPath(path: Path): string {
  return guarded(
    () => pathText(path),
    () => '',
  );
}

/** @internal {@link formatPath}: segments that are neither keys nor indexes are left out. */
export function pathText(path: unknown): string {
  if (!Array.isArray(path)) return '';
  let text = '';
  for (let index = 0; index < path.length; index++) {
    const segment: unknown = Object.getOwnPropertyDescriptor(path, index)?.value;
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (typeof segment === 'string') text += text === '' ? segment : `.${segment}`;
  }
  return text;
}
