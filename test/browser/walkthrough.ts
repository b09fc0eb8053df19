/**
 * The seed walkthrough as HTTP requests, for any fetch-style sender: create Jane with metadata, read
 * her user_metadata, add a home address, send home and work, delete a key with null, clear with {}.
 *
 * Web APIs only: it is bundled into the Chromium page, and run against the edge-runtime sandbox.
 */

/** What each step answered: the status, and the parts of the body the walkthrough is about. */
export interface StepResult {
  readonly step: string;
  readonly status: number;
  readonly body: unknown;
}

/** Sends one request: the emulator's `fetch`, or an edge runtime's `dispatchFetch`. */
export type Send = (url: string, init: RequestInit) => Promise<Response>;

export const HOME = { street: '123 Main Street', city: 'Anytown', state: 'ST', zip: '12345' };
export const WORK = { street: '100 Industrial Way', city: 'Anytown', state: 'ST', zip: '12345' };
export const JANE = {
  connection: 'Username-Password-Authentication',
  email: 'jane.doe@example.com',
  password: 'Passw0rd!-walkthrough',
  user_metadata: { hobby: 'surfing' },
  app_metadata: { plan: 'full' },
};

/** The metadata (and whether each is there) of a user body; the rest (ids, dates) varies per run. */
function metadataOf(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return body;
  return {
    email: Reflect.get(body, 'email'),
    user_metadata: 'user_metadata' in body ? body.user_metadata : 'absent',
    app_metadata: 'app_metadata' in body ? body.app_metadata : 'absent',
  };
}

export async function runWalkthrough(send: Send, baseUrl: string, token: string): Promise<StepResult[]> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const results: StepResult[] = [];

  const created = await send(`${baseUrl}/api/v2/users`, { method: 'POST', headers, body: JSON.stringify(JANE) });
  const user: unknown = await created.json();
  results.push({ step: 'create', status: created.status, body: metadataOf(user) });
  const userId = typeof user === 'object' && user !== null ? Reflect.get(user, 'user_id') : undefined;
  if (typeof userId !== 'string') return results;
  const userUrl = `${baseUrl}/api/v2/users/${encodeURIComponent(userId)}`;

  const read = await send(`${userUrl}?fields=user_metadata&include_fields=true`, { method: 'GET', headers });
  results.push({ step: 'read user_metadata', status: read.status, body: await read.json() });

  const patches: readonly (readonly [string, unknown])[] = [
    ['PATCH addresses.home', { user_metadata: { addresses: { home: HOME } } }],
    ['PATCH addresses home and work', { user_metadata: { addresses: { home: HOME, work: WORK } } }],
    ['PATCH hobby: null', { user_metadata: { hobby: null } }],
    ['PATCH {} clears', { user_metadata: {}, app_metadata: {} }],
  ];
  for (const [step, patch] of patches) {
    const response = await send(userUrl, { method: 'PATCH', headers, body: JSON.stringify(patch) });
    results.push({ step, status: response.status, body: metadataOf(await response.json()) });
  }

  const final = await send(`${userUrl}?fields=user_metadata,app_metadata&include_fields=true`, {
    method: 'GET',
    headers,
  });
  results.push({ step: 'read both metadata', status: final.status, body: await final.json() });
  return results;
}

/** What {@link runWalkthrough} answers against a faithful emulator. */
export const EXPECTED_WALKTHROUGH: readonly StepResult[] = [
  {
    step: 'create',
    status: 201,
    body: { email: 'jane.doe@example.com', user_metadata: { hobby: 'surfing' }, app_metadata: { plan: 'full' } },
  },
  { step: 'read user_metadata', status: 200, body: { user_metadata: { hobby: 'surfing' } } },
  {
    step: 'PATCH addresses.home',
    status: 200,
    body: {
      email: 'jane.doe@example.com',
      user_metadata: { hobby: 'surfing', addresses: { home: HOME } },
      app_metadata: { plan: 'full' },
    },
  },
  {
    step: 'PATCH addresses home and work',
    status: 200,
    body: {
      email: 'jane.doe@example.com',
      user_metadata: { hobby: 'surfing', addresses: { home: HOME, work: WORK } },
      app_metadata: { plan: 'full' },
    },
  },
  {
    step: 'PATCH hobby: null',
    status: 200,
    body: {
      email: 'jane.doe@example.com',
      user_metadata: { addresses: { home: HOME, work: WORK } },
      app_metadata: { plan: 'full' },
    },
  },
  {
    step: 'PATCH {} clears',
    status: 200,
    body: { email: 'jane.doe@example.com', user_metadata: {}, app_metadata: 'absent' },
  },
  { step: 'read both metadata', status: 200, body: { user_metadata: {} } },
];
