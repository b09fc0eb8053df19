import { checkLogin, findLoginUser, passwordGrantScopes, recordLogin } from '../recordLogin.js';
import { readParams } from './body.js';
import { audiencesFor, type Context } from './context.js';
import { bodyError, jsonResponse, tokenError } from './errors.js';
import type { EmulatorRequest, EmulatorResponse, RequestUrl } from './http.js';
import { sameBytes, verifyPassword } from './passwords.js';
import type { RouteInfo } from './pipeline.js';

/** The password grant of Auth0's Resource Owner Password flow with a connection (`realm`). */
export const PASSWORD_REALM_GRANT = 'http://auth0.com/oauth/grant-type/password-realm';

/** Compares two secrets in time that does not depend on where they differ. */
function sameSecret(left: string, right: string): boolean {
  const encoder = new TextEncoder();
  return sameBytes(encoder.encode(left), encoder.encode(right));
}

interface ClientCredentials {
  readonly id: string | undefined;
  readonly secret: string | undefined;
}

/** `client_id`/`client_secret` from the body, or from HTTP Basic authentication (`client_secret_basic`). */
function clientCredentials(request: EmulatorRequest, params: ReadonlyMap<string, string>): ClientCredentials {
  const header = request.headers.get('authorization');
  const basic = header === null ? null : /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(header);
  if (basic?.[1] !== undefined) {
    try {
      const decoded = atob(basic[1]);
      const colon = decoded.indexOf(':');
      if (colon !== -1) {
        return {
          id: decodeURIComponent(decoded.slice(0, colon)),
          secret: decodeURIComponent(decoded.slice(colon + 1)),
        };
      }
    } catch {
      // Not base64, or not percent-encoded: refused below like any wrong credentials.
    }
    throw tokenError('unauthorized');
  }
  return { id: params.get('client_id'), secret: params.get('client_secret') };
}

function requireParameter(params: ReadonlyMap<string, string>, name: string): string {
  const value = params.get(name);
  if (value === undefined || value === '') {
    throw tokenError('missing_parameter', name);
  }
  return value;
}

function requestedScopes(params: ReadonlyMap<string, string>): readonly string[] | undefined {
  const scopes = (params.get('scope') ?? '').split(' ').filter(Boolean);
  return scopes.length === 0 ? undefined : scopes;
}

function checkAudience(params: ReadonlyMap<string, string>, context: Context, url: RequestUrl): string {
  const audience = params.get('audience');
  if (audience === undefined || audience === '') {
    throw tokenError('no_audience');
  }
  if (!audiencesFor(context, url).includes(audience)) {
    throw tokenError('unknown_audience', audience);
  }
  return audience;
}

async function tokenResponse(
  context: Context,
  claims: Parameters<Context['tokens']['sign']>[0],
): Promise<EmulatorResponse> {
  const accessToken = await context.tokens.sign(claims);
  return jsonResponse(
    {
      access_token: accessToken,
      scope: claims.scopes.join(' '),
      expires_in: context.tokenLifetime,
      token_type: 'Bearer',
    },
    200,
    { 'cache-control': 'no-store', pragma: 'no-cache' },
  );
}

async function clientCredentialsGrant(
  params: ReadonlyMap<string, string>,
  client: ClientCredentials,
  context: Context,
  url: RequestUrl,
): Promise<EmulatorResponse> {
  if (client.secret === undefined || !sameSecret(client.secret, context.clientSecret)) throw tokenError('unauthorized');
  const audience = checkAudience(params, context, url);
  const requested = requestedScopes(params);
  const refused = (requested ?? []).filter((scope) => !context.clientScopes.includes(scope));
  if (refused.length > 0) {
    throw tokenError('scopes_not_granted', refused.join(', '));
  }
  return tokenResponse(context, {
    subject: `${context.clientId}@clients`,
    scopes: requested ?? context.clientScopes,
    audience,
    clientId: context.clientId,
    grantType: 'client-credentials',
  });
}

