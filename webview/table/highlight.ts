// Search matches marked in a cell's text: each occurrence of the search, ignoring case, in a <mark>.

/** The parts of text, alternating between no match and a match (the first part may be empty); [text] when none. */
export function matchParts(text: string, search: string): string[] {
  if (!search) return [text];
  const pattern = new RegExp(search.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'giu');
  const parts: string[] = [];
  let from = 0;
  for (const match of text.matchAll(pattern)) {
    parts.push(text.slice(from, match.index), match[0]);
    from = match.index! + match[0].length;
  }
  parts.push(text.slice(from));
  return parts;
}

/** Puts text into el, its matches of search in <mark> elements. */
export function showMarked(el: HTMLElement, text: string, search: string): void {
  const parts = matchParts(text, search);
  if (parts.length === 1) {
    el.textContent = text;
    return;
  }
  el.replaceChildren(...parts.map((part, i) => {
    if (i % 2 === 0) return part;
    const mark = document.createElement('mark');
    mark.textContent = part;
    return mark;
  }));
}
