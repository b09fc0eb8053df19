import type { Warning } from '../issues.js';
import type { CreateUserOptions, User, UserPatch } from '../types.js';
import type { EmulatorRequest, RequestUrl } from './http.js';
import { isLoopbackHostname, LOOPBACK_ALIASES } from './loopback.js';
import type { PasswordHash } from './passwords.js';
import type { UserStore } from './store.js';
import type { TokenAuthority } from './tokens.js';

/** Everything a route needs, shared by the routes of one emulator (and by nothing else). */
export interface Context {
  /** The tenant domain: `iss` is `https://<domain>/`, the audience `https://<domain>/api/v2/`. */
  readonly domain: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Scopes a client-credentials token may carry. */
  readonly clientScopes: readonly string[];
  readonly tokenLifetime: number;
  readonly maxBodyBytes: number;
  /** `now` and `generateId`, handed to the core's write functions. */
  readonly write: CreateUserOptions;
  readonly now: () => Date;
  readonly tokens: TokenAuthority;
  readonly store: UserStore;
  /** The users `GET /api/v2/users` searches: the store as the search index sees it (late under a search lag). */
  readonly searchable: () => readonly User[];
  readonly hashPassword: (password: string) => Promise<PasswordHash>;
  /**
   * A hash of no one's password, made once: a login for a user that does not exist (or has no
   * password) is checked against it, so it costs the same PBKDF2 work as a wrong password and its
   * answer time does not tell whether the user exists.
   */
  readonly decoyHash: () => Promise<PasswordHash>;
  readonly warn: (warnings: readonly Warning[], request: EmulatorRequest) => void;
  /** Told of each successful PATCH (the `onDroppedData` option listens here; without it, this does nothing). */
  readonly patched: (before: User, patch: UserPatch, request: EmulatorRequest) => void;
}

/** How many origins an emulator remembers the audiences of. */
const REMEMBERED_ORIGINS = 64;

/** The audiences of each origin, per emulator: worked out once per origin, not once per request. */
const audiencesByOrigin = new WeakMap<Context, Map<string, readonly string[]>>();

/**
 * The Management API audiences a request may use: the tenant's, the one of the origin it reached
 * and, when that origin is a loopback name, the one of every loopback alias of the same port (a
 * token minted through `http://127.0.0.1:4000` is good through `http://localhost:4000`).
 */
export function audiencesFor(context: Context, url: RequestUrl): readonly string[] {
  let known = audiencesByOrigin.get(context);
  if (known === undefined) {
    known = new Map();
    audiencesByOrigin.set(context, known);
  }
  const origin = url.origin;
  const remembered = known.get(origin);
  if (remembered !== undefined) return remembered;
  const tenant = `https://${context.domain}/api/v2/`;
  const origins = [origin];
  if (isLoopbackHostname(url.hostname)) {
    const port = url.port === '' ? '' : `:${url.port}`;
    origins.push(...LOOPBACK_ALIASES.map((alias) => `${url.protocol}//${alias}${port}`));
  }
  const audiences = Object.freeze([...new Set([tenant, ...origins.map((each) => `${each}/api/v2/`)])]);
  // An opaque origin (`null`, a scheme that is not http) names no host: not a key.
  if (origin === 'null') return audiences;
  if (known.size >= REMEMBERED_ORIGINS) known.clear();
  known.set(origin, audiences);
  return audiences;
}
