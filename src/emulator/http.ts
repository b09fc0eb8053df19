/**
 * A request as the emulator reads it. A Web `Request` is one; so is the lighter object the Node
 * adapter builds, which skips the cost of a `Request` and its streams.
 */
export interface EmulatorRequest {
  readonly method: string;
  /** The absolute URL. */
  readonly url: string;
  readonly headers: { readonly get: (name: string) => string | null };
  /** The body: a stream, bytes already read, or none. */
  readonly body: ReadableStream<Uint8Array> | Uint8Array | null;
  /** The address of the client, when a server knows it (a login records it as `last_ip`). */
  readonly remoteAddress?: string | undefined;
}

/** An answer of the emulator, before it becomes a Web `Response` (or is written by the Node adapter). */
export interface EmulatorResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** JSON text, or `null` for no body (204). */
  readonly body: string | null;
}

/**
 * Turns an emulator answer into a Web `Response`.
 *
 * @param answer - The status, headers and body.
 * @returns The same answer as a `Response`; a bodiless 500 for anything that is not an answer.
 * @example
 * const response = toResponse({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
 * [response.status, await response.json()];
 * // => [200, { a: 1 }]
 */
export function toResponse(answer: EmulatorResponse): Response {
  try {
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  } catch {
    // Not an answer of the emulator (a hostile or malformed value): a bodiless 500, never an exception.
    return new Response(null, { status: 500 });
  }
}
