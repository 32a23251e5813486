/* global document, Node */
/**
 * A tiny DOM helper: elements are built with textContent and setAttribute only, never
 * from markup, so whatever a body or a name holds is shown as text.
 */

/**
 * `h('li', { class: 'x', dataset: { id }, onclick }, 'text', child)`. Props: `class`, `text`,
 * `dataset`, `on<event>` (a function), anything else as an attribute (true: present; false,
 * null or undefined: left out). Children: nodes, strings, numbers, arrays; null is skipped.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'dataset') for (const [k, v] of Object.entries(value)) el.dataset[k] = String(v);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** The element with this id (throws when the page lacks it: a bug, not a runtime case). */
export function byId(id) {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`no #${id} on the page`);
  return el;
}

/** Replaces `el`'s children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** `14:03:27.481` (local time) for a time in ms since the epoch. */
export function clock(ms) {
  const d = new Date(ms);
  const two = (n) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** The first `length` characters of an id, for lists (the full id goes in the title). */
export function shortId(id, length = 8) {
  return typeof id === 'string' && id.length > length ? `${id.slice(0, length)}…` : String(id ?? '');
}