/**
 * The address a login came from: the one the server saw, an IPv4-mapped IPv6 address written as
 * IPv4 (`::ffff:127.0.0.1` is `127.0.0.1`); `127.0.0.1` for a request made in-process (no socket:
 * our decision, the caller is this machine).
 */
function clientAddress(request: EmulatorRequest): string {
  const address = request.remoteAddress;
  if (typeof address !== 'string' || address === '') return '127.0.0.1';
  return address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
}

async function passwordGrant(
  request: EmulatorRequest,
  params: ReadonlyMap<string, string>,
  client: ClientCredentials,
  context: Context,
  url: RequestUrl,
  realmGrant: boolean,
): Promise<EmulatorResponse> {
  if (client.secret !== undefined && !sameSecret(client.secret, context.clientSecret)) throw tokenError('unauthorized');
  const username = requireParameter(params, 'username');
  const password = requireParameter(params, 'password');
  const realm = realmGrant ? requireParameter(params, 'realm') : undefined;
  const audience = checkAudience(params, context, url);
  // The core says whom the login names (findLoginUser); the store holds that user's password.
  // The store's index names every user the login could name; the core decides among them.
  const named = findLoginUser(context.store.candidates({ email: username, username }), { username, realm });
  const candidate = named.success && named.value !== null ? context.store.get(named.value.user_id) : undefined;
  // An unknown user costs one hash check too, against a decoy: timing must not tell who exists.
  const stored = candidate?.password ?? context.decoyHash();
  const matches = await verifyPassword(password, await stored);
  if (candidate?.password === undefined || !matches) throw tokenError('wrong_credentials');
  // Read again after the awaits: the user may have been deleted or blocked meanwhile.
  const current = context.store.get(candidate.user.user_id);
  if (current === undefined) throw tokenError('wrong_credentials');
  const user = current.user;
  // Blocked users get no token (checkLogin); a user's token carries only passwordGrantScopes.
  const allowed = checkLogin(user);
  if (!allowed.success) throw tokenError('user_blocked', allowed.issues[0].message);
  // Rule 34: the login is recorded on the user (recordLogin), with no await since the read above.
  const recorded = recordLogin(user, { now: context.now, ip: clientAddress(request) });
  if (recorded.success) context.store.set({ user: recorded.value, password: current.password });
  const granted = passwordGrantScopes(requestedScopes(params) ?? []);
  const scopes = granted.success ? granted.value : [];
  return tokenResponse(context, {
    subject: user.user_id,
    scopes,
    audience,
    clientId: context.clientId,
    grantType: 'password',
  });
}

/** POST /oauth/token: the client-credentials and password grants, with OAuth error bodies. */
export async function token({ request, url, context, trace }: RouteInfo): Promise<EmulatorResponse> {
  const body = await readParams(request, context.maxBodyBytes, trace);
  if (!body.ok) throw bodyError('oauth', body.reason, context.maxBodyBytes);
  const params = body.params;
  const [notString] = body.notStrings;
  // RFC 6749 §3.3 and appendix A: every parameter is a string. Read as missing, a non-string
  // `scope` would widen the token to every scope of the client.
  if (notString !== undefined) {
    throw tokenError('not_a_string', notString);
  }
  const grantType = requireParameter(params, 'grant_type');
  const client = clientCredentials(request, params);
  if (client.id === undefined || client.id === '') {
    throw tokenError('missing_parameter', 'client_id');
  }
  if (!sameSecret(client.id, context.clientId)) throw tokenError('unauthorized');
  switch (grantType) {
    case 'client_credentials':
      return clientCredentialsGrant(params, client, context, url);
    case 'password':
      return passwordGrant(request, params, client, context, url, false);
    case PASSWORD_REALM_GRANT:
      return passwordGrant(request, params, client, context, url, true);
    default:
      throw tokenError('unsupported_grant_type', grantType);
  }
}
