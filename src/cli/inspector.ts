import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { EmulatorRequest, EmulatorResponse } from '../emulator/index.js';
import { isControlHostname } from '../emulator/loopback.js';

/** The paths the inspector page answers. */
const PAGE_PATHS: ReadonlySet<string> = new Set(['/__emulator', '/__emulator/']);
/** What the URL of every one of them contains. */
const PAGE_PATHS_START = '/__emulator';

/**
 * The built page: `dist/inspector/index.html` beside `dist/cli.js` (scripts/build-inspector.mjs
 * writes it). Run from the sources, there is none, and the page answers 404.
 */
const PAGE_FILE = new URL('./inspector/index.html', import.meta.url);

function plain(status: number, message: string, headers: Readonly<Record<string, string>> = {}): EmulatorResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body: `${message}\n` };
}

function hashOf(source: string): string {
  return `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;
}

/** The text inside every `<tag>...</tag>` of the page (the build inlines one script and one style). */
function inline(page: string, tag: 'script' | 'style'): string[] {
  // Each match's one group: the text between the tags.
  return [...page.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((match) => match.slice(1).join(''));
}

/**
 * The page's policy: nothing but its own inline script and style (by hash), and fetches to its own
 * origin; no frame, no form target, no base URL, no other origin at all.
 */
export function contentSecurityPolicy(page: string): string {
  return [
    "default-src 'none'",
    `script-src ${inline(page, 'script').map(hashOf).join(' ')}`,
    `style-src ${inline(page, 'style').map(hashOf).join(' ')}`,
    "connect-src 'self'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

async function loadPage(file: URL): Promise<EmulatorResponse> {
  let page: string;
  try {
    page = await readFile(file, 'utf8');
  } catch {
    return plain(404, 'The inspector page is not built: run `npm run build`, then serve with dist/cli.js.');
  }
  return {
    status: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': contentSecurityPolicy(page),
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    },
    body: page,
  };
}

/** No host named for the control API: loopback names only. */
const LOOPBACK_ONLY: ReadonlySet<string> = new Set();

/** The door of the page in `file`: what {@link inspectorPage} answers, for any built page. */
export function inspectorPageFrom(
  file: URL,
): (request: EmulatorRequest, controlHosts?: ReadonlySet<string>) => Promise<EmulatorResponse> | undefined {
  let loaded: Promise<EmulatorResponse> | undefined;
  return (request, controlHosts = LOOPBACK_ONLY) => {
    // Every other request, the emulator's, is told apart without parsing its URL.
    if (!request.url.includes(PAGE_PATHS_START)) return undefined;
    const url = new URL(request.url);
    if (!PAGE_PATHS.has(url.pathname)) return undefined;
    // Like the control API: loopback names and the exact names given for it, so a rebound DNS name never reaches the page.
    if (!isControlHostname(url.hostname, controlHosts)) {
      return Promise.resolve(
        plain(
          403,
          'The inspector answers only loopback Host names (localhost, 127.0.0.1, [::1]) and the hosts named with serve --allowed-host.',
        ),
      );
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return Promise.resolve(plain(405, 'The inspector page answers GET and HEAD.', { allow: 'GET, HEAD' }));
    }
    // Read once: a not-built page stays a 404 until the server restarts after a build.
    loaded ??= loadPage(file);
    return request.method === 'HEAD' ? loaded.then((answer) => ({ ...answer, body: null })) : loaded;
  };
}

const builtPage = inspectorPageFrom(PAGE_FILE);

/**
 * The inspector page for `GET /__emulator/` (and `/__emulator`), or `undefined` for any other path
 * (the emulator answers it). 403 for a Host that is neither a loopback name nor one of
 * `controlHosts` (exact names, as the control API's), 405 for a method other than GET or HEAD,
 * 404 when the page is not built.
 */
export function inspectorPage(
  request: EmulatorRequest,
  controlHosts: ReadonlySet<string> = LOOPBACK_ONLY,
): Promise<EmulatorResponse> | undefined {
  return builtPage(request, controlHosts);
}
