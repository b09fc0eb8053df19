import { type Answer, auth0Error } from './api.js';
import { h } from './dom.js';

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
