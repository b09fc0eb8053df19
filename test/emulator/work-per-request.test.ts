/**
 * The work one request costs, counted (never timed): a PATCH through the emulator checks its body
 * once and deep-copies its metadata once, with or without `onDroppedData`, and merges it once
 * (`onDroppedData`'s analysis merges once more, from the checked patch as it is, to see what was
 * dropped); the emulator parses the URL of a request once and looks its route up once, and
 * the Node adapter adds at most one parse (its Host check; a plain target is not parsed).
 *
 * The counters wrap the module functions that do the work (`checkBody`, `copyJson`, `applyPatch`,
 * `patchUser` and `matchRoute`), and the global `URL` constructor, for the length of one request.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { patchUser } from '../../src/applyPatch.js';
import { checkBody } from '../../src/checks/body.js';
import { parseRequestUrl } from '../../src/emulator/http.js';
import { matchRoute } from '../../src/emulator/routes.js';
import { applyPatch } from '../../src/index.js';
import { copyJson } from '../../src/internal/copies.js';
import { serve } from '../../src/node/index.js';
import { BASE, JANE, testEmulator, userIdOf, userPath } from './helpers.js';

vi.mock('../../src/checks/body.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/checks/body.js')>();
  return { ...original, checkBody: vi.fn(original.checkBody) };
});
vi.mock('../../src/internal/copies.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/internal/copies.js')>();
  return { ...original, copyJson: vi.fn(original.copyJson) };
});
vi.mock('../../src/emulator/routes.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/emulator/routes.js')>();
  return { ...original, matchRoute: vi.fn(original.matchRoute) };
});
vi.mock('../../src/applyPatch.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/applyPatch.js')>();
  return { ...original, applyPatch: vi.fn(original.applyPatch), patchUser: vi.fn(original.patchUser) };
});

/** How many times each counted function ran. */
function counts(): { readonly checks: number; readonly copies: number; readonly applications: number } {
  return {
    checks: vi.mocked(checkBody).mock.calls.length,
    copies: vi.mocked(copyJson).mock.calls.length,
    // applyPatch merges through its own module's patchUser (not counted twice); analyzePatch and
    // an Actions flow call patchUser from outside.
    applications: vi.mocked(applyPatch).mock.calls.length + vi.mocked(patchUser).mock.calls.length,
  };
}

/** A stored Jane, a token that may update her, and a PATCH body with nested metadata. */
async function setUp(options: Parameters<typeof testEmulator>[0] = {}) {
  const { emulator } = testEmulator({ users: [JANE], ...options });
  const token = await emulator.issueToken({ scopes: ['update:users', 'read:users'] });
  const listed = await emulator.fetch(
    new Request(`${BASE}/api/v2/users`, { headers: { authorization: `Bearer ${token}` } }),
  );
  const [jane] = (await listed.json()) as unknown[];
  const request = (body: unknown): Request =>
    new Request(`${BASE}${userPath(userIdOf(jane))}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  return { emulator, request };
}

const BODY = { user_metadata: { theme: 'dark', address: { city: 'Paris' } } };

beforeEach(() => {
  vi.clearAllMocks();
});

describe('one PATCH through the emulator', () => {
  test('one body check, one metadata copy, one application', async () => {
    const { emulator, request } = await setUp();
    vi.clearAllMocks();
    const response = await emulator.fetch(request(BODY));
    expect(response.status).toBe(200);
    expect(counts()).toStrictEqual({ checks: 1, copies: 1, applications: 1 });
  });

  test('with onDroppedData: the analysis reuses the checked patch (one check, one copy; the merge twice)', async () => {
    const dropped: unknown[] = [];
    const { emulator, request } = await setUp({ onDroppedData: (effects) => dropped.push(effects) });
    await emulator.fetch(request({ user_metadata: { address: { city: 'Paris', zip: '75001' } } }));
    vi.clearAllMocks();
    const response = await emulator.fetch(request(BODY));
    expect(response.status).toBe(200);
    expect(dropped).toHaveLength(1);
    // The analysis computes what the PATCH dropped by merging it into the user before the write:
    // a second merge, but no second check or copy of the body.
    expect(counts()).toStrictEqual({ checks: 1, copies: 1, applications: 2 });
  });

  test('a body with both metadata copies each once', async () => {
    const { emulator, request } = await setUp();
    vi.clearAllMocks();
    await emulator.fetch(request({ ...BODY, app_metadata: { plan: 'pro' } }));
    expect(counts()).toStrictEqual({ checks: 1, copies: 2, applications: 1 });
  });
});

describe('URL parses per request', () => {
  let parses = 0;
  const RealURL = globalThis.URL;
  /** The global URL, counting its constructions. */
  class CountingURL extends RealURL {
    constructor(url: string | URL, base?: string | URL) {
      super(url, base);
      // Only the parses of this project's code: the test's own Request and fetch parse URLs too.
      if (/\/src\//.test(new Error().stack?.split('\n')[2] ?? '')) parses++;
    }
  }

  beforeEach(() => {
    vi.stubGlobal('URL', CountingURL);
    parses = 0;
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  test('the emulator parses the URL of a request once, looks its route up once, and parses the same URL text no more', async () => {
    const { emulator, request } = await setUp();
    const plain = request(BODY);
    // A fragment the emulator never reads makes this URL text one no earlier test sent.
    const url = `${plain.url}#${Math.random()}`;
    const body = new Uint8Array(await plain.arrayBuffer());
    const send = () => emulator.handle({ method: plain.method, url, headers: plain.headers, body });
    parses = 0;
    vi.mocked(matchRoute).mockClear();
    expect((await send()).status).toBe(200);
    expect(parses).toBe(1);
    expect(vi.mocked(matchRoute)).toHaveBeenCalledTimes(1);
    parses = 0;
    expect((await send()).status).toBe(200);
    expect(parses).toBe(0);
    expect(vi.mocked(matchRoute)).toHaveBeenCalledTimes(2);
  });

  test('a long URL text is parsed each time, not kept: what the kept URLs hold stays bounded in bytes too', () => {
    const short = `${BASE}/api/v2/users?q=${'a'.repeat(100)}`;
    const kept = parseRequestUrl(short);
    expect(parseRequestUrl(short) === kept).toBe(true);
    const long = `${BASE}/api/v2/users?q=${'a'.repeat(1_000_000)}`;
    const first = parseRequestUrl(long);
    expect(first.search.length).toBe(1_000_003);
    expect(parseRequestUrl(long) === first).toBe(false);
  });

  test('through the Node adapter: at most once (the Host check; a plain target is not parsed, the emulator parsed that URL before)', async () => {
    const { emulator, request } = await setUp();
    const server = await serve(emulator, { host: '127.0.0.1', port: 0 });
    try {
      const send = async (): Promise<number> => {
        const plain = request(BODY);
        const url = `${server.url}${new RealURL(plain.url).pathname}`;
        const response = await fetch(url, { method: 'PATCH', headers: plain.headers, body: await plain.text() });
        return response.status;
      };
      // The first request of a Host value also parses that Host (and the server its bound address).
      expect(await send()).toBe(200);
      parses = 0;
      expect(await send()).toBe(200);
      // src/node/hosts.ts reads the Host header's name with a URL; the emulator parsed this URL text
      // for the first request.
      expect(parses).toBeLessThanOrEqual(1);
    } finally {
      await server.close();
    }
  });
});
