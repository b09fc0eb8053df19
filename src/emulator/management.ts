import { analyzePatch } from '../analyzePatch.js';
import { applyPatch } from '../applyPatch.js';
import { authorizeUserRequest, type TokenGrant, type UserRequest } from '../authorizeUserRequest.js';
import { createUser, validateCreateUser } from '../createUser.js';
import { invalidToken, userNotFound } from '../faults.js';
import { fail, type Result } from '../issues.js';
import { findUsersByEmail, type SearchUsersQuery } from '../searchUsers.js';
import { selectFields, validateFieldQuery } from '../selectFields.js';
import { duplicateIssue } from '../tenant.js';
import type { FieldQuery, User } from '../types.js';
import { validatePatch } from '../validatePatch.js';
import { readJson } from './body.js';
import { audiencesFor, type Context } from './context.js';
import { bodyProblemError, issuesError, jsonResponse, transportError } from './errors.js';
import { type EmulatorRequest, type EmulatorResponse, userAnswer } from './http.js';
import { noteGrant } from './requests.js';
import { searchWithinBudget } from './search.js';

/** The value of a successful core result; the issues of a failed one are thrown as Auth0's error. */
function unwrap<Value>(result: Result<Value>): Value {
  if (!result.success) throw issuesError(result.issues);
  return result.value;
}

/** Checks the bearer token: signature, issuer, audience, expiry. */
export async function authenticate(request: EmulatorRequest, url: URL, context: Context): Promise<TokenGrant> {
  const header = request.headers.get('authorization');
  if (header === null) throw issuesError([invalidToken('Missing authentication')]);
  const match = /^Bearer +(\S+) *$/i.exec(header);
  if (match === null || match[1] === undefined) {
    throw issuesError([invalidToken('Bad HTTP authentication header format')]);
  }
  const verified = await context.tokens.verify(match[1], audiencesFor(context, url));
  if (!verified.ok) throw issuesError([invalidToken(verified.message)]);
  noteGrant(request, verified.grant);
  return verified.grant;
}

function authorize(grant: TokenGrant, request: UserRequest): void {
  unwrap(authorizeUserRequest(grant, request));
}

async function readBody(request: EmulatorRequest, context: Context): Promise<unknown> {
  const body = await readJson(request, context.maxBodyBytes);
  if (!body.ok) throw bodyProblemError('management', body.problem, context.maxBodyBytes);
  return body.value;
}

/** Decodes the `{id}` path segment (`auth0%7C...`). */
export function decodeUserId(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw transportError('management', 'invalid_uri');
  }
}

function fieldQuery(url: URL): FieldQuery {
  return { fields: url.searchParams.get('fields'), include_fields: url.searchParams.get('include_fields') };
}

/** Rejects a bad field query with the core's 400, before any lookup (as a query is validated first). */
function checkFieldQuery(query: FieldQuery): void {
  unwrap(validateFieldQuery(query));
}

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

function searchQuery(url: URL): SearchUsersQuery {
  return Object.fromEntries(SEARCH_PARAMETERS.map((name) => [name, url.searchParams.get(name)]));
}

/** GET /api/v2/users/{id}, checked in the order of `CHECK_ORDER.get` (src/rules/http.ts). */
export async function getUser(
  request: EmulatorRequest,
  url: URL,
  context: Context,
  userId: string,
): Promise<EmulatorResponse> {
  const grant = await authenticate(request, url, context);
  authorize(grant, { action: 'get', userId });
  const query = fieldQuery(url);
  checkFieldQuery(query);
  const stored = context.store.get(userId);
  if (stored === undefined) throw issuesError([userNotFound()]);
  return userAnswer(unwrap(selectFields(stored.user, query)), stored.user, 200);
}

