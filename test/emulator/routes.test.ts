import { describe, expect, test } from 'vitest';
import { apiOf, ROUTES, routesOf } from '../../src/emulator/routes.js';

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
    const first = routesOf('/api/v2/users/auth0%7C1');
    const second = routesOf('/api/v2/users/auth0%7C2');
    expect(first?.routes).toBe(second?.routes);
    expect(first?.routes.map((route) => route.method)).toStrictEqual(['GET', 'PATCH', 'DELETE']);
    expect([first?.segment, second?.segment]).toStrictEqual(['auth0%7C1', 'auth0%7C2']);
    expect(routesOf('/api/v2/users/')?.routes).toBe(routesOf('/api/v2/users')?.routes);
    expect(routesOf('/api/v2/users/a/b')).toBeUndefined();
  });

  test('names the API whose error envelope a path answers with', () => {
    expect([apiOf('/oauth/token'), apiOf('/dbconnections/other'), apiOf('/nowhere')]).toStrictEqual([
      'oauth',
      'authentication',
      'management',
    ]);
  });
});
