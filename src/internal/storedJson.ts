/**
 * How many stored users keep their JSON text: the most recently serialised ones. A bound, so that
 * serving every user of a large tenant once does not double its memory (a text costs about its
 * JSON size, beside the object).
 */
const KEPT_TEXTS = 1024;

/**
 * The JSON text of each kept user, by identity (a user replaced by a write is a new object), oldest
 * first: the first entry is the one a new text replaces when the map is full.
 */
const texts = new Map<object, string>();

/**
 * The JSON text of a stored user, serialised once per stored version instead of once per request.
 * Only for the users the core builds, which it freezes deeply: such a user never changes, so its
 * text never goes stale. Anything not frozen is serialised each time.
 */
export function storedJson(user: object): string {
  const known = texts.get(user);
  if (known !== undefined) return known;
  const text = JSON.stringify(user);
  if (!Object.isFrozen(user)) return text;
  if (texts.size >= KEPT_TEXTS) {
    // The oldest: the first key of the map.
    for (const evicted of texts.keys()) {
      texts.delete(evicted);
      break;
    }
  }
  texts.set(user, text);
  return text;
}

/**
 * Lets go of the text of a user that is no longer stored (replaced by a write, or deleted): it will
 * not be served again, and holding it until 1,024 newer texts push it out would keep it, and the
 * user, alive through garbage collections (under a stream of writes, that is most of the texts).
 */
export function forgetStoredJson(user: object): void {
  texts.delete(user);
}
