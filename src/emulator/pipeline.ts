/**
 * The request path of the emulator as a pipeline of values: one URL parse and one route lookup
 * per request, then the checks of the route's action in the order `CHECK_ORDER` gives them
 * (src/rules/http.ts), then the handler with one info object. Around it, steps that each take the
 * exchange and the next step: the journal, the control API, faults and rate limits plug in there.
 */
import { authorizeUserRequest, type TokenGrant, type UserRequest } from '../authorizeUserRequest.js';
import { invalidToken } from '../issueConstructors.js';
import { type Result, succeed } from '../issues.js';
import { CHECK_ORDER, type RequestCheck } from '../rules/http.js';
import type { UserAction } from '../rules/scopes.js';
import { validateFieldQuery } from '../selectFields.js';
import type { FieldQuery, UserPatch } from '../types.js';
import { validatePatch } from '../validatePatch.js';
import { type JsonBody, readJsonBody } from './body.js';
import { audiencesFor, type Context } from './context.js';
import type { Api } from './errors.js';
import { bodyError, EmulatorHttpError, foundByCheck, issuesError, transportError, unwrap } from './errors.js';
import type { EmulatorRequest, EmulatorResponse, Later, RequestUrl } from './http.js';
import type { Trace } from './requests.js';
import type { Verification } from './tokens.js';

/**
 * Everything a route's handler gets, as one value (like msw's resolver info): the request, its
 * URL parsed once, the emulator's context, and what the checks of `CHECK_ORDER` already found.
 */
export interface RouteInfo {
  readonly request: EmulatorRequest;
  readonly url: RequestUrl;
  readonly context: Context;
  /** What the journal keeps of this request; a handler that reads its own body notes it here. */
  readonly trace: Trace;
  /** The `{id}` of the path, decoded by the `path` check; `''` for a path without one. */
  readonly userId: string;
  /** The verified token of the `token` check; `undefined` for a route without one. */
  readonly grant: TokenGrant | undefined;
  /** The JSON body read by the `body` check (`create`); `undefined` otherwise. */
  readonly body: unknown;
  /** The body of an `update`, read and validated by its `body` check; `undefined` otherwise. */
  readonly patch: UserPatch | undefined;
  /** `fields` and `include_fields` of the query, checked by the `query` check of a `get`. */
  readonly fields: FieldQuery;
}

/** One endpoint: a method on a path (`{id}` stands for one path segment), the API whose errors it answers with, its handler. */
export interface Route {
  readonly method: string;
  readonly path: string;
  readonly api: Api;
  /**
   * The users-endpoint action whose `CHECK_ORDER` (src/rules/http.ts) runs before the handler;
   * absent for the routes that check their own request (`/oauth/token`, signup, the JWKS).
   */
  readonly action?: UserAction;
  /** Answers at once when nothing is pending (no promise), else a promise of the answer. */
  readonly handler: (info: RouteInfo) => Later<EmulatorResponse>;
}

/** What one lookup of a path finds: its routes (none for an unknown path), its `{id}` segment and its API. */
export interface RouteMatch {
  /** The routes of the path, one per method; empty when no endpoint has this path. */
  readonly routes: readonly Route[];
  /** The route template (`/api/v2/users/{id}`), or the path itself when no endpoint has it. */
  readonly template: string;
  /** The `{id}` segment as sent (still percent-encoded), `''` for a path without one. */
  readonly segment: string;
  /** Which of Auth0's APIs the path belongs to, and so which error envelope it answers with. */
  readonly api: Api;
}

/** One request on its way through the pipeline: parsed once, looked up once, traced for the journal. */
export interface Exchange {
  readonly request: EmulatorRequest;
  /** The request URL, parsed once. */
  readonly url: RequestUrl;
  /** The one lookup of its path. */
  readonly match: RouteMatch;
  readonly trace: Trace;
}

/**
 * A step of the pipeline: answers the exchange, or hands it on to `next` (calling it once at most).
 * A step with nothing to wait for answers without a promise, so a request nothing delays is
 * answered in one turn.
 */
export type Step = (exchange: Exchange, next: () => Later<EmulatorResponse>) => Later<EmulatorResponse>;

