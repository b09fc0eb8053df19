/**
 * How many stored users keep their JSON text: the most recently serialised ones. A bound, so that
 * serving every user of a large tenant once does not double its memory (a text costs about its
 * JSON size, beside the object).
 */
const KEPT_TEXTS = 1024;

/** The JSON text of each kept user, by identity: a user replaced by a write is a new object. */
const texts = new WeakMap<object, string>();
/** The kept users, oldest first from `oldest`: the one a new text replaces when the ring is full. */
const kept: object[] = [];
let oldest = 0;

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
  texts.set(user, text);
  if (kept.length < KEPT_TEXTS) kept.push(user);
  else {
    const evicted = kept[oldest];
    if (evicted !== undefined) texts.delete(evicted);
    kept[oldest] = user;
    oldest = (oldest + 1) % KEPT_TEXTS;
  }
  return text;
}
