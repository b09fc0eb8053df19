import { describeThrown } from '../internal/describeThrown.js';
import type { PasswordHash } from './passwords.js';

/** The ES256 private key that signs an emulator's tokens, as a JWK (RFC 7517, RFC 7518 §6.2). */
export interface SigningKey {
  readonly kty: 'EC';
  readonly crv: 'P-256';
  readonly x: string;
  readonly y: string;
  /** The private part: whoever holds it can sign tokens this emulator accepts. */
  readonly d: string;
}

/** A password as kept with the data: PBKDF2-SHA-256, salt and hash in base64url. Never the password. */
export interface StoredPasswordHash {
  readonly salt: string;
  readonly hash: string;
  readonly iterations: number;
}

/**
 * What keeps a tenant the same tenant across restarts besides its users: the key that signs its
 * tokens (a token issued before a restart verifies after it) and the hash of each user's password
 * (a user logs in with the same password), by user id.
 */
export interface EmulatorIdentity {
  readonly signingKey: SigningKey;
  readonly passwords: Readonly<Record<string, StoredPasswordHash>>;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return Uint8Array.from(binary, (character) => character.charCodeAt(0));
}

/** Encodings already made, by hash: a save writes every user's hash, most of them unchanged since the last. */
const encoded = new WeakMap<PasswordHash, StoredPasswordHash>();

/** A password hash as JSON. */
export function storedPasswordHash(hash: PasswordHash): StoredPasswordHash {
  const known = encoded.get(hash);
  if (known !== undefined) return known;
  const stored = Object.freeze({
    salt: toBase64Url(hash.salt),
    hash: toBase64Url(hash.hash),
    iterations: hash.iterations,
  });
  encoded.set(hash, stored);
  return stored;
}

/** A password hash read back from JSON (checked by {@link readIdentity}). */
export function passwordHashOf(stored: StoredPasswordHash): PasswordHash {
  const hash = { salt: fromBase64Url(stored.salt), hash: fromBase64Url(stored.hash), iterations: stored.iterations };
  encoded.set(hash, stored);
  return hash;
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? Object.getOwnPropertyDescriptor(value, name)?.value : undefined;
}

function text(value: unknown, name: string): string {
  const read = field(value, name);
  if (typeof read !== 'string' || !BASE64URL.test(read)) throw new TypeError(`${name} must be a base64url string`);
  return read;
}

/** A signing key read from a JWK, or a `TypeError` saying what is wrong. */
export function readSigningKey(value: unknown): SigningKey {
  if (field(value, 'kty') !== 'EC' || field(value, 'crv') !== 'P-256') {
    throw new TypeError('signingKey must be an EC P-256 JWK (kty "EC", crv "P-256")');
  }
  return Object.freeze({
    kty: 'EC',
    crv: 'P-256',
    x: text(value, 'x'),
    y: text(value, 'y'),
    d: text(value, 'd'),
  });
}

/** A password hash read from JSON, or a `TypeError` saying what is wrong. */
export function readPasswordHash(value: unknown): StoredPasswordHash {
  const iterations = field(value, 'iterations');
  if (typeof iterations !== 'number' || !Number.isSafeInteger(iterations) || iterations < 1) {
    throw new TypeError('iterations must be a positive integer');
  }
  return Object.freeze({ salt: text(value, 'salt'), hash: text(value, 'hash'), iterations });
}

/**
 * Reads an identity from JSON (a data file, or `createEmulator`'s `identity` option): a copy with
 * only the fields it knows, or a `TypeError` naming the first field that is wrong. User ids are
 * data: `__proto__` is an id like any other.
 */
export function readIdentity(value: unknown): EmulatorIdentity {
  try {
    const signingKey = readSigningKey(field(value, 'signingKey'));
    const passwords = field(value, 'passwords');
    if (typeof passwords !== 'object' || passwords === null || Array.isArray(passwords)) {
      throw new TypeError('passwords must be an object of password hashes by user id');
    }
    const read: Record<string, StoredPasswordHash> = Object.create(null);
    for (const userId of Object.keys(passwords)) {
      try {
        read[userId] = readPasswordHash(field(passwords, userId));
      } catch (error) {
        throw new TypeError(`passwords[${JSON.stringify(userId)}]: ${describeThrown(error)}`);
      }
    }
    return Object.freeze({ signingKey, passwords: Object.freeze(read) });
  } catch (error) {
    throw new TypeError(`identity: ${describeThrown(error)}`);
  }
}
