// Small DOM builders for the panel: elements with a class and text, codicons, icon and link buttons; never HTML strings.

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

/** A codicon glyph, hidden from screen readers (the control around it carries the label). */
export function codicon(name: string, extra = ''): HTMLSpanElement {
  const span = el('span', `codicon codicon-${name}${extra ? ` ${extra}` : ''}`);
  span.setAttribute('aria-hidden', 'true');
  return span;
}

/** A native button (Enter and Space work, it is in the tab order) that does not toggle what it sits in. */
function button(className: string, label: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', className);
  b.type = 'button';
  b.setAttribute('aria-label', label);
  b.addEventListener('click', (event) => {
    event.stopPropagation();
    onClick();
  });
  return b;
}

/** A small icon button, e.g. copy; `text` shows beside the icon (the label is for hover and screen readers). */
export function iconButton(icon: string, label: string, onClick: () => void, text?: string): HTMLButtonElement {
  const b = button('pd-icon-button', label, onClick);
  b.title = label;
  b.append(codicon(icon));
  if (text !== undefined) b.append(el('span', 'pd-button-text', text));
  return b;
}

const flashes = new WeakMap<HTMLButtonElement, ReturnType<typeof setTimeout>>();

/** Shows `icon` on an icon button for a moment (a check mark after copying), then its own icon again. */
export function flashIcon(b: HTMLButtonElement, icon: string, own: string, ms = 1500): void {
  const glyph = b.querySelector('.codicon') as HTMLElement;
  glyph.className = `codicon codicon-${icon}`;
  clearTimeout(flashes.get(b));
  flashes.set(b, setTimeout(() => (glyph.className = `codicon codicon-${own}`), ms));
}

/** A button that reads like a link: "Open full output", a traceback frame, a source location. */
export function linkButton(label: string, onClick: () => void, text?: string): HTMLButtonElement {
  const b = button('pd-link', label, onClick);
  if (text !== undefined) b.textContent = text;
  return b;
}
