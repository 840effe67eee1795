// The one way the dashboard builds DOM: elements with attributes and text nodes. Text goes in through
// textContent / text nodes only, never markup, so a name like `<img src=x onerror=…>` stays text.
// Event-handler and style attributes are refused outright: handlers are added with addEventListener, and
// a style attribute would be blocked by the CSP anyway.

export type Child = Node | string | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Readonly<Record<string, string | undefined>>,
  ...children: Child[]
): HTMLElementTagNameMap[K];
export function el(tag: string, attrs?: Readonly<Record<string, string | undefined>>, ...children: Child[]): HTMLElement;
export function el(tag: string, attrs: Readonly<Record<string, string | undefined>> = {}, ...children: Child[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    if (/^on/i.test(name) || name.toLowerCase() === 'style') throw new Error(`refusing attribute ${name}`);
    if (name === 'class') node.className = value;
    else node.setAttribute(name, value);
  }
  append(node, children);
  return node;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Text for screen readers only (the visual cue is shown another way). */
export function srOnly(text: string): HTMLSpanElement {
  return el('span', { class: 'sr-only' }, text);
}
