import { management } from './api.js';
import { byId, h, show } from './dom.js';
import { count, type Json, objects, text } from './json.js';
import { errorView } from './views.js';

/** The list's query: Auth0's `q`, the page (from 0) and its size. */
const query = { q: '', page: 0, perPage: 10, total: 0 };

let openUser: (userId: string) => void = () => {};

/** Says what opening a user from the list does. */
export function onOpenUser(open: (userId: string) => void): void {
  openUser = open;
}

function row(user: Json): HTMLElement {
  const userId = text(user, 'user_id') ?? '';
  const email = text(user, 'email');
  return h(
    'tr',
    {},
    h(
      'td',
      {},
      h(
        'button',
        { type: 'button', class: 'link', 'data-user-id': userId, onclick: () => openUser(userId) },
        email ?? userId,
      ),
    ),
    h('td', {}, text(user, 'name') ?? ''),
    h('td', { class: 'mono' }, userId),
  );
}

/** Loads the current page of users, with the totals, and shows it (or Auth0's error for the query). */
export async function loadUsers(): Promise<void> {
  const parameters = new URLSearchParams({
    page: String(query.page),
    per_page: String(query.perPage),
    include_totals: 'true',
  });
  if (query.q !== '') {
    parameters.set('q', query.q);
    parameters.set('search_engine', 'v3');
  }
  const answer = await management('GET', `users?${parameters}`);
  const error = byId('search-error', HTMLDivElement);
  const list = byId('users-list', HTMLDivElement);
  const counter = byId('users-count', HTMLParagraphElement);
  if (answer.status !== 200) {
    show(error, errorView(answer));
    show(list);
    counter.textContent = '';
    query.total = 0;
    updatePaging();
    return;
  }
  show(error);
  const users = objects(answer.body, 'users');
  query.total = count(answer.body, 'total') ?? users.length;
  const first = query.page * query.perPage;
  counter.textContent =
    users.length === 0
      ? query.total === 0
        ? 'No user matches.'
        : `No user on this page (${query.total} in all).`
      : `Users ${first + 1}–${first + users.length} of ${query.total}`;
  show(
    list,
    users.length === 0
      ? null
      : h(
          'table',
          { class: 'users-table' },
          h('caption', { class: 'visually-hidden' }, 'Users of this page'),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, 'Email'),
              h('th', { scope: 'col' }, 'Name'),
              h('th', { scope: 'col' }, 'user_id'),
            ),
          ),
          h('tbody', {}, ...users.map(row)),
        ),
  );
  updatePaging();
}

function updatePaging(): void {
  byId('page-previous', HTMLButtonElement).disabled = query.page === 0;
  byId('page-next', HTMLButtonElement).disabled = (query.page + 1) * query.perPage >= query.total;
}

/** Wires the search form, the paging buttons and the create form. */
export function setUpUsers(): void {
  const form = byId('search-form', HTMLFormElement);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    query.q = byId('search-q', HTMLInputElement).value.trim();
    query.perPage = Number(byId('search-per-page', HTMLSelectElement).value);
    query.page = 0;
    void loadUsers();
  });
  byId('page-previous', HTMLButtonElement).addEventListener('click', () => {
    query.page = Math.max(0, query.page - 1);
    void loadUsers();
  });
  byId('page-next', HTMLButtonElement).addEventListener('click', () => {
    query.page += 1;
    void loadUsers();
  });
  const create = byId('create-form', HTMLFormElement);
  create.addEventListener('submit', (event) => {
    event.preventDefault();
    void createUser(create);
  });
}

async function createUser(form: HTMLFormElement): Promise<void> {
  const value = (id: string): string => byId(id, HTMLInputElement).value;
  const answer = await management('POST', 'users', {
    email: value('create-email'),
    password: value('create-password'),
    connection: value('create-connection'),
  });
  const result = byId('create-result', HTMLDivElement);
  if (answer.status !== 201) {
    show(result, errorView(answer));
    return;
  }
  const userId = text(answer.body, 'user_id') ?? '';
  show(result, h('p', {}, `Created ${userId}.`));
  form.reset();
  await loadUsers();
  openUser(userId);
}
