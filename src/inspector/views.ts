import { type Answer, auth0Error } from './api.js';
import { h } from './dom.js';

/** How the page names each kind of effect of analyzePatch, before its description. */
export const EFFECT_WORDS: Readonly<Record<string, string>> = {
  add: 'Adds',
  replace: 'Replaces',
  delete: 'Deletes',
  clear: 'Clears',
  drop: 'Loses',
};

/** An error answer as Auth0 words it: its message first, then status, error and errorCode. */
export function errorView(answer: Answer): HTMLElement {
  const error = auth0Error(answer);
  return h(
    'div',
    { class: 'error' },
    h('strong', {}, error.message),
    h(
      'span',
      { class: 'error-meta' },
      ` ${error.statusCode === 0 ? '' : error.statusCode} ${error.error}${error.errorCode === undefined ? '' : ` (${error.errorCode})`}`,
    ),
  );
}

/** A time as the page shows it: the ISO text, or the text as sent when it is not a date. */
export function clockTime(iso: string | undefined): string {
  if (iso === undefined) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().replace('T', ' ').replace('Z', ' UTC');
}

/** The time of day of an ISO time (`03:22:07.144`), in a `<time>` that holds the whole time. */
export function timeOfDay(iso: string | undefined): HTMLElement {
  const date = new Date(iso ?? '');
  if (iso === undefined || Number.isNaN(date.getTime())) return h('span', {}, iso ?? '');
  return h('time', { datetime: date.toISOString(), title: clockTime(iso) }, date.toISOString().slice(11, 23));
}
