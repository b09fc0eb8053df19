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

/** Whether `password` matches the stored hash; compares in constant time. */
export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const candidate = await derive(password, new Uint8Array(stored.salt), stored.iterations);
  let difference = candidate.length ^ stored.hash.length;
  for (let index = 0; index < candidate.length; index++) {
    difference |= (candidate[index] ?? 0) ^ (stored.hash[index] ?? 0);
  }
  return difference === 0;
}
