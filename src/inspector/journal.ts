import { control } from './api.js';
import { byId, h, show } from './dom.js';
import { count, get, isObject, type Json, objects, text } from './json.js';
import { EFFECT_WORDS, errorView, timeOfDay } from './views.js';

/** The most entries the page keeps on screen, newest first. */
const MAX_SHOWN = 200;
/** How often the journal is read, in ms, while the page is visible. */
const POLL_MS = 1000;

let since: number | undefined;
const shown: Json[] = [];
let listeners: (() => void)[] = [];

/** Calls `listener` whenever new entries arrive (the page then refreshes the server's health). */
export function onJournalChange(listener: () => void): void {
  listeners = [...listeners, listener];
}

function statusClass(status: number): string {
  if (status >= 500) return 'status status-5xx';
  if (status >= 400) return 'status status-4xx';
  return 'status status-2xx';
}

function effectsOf(entry: Json): HTMLElement | null {
  const effects = objects(entry, 'effects');
  if (effects.length === 0) return null;
  return h(
    'ul',
    { class: 'effects' },
    ...effects.map((effect) =>
      h(
        'li',
        { class: `effect effect-${text(effect, 'kind') ?? 'other'}` },
        h('span', { class: 'effect-kind' }, EFFECT_WORDS[text(effect, 'kind') ?? ''] ?? ''),
        ' ',
        text(effect, 'description') ?? '',
      ),
    ),
  );
}

/** The path of an entry with its query, as it was sent. */
function target(entry: Json): string {
  const query = get(entry, 'query');
  const parameters = new URLSearchParams();
  if (isObject(query)) for (const [name, value] of Object.entries(query)) parameters.append(name, String(value));
  const search = parameters.toString();
  return `${text(entry, 'path') ?? ''}${search === '' ? '' : `?${search}`}`;
}

function row(entry: Json): HTMLElement {
  const status = count(entry, 'status') ?? 0;
  const duration = count(entry, 'durationMs');
  const errorCode = text(entry, 'errorCode');
  return h(
    'tr',
    {},
    h('td', { class: 'mono' }, timeOfDay(text(entry, 'time'))),
    h('td', { class: 'mono' }, text(entry, 'method') ?? ''),
    h('td', { class: 'mono path' }, target(entry), effectsOf(entry)),
    h(
      'td',
      {},
      h('span', { class: statusClass(status) }, String(status)),
      errorCode === undefined ? null : h('span', { class: 'mono muted' }, ` ${errorCode}`),
    ),
    h('td', { class: 'mono' }, duration === undefined ? '' : `${duration} ms`),
  );
}

function render(): void {
  show(
    byId('journal-rows', HTMLElement),
    ...(shown.length === 0
      ? [h('tr', {}, h('td', { colspan: 5, class: 'muted' }, 'No request yet.'))]
      : shown.map(row)),
  );
}

/** Forgets what is shown and reads the journal again from its start (after a reset, which may empty it). */
export function reloadJournal(): void {
  since = undefined;
  shown.length = 0;
  render();
}

async function clear(): Promise<void> {
  const answer = await control('DELETE', 'requests');
  if (answer.status === 204 || answer.status === 200) reloadJournal();
}

/** Reads the entries after the last one seen; `false` when the server has no journal. */
async function poll(): Promise<boolean> {
  const answer = await control('GET', `requests${since === undefined ? '' : `?since=${since}`}`);
  if (answer.status === 404) return false;
  if (answer.status !== 200) {
    show(byId('journal-error', HTMLDivElement), errorView(answer));
    return true;
  }
  show(byId('journal-error', HTMLDivElement));
  // The page's own control calls are not what a user looks for: only the Auth0 endpoints are shown.
  const fresh = objects(answer.body, 'requests');
  const last = fresh.at(-1);
  if (last !== undefined) since = count(last, 'id') ?? since;
  const relevant = fresh.filter((entry) => !(text(entry, 'path') ?? '').startsWith('/__emulator'));
  if (relevant.length === 0) return true;
  shown.unshift(...relevant.reverse());
  shown.length = Math.min(shown.length, MAX_SHOWN);
  render();
  for (const listener of listeners) listener();
  return true;
}

/** Builds the journal's table and keeps it live: reads new entries every second while the page is visible. */
export function setUpJournal(): void {
  show(
    byId('journal-view', HTMLDivElement),
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'button', onclick: () => void clear() }, 'Clear journal'),
      h('span', { class: 'muted' }, 'Live: newest first.'),
    ),
    h('div', { id: 'journal-error', role: 'alert' }),
    h(
      'div',
      { class: 'scroll', tabindex: 0, role: 'region', 'aria-label': 'Journal entries' },
      h(
        'table',
        { class: 'journal-table' },
        h('caption', { class: 'visually-hidden' }, 'Requests the server answered, newest first'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Time'),
            h('th', { scope: 'col' }, 'Method'),
            h('th', { scope: 'col' }, 'Path and effects'),
            h('th', { scope: 'col' }, 'Status'),
            h('th', { scope: 'col' }, 'Duration'),
          ),
        ),
        h('tbody', { id: 'journal-rows' }),
      ),
    ),
  );
  render();
  const loop = async (): Promise<void> => {
    if (!document.hidden && !(await poll())) {
      show(
        byId('journal-view', HTMLDivElement),
        h('p', { class: 'muted' }, 'This server has no journal (GET /__emulator/requests answered 404).'),
      );
      return;
    }
    setTimeout(() => void loop(), POLL_MS);
  };
  void loop();
}
