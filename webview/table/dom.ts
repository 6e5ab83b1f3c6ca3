// A small element builder, so the views read as the DOM they make.

type Attrs = Record<string, string | number | boolean | undefined>;
type Child = Node | string | undefined | false;

/** Creates an element: `class` and string attributes as attributes, `on*` handlers are not taken (CSP). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, attrs?: Attrs, ...children: Child[]): HTMLElement;
export function h(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  for (const child of children) if (child !== undefined && child !== false) el.append(child);
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';

export function svg(tag: string, attrs: Attrs = {}, ...children: Child[]): SVGElement {
  const el = document.createElementNS(SVG, tag);
  setAttrs(el, attrs);
  for (const child of children) if (child !== undefined && child !== false) el.append(child);
  return el;
}

/** A codicon glyph (the font comes with table.css). */
export function icon(name: string, label?: string): HTMLElement {
  return h('span', { class: `codicon codicon-${name}`, 'aria-hidden': label ? undefined : 'true', 'aria-label': label, role: label ? 'img' : undefined });
}

function setAttrs(el: Element, attrs: Attrs): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
}

/** Notes where the focus is, for a popup about to take it; the returned function puts it back, for keyboard users. */
export function keepFocus(): () => void {
  const before = document.activeElement;
  return () => {
    if (before instanceof HTMLElement && before !== document.body && before.isConnected) before.focus({ preventScroll: true });
  };
}

/** Positions an absolutely placed column cell. */
export function place(el: HTMLElement, left: number, width: number): void {
  el.style.left = `${left}px`;
  el.style.width = `${width}px`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
