import { type EmulatorRequest, type Later, whenReady } from './http.js';
import type { Trace } from './requests.js';

/** Why a request body could not be read. */
export type BodyReason = 'too_large' | 'unsupported_media_type' | 'unsupported_charset' | 'malformed';

/** A body read as text, or the reason it could not be. */
export type BodyText =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly reason: BodyReason };

/** The media type of a request, lower-cased and without parameters (`application/json`), or `''`. */
export function mediaType(request: EmulatorRequest): string {
  const header = request.headers.get('content-type') ?? '';
  return header.replace(/;.*$/s, '').trim().toLowerCase();
}

/** Charsets whose bytes read as UTF-8 unchanged (ASCII is a subset of it). */
const UTF8_CHARSETS: ReadonlySet<string> = new Set(['utf-8', 'utf8', 'us-ascii']);

/** The `charset` parameter of the content type, lower-cased and unquoted, or `undefined`. */
function charsetOf(request: EmulatorRequest): string | undefined {
  const header = request.headers.get('content-type') ?? '';
  const match = /;\s*charset\s*=\s*("?)([^";\s]*)\1/i.exec(header);
  return match?.[2]?.toLowerCase();
}

/** Decodes whole UTF-8 bodies: stateless between calls (no `stream` option), so one serves every request. */
const UTF8 = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true });

/** The bytes as text, noted in `trace`; `malformed` when they are not UTF-8, `too_large` for `undefined`. */
function decoded(bytes: Uint8Array | undefined, trace: Trace | undefined): BodyText {
  if (bytes === undefined) return { ok: false, reason: 'too_large' };
  try {
    const text = UTF8.decode(bytes);
    if (trace !== undefined) trace.bodyText = text;
    return { ok: true, text };
  } catch {
    return { ok: false, reason: 'malformed' };
  }
}

/**
 * Reads the body as UTF-8 text, stopping as soon as it exceeds `limit` bytes so an oversized body
 * is never buffered whole. A declared `content-length` over the limit is refused without reading.
 * A body declared in another charset (`charset=utf-16`) is refused rather than misread: JSON on
 * the wire is UTF-8 (RFC 8259 §8.1), and so are the forms this emulator reads. The text read is
 * noted in `trace`, for the journal. A body already read (bytes, or none) is answered at once; only
 * a stream is a promise.
 */
export function readText(request: EmulatorRequest, limit: number, trace?: Trace): Later<BodyText> {
  const charset = charsetOf(request);
  if (charset !== undefined && !UTF8_CHARSETS.has(charset)) return { ok: false, reason: 'unsupported_charset' };
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (Number.isFinite(declared) && declared > limit) return { ok: false, reason: 'too_large' };
  const body = request.body;
  if (body === null) return decoded(new Uint8Array(0), trace);
  if (body instanceof Uint8Array) return decoded(body.byteLength > limit ? undefined : body, trace);
  return readStream(body, limit).then((bytes) => decoded(bytes, trace));
}

/** The bytes of a stream, or `undefined` once they pass `limit` (the stream is cancelled then, never buffered whole). */
async function readStream(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array | undefined> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** A parsed JSON body, or the reason it could not be parsed. */
export type JsonBody =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly reason: BodyReason };

/**
 * Reads a JSON body. An empty body reads as `null`, as Auth0's server does, so the core reports
 * `Expected type object but found type null`; a non-empty body must be `application/json`.
 */
export function readJsonBody(request: EmulatorRequest, limit: number, trace?: Trace): Later<JsonBody> {
  const type = mediaType(request);
  if (type !== '' && type !== 'application/json') return { ok: false, reason: 'unsupported_media_type' };
  return whenReady(readText(request, limit, trace), (body) => parsedJson(body, type));
}

/** The JSON value of a body read as text whose media type is `type`. */
function parsedJson(body: BodyText, type: string): JsonBody {
  if (!body.ok) return body;
  if (body.text.trim() === '') return { ok: true, value: null };
  if (type === '') return { ok: false, reason: 'unsupported_media_type' };
  try {
    const value: unknown = JSON.parse(body.text);
    return { ok: true, value };
  } catch {
    return { ok: false, reason: 'malformed' };
  }
}

/** The string parameters of a form or JSON body (`/oauth/token` accepts both). */
export type ParamsBody =
  | {
      readonly ok: true;
      readonly params: ReadonlyMap<string, string>;
      /**
       * The JSON parameters whose value is not a string (`"scope": ["read:users"]`). They are not
       * in `params`, and must not read as missing: a missing `scope` means every scope the client
       * has, so the caller refuses the request instead (OAuth 2.0 parameters are strings).
       */
      readonly notStrings: readonly string[];
    }
  | { readonly ok: false; readonly reason: BodyReason };

/**
 * Reads `application/x-www-form-urlencoded` or JSON parameters. JSON values that are not strings
 * are left out of `params` and named in `notStrings`.
 */
export async function readParams(request: EmulatorRequest, limit: number, trace?: Trace): Promise<ParamsBody> {
  const type = mediaType(request);
  if (type === 'application/json') {
    const body = await readJsonBody(request, limit, trace);
    if (!body.ok) return body;
    const params = new Map<string, string>();
    const notStrings: string[] = [];
    if (typeof body.value === 'object' && body.value !== null && !Array.isArray(body.value)) {
      for (const [key, value] of Object.entries(body.value)) {
        if (typeof value === 'string') params.set(key, value);
        else notStrings.push(key);
      }
    }
    return { ok: true, params, notStrings };
  }
  if (type !== '' && type !== 'application/x-www-form-urlencoded') {
    return { ok: false, reason: 'unsupported_media_type' };
  }
  const body = await readText(request, limit, trace);
  if (!body.ok) return body;
  return { ok: true, params: new Map(new URLSearchParams(body.text)), notStrings: [] };
}
