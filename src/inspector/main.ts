/**
 * The inspector: the page the dev server answers at `GET /__emulator/`. It reads and changes the
 * users through the Management API only, with a token from `POST /__emulator/token`, and drives the
 * server through the control API; the core's `analyzePatch` and `diffToPatch` run in the page.
 */
import { control, fetchToken, hasToken, useToken } from './api.js';
import { setUpControls } from './controls.js';
import { byId, h, show } from './dom.js';
import { onJournalChange, setUpJournal } from './journal.js';
import { count, text } from './json.js';
import { openUser } from './user.js';
import { loadUsers, onOpenUser, setUpUsers } from './users.js';

/** Reads `/__emulator/health` into the header; `false` when the server has no control API. */
async function refreshHealth(): Promise<boolean> {
  const answer = await control('GET', 'health');
  const line = byId('health', HTMLParagraphElement);
  if (answer.status !== 200) {
    line.textContent = 'Connected (no control API on this server).';
    return false;
  }
  const uptime = count(answer.body, 'uptimeSeconds');
  show(
    line,
    h('span', {}, `version ${text(answer.body, 'version') ?? '?'}`),
    ' · ',
    h('span', { id: 'health-users' }, `${count(answer.body, 'users') ?? '?'} users`),
    ' · ',
    h('span', {}, `up ${uptime === undefined ? '?' : Math.round(uptime)} s`),
  );
  return true;
}

/** Starts what needs a token: the users list, and the journal beside it. */
async function start(): Promise<void> {
  byId('token-needed', HTMLDivElement).hidden = true;
  await loadUsers();
}

async function main(): Promise<void> {
  setUpUsers();
  onOpenUser((userId) => void openUser(userId));
  setUpJournal();
  // A change the journal shows may change the user count in the header.
  onJournalChange(() => void refreshHealth());
  const healthy = await refreshHealth();
  void setUpControls(healthy, async () => {
    await refreshHealth();
  });
  if (await fetchToken()) {
    await start();
    return;
  }
  byId('token-needed', HTMLDivElement).hidden = false;
  byId('token-form', HTMLFormElement).addEventListener('submit', (event) => {
    event.preventDefault();
    useToken(byId('token-input', HTMLInputElement).value.trim());
    if (hasToken()) void start();
  });
}

void main();
