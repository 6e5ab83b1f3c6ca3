// Styled ANSI segments as DOM: text nodes and spans with colours, appended so that a growing stream stays few nodes.
import { isPlain, styleCss, type AnsiSegment, type AnsiStyle } from './ansi';

/** The style each span was drawn with, so the next chunk in the same style extends it. */
const spanStyles = new WeakMap<Node, AnsiStyle>();

export function appendSegments(parent: Node, segments: AnsiSegment[]): void {
  for (const { text, style } of segments) {
    const last = parent.lastChild;
    if (isPlain(style)) {
      if (last instanceof Text) last.appendData(text);
      else parent.appendChild(document.createTextNode(text));
    } else if (last && spanStyles.get(last) === style) {
      (last.firstChild as Text).appendData(text);
    } else {
      parent.appendChild(styledSpan(text, style));
    }
  }
}

function styledSpan(text: string, style: AnsiStyle): HTMLSpanElement {
  const span = document.createElement('span');
  const css = styleCss(style);
  if (css.classes.length) span.className = css.classes.join(' ');
  if (css.color) span.style.color = css.color;
  if (css.background) span.style.backgroundColor = css.background;
  span.textContent = text;
  spanStyles.set(span, style);
  return span;
}
