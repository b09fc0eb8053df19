import { validateCreateUser } from '../createUser.js';
import { toAuth0Error } from '../toAuth0Error.js';
import type { CreateUserBody } from '../types.js';
import { messageOf } from './messages.js';

/** A seed document read and validated, or a one-line reason it cannot be used. */
export type SeedDocument =
  | { readonly ok: true; readonly users: readonly CreateUserBody[] }
  | { readonly ok: false; readonly message: string };

function usersOf(document: unknown): readonly unknown[] | undefined {
  if (Array.isArray(document)) return document;
  if (typeof document !== 'object' || document === null) return undefined;
  const users: unknown = Object.getOwnPropertyDescriptor(document, 'users')?.value;
  return Array.isArray(users) ? users : undefined;
}

/**
 * Reads a seed document: a JSON array of POST /api/v2/users bodies, or `{"users": [...]}`. Each
 * user is validated by the core, and the first problem is reported in Auth0's own words.
 */
export function parseSeed(text: string, file: string): SeedDocument {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `seed file ${file} is not valid JSON: ${messageOf(error)}` };
  }
  const entries = usersOf(document);
  if (entries === undefined) {
    return { ok: false, message: `seed file ${file} must hold a JSON array of users, or {"users": [...]}` };
  }
  const users: CreateUserBody[] = [];
  for (const [index, entry] of entries.entries()) {
    const validated = validateCreateUser(entry);
    if (!validated.success) {
      const error = toAuth0Error(validated.issues);
      const reason = error.api === 'management' ? error.body.message : error.body.description;
      return { ok: false, message: `seed file ${file}, user ${index + 1}: ${reason}` };
    }
    users.push(validated.value);
  }
  return { ok: true, users };
}
