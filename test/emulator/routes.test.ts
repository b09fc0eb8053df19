import { describe, expect, test } from 'vitest';
import { matchRoute, ROUTES } from '../../src/emulator/routes.js';

describe('the routes table', () => {
  test('is one frozen table of values: method, path, API, handler', () => {
    expect(Object.isFrozen(ROUTES)).toBe(true);
    expect(ROUTES.every((route) => Object.isFrozen(route))).toBe(true);
    expect(ROUTES.map((route) => `${route.method} ${route.path}`)).toStrictEqual([
      'POST /oauth/token',
      'GET /.well-known/jwks.json',
      'POST /dbconnections/signup',
      'GET /api/v2/users',
      'POST /api/v2/users',
      'GET /api/v2/users-by-email',
      'GET /api/v2/users/{id}',
      'PATCH /api/v2/users/{id}',
      'DELETE /api/v2/users/{id}',
    ]);
  });

  test('is looked up, never rebuilt: two requests get the same route values', () => {
    const first = matchRoute('/api/v2/users/auth0%7C1');
    const second = matchRoute('/api/v2/users/auth0%7C2');
    expect(first.routes).toBe(second.routes);
    expect(first.routes.map((route) => route.method)).toStrictEqual(['GET', 'PATCH', 'DELETE']);
    expect([first.segment, second.segment, first.template]).toStrictEqual([
      'auth0%7C1',
      'auth0%7C2',
      '/api/v2/users/{id}',
    ]);
    expect(matchRoute('/api/v2/users/').routes).toBe(matchRoute('/api/v2/users').routes);
    expect(matchRoute('/api/v2/users/a/b').routes).toStrictEqual([]);
  });

  test('one lookup also names the API whose error envelope a path answers with', () => {
    const apiOf = (path: string): string => matchRoute(path).api;
    expect([apiOf('/oauth/token'), apiOf('/dbconnections/other'), apiOf('/nowhere')]).toStrictEqual([
      'oauth',
      'authentication',
      'management',
    ]);
  });
});
