// Rich display data: PNG and SVG as <img> with data: URLs, HTML only in a sandboxed iframe that runs no script,
// plain text as text.
import type { DisplayView } from '../../shared/transcript';
import { el } from './dom';

export function renderDisplay(display: DisplayView): HTMLElement {
  switch (display.mime) {
    case 'image/png':
    case 'image/svg+xml':
      // An <img> never runs an SVG's scripts nor lets its styles reach the page, unlike inline SVG.
      return image(imageUrl(display), display.mime === 'image/png' ? 'Image output' : 'SVG output');
    case 'text/html':
      return htmlFrame(display.data);
    case 'text/plain':
      return el('pre', 'pd-display-text', display.data);
    default: {
      const unknown: never = display.mime;
      return el('div', 'pd-notice', `Cannot show ${String(unknown)} output`);
    }
  }
}

function image(src: string, alt: string): HTMLElement {
  const img = el('img', 'pd-image');
  img.alt = alt;
  img.src = src;
  return img;
}

/**
 * An image's data: URL. Images travel as base64; SVG markup (it starts with '<', which base64 never contains) is
 * accepted as well.
 */
export function imageUrl(display: DisplayView): string {
  if (display.mime !== 'image/svg+xml') return `data:${display.mime};base64,${display.data}`;
  return display.data.trimStart().startsWith('<')
    ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(display.data)}`
    : `data:image/svg+xml;base64,${display.data}`;
}

/**
 * sandbox="" gives the frame an opaque origin and no scripts, forms, popups or navigation of the panel; the page's
 * CSP admits frames only from data: and blob:. A blob: URL, because Chromium refuses data: URLs over 2 MB and an HTML
 * repr may be 1 MB before escaping. The frame cannot size itself without script, so the user can resize it.
 */
function htmlFrame(html: string): HTMLElement {
  const frame = el('iframe', 'pd-html-frame');
  frame.setAttribute('sandbox', '');
  frame.setAttribute('referrerpolicy', 'no-referrer');
  frame.title = 'HTML output';
  const url = URL.createObjectURL(new Blob([themedDocument(html)], { type: 'text/html;charset=utf-8' }));
  frame.addEventListener('load', () => URL.revokeObjectURL(url), { once: true });
  frame.src = url;
  const box = el('div', 'pd-html-box');
  box.append(frame);
  return box;
}

/** The HTML inside a document with the panel's colours and font, which CSS variables cannot carry into a frame. */
function themedDocument(html: string): string {
  const style = getComputedStyle(document.body);
  // Computed values are the panel's own, but a '<' would end the <style> element early.
  const css = (name: string) => style.getPropertyValue(name).replace(/[<>]/g, '');
  const light = document.body.classList.contains('vscode-light') || document.body.classList.contains('vscode-high-contrast-light');
  const scheme = light ? 'light' : 'dark';
  return '<!DOCTYPE html><html><head><meta charset="utf-8"><style>'
    + `:root{color-scheme:${scheme};color:${css('color')};background:${css('background-color')};`
    + `font-family:${css('font-family')};font-size:${css('font-size')}}body{margin:8px}`
    + `</style></head><body>${html}</body></html>`;
}
