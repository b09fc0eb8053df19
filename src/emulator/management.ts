import { applyPatch } from '../applyPatch.js';
import { createUser, validateCreateUser } from '../createUser.js';
import { duplicateIssue, userNotFound } from '../issueConstructors.js';
import { fail, type Result } from '../issues.js';
import { findUsersByEmail, type SearchUsersQuery } from '../searchUsers.js';
import { selectFields } from '../selectFields.js';
import type { User, UserPatch } from '../types.js';
import type { Context } from './context.js';
import { foundByCheck, issuesError, jsonResponse, unwrap } from './errors.js';
import { type EmulatorResponse, type Later, type RequestUrl, userAnswer } from './http.js';
import type { PasswordHash } from './passwords.js';
import type { RouteInfo } from './pipeline.js';
import { searchWithinBudget } from './search.js';

/** The query parameters of GET /api/v2/users that the core reads; any other is ignored, as Auth0 does. */
const SEARCH_PARAMETERS = [
  'q',
  'sort',
  'search_engine',
  'connection',
  'primary_order',
  'page',
  'per_page',
  'include_totals',
  'fields',
  'include_fields',
] as const;

function searchQuery(url: RequestUrl): SearchUsersQuery {
  return Object.fromEntries(SEARCH_PARAMETERS.map((name) => [name, url.searchParams.get(name)]));
}

/** GET /api/v2/users/{id}: the checks of `CHECK_ORDER.get` (src/rules/http.ts) ran; the lookup is its `user` check. */
export function getUser({ context, userId, fields }: RouteInfo): EmulatorResponse {
  const stored = context.store.get(userId);
  if (stored === undefined) throw issuesError([userNotFound()]);
  return userAnswer(unwrap(selectFields(stored.user, fields)), stored.user, 200);
}

/** PATCH /api/v2/users/{id}: the checks of `CHECK_ORDER.update` ran and validated the patch; the lookup is its `user` check. */
export function updateUser(info: RouteInfo): Later<EmulatorResponse> {
  const patch = foundByCheck(info.patch);
  // A new password is hashed first (asynchronous work); without one, the PATCH is answered in this turn.
  if (patch.password === undefined) return patchStored(info, patch, undefined);
  return info.context.hashPassword(patch.password).then((password) => patchStored(info, patch, password));
}

/** The read-modify-write of a PATCH, with no await in it: atomic. */
function patchStored(
  { request, context, userId, trace }: RouteInfo,
  patch: UserPatch,
  password: PasswordHash | undefined,
): EmulatorResponse {
  const stored = context.store.get(userId);
  if (stored === undefined) throw issuesError([userNotFound()]);
  const result = applyPatch(stored.user, patch, context.write);
  const user = unwrap(result);
  // Rule 33: an email or username another user of the connection holds is refused (the core's
  // uniqueKeysOf decides, through the store's index); the user's own keys are not a conflict.
  const conflict = context.store.conflict(user, true);
  if (conflict !== undefined) throw issuesError([duplicateIssue(conflict.attribute, 'update')]);
  context.store.set({ user, password: password === undefined ? stored.password : Promise.resolve(password) });
  trace.patched = { before: stored.user, patch, write: context.write };
  if (result.success) context.warn(result.warnings, request);
  context.patched(stored.user, patch, request);
  return userAnswer(user, user, 200);
}

/** DELETE /api/v2/users/{id}: 204 whether or not the user existed (`CHECK_ORDER.delete` has no user check). */
export function deleteUser({ context, userId }: RouteInfo): EmulatorResponse {
  context.store.delete(userId);
  return { status: 204, headers: {}, body: null };
}

/**
 * Creates a user from a POST /api/v2/users body: validates, hashes the password, then checks for
 * a duplicate and stores, with no await between the check and the write.
 */
export async function insertUser(body: unknown, context: Context): Promise<Result<User>> {
  const validated = validateCreateUser(body);
  if (!validated.success) return validated;
  const hash = await context.hashPassword(validated.value.password);
  const created = createUser(validated.value, context.write);
  if (!created.success) return created;
  const conflict = context.store.conflict(created.value);
  if (conflict !== undefined) return fail(duplicateIssue(conflict.attribute, 'create'));
  context.store.set({ user: created.value, password: Promise.resolve(hash) });
  return created;
}

/** POST /api/v2/users: the checks of `CHECK_ORDER.create` ran and read the body; the duplicate check is its `user` check. */
export async function postUser({ request, context, body }: RouteInfo): Promise<EmulatorResponse> {
  const result = await insertUser(body, context);
  const user = unwrap(result);
  if (result.success) context.warn(result.warnings, request);
  return jsonResponse(user, 201);
}

/**
 * GET /api/v2/users: list and search (`q`, `sort`, paging, totals, fields), all in the core's
 * `searchUsers`, which checks the query (`CHECK_ORDER.list`) before it searches.
 */
export async function listUsers({ url, context }: RouteInfo): Promise<EmulatorResponse> {
  // In slices, within Auth0's time budget: a long search neither stalls the server nor runs past 2 s.
  return jsonResponse(unwrap(await searchWithinBudget(context.searchable(), searchQuery(url))), 200);
}

/** GET /api/v2/users-by-email?email=, through the core's `findUsersByEmail`: always up to date, unlike search. */
export function usersByEmail({ url, context, fields }: RouteInfo): EmulatorResponse {
  const query = { email: url.searchParams.get('email'), ...fields };
  // The store's index names every user whose email could match; the core's findUsersByEmail decides.
  const users = query.email === null ? [] : context.store.candidates({ email: query.email });
  return jsonResponse(unwrap(findUsersByEmail(users, query)), 200);
}
