import {
  type CryptoKey,
  calculateJwkThumbprint,
  errors,
  exportJWK,
  generateKeyPair,
  type JWK,
  jwtVerify,
  SignJWT,
} from 'jose';
import type { TokenGrant } from '../authorizeUserRequest.js';
import { readSigningKey, type SigningKey } from './identity.js';

/** The signing algorithm of every token: ECDSA P-256, small and fast to generate. */
const ALGORITHM = 'ES256';

interface KeySet {
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly jwk: JWK;
  /** The key id: the JWK thumbprint of the public key. */
  readonly kid: string;
}

/** What an access token says. */
export interface TokenClaims {
  /** `<client_id>@clients` for a machine, the user id for a user. */
  readonly subject: string;
  readonly scopes: readonly string[];
  readonly audience: string;
  /** The client the token was issued to. */
  readonly clientId: string;
  /** `client-credentials` or `password`. */
  readonly grantType: string;
}

/** The outcome of checking a bearer token. */
export type Verification =
  | { readonly ok: true; readonly grant: TokenGrant }
  | { readonly ok: false; readonly message: string };

/** Signs and verifies the emulator's access tokens with one key pair, generated on first use. */
export interface TokenAuthority {
  sign(claims: TokenClaims): Promise<string>;
  verify(token: string, audiences: readonly string[]): Promise<Verification>;
  jwks(): Promise<{ readonly keys: readonly JWK[] }>;
  /** The private signing key as a JWK, to start another authority that verifies the same tokens. */
  exportKey(): Promise<SigningKey>;
}

/** Options of {@link createTokenAuthority}. */
export interface TokenAuthorityOptions {
  /** The `iss` claim: `https://<domain>/`. */
  readonly issuer: string;
  /** Lifetime of a token, in seconds. */
  readonly lifetime: number;
  readonly now: () => Date;
  /** The ES256 private key as a JWK (`kty: 'EC'`, `crv: 'P-256'`, `d`, `x`, `y`). Default: a new key pair. */
  readonly key?: SigningKey;
}

/** How many verified tokens an emulator remembers. */
const VERIFIED_TOKENS = 1024;

/** The message Auth0 gives for an expired token. */
const EXPIRED = 'Expired token received for JSON Web Token validation';

/** The key pair of a private JWK, or a new one; extractable, so that it can be kept with the data. */
async function keyPair(
  key: SigningKey | undefined,
): Promise<{ readonly privateKey: CryptoKey; readonly publicKey: CryptoKey }> {
  if (key === undefined) return generateKeyPair(ALGORITHM, { extractable: true });
  const { kty, crv, x, y } = key;
  // The same import as jose's for an ES256 JWK, through WebCrypto, which answers key objects only.
  const curve = { name: 'ECDSA', namedCurve: 'P-256' };
  const [privateKey, publicKey] = await Promise.all([
    crypto.subtle.importKey('jwk', { kty, crv, x, y, d: key.d }, curve, true, ['sign']),
    crypto.subtle.importKey('jwk', { kty, crv, x, y }, curve, true, ['verify']),
  ]);
  return { privateKey, publicKey };
}

/** Creates the token authority of one emulator: its own key pair (or `options.key`), never shared with another. */
export function createTokenAuthority(options: TokenAuthorityOptions): TokenAuthority {
  let keys: Promise<KeySet> | undefined;
  let exported: Promise<SigningKey> | undefined;
  const load = (): Promise<KeySet> => {
    keys ??= (async () => {
      const pair = await keyPair(options.key);
      const exported = await exportJWK(pair.publicKey);
      const kid = await calculateJwkThumbprint(exported);
      return { ...pair, kid, jwk: { ...exported, kid, alg: ALGORITHM, use: 'sig' } };
    })();
    return keys;
  };
  const seconds = (): number => Math.floor(options.now().getTime() / 1000);
  // Tokens that verified, by token and accepted audiences, until they expire. A signature check is
  // an asynchronous WebCrypto call that dominated the cost of a request; a client sends the same
  // token again and again. Bounded, oldest first out.
  const verified = new Map<string, { readonly grant: TokenGrant; readonly expires: number }>();

  return {
    async sign(claims) {
      const { privateKey, kid } = await load();
      const issuedAt = seconds();
      return new SignJWT({
        scope: claims.scopes.join(' '),
        azp: claims.clientId,
        gty: claims.grantType,
      })
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT', kid })
        .setIssuer(options.issuer)
        .setSubject(claims.subject)
        .setAudience(claims.audience)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + options.lifetime)
        .sign(privateKey);
    },

    async verify(token, audiences) {
      const key = `${token} ${audiences.join(' ')}`;
      const known = verified.get(key);
      if (known !== undefined && seconds() < known.expires) return { ok: true, grant: known.grant };
      const { publicKey } = await load();
      // Read outside the try: a broken clock is the emulator's failure (a 500), not a bad token.
      const currentDate = options.now();
      try {
        const { payload } = await jwtVerify(token, publicKey, {
          algorithms: [ALGORITHM],
          issuer: options.issuer,
          audience: [...audiences],
          currentDate,
          requiredClaims: ['sub', 'exp', 'scope'],
        });
        // Every token this authority signs has both claims (and a token it did not sign fails above).
        const grant = { scopes: String(payload.scope).split(' ').filter(Boolean), subject: String(payload.sub) };
        if (verified.size >= VERIFIED_TOKENS) verified.delete(verified.keys().next().value ?? '');
        verified.set(key, { grant, expires: Number(payload.exp) });
        return { ok: true, grant };
      } catch (error) {
        if (error instanceof errors.JWTExpired) return { ok: false, message: EXPIRED };
        // Signed by this emulator, then, but for another audience: the one claim a caller can get wrong.
        if (error instanceof errors.JWTClaimValidationFailed) return { ok: false, message: 'Bad audience' };
        return { ok: false, message: 'Invalid token' };
      }
    },

    async jwks() {
      const { jwk } = await load();
      return { keys: [jwk] };
    },

    exportKey() {
      exported ??= load().then(async ({ privateKey }) => readSigningKey(await exportJWK(privateKey)));
      return exported;
    },
  };
}
