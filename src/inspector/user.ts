import { analyzePatch, describeEffect, type PatchEffect } from '../analyzePatch.js';
import { diffToPatch } from '../diffToPatch.js';
import type { StoredUser } from '../types.js';
import { management } from './api.js';
import { byId, h, show } from './dom.js';
import { isObject, type Json, parseJson, text } from './json.js';
import { renderTree } from './tree.js';
import { loadUsers } from './users.js';
import { EFFECT_WORDS, errorView } from './views.js';

/** How the metadata is edited: the desired metadata (the PATCH comes from diffToPatch), or the PATCH body itself. */
type Mode = 'desired' | 'patch';

const METADATA = ['user_metadata', 'app_metadata'] as const;

let current: Json | undefined;
let mode: Mode = 'desired';

function encodedId(user: Json): string {
  return encodeURIComponent(text(user, 'user_id') ?? '');
}

/** The metadata of a user as the desired-state editor starts: both objects, `{}` for a missing one. */
function desiredText(user: Json): string {
  return JSON.stringify(
    Object.fromEntries(METADATA.map((key) => [key, isObject(user[key]) ? user[key] : {}])),
    null,
    2,
  );
}

/** What will be sent: the PATCH body text, or why there is none. */
interface Plan {
  readonly body: string | undefined;
  readonly note: string | undefined;
}

/** The PATCH for the editor's text: itself in PATCH mode; from diffToPatch in desired mode. */
function plan(user: StoredUser, source: string): Plan {
  if (mode === 'patch') return { body: source, note: undefined };
  const parsed = parseJson(source);
  if (!parsed.ok) return { body: undefined, note: `Not JSON: ${parsed.reason}` };
  if (!isObject(parsed.value)) return { body: undefined, note: 'The desired metadata must be a JSON object.' };
  const desired: StoredUser = { ...user, ...parsed.value };
  const diff = diffToPatch(user, desired);
  if (!diff.success) return { body: undefined, note: diff.issues.map((issue) => issue.message).join('; ') };
  if (diff.value === null) return { body: undefined, note: 'Nothing to send: this is the current state.' };
  return { body: JSON.stringify(diff.value, null, 2), note: undefined };
}

function effectItem(effect: PatchEffect): HTMLElement {
  return h(
    'li',
    { class: `effect effect-${effect.kind}` },
    h('span', { class: 'effect-kind' }, EFFECT_WORDS[effect.kind]),
    ' ',
    describeEffect(effect),
  );
}

/** The live preview: analyzePatch's effects, the dropped data first and marked, or why Auth0 will refuse the body. */
function preview(user: StoredUser, body: string): HTMLElement {
  const parsed = parseJson(body);
  if (!parsed.ok) return h('p', { class: 'refused' }, `Not JSON: ${parsed.reason}. Auth0 will refuse it.`);
  const analysis = analyzePatch(user, parsed.value);
  if (!analysis.success) {
    return h(
      'div',
      { class: 'refused' },
      h('p', {}, h('strong', {}, 'Auth0 will refuse this body:')),
      h('ul', {}, ...analysis.issues.map((issue) => h('li', {}, issue.message))),
    );
  }
  const { effects, dropped } = analysis.value;
  return h(
    'div',
    {},
    dropped.length === 0
      ? null
      : h(
          'p',
          { class: 'warning' },
          h('strong', {}, 'Warning: '),
          `${dropped.length} nested value${dropped.length === 1 ? '' : 's'} will be lost without being named in the PATCH.`,
        ),
    effects.length === 0
      ? h('p', { class: 'muted' }, 'No change to the stored user.')
      : h('ul', { class: 'effects' }, ...effects.map(effectItem)),
  );
}

function refreshPreview(): void {
  if (current === undefined) return;
  const source = byId('editor-text', HTMLTextAreaElement).value;
  const planned = plan(current, source);
  const computed = byId('editor-patch', HTMLElement);
  const apply = byId('editor-apply', HTMLButtonElement);
  if (mode === 'desired') {
    show(
      computed,
      h('h4', {}, 'PATCH body (diffToPatch)'),
      h('pre', { class: 'code' }, planned.body ?? planned.note ?? ''),
    );
  } else {
    show(computed);
  }
  apply.disabled = planned.body === undefined;
  show(byId('editor-preview', HTMLDivElement), planned.body === undefined ? null : preview(current, planned.body));
}

function setMode(next: Mode): void {
  if (current === undefined) return;
  const area = byId('editor-text', HTMLTextAreaElement);
  if (next === 'patch' && mode === 'desired') area.value = plan(current, area.value).body ?? '{}';
  if (next === 'desired') area.value = desiredText(current);
  mode = next;
  byId('editor-label', HTMLLabelElement).textContent =
    next === 'desired' ? 'Desired metadata (JSON)' : 'PATCH /api/v2/users/{id} body (JSON)';
  refreshPreview();
}

