/**
 * The emulator's entry for the servers of this package (the Node adapter, the command line): the
 * same pipeline as `emulator.handle`, but answered without a promise when nothing is pending, so a
 * server can write the answer in the turn that read the request. Not part of the public API: it is
 * reached through a registered symbol, the same in every copy of this package, on a property that
 * is not enumerable.
 */
import type { EmulatorRequest, EmulatorResponse, Later } from './http.js';

/** The key of the entry. */
export const RESPOND: unique symbol = Symbol.for('auth0-metadata.respond');

/** Answers a request: the answer itself when nothing is pending, else a promise of it. */
export type Respond = (request: EmulatorRequest) => Later<EmulatorResponse>;

/** Gives `target` the entry `respond`, not enumerable, and returns it. */
export function offerRespond<Target extends object>(target: Target, respond: Respond): Target {
  Object.defineProperty(target, RESPOND, { value: respond, enumerable: false });
  return target;
}

/** Whether a value read from the entry's key can be called as one. */
function isRespond(value: unknown): value is Respond {
  return typeof value === 'function';
}

/**
 * The entry of `handler`, or, for a handler that offers none (a hand-made `{ handle }`), its
 * `handle`: the same answers, always as a promise.
 */
export function respondOf(handler: {
  readonly handle: (request: EmulatorRequest) => Promise<EmulatorResponse>;
}): Respond {
  const respond = entryOf(handler);
  return isRespond(respond) ? respond : (request) => handler.handle(request);
}

/** What `handler` holds under the entry's key; nothing for a value that is no object or will not be read (a hostile proxy). */
function entryOf(handler: unknown): unknown {
  if (typeof handler !== 'object' || handler === null) return undefined;
  try {
    return Reflect.get(handler, RESPOND);
  } catch {
    return undefined;
  }
}
