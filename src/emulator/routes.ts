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

/**
 * Looks a path up once: its routes (a trailing `/` after `/api/v2/users` is the same path), its
 * `{id}` segment, and the API whose envelope answers it, even when no route has the path.
 */
export function matchRoute(path: string): RouteMatch {
  const exactPath = path === '/api/v2/users/' ? '/api/v2/users' : path;
  const exact = EXACT.get(exactPath);
  if (exact !== undefined)
    return { routes: exact, template: exactPath, segment: '', api: exact[0]?.api ?? 'management' };
  for (const { path: template, pattern, routes } of TEMPLATED) {
    const segment = pattern.exec(path)?.[1];
    if (segment !== undefined) return { routes, template, segment, api: routes[0]?.api ?? 'management' };
  }
  return {
    routes: [],
    template: path,
    segment: '',
    api: path.startsWith('/dbconnections/') ? 'authentication' : 'management',
  };
}
