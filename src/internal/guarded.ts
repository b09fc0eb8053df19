/**
 * The one wrapper of every export ({@link guarded}) and the marker that lets a caller's own
 * callbacks throw through it ({@link callback}).
 */

/**
 * What a caller's own callback (`now`, `generateId`) threw, carried through {@link guarded} so
 * that it reaches the caller unchanged instead of reading as bad input.
 */
class CallbackFailure {
  constructor(readonly thrown: unknown) {
    callbackFailures.add(this);
  }
}

/**
 * The failures {@link callback} made. Looked up here rather than with `instanceof`, which reads the
 * prototype of what was thrown: a revoked Proxy thrown by hostile input would make that throw.
 */
const callbackFailures = new WeakSet<object>();

function isCallbackFailure(error: unknown): error is CallbackFailure {
  return typeof error === 'object' && error !== null && callbackFailures.has(error);
}

/**
 * Calls one of the caller's own callbacks. If it throws, {@link guarded} rethrows that error as it
 * was: a broken clock is the caller's bug, not an issue with the data.
 */
export function callback<Value>(run: () => Value): Value {
  try {
    return run();
  } catch (error) {
    throw new CallbackFailure(error);
  }
}

/**
 * Runs `compute` and turns anything it throws into `fallback(thrown)`, so hostile input (a Proxy
 * whose traps throw, a throwing getter) gives a value, never an exception. What the caller's own
 * callbacks threw (see {@link callback}) is rethrown unchanged. Exports call internal
 * implementations only, never one another, so a wrapper never runs inside another: the marker of a
 * callback failure is always unwrapped by the export the caller called, and a library call made
 * inside a callback throws the caller's own error too.
 */
export function guarded<Value>(compute: () => Value, fallback: (thrown: unknown) => Value): Value {
  try {
    return compute();
  } catch (error) {
    if (isCallbackFailure(error)) throw error.thrown;
    return fallback(error);
  }
}
