import { parseArgs } from 'node:util';
import { searchUsers } from '../searchUsers.js';
import { usageError } from './args.js';
import type { CliIo } from './io.js';
import { isUserLike, printFailure, readJson } from './tools.js';

/** The help of `auth0-metadata search`. */
export const SEARCH_USAGE = `Usage: auth0-metadata search --users <users.json> [--q <query>] [options]

Searches users the way GET /api/v2/users (search engine v3) does, and prints the response body,
or Auth0's error body (exit 1). The users file holds a JSON array of users as GET /api/v2/users
returns them, or {"users": [...]}; - reads standard input.

Options of search:
  --users <file>          The users to search (required)
  --q <query>             Lucene query, e.g. 'app_metadata.plan:"gold" AND NOT blocked:true'
  --sort <field:1|-1>     Sort by a root field, e.g. created_at:-1
  --page <n>              0-based page (default: 0)
  --per-page <n>          Users per page, 0 to 100 (default: 50)
  --include-totals        Print {start, limit, length, users, total}
  --fields <a,b>          Fields to include (or exclude with --include-fields false)
  --include-fields <bool> true (default) or false
  --search-engine <v>     v3 (default); v1 and v2 are refused as Auth0 does
  -h, --help              Show this help`;

const SEARCH_OPTIONS = {
  users: { type: 'string' },
  q: { type: 'string' },
  sort: { type: 'string' },
  page: { type: 'string' },
  'per-page': { type: 'string' },
  'include-totals': { type: 'boolean' },
  fields: { type: 'string' },
  'include-fields': { type: 'string' },
  'search-engine': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The users of a file: an array, or the `users` of an object (`{"users": [...]}`, an include_totals body). */
function usersOf(value: unknown): readonly object[] | undefined {
  const list: readonly unknown[] | undefined = Array.isArray(value)
    ? value
    : typeof value === 'object' && value !== null && 'users' in value && Array.isArray(value.users)
      ? value.users
      : undefined;
  if (list === undefined) return undefined;
  const users: object[] = [];
  for (const entry of list) {
    if (!isUserLike(entry)) return undefined;
    users.push(entry);
  }
  return users;
}

/**
 * `auth0-metadata search --users users.json --q '...'`: prints what GET /api/v2/users would answer
 * for those users; Auth0's error body (exit code 1) for a refused query; 2 for bad usage.
 */
export async function runSearch(argv: readonly string[], io: CliIo): Promise<number> {
  let values: { readonly [Key in keyof typeof SEARCH_OPTIONS]?: string | boolean };
  try {
    ({ values } = parseArgs({ args: [...argv], options: SEARCH_OPTIONS, allowPositionals: false, strict: true }));
  } catch (error) {
    io.stderr(`error: ${usageError(error, Object.keys(SEARCH_OPTIONS))}`);
    io.stderr("Run 'auth0-metadata search --help' for usage.");
    return 2;
  }
  if (values.help === true) {
    io.stdout(SEARCH_USAGE);
    return 0;
  }
  const text = (value: string | boolean | undefined): string | undefined =>
    typeof value === 'string' ? value : undefined;
  const file = text(values.users);
  if (file === undefined) {
    io.stderr('error: search needs --users <users.json>');
    return 2;
  }
  const read = await readJson(file, io);
  if (typeof read === 'string') {
    io.stderr(`error: ${read}`);
    return 1;
  }
  const users = usersOf(read.value);
  if (users === undefined) {
    io.stderr(`error: ${file} must hold a JSON array of user objects, or {"users": [...]}`);
    return 1;
  }
  const result = searchUsers(users, {
    q: text(values.q),
    sort: text(values.sort),
    page: text(values.page),
    per_page: text(values['per-page']),
    include_totals: values['include-totals'] === true,
    fields: text(values.fields),
    include_fields: text(values['include-fields']),
    search_engine: text(values['search-engine']),
  });
  if (!result.success) {
    printFailure(result.issues, io);
    return 1;
  }
  io.stdout(JSON.stringify(result.value, null, 2));
  return 0;
}
