import { CONTROL_PREFIX, isControlPath } from '../emulator/control.js';
import { errorResponse, transportError } from '../emulator/errors.js';
import { INTERNAL_ERROR, parseRequestUrl } from '../emulator/http.js';
import type { Emulator, EmulatorOptions, EmulatorRequest, EmulatorResponse, UserChanges } from '../emulator/index.js';
import { matchRoute } from '../emulator/routes.js';

/** Runs reads side by side and writes one at a time, each write alone (no read runs during it). */
export interface ReadWriteQueue {
  read<Value>(run: () => Promise<Value>): Promise<Value>;
  write<Value>(run: () => Promise<Value>): Promise<Value>;
}

/**
 * A queue where a write waits for the writes before it and for the reads under way, and a read
 * waits for every write queued before it: a read never sees a write that is not yet saved (and so
 * may still be undone), and two writes never interleave.
 */
export function readWriteQueue(): ReadWriteQueue {
  let tail: Promise<void> = Promise.resolve();
  let readers = 0;
  let drained: (() => void) | undefined;
  return {
    async read(run) {
      // A write queued while this read waited is waited for too.
      for (let seen = tail; ; seen = tail) {
        await seen;
        if (seen === tail) break;
      }
      readers++;
      try {
        return await run();
      } finally {
        readers--;
        if (readers === 0) drained?.();
      }
    },
    async write(run) {
      const previous = tail;
      let done: () => void = () => undefined;
      tail = new Promise((resolve) => {
        done = resolve;
      });
      try {
        await previous;
        if (readers > 0) {
          await new Promise<void>((resolve) => {
            drained = resolve;
          });
          drained = undefined;
        }
        return await run();
      } finally {
        done();
      }
    },
  };
}

/** The path of the control API's long poll. */
const LONG_POLL_PATH = '/__emulator/requests/wait';

/** Whether a request URL is the control API's long poll (its path, not its query). */
function isLongPoll(url: string): boolean {
  if (!url.includes(LONG_POLL_PATH)) return false;
  try {
    return new URL(url).pathname === LONG_POLL_PATH;
  } catch {
    return false;
  }
}

/** The answer to a write that could not be saved: the Management API's 500. */
function notSaved(): EmulatorResponse {
  return INTERNAL_ERROR;
}

/**
 * The answer to a routed write that could not be saved: the 500 in the envelope of the API called
 * (a signup's, `/oauth/token`'s OAuth one, else the Management API's), as the emulator answers a failure.
 */
function notSavedRoute(url: string): EmulatorResponse {
  return errorResponse(transportError(matchRoute(parseRequestUrl(url).pathname).api, 'internal_error'));
}

/** The answer of one write, saved: `run`, then `save` when the users changed; a failed save undoes them (a 500). */
async function savedWrite(
  emulator: Emulator,
  save: (changes: UserChanges) => Promise<void>,
  onSaveError: (error: unknown) => void,
  run: () => Promise<EmulatorResponse>,
  failed: () => EmulatorResponse = notSaved,
): Promise<EmulatorResponse> {
  const changes = emulator.recordChanges();
  try {
    const answer = await run();
    if (!changes.changed) return answer;
    try {
      await save(changes);
      return answer;
    } catch (error) {
      changes.undo();
      onSaveError(error);
      return failed();
    }
  } finally {
    changes.end();
  }
}

/**
 * The emulator's `handle`, made durable: every request that may write (any method but GET and
 * HEAD) runs alone, its changes recorded; when it changed the users, `save` runs before the answer
 * is sent, and a save that fails undoes the changes (the users are exactly as before) and turns the
 * answer into a 500. `onSaveError` hears why. Pass `queue` to run other work between writes.
 * The whole request is queued, an injected fault's delay included: an emulator built with
 * {@link durableRoute} as its `aroundRoute` queues only the part that reaches the users.
 */
export function durableHandle(
  emulator: Emulator,
  save: (changes: UserChanges) => Promise<void>,
  onSaveError: (error: unknown) => void,
  queue: ReadWriteQueue = readWriteQueue(),
): (request: EmulatorRequest) => Promise<EmulatorResponse> {
  return (request) => {
    const reads = request.method === 'GET' || request.method === 'HEAD';
    // A long poll of the control API (GET or HEAD) waits for a request to arrive: held as a read,
    // it would keep out the very write it waits for. It reads no user, so it stays out of the queue.
    // Judged by its path alone: the same words in a query string make no long poll.
    if (reads && isLongPoll(request.url)) return emulator.handle(request);
    if (reads) return queue.read(() => emulator.handle(request));
    return queue.write(() => savedWrite(emulator, save, onSaveError, () => emulator.handle(request)));
  };
}

/** An emulator's `aroundRoute` option. */
export type AroundRoute = NonNullable<EmulatorOptions['aroundRoute']>;

/**
 * The `aroundRoute` of an emulator that saves every change: reads of the users side by side, each
 * write alone and saved as {@link durableHandle} does, but only the part of a request that reaches
 * the users. A delay an injected fault adds, or a 429, happens outside the queue, so it holds no
 * other request. `emulator` is read at each request (the emulator is made before its saver).
 */
export function durableRoute(
  emulator: () => Emulator,
  save: (changes: UserChanges) => Promise<void>,
  onSaveError: (error: unknown) => void,
  queue: ReadWriteQueue,
): AroundRoute {
  return (request, run) => {
    if (request.method === 'GET' || request.method === 'HEAD') return queue.read(run);
    return queue.write(() => savedWrite(emulator(), save, onSaveError, run, () => notSavedRoute(request.url)));
  };
}

/** Whether a request URL is the control API's (its path): those change users outside any route (a reset, an import). */
function isControlRequest(url: string): boolean {
  if (!url.includes(CONTROL_PREFIX)) return false;
  try {
    return isControlPath(new URL(url).pathname);
  } catch {
    return false;
  }
}

/**
 * The `handle` of an emulator built with {@link durableRoute} as its `aroundRoute`: the control
 * API's requests through {@link durableHandle} (a reset or an import changes the users without a
 * route), every other request straight to the emulator, whose `aroundRoute` queues its route.
 */
export function durableRoutes(
  emulator: Emulator,
  save: (changes: UserChanges) => Promise<void>,
  onSaveError: (error: unknown) => void,
  queue: ReadWriteQueue,
): (request: EmulatorRequest) => Promise<EmulatorResponse> {
  const control = durableHandle(emulator, save, onSaveError, queue);
  return (request) => (isControlRequest(request.url) ? control(request) : emulator.handle(request));
}