/** Runs `steps` in order around `last`: each may answer, or call the next (once). */
export function runSteps(
  steps: readonly Step[],
  exchange: Exchange,
  last: (exchange: Exchange) => Later<EmulatorResponse>,
): Later<EmulatorResponse> {
  // One `next` per request, each step calling it at most once: no closure per step.
  let index = 0;
  const next = (): Later<EmulatorResponse> => {
    const step = steps[index++];
    return step === undefined ? last(exchange) : step(exchange, next);
  };
  return next();
}

/** The grant of a verified token; Auth0's 401 for a token that did not verify. */
function grantOf(verified: Verification): TokenGrant {
  if (!verified.ok) throw issuesError([invalidToken(verified.message)]);
  return verified.grant;
}

/** The header {@link bearerToken} read last, and its token: a client sends the same header again and again. */
let lastBearer: { readonly header: string; readonly token: string } | undefined;

/**
 * The token of an `Authorization: Bearer <token>` header; Auth0's 401 for another form. The same
 * header text as the last one gives the same token string, whose hash the token cache has already
 * computed, without parsing it again.
 */
function bearerToken(header: string): string {
  if (lastBearer?.header === header) return lastBearer.token;
  const match = /^Bearer +(\S+) *$/i.exec(header);
  if (match === null || match[1] === undefined) {
    throw issuesError([invalidToken('Bad HTTP authentication header format')]);
  }
  lastBearer = { header, token: match[1] };
  return match[1];
}

/** Checks the bearer token: signature, issuer, audience, expiry (at once for a token verified before). */
function authenticate(request: EmulatorRequest, url: RequestUrl, context: Context): Later<TokenGrant> {
  const header = request.headers.get('authorization');
  if (header === null) throw issuesError([invalidToken('Missing authentication')]);
  const verified = context.tokens.verify(bearerToken(header), audiencesFor(context, url));
  return verified instanceof Promise ? verified.then(grantOf) : grantOf(verified);
}

/** Decodes the `{id}` path segment (`auth0%7C...`). */
function decodeUserId(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw transportError('management', 'invalid_uri');
  }
}

/** What the checks found so far, made into the handler's info at the end. */
interface Checked {
  userId: string;
  grant: TokenGrant | undefined;
  body: unknown;
  patch: UserPatch | undefined;
}

/** The request as authorization sees it: its action, the user it names, an update's body. */
function userRequest(action: UserAction, checked: Checked): UserRequest {
  switch (action) {
    case 'list':
    case 'create':
      return { action };
    case 'get':
    case 'delete':
      return { action, userId: checked.userId };
    case 'update':
      return { action, userId: checked.userId, patch: foundByCheck(checked.patch) };
  }
}

/** What a check reads of the request. */
interface CheckInput {
  readonly request: EmulatorRequest;
  readonly url: RequestUrl;
  readonly context: Context;
  readonly trace: Trace;
  /** The `{id}` segment as sent. */
  readonly segment: string;
  readonly fields: FieldQuery;
}

/**
 * A check of `CHECK_ORDER`: reads what it needs of the request, throws Auth0's error or records
 * what it found; a promise only when it has to wait (a token seen for the first time, a streamed body).
 */
type Check = (action: UserAction, checked: Checked, input: CheckInput) => Promise<void> | undefined;

/** How many scope decisions are remembered per token. */
const REMEMBERED_DECISIONS = 64;

/**
 * The scope decisions of each verified token (its grant, which the token cache keeps one of per
 * token): by action, whether the user is the token's own and, for an update, the attributes it
 * changes, which are all that `authorizeUserRequest` decides on. A decision is never shared between
 * two tokens, and a token that no longer verifies never reaches it.
 */
const decisions = new WeakMap<TokenGrant, Map<string, Result<UserRequest>>>();

/** `authorizeUserRequest` for a verified token, its decision remembered per grant. */
function authorized(grant: TokenGrant, request: UserRequest): Result<UserRequest> {
  const self = 'userId' in request && request.userId === grant.subject;
  const key = `${request.action}${self ? '+' : '-'}${request.action === 'update' ? JSON.stringify(Object.keys(request.patch)) : ''}`;
  let known = decisions.get(grant);
  if (known === undefined) {
    known = new Map();
    decisions.set(grant, known);
  }
  const remembered = known.get(key);
  // A success holds the request it allowed: only a refusal is answered from memory as it is.
  if (remembered !== undefined) return remembered.success ? succeed(request) : remembered;
  const decided = authorizeUserRequest(grant, request);
  if (known.size >= REMEMBERED_DECISIONS) known.clear();
  known.set(key, decided);
  return decided;
}

