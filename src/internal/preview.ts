/** Short, safe renderings of caller values for messages: bounded in length, depth and work. */
import { getOwn } from './object.js';
import { isOnStack } from './sizes.js';
import { nonJsonKind } from './values.js';

interface PreviewFrame {
  readonly source: object;
  readonly keys: readonly string[] | undefined;
  readonly count: number;
  index: number;
}

/** Deeper than this, a container is shown as `[…]`. */
const MAX_DEPTH = 32;

function scalar(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return 'symbol';
    case 'function':
      return '[function]';
    default:
      return String(value);
  }
}

/**
 * `value` written as JSON, cut after `maxLength` characters with `…`. Never throws and never does
 * more work than the text it writes: a shared object is written where it appears until the text is
 * long enough, a cycle is written `[Circular]`, nesting past 32 levels `[…]`, a value JSON cannot
 * carry by its kind (`[Map]`, `123n`, `undefined`), a getter `[accessor]` (it is never called).
 */
export function preview(value: unknown, maxLength: number): string {
  const parts: string[] = [];
  let length = 0;
  const write = (text: string): boolean => {
    parts.push(text);
    length += text.length;
    return length <= maxLength;
  };
  const stack: PreviewFrame[] = [];
  try {
    let next: unknown = value;
    let pending = true;
    for (;;) {
      if (pending) {
        pending = false;
        let fits: boolean;
        if (typeof next !== 'object' || next === null) fits = write(scalar(next));
        else if (nonJsonKind(next) !== undefined) fits = write(`[${nonJsonKind(next)}]`);
        else if (isOnStack(stack, next)) fits = write('[Circular]');
        else if (stack.length >= MAX_DEPTH) fits = write('[…]');
        else {
          const keys = Array.isArray(next) ? undefined : Object.keys(next);
          const count = keys === undefined ? Number(Reflect.get(next, 'length')) || 0 : keys.length;
          stack.push({ source: next, keys, count, index: 0 });
          fits = write(keys === undefined ? '[' : '{');
        }
        if (!fits) break;
      }
      const frame = stack[stack.length - 1];
      if (frame === undefined) break;
      if (frame.index >= frame.count) {
        stack.pop();
        if (!write(frame.keys === undefined ? ']' : '}')) break;
        continue;
      }
      const index = frame.index++;
      const key = frame.keys === undefined ? String(index) : (frame.keys[index] ?? '');
      const separator = index === 0 ? '' : ',';
      if (!write(frame.keys === undefined ? separator : `${separator}${JSON.stringify(key)}:`)) break;
      const descriptor = Object.getOwnPropertyDescriptor(frame.source, key);
      if (descriptor !== undefined && !('value' in descriptor)) {
        if (!write('[accessor]')) break;
        continue;
      }
      next = getOwn(frame.source, key);
      pending = true;
    }
  } catch {
    write('[unreadable]');
  }
  const text = parts.join('');
  return text.length <= maxLength ? text : `${text.slice(0, maxLength)}…`;
}