async function apply(): Promise<void> {
  if (current === undefined) return;
  const planned = plan(current, byId('editor-text', HTMLTextAreaElement).value);
  if (planned.body === undefined) return;
  const answer = await management('PATCH', `users/${encodedId(current)}`, planned.body);
  const result = byId('editor-result', HTMLDivElement);
  if (answer.status !== 200 || !isObject(answer.body)) {
    show(result, errorView(answer));
    return;
  }
  showUser(answer.body, 'desired');
  show(byId('editor-result', HTMLDivElement), h('p', { class: 'success' }, 'Applied: the server answered 200.'));
  void loadUsers();
}

function attributes(user: Json): HTMLElement {
  const rows = Object.entries(user).filter(([key]) => key !== 'user_metadata' && key !== 'app_metadata');
  return h('div', {}, h('h3', {}, 'Root attributes'), renderTree(Object.fromEntries(rows), 'user'));
}

function editor(user: Json): HTMLElement {
  const radio = (value: Mode, label: string): HTMLElement =>
    h(
      'label',
      { class: 'choice' },
      h('input', {
        type: 'radio',
        name: 'editor-mode',
        value,
        checked: mode === value,
        onchange: () => setMode(value),
      }),
      ` ${label}`,
    );
  return h(
    'form',
    {
      class: 'editor stack',
      id: 'editor',
      onsubmit: (event: Event) => {
        event.preventDefault();
        void apply();
      },
    },
    h('h3', {}, 'Edit metadata'),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Edit'),
      radio('desired', 'the desired metadata (the PATCH comes from diffToPatch)'),
      radio('patch', 'the PATCH body'),
    ),
    h('label', { for: 'editor-text', id: 'editor-label' }, 'Desired metadata (JSON)'),
    h(
      'textarea',
      {
        id: 'editor-text',
        rows: 12,
        spellcheck: 'false',
        oninput: refreshPreview,
        'aria-describedby': 'editor-preview-title',
      },
      desiredText(user),
    ),
    h('div', { id: 'editor-patch' }),
    h('h4', { id: 'editor-preview-title' }, 'What Auth0 will do (analyzePatch)'),
    h('div', { id: 'editor-preview', 'aria-live': 'polite' }),
    h('div', { class: 'row' }, h('button', { type: 'submit', id: 'editor-apply' }, 'Send PATCH')),
    h('div', { id: 'editor-result', role: 'alert' }),
  );
}

function deleteButton(user: Json): HTMLElement {
  const holder = h('div', { class: 'row' });
  const ask = (): void =>
    show(
      holder,
      h('span', {}, 'Delete this user?'),
      h('button', { type: 'button', class: 'danger', onclick: () => void remove(user) }, 'Confirm delete'),
      h('button', { type: 'button', onclick: idle }, 'Cancel'),
    );
  const idle = (): void => show(holder, h('button', { type: 'button', onclick: ask }, 'Delete user'));
  idle();
  return holder;
}

async function remove(user: Json): Promise<void> {
  const answer = await management('DELETE', `users/${encodedId(user)}`);
  if (answer.status !== 204 && answer.status !== 200) {
    show(byId('editor-result', HTMLDivElement), errorView(answer));
    return;
  }
  current = undefined;
  byId('user-title', HTMLHeadingElement).textContent = 'User';
  show(byId('user-view', HTMLDivElement), h('p', { role: 'status' }, `Deleted ${text(user, 'user_id') ?? ''}.`));
  await loadUsers();
}

/** Shows a user: its attributes, both metadata as trees, and the editor. */
export function showUser(user: Json, editMode: Mode = mode): void {
  current = user;
  mode = editMode;
  byId('user-title', HTMLHeadingElement).textContent = `User ${text(user, 'email') ?? text(user, 'user_id') ?? ''}`;
  show(
    byId('user-view', HTMLDivElement),
    h('p', { class: 'mono' }, text(user, 'user_id') ?? ''),
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'button', onclick: () => void openUser(text(user, 'user_id') ?? '', false) }, 'Reload user'),
      deleteButton(user),
    ),
    h(
      'div',
      { class: 'metadata' },
      ...METADATA.map((key) => h('div', {}, h('h3', {}, key), renderTree(user[key], key))),
    ),
    editor(user),
    attributes(user),
  );
  refreshPreview();
}

/** Loads a user through the Management API and shows it, focus on its heading unless told not to. */
export async function openUser(userId: string, focus = true): Promise<void> {
  const answer = await management('GET', `users/${encodeURIComponent(userId)}`);
  if (answer.status !== 200 || !isObject(answer.body)) {
    current = undefined;
    show(byId('user-view', HTMLDivElement), errorView(answer));
    return;
  }
  showUser(answer.body, 'desired');
  if (focus) byId('user-title', HTMLHeadingElement).focus();
}

/** Loads the open user again (after a reset): its state now, or the server's 404 if it is gone. */
export async function reloadOpenUser(): Promise<void> {
  const userId = current === undefined ? undefined : text(current, 'user_id');
  if (userId !== undefined) await openUser(userId, false);
}
