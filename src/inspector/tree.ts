import { type Child, h } from './dom.js';

/** How one value reads: strings quoted, everything else as JSON writes it. */
function scalar(value: unknown): HTMLElement {
  const kind = value === null ? 'null' : typeof value;
  return h('span', { class: `value value-${kind}` }, kind === 'string' ? JSON.stringify(value) : String(value));
}

function entriesOf(value: object): [string, unknown][] {
  return Array.isArray(value)
    ? value.map((item, index): [string, unknown] => [String(index), item])
    : Object.entries(value);
}

/**
 * A JSON value as a readable tree under a heading that names it: an object's keys at the top level,
 * nested objects and arrays as `<details>` (open, folded with the keyboard like any disclosure),
 * keys in bold, values coloured by type and spelled as JSON.
 */
export function renderTree(value: unknown, label: string): HTMLElement {
  if (value === undefined) return h('p', { class: 'muted' }, `No ${label}.`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return h('div', { class: 'tree' }, node(label, value));
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return h('p', { class: 'tree muted' }, '{} (empty)');
  return h('div', { class: 'tree' }, ...entries.map(([key, item]) => node(key, item)));
}

function node(key: string, value: unknown): Child {
  if (typeof value !== 'object' || value === null) {
    return h('div', { class: 'leaf' }, h('span', { class: 'key' }, key), ': ', scalar(value));
  }
  const entries = entriesOf(value);
  const summary = Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`;
  if (entries.length === 0) {
    return h(
      'div',
      { class: 'leaf' },
      h('span', { class: 'key' }, key),
      ': ',
      h('span', { class: 'value' }, summary === '[0]' ? '[]' : '{}'),
    );
  }
  return h(
    'details',
    { open: true },
    h('summary', {}, h('span', { class: 'key' }, key), ' ', h('span', { class: 'muted' }, summary)),
    h('div', { class: 'children' }, ...entries.map(([child, item]) => node(child, item))),
  );
}
