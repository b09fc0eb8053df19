import { describe, expect, test } from 'vitest';
import { minimalUser } from '../helpers.js';
import { type CliRun, runCliOn } from './helpers.js';

const USERS = JSON.stringify([
  minimalUser({ email: 'jane@example.com', app_metadata: { plan: 'gold' } }),
  minimalUser({ user_id: 'auth0|2', email: 'bob@example.com', app_metadata: { plan: 'free' } }),
]);

/** The CLI over the two users above, or over `files`. */
function cli(
  argv: readonly string[],
  files: Readonly<Record<string, string>> = { 'users.json': USERS },
): Promise<CliRun> {
  return runCliOn(argv, files);
}

describe('auth0-metadata search', () => {
  test('prints the users GET /api/v2/users?q= would answer', async () => {
    const run = await cli(['search', '--users', 'users.json', '--q', 'app_metadata.plan:"gold"', '--fields', 'email']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toStrictEqual([{ email: 'jane@example.com' }]);
  });

  test('sort, paging and totals; {"users": [...]} files are read too', async () => {
    const run = await cli(
      [
        'search',
        '--users',
        'page.json',
        '--sort',
        'email:1',
        '--per-page',
        '1',
        '--include-totals',
        '--fields',
        'email',
      ],
      { 'page.json': JSON.stringify({ users: JSON.parse(USERS) }) },
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toStrictEqual({
      start: 0,
      limit: 1,
      length: 1,
      users: [{ email: 'bob@example.com' }],
      total: 2,
    });
  });

  test('a refused query prints Auth0’s error body and exits 1', async () => {
    const run = await cli(['search', '--users', 'users.json', '--q', 'app_metadata.plan:"gold']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.out)).toMatchObject({ statusCode: 400, errorCode: 'invalid_query_string' });
    expect(run.err).toContain('error: Auth0 would answer 400');
  });

  test('bad usage exits 2; --help exits 0', async () => {
    expect((await cli(['search'])).code).toBe(2);
    expect((await cli(['search', '--users', 'users.json', '--nope'])).code).toBe(2);
    const help = await cli(['search', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('auth0-metadata search --users <users.json>');
  });

  test('an unreadable or wrongly shaped file exits 1 with a reason', async () => {
    expect((await cli(['search', '--users', 'missing.json'])).err).toContain('cannot read missing.json');
    const shaped = await cli(['search', '--users', 'users.json'], { 'users.json': '[1]' });
    expect(shaped.code).toBe(1);
    expect(shaped.err).toContain('must hold a JSON array of user objects');
    expect((await cli(['search', '--users', 'users.json'], { 'users.json': '{}' })).code).toBe(1);
  });
});
