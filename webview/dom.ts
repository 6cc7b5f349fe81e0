/**
 * DOM helpers. Every data-derived string goes through textContent or setAttribute (never innerHTML).
 */

export type Child = Node | string | number | null | undefined | false;

export interface Props {
  class?: string;
  title?: string;
  id?: string;
  role?: string;
  /** Other attributes (values set with setAttribute: text, never markup). */
  attrs?: Record<string, string | number | boolean | undefined>;
  /** data-* attributes. */
  data?: Record<string, string | number>;
  on?: Record<string, (ev: Event) => void>;
}

function applyProps(el: Element, props: Props | undefined): void {
  if (!props) return;
  if (props.class) el.setAttribute('class', props.class);
  if (props.title !== undefined) el.setAttribute('title', props.title);
  if (props.id) el.setAttribute('id', props.id);
  if (props.role) el.setAttribute('role', props.role);
  for (const [k, v] of Object.entries(props.attrs ?? {})) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const [k, v] of Object.entries(props.data ?? {})) el.setAttribute(`data-${k}`, String(v));
  for (const [k, f] of Object.entries(props.on ?? {})) el.addEventListener(k, f);
}

function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** An HTML element; strings become text nodes. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, props?: Props, ...children: Child[]): HTMLElement;
export function h(tag: string, props?: Props, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  applyProps(el, props);
  append(el, children);
  return el;
}

export const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element with numeric/string attributes; strings among children become text nodes. */
export function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | undefined> = {},
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, String(v));
  append(el, children);
  return el;
}

/** An SVG <title> (the hover text) with the given text. */
export function svgTitle(text: string): SVGTitleElement {
  return s('title', {}, text);
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}
