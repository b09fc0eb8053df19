import { duplicateIssue } from '../issueConstructors.js';
import { signupUser, validateSignup } from '../signupUser.js';
import { readJsonBody } from './body.js';
import { bodyError, issuesError, jsonResponse } from './errors.js';
import type { EmulatorResponse } from './http.js';
import type { RouteInfo } from './pipeline.js';

/** POST /dbconnections/signup: no token, the signup error envelope, the signup response shape. */
export async function signup({ request, context, trace }: RouteInfo): Promise<EmulatorResponse> {
  const body = await readJsonBody(request, context.maxBodyBytes, trace);
  if (!body.ok) throw bodyError('authentication', body.reason, context.maxBodyBytes);
  const validated = validateSignup(body.value);
  if (!validated.success) throw issuesError(validated.issues, 'authentication');
  const hash = await context.hashPassword(validated.value.password);
  // From here to the write, no await: the duplicate check and the insert are atomic.
  const result = signupUser(validated.value, context.write);
  if (!result.success) throw issuesError(result.issues, 'authentication');
  const { user, response } = result.value;
  // A duplicate email or username: the same fault as on the Management API, in the signup envelope (rule 22).
  const conflict = context.store.conflict(user);
  if (conflict !== undefined) throw issuesError([duplicateIssue(conflict.attribute, 'create')], 'authentication');
  context.store.set({ user, password: Promise.resolve(hash) });
  context.warn(result.warnings, request);
  return jsonResponse(response, 200);
}
