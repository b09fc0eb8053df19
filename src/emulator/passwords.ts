/** A password as the emulator keeps it: never the text, only a salted PBKDF2-SHA-256 hash. */
export interface PasswordHash {
  readonly salt: Uint8Array;
  readonly hash: Uint8Array;
  readonly iterations: number;
}

const HASH_BITS = 256;
const SALT_BYTES = 16;

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, HASH_BITS);
  return new Uint8Array(bits);
}

/** Hashes a password with a fresh random salt (WebCrypto PBKDF2, so it runs in browsers too). */
export async function hashPassword(password: string, iterations: number): Promise<PasswordHash> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  return { salt, hash: await derive(password, salt, iterations), iterations };
}

/** Whether two byte strings are equal, in time that depends on their lengths only, never on their contents. */
export function sameBytes(left: Uint8Array, right: Uint8Array): boolean {
  const length = Math.max(left.length, right.length);
  const a = new Uint8Array(length);
  const b = new Uint8Array(length);
  a.set(left);
  b.set(right);
  const viewA = new DataView(a.buffer);
  const viewB = new DataView(b.buffer);
  let difference = left.length ^ right.length;
  for (let index = 0; index < length; index++) difference |= viewA.getUint8(index) ^ viewB.getUint8(index);
  return difference === 0;
}

/** Whether `password` matches the stored hash; compares in constant time. */
export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  return sameBytes(await derive(password, new Uint8Array(stored.salt), stored.iterations), stored.hash);
}
