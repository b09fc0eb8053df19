import { jsonResponse } from './errors.js';
import { deleteUser, getUser, listUsers, postUser, updateUser, usersByEmail } from './management.js';
import { token } from './oauth.js';
import type { Route, RouteMatch } from './pipeline.js';
import { signup } from './signup.js';

/** The endpoints, in the order they are documented. */
const TABLE: readonly Route[] = [
  { method: 'POST', path: '/oauth/token', api: 'oauth', handler: token },
  {
    method: 'GET',
    path: '/.well-known/jwks.json',
    api: 'management',
    handler: async (info) => jsonResponse(await info.context.tokens.jwks(), 200),
  },
  { method: 'POST', path: '/dbconnections/signup', api: 'authentication', handler: signup },
  { method: 'GET', path: '/api/v2/users', api: 'management', action: 'list', handler: listUsers },
  { method: 'POST', path: '/api/v2/users', api: 'management', action: 'create', handler: postUser },
  { method: 'GET', path: '/api/v2/users-by-email', api: 'management', action: 'list', handler: usersByEmail },
  { method: 'GET', path: '/api/v2/users/{id}', api: 'management', action: 'get', handler: getUser },
  { method: 'PATCH', path: '/api/v2/users/{id}', api: 'management', action: 'update', handler: updateUser },
  { method: 'DELETE', path: '/api/v2/users/{id}', api: 'management', action: 'delete', handler: deleteUser },
];

/** Every endpoint of the emulator, built once: a table of values, read by every request. */
export const ROUTES: readonly Route[] = /* @__PURE__ */ Object.freeze(TABLE.map((route) => Object.freeze(route)));

/** The routes of one path, and the API whose envelope answers it (that of its first route). */
interface PathRoutes {
  readonly routes: Route[];
  readonly api: Route['api'];
}

/** The routes of each exact path, and of each path with an `{id}`, with its pattern: computed once. */
const EXACT = new Map<string, PathRoutes>();
const TEMPLATED: (PathRoutes & { readonly path: string; readonly pattern: RegExp })[] = [];
for (const route of ROUTES) {
  if (route.path.includes('{id}')) {
    const known = TEMPLATED.find((entry) => entry.path === route.path);
    const pattern = new RegExp(`^${route.path.replace('{id}', '([^/]+)')}$`);
    if (known === undefined) TEMPLATED.push({ path: route.path, pattern, routes: [route], api: route.api });
    else known.routes.push(route);
  } else {
    const known = EXACT.get(route.path);
    if (known === undefined) EXACT.set(route.path, { routes: [route], api: route.api });
    else known.routes.push(route);
  }
}

/**
 * Looks a path up once: its routes (a trailing `/` after `/api/v2/users` is the same path), its
 * `{id}` segment, and the API whose envelope answers it, even when no route has the path.
 */
export function matchRoute(path: string): RouteMatch {
  const exactPath = path === '/api/v2/users/' ? '/api/v2/users' : path;
  const exact = EXACT.get(exactPath);
  if (exact !== undefined) return { routes: exact.routes, template: exactPath, segment: '', api: exact.api };
  for (const { path: template, pattern, routes, api } of TEMPLATED) {
    const segment = pattern.exec(path)?.[1];
    if (segment !== undefined) return { routes, template, segment, api };
  }
  return {
    routes: [],
    template: path,
    segment: '',
    api: path.startsWith('/dbconnections/') ? 'authentication' : 'management',
  };
}
