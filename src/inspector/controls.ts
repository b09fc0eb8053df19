import { type Answer, control } from './api.js';
import { byId, type Child, h, show } from './dom.js';
import { onJournalChange, reloadJournal } from './journal.js';
import { count, get, type Json, objects, text } from './json.js';
import { reloadOpenUser } from './user.js';
import { loadUsers } from './users.js';
import { clockTime, errorView } from './views.js';

let refreshHealth: () => Promise<void> = async () => {};

/** A group of controls: a heading, its controls, and a live line for what the last action answered. */
function group(id: string, title: string, ...children: readonly Child[]): HTMLElement {
  return h(
    'section',
    { class: 'group', 'aria-labelledby': `${id}-title` },
    h('h3', { id: `${id}-title` }, title),
    ...children,
    h('div', { id: `${id}-status`, class: 'group-status', role: 'status' }),
  );
}

/** Shows what an action answered in its group: Auth0-style message for an error, `done` otherwise. */
function report(id: string, answer: Answer, done: string): boolean {
  const ok = answer.status >= 200 && answer.status < 300;
  show(byId(`${id}-status`, HTMLDivElement), ok ? h('p', { class: 'success' }, done) : errorView(answer));
  return ok;
}

function labelled(id: string, label: string, input: HTMLElement): HTMLElement[] {
  return [h('label', { for: id }, label), input];
}

function numberValue(id: string): number | undefined {
  const raw = byId(id, HTMLInputElement).value.trim();
  return raw === '' ? undefined : Number(raw);
}

function resetGroup(): HTMLElement {
  return group(
    'reset',
    'Reset',
    h('p', { class: 'muted' }, 'Back to the seeded users.'),
    h(
      'button',
      {
        type: 'button',
        id: 'reset-button',
        onclick: async () => {
          const answer = await control('POST', 'reset');
          if (report('reset', answer, `Reset: ${count(answer.body, 'users') ?? 0} users.`)) {
            reloadJournal();
            await Promise.all([loadUsers(), reloadOpenUser()]);
            await refreshHealth();
          }
        },
      },
      'Reset the users',
    ),
  );
}

async function clockGroup(): Promise<HTMLElement | undefined> {
  const answer = await control('GET', 'clock');
  if (answer.status !== 200) return undefined;
  const now = h('p', { id: 'clock-now' });
  const render = (body: unknown): void => {
    const frozen = get(body, 'frozen') === true;
    show(
      now,
      'Server time: ',
      h('span', { class: 'mono' }, clockTime(text(body, 'now'))),
      frozen ? ' (frozen)' : ' (real time)',
    );
  };
  render(answer.body);
  const act = async (method: string, path: string, body: unknown, done: string): Promise<void> => {
    const result = await control(method, path, body);
    if (report('clock', result, done)) render((await control('GET', 'clock')).body);
  };
  return group(
    'clock',
    'Clock',
    now,
    h(
      'div',
      { class: 'row' },
      ...labelled(
        'clock-at',
        'Freeze at (ISO time)',
        h('input', { id: 'clock-at', value: text(answer.body, 'now') ?? '' }),
      ),
      h(
        'button',
        {
          type: 'button',
          onclick: () => void act('PUT', 'clock', { now: byId('clock-at', HTMLInputElement).value }, 'Frozen.'),
        },
        'Freeze',
      ),
      h(
        'button',
        { type: 'button', onclick: () => void act('PUT', 'clock', { now: null }, 'Back to real time.') },
        'Real time',
      ),
    ),
    h(
      'div',
      { class: 'row' },
      ...labelled(
        'clock-seconds',
        'Advance by (seconds)',
        h('input', { id: 'clock-seconds', type: 'number', value: 3600 }),
      ),
      h(
        'button',
        {
          type: 'button',
          onclick: () => void act('POST', 'clock/advance', { seconds: numberValue('clock-seconds') ?? 0 }, 'Advanced.'),
        },
        'Advance',
      ),
    ),
  );
}

function faultText(fault: Json): string {
  const parts = [text(fault, 'method') ?? 'any method', text(fault, 'path') ?? ''];
  const status = count(fault, 'status');
  if (status !== undefined) parts.push(`→ ${status}`);
  if (get(fault, 'drop') === true) parts.push('→ connection dropped');
  const delay = count(fault, 'delayMs');
  if (delay !== undefined) parts.push(`after ${delay} ms`);
  const times = count(fault, 'times');
  parts.push(times === undefined ? 'every time' : `${times} time${times === 1 ? '' : 's'}`);
  return parts.join(' ');
}