/** PATCH /api/v2/users/{id}, checked in the order of `CHECK_ORDER.update` (src/rules/http.ts). */
export async function patchUser(
  request: EmulatorRequest,
  url: URL,
  context: Context,
  userId: string,
): Promise<EmulatorResponse> {
  const grant = await authenticate(request, url, context);
  const patch = unwrap(validatePatch(await readBody(request, context)));
  authorize(grant, { action: 'update', userId, patch });
  const password = patch.password === undefined ? undefined : await context.hashPassword(patch.password);
  // From here to the write, no await: the read-modify-write is atomic.
  const stored = context.store.get(userId);
  if (stored === undefined) throw issuesError([userNotFound()]);
  const result = applyPatch(stored.user, patch, context.write);
  const user = unwrap(result);
  // Rule 33: an email or username another user of the connection holds is refused (the core's
  // uniqueKeysOf decides, through the store's index); the user's own keys are not a conflict.
  const conflict = context.store.conflict(user, true);
  if (conflict !== undefined) throw issuesError([duplicateIssue(conflict.attribute, 'update')]);
  context.store.set({ user, password: password === undefined ? stored.password : Promise.resolve(password) });
  if (result.success) context.warn(result.warnings, request);
  if (context.dropped !== undefined) {
    const analysis = analyzePatch(stored.user, patch, context.write);
    if (analysis.success && analysis.value.dropped.length > 0) context.dropped(analysis.value.dropped, request);
  }
  return userAnswer(user, user, 200);
}

/** DELETE /api/v2/users/{id}: 204 whether or not the user existed (`CHECK_ORDER.delete` has no user check). */
export async function deleteUser(
  request: EmulatorRequest,
  url: URL,
  context: Context,
  userId: string,
): Promise<EmulatorResponse> {
  const grant = await authenticate(request, url, context);
  authorize(grant, { action: 'delete', userId });
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
  const password = validated.value.password;
  const hash = password === undefined ? undefined : await context.hashPassword(password);
  const created = createUser(validated.value, context.write);
  if (!created.success) return created;
  const conflict = context.store.conflict(created.value);
  if (conflict !== undefined) return fail(duplicateIssue(conflict.attribute, 'create'));
  context.store.set({ user: created.value, password: hash === undefined ? undefined : Promise.resolve(hash) });
  return created;
}

/** POST /api/v2/users, checked in the order of `CHECK_ORDER.create` (src/rules/http.ts). */
export async function postUser(request: EmulatorRequest, url: URL, context: Context): Promise<EmulatorResponse> {
  const grant = await authenticate(request, url, context);
  authorize(grant, { action: 'create' });
  const result = await insertUser(await readBody(request, context), context);
  const user = unwrap(result);
  if (result.success) context.warn(result.warnings, request);
  return jsonResponse(user, 201);
}

/**
 * GET /api/v2/users: list and search (`q`, `sort`, paging, totals, fields), all in the core's
 * `searchUsers`, checked in the order of `CHECK_ORDER.list` (src/rules/http.ts).
 */
export async function listUsers(request: EmulatorRequest, url: URL, context: Context): Promise<EmulatorResponse> {
  const grant = await authenticate(request, url, context);
  authorize(grant, { action: 'list' });
  const users = context.store.all().map((stored) => stored.user);
  // In slices, within Auth0's time budget: a long search neither stalls the server nor runs past 2 s.
  return jsonResponse(unwrap(await searchWithinBudget(users, searchQuery(url))), 200);
}

/** GET /api/v2/users-by-email?email=, through the core's `findUsersByEmail`. */
export async function usersByEmail(request: EmulatorRequest, url: URL, context: Context): Promise<EmulatorResponse> {
  const grant = await authenticate(request, url, context);
  authorize(grant, { action: 'list' });
  const query = { email: url.searchParams.get('email'), ...fieldQuery(url) };
  // The store's index names every user whose email could match; the core's findUsersByEmail decides.
  const users = query.email === null ? [] : context.store.candidates({ email: query.email });
  return jsonResponse(unwrap(findUsersByEmail(users, query)), 200);
}
