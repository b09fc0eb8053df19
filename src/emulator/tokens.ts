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
  /**
   * Checks a bearer token for one of `audiences`. A token that verified before answers at once (no
   * promise) until it expires; a new one is checked against the signature, as a promise.
   */
  verify(token: string, audiences: readonly string[]): Verification | Promise<Verification>;
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
  // Tokens that verified, by the token's text, until they expire: a signature check is an
  // asynchronous WebCrypto call that dominated the cost of a request, and a client sends the same
  // token again and again. Each keeps its own grant (frozen) and the audiences its `aud` names; a hit
  // is good only for a request that accepts one of them, so the cache never grants a token more than
  // the check of its signature would. Bounded, oldest first out.
  const verified = new Map<string, VerifiedToken>();

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

    verify(token, audiences) {
      const known = verified.get(token);
      if (
        known !== undefined &&
        seconds() < known.expires &&
        known.audiences.some((name) => audiences.includes(name))
      ) {
        return known.verification;
      }
      return check(token, audiences);
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

  /** The full check of a token: its signature, issuer, audience, expiry; remembered when it passes. */
  async function check(token: string, audiences: readonly string[]): Promise<Verification> {
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
      const grant: TokenGrant = Object.freeze({
        scopes: Object.freeze(String(payload.scope).split(' ').filter(Boolean)),
        subject: String(payload.sub),
      });
      const verification: Verification = Object.freeze({ ok: true, grant });
      if (verified.size >= VERIFIED_TOKENS) verified.delete(verified.keys().next().value ?? '');
      verified.set(token, {
        verification,
        expires: Number(payload.exp),
        // The one audience this authority signs into `aud`; a token of several is never remembered.
        audiences: audiences.filter((name) => name === payload.aud),
      });
      return verification;
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { ok: false, message: EXPIRED };
      // Signed by this emulator, then, but for another audience: the one claim a caller can get wrong.
      if (error instanceof errors.JWTClaimValidationFailed) return { ok: false, message: 'Bad audience' };
      return { ok: false, message: 'Invalid token' };
    }
  }
}

/** A token that verified: its answer, its `exp` and the audiences of its `aud` it was checked for. */
interface VerifiedToken {
  readonly verification: Verification;
  readonly expires: number;
  readonly audiences: readonly string[];
}
