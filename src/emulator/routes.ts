import type { Context } from './context.js';
import { type Api, jsonResponse } from './errors.js';
import type { EmulatorRequest, EmulatorResponse } from './http.js';
import { decodeUserId, deleteUser, getUser, listUsers, patchUser, postUser, usersByEmail } from './management.js';
import { token } from './oauth.js';
import { signup } from './signup.js';

/** Everything a route's handler gets: one value, so every handler has the same signature. */
export interface RouteInfo {
  readonly request: EmulatorRequest;
  readonly url: URL;
  readonly context: Context;
  /** The `{id}` of the path, decoded; a bad percent-encoding is Auth0's 400 `invalid_uri`. */
  readonly userId: () => string;
}

/** One endpoint: a method on a path (`{id}` stands for one path segment), the API whose errors it answers with, its handler. */
export interface Route {
  readonly method: string;
  readonly path: string;
  readonly api: Api;
  readonly handler: (info: RouteInfo) => Promise<EmulatorResponse>;
}

/** The endpoints, in the order they are documented. */
const TABLE: readonly Route[] = [
  {
    method: 'POST',
    path: '/oauth/token',
    api: 'oauth',
    handler: (info) => token(info.request, info.url, info.context),
  },
  {
    method: 'GET',
    path: '/.well-known/jwks.json',
    api: 'management',
    handler: async (info) => jsonResponse(await info.context.tokens.jwks(), 200),
  },
  {
    method: 'POST',
    path: '/dbconnections/signup',
    api: 'authentication',
    handler: (info) => signup(info.request, info.context),
  },
  {
    method: 'GET',
    path: '/api/v2/users',
    api: 'management',
    handler: (info) => listUsers(info.request, info.url, info.context),
  },
  {
    method: 'POST',
    path: '/api/v2/users',
    api: 'management',
    handler: (info) => postUser(info.request, info.url, info.context),
  },
  {
    method: 'GET',
    path: '/api/v2/users-by-email',
    api: 'management',
    handler: (info) => usersByEmail(info.request, info.url, info.context),
  },
  {
    method: 'GET',
    path: '/api/v2/users/{id}',
    api: 'management',
    handler: (info) => getUser(info.request, info.url, info.context, info.userId()),
  },
  {
    method: 'PATCH',
    path: '/api/v2/users/{id}',
    api: 'management',
    handler: (info) => patchUser(info.request, info.url, info.context, info.userId()),
  },
  {
    method: 'DELETE',
    path: '/api/v2/users/{id}',
    api: 'management',
    handler: (info) => deleteUser(info.request, info.url, info.context, info.userId()),
  },
];

/** Every endpoint of the emulator, built once: a table of values, read by every request. */
export const ROUTES: readonly Route[] = /* @__PURE__ */ Object.freeze(TABLE.map((route) => Object.freeze(route)));

/** The routes of each exact path, and of each path with an `{id}`, with its pattern: computed once. */
const EXACT = new Map<string, Route[]>();
const TEMPLATED: { readonly path: string; readonly pattern: RegExp; readonly routes: Route[] }[] = [];
for (const route of ROUTES) {
  if (route.path.includes('{id}')) {
    const known = TEMPLATED.find((entry) => entry.path === route.path);
    const pattern = new RegExp(`^${route.path.replace('{id}', '([^/]+)')}$`);
    if (known === undefined) TEMPLATED.push({ path: route.path, pattern, routes: [route] });
    else known.routes.push(route);
  } else {
    EXACT.set(route.path, [...(EXACT.get(route.path) ?? []), route]);
  }
}

/** The routes of a path (a trailing `/` after `/api/v2/users` is the same path), and its `{id}` segment. */
export function routesOf(path: string): { readonly routes: readonly Route[]; readonly segment: string } | undefined {
  const exact = EXACT.get(path === '/api/v2/users/' ? '/api/v2/users' : path);
  if (exact !== undefined) return { routes: exact, segment: '' };
  for (const { pattern, routes } of TEMPLATED) {
    const segment = pattern.exec(path)?.[1];
    if (segment !== undefined) return { routes, segment };
  }
  return undefined;
}

/** Which of Auth0's APIs a path belongs to, and so which error envelope a 404 or a crash answers with. */
export function apiOf(path: string): Api {
  return routesOf(path)?.routes[0]?.api ?? (path.startsWith('/dbconnections/') ? 'authentication' : 'management');
}

/** The info a handler gets; the `{id}` is decoded only when the handler reads it. */
export function routeInfo(request: EmulatorRequest, url: URL, context: Context, segment: string): RouteInfo {
  return { request, url, context, userId: () => decodeUserId(segment) };
}