/** Records the body of a request read by the `body` check, or throws Auth0's error for it. */
function takeBody(action: UserAction, checked: Checked, body: JsonBody, limit: number): undefined {
  if (!body.ok) throw bodyError('management', body.reason, limit);
  if (action === 'update') checked.patch = unwrap(validatePatch(body.value));
  else checked.body = body.value;
  return undefined;
}

/**
 * What each check of `CHECK_ORDER` does. `user` is the handler's own: the lookup and the write
 * happen there with no `await` between them, so the check runs last in every order and is atomic.
 */
const CHECKS: Readonly<Record<RequestCheck, Check>> = {
  path: (_action, checked, info) => {
    checked.userId = decodeUserId(info.segment);
    return undefined;
  },
  token: (_action, checked, { request, url, context, trace }) => {
    const took = (grant: TokenGrant): undefined => {
      checked.grant = grant;
      trace.grant = grant;
      return undefined;
    };
    const grant = authenticate(request, url, context);
    return grant instanceof Promise ? grant.then(took) : took(grant);
  },
  body: (action, checked, { request, context, trace }) => {
    const body = readJsonBody(request, context.maxBodyBytes, trace);
    const take = (read: JsonBody): undefined => takeBody(action, checked, read, context.maxBodyBytes);
    return body instanceof Promise ? body.then(take) : take(body);
  },
  scopes: (action, checked) => {
    unwrap(authorized(foundByCheck(checked.grant), userRequest(action, checked)));
    return undefined;
  },
  query: (action, _checked, { fields }) => {
    // A get's field query is checked before the lookup; a list's query is the core's search to check.
    if (action === 'get') unwrap(validateFieldQuery(fields));
    return undefined;
  },
  user: () => undefined,
};

/** The field query of a URL without a query string: neither parameter. */
const NO_FIELDS: FieldQuery = Object.freeze({ fields: null, include_fields: null });

/** The `fields` and `include_fields` of a query (without a query string, no `URLSearchParams` is built). */
function fieldQuery(url: RequestUrl): FieldQuery {
  if (url.search === '') return NO_FIELDS;
  return { fields: url.searchParams.get('fields'), include_fields: url.searchParams.get('include_fields') };
}

/**
 * Runs the checks of a route's action in `CHECK_ORDER`, then its handler with the info they built:
 * in this turn, unless a check has to wait, and then the rest after it.
 */
function runRoute(route: Route, exchange: Exchange, context: Context): Later<EmulatorResponse> {
  const { request, url, trace } = exchange;
  const base: CheckInput = { request, url, context, trace, segment: exchange.match.segment, fields: fieldQuery(url) };
  const checked: Checked = { userId: '', grant: undefined, body: undefined, patch: undefined };
  const answer = (): Later<EmulatorResponse> =>
    route.handler({
      request,
      url,
      context,
      trace,
      fields: base.fields,
      userId: checked.userId,
      grant: checked.grant,
      body: checked.body,
      patch: checked.patch,
    });
  const action = route.action;
  if (action === undefined) return answer();
  const checks = CHECK_ORDER[action];
  const from = (first: number): Later<EmulatorResponse> => {
    for (const [index, check] of checks.entries()) {
      if (index < first) continue;
      const pending = CHECKS[check](action, checked, base);
      if (pending !== undefined) return pending.then(() => from(index + 1));
    }
    return answer();
  };
  return from(0);
}

/** Finds the route of the exchange's method (405 with `Allow` when the path has others, 404 when none) and runs it. */
export function dispatch(exchange: Exchange, method: string, context: Context): Later<EmulatorResponse> {
  const { routes, api } = exchange.match;
  if (routes.length === 0) throw transportError(api, 'not_found');
  const route = routes.find((candidate) => candidate.method === method);
  if (route === undefined) {
    const methods = routes.map((candidate) => candidate.method);
    const allow = (methods.includes('GET') ? [...methods, 'HEAD'] : methods).join(', ');
    throw new EmulatorHttpError(transportError(api, 'method_not_allowed').answer, { allow });
  }
  return runRoute(route, exchange, context);
}