async function faultsGroup(): Promise<HTMLElement | undefined> {
  const first = await control('GET', 'faults');
  if (first.status !== 200) return undefined;
  const list = h('ul', { class: 'faults', 'aria-label': 'Active faults' });
  const render = (body: unknown): void => {
    const faults = objects(body, 'faults');
    show(
      list,
      ...(faults.length === 0
        ? [h('li', { class: 'muted' }, 'No fault.')]
        : faults.map((fault) => {
            const id = get(fault, 'id');
            return h(
              'li',
              {},
              faultText(fault),
              ' ',
              h(
                'button',
                {
                  type: 'button',
                  'aria-label': `Remove fault ${faultText(fault)}`,
                  onclick: () => void act('DELETE', `faults/${encodeURIComponent(String(id))}`, undefined, 'Removed.'),
                },
                'Remove',
              ),
            );
          })),
    );
  };
  const act = async (method: string, path: string, body: unknown, done: string): Promise<void> => {
    const result = await control(method, path, body);
    if (report('faults', result, done)) render((await control('GET', 'faults')).body);
  };
  const add = (event: Event): void => {
    event.preventDefault();
    const method = byId('fault-method', HTMLSelectElement).value;
    const fault: Record<string, unknown> = { path: byId('fault-path', HTMLInputElement).value };
    if (method !== '') fault.method = method;
    for (const [key, id] of [
      ['status', 'fault-status'],
      ['times', 'fault-times'],
      ['delayMs', 'fault-delay'],
    ] as const) {
      const value = numberValue(id);
      if (value !== undefined) fault[key] = value;
    }
    if (byId('fault-drop', HTMLInputElement).checked) fault.drop = true;
    void act('POST', 'faults', fault, 'Fault added.');
  };
  render(first.body);
  // A fault with `times` wears out as requests arrive: read the list again when the journal moves.
  onJournalChange(() => {
    void control('GET', 'faults').then((answer) => {
      if (answer.status === 200) render(answer.body);
    });
  });
  return group(
    'faults',
    'Faults',
    h(
      'form',
      { class: 'grid-form', onsubmit: add },
      ...labelled(
        'fault-method',
        'Method',
        h(
          'select',
          { id: 'fault-method' },
          h('option', { value: '' }, 'Any'),
          ...['GET', 'POST', 'PATCH', 'DELETE'].map((method) => h('option', {}, method)),
        ),
      ),
      ...labelled(
        'fault-path',
        'Path (route template or exact path)',
        h('input', { id: 'fault-path', value: '/api/v2/users/{id}', required: true }),
      ),
      ...labelled(
        'fault-status',
        'Status',
        h('input', { id: 'fault-status', type: 'number', value: 429, min: 100, max: 599 }),
      ),
      ...labelled(
        'fault-times',
        'Times (empty: every time)',
        h('input', { id: 'fault-times', type: 'number', min: 1 }),
      ),
      ...labelled('fault-delay', 'Delay (ms)', h('input', { id: 'fault-delay', type: 'number', min: 0 })),
      h('label', { class: 'choice' }, h('input', { id: 'fault-drop', type: 'checkbox' }), ' Drop the connection'),
      h('button', { type: 'submit' }, 'Add fault'),
    ),
    list,
    h(
      'button',
      { type: 'button', onclick: () => void act('DELETE', 'faults', undefined, 'Faults cleared.') },
      'Clear all faults',
    ),
  );
}

async function rateLimitGroup(): Promise<HTMLElement | undefined> {
  const answer = await control('GET', 'rate-limit');
  if (answer.status !== 200) return undefined;
  return group(
    'rate-limit',
    'Rate limits',
    h(
      'label',
      { class: 'choice' },
      h('input', {
        type: 'checkbox',
        id: 'rate-limit-enabled',
        checked: get(answer.body, 'enabled') === true,
        onchange: async (event: Event) => {
          const box = event.currentTarget;
          if (!(box instanceof HTMLInputElement)) return;
          const result = await control('PUT', 'rate-limit', { enabled: box.checked });
          if (!report('rate-limit', result, box.checked ? 'Rate-limit mode on.' : 'Rate-limit mode off.')) {
            box.checked = !box.checked;
          }
        },
      }),
      " Rate-limit mode (Auth0's limits; 429 with X-RateLimit headers when over)",
    ),
  );
}

async function searchIndexGroup(): Promise<HTMLElement | undefined> {
  const answer = await control('GET', 'search-index');
  if (answer.status !== 200) return undefined;
  return group(
    'search-index',
    'Search index',
    h(
      'form',
      {
        class: 'row',
        onsubmit: async (event: Event) => {
          event.preventDefault();
          const lagMs = numberValue('search-lag') ?? 0;
          report('search-index', await control('PUT', 'search-index', { lagMs }), `Search-index lag: ${lagMs} ms.`);
        },
      },
      ...labelled(
        'search-lag',
        'Search-index lag (ms)',
        h('input', { id: 'search-lag', type: 'number', min: 0, value: count(answer.body, 'lagMs') ?? 0 }),
      ),
      h('button', { type: 'submit' }, 'Set lag'),
      h(
        'button',
        {
          type: 'button',
          onclick: async () =>
            report('search-index', await control('POST', 'search-index/flush'), 'Search index flushed.'),
        },
        'Flush now',
      ),
    ),
  );
}

/**
 * Shows the controls the server offers: each group asks its endpoint first and is left out when the
 * server answers anything but 200 (a server without the control API, or without that part of it).
 */
export async function setUpControls(healthy: boolean, health: () => Promise<void>): Promise<void> {
  refreshHealth = health;
  const view = byId('controls-view', HTMLDivElement);
  if (!healthy) {
    show(view, h('p', { class: 'muted' }, 'This server has no control API (GET /__emulator/health answered 404).'));
    return;
  }
  const groups = await Promise.all([clockGroup(), faultsGroup(), rateLimitGroup(), searchIndexGroup()]);
  const missing = ['clock', 'faults', 'rate-limit', 'search-index'].filter((_, index) => groups[index] === undefined);
  show(
    view,
    resetGroup(),
    ...groups,
    missing.length === 0 ? null : h('p', { class: 'muted' }, `Not offered by this server: ${missing.join(', ')}.`),
  );
}
