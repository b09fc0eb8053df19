/** A JSON object as the page reads answers: any value may be at any key. */
export type Json = Readonly<Record<string, unknown>>;

/** Whether a value is a JSON object (not an array, not null). */
export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a key of an object, `undefined` for anything else. */
export function get(value: unknown, key: string): unknown {
  return isObject(value) ? value[key] : undefined;
}

/** The string at a key, or `undefined`. */
export function text(value: unknown, key: string): string | undefined {
  const found = get(value, key);
  return typeof found === 'string' ? found : undefined;
}

/** The number at a key, or `undefined`. */
export function count(value: unknown, key: string): number | undefined {
  const found = get(value, key);
  return typeof found === 'number' ? found : undefined;
}

/** The objects of the array at a key (anything else in it left out). */
export function objects(value: unknown, key: string): Json[] {
  const found = get(value, key);
  return Array.isArray(found) ? found.filter(isObject) : [];
}

/** JSON text, or the reason the text is not JSON. */
export function parseJson(
  source: string,
): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string } {
  try {
    return { ok: true, value: JSON.parse(source) };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
