/** A UTF-16 unit of a surrogate pair that has no partner: JavaScript strings may hold one, UTF-8 cannot. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The text with every lone surrogate replaced by U+FFFD, which is what encoding it as UTF-8
 * (`TextEncoder`, a JSON response) gives: `encodeURIComponent` can then never throw on it.
 */
export function toWellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/** The first `count` characters (code points) of `text`: an emoji is never cut in half. */
export function firstCharacters(text: string, count: number): string {
  let taken = '';
  let seen = 0;
  for (const character of text) {
    if (seen === count) break;
    taken += character;
    seen++;
  }
  return taken;
}
