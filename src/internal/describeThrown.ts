/**
 * A printable reason for anything thrown. A thrown value can itself be hostile (a revoked Proxy
 * makes `instanceof` throw, a null-prototype object makes `String()` throw): this never throws.
 */
export function describeThrown(error: unknown): string {
  try {
    if (error instanceof Error) return error.message;
    return String(error);
  } catch {
    return 'an unprintable value was thrown';
  }
}
