// A stream's head as blocks of whole lines, drawn a slice per sync so a burst of output never blocks a frame; when
// earlier text changes (a carriage return redrew the last line), only the blocks from the change on are redrawn.
import { AnsiParser } from './ansi';
import { appendSegments } from './ansiDom';
import { el } from './dom';

/**
 * Characters drawn per sync, cut at a line end. A burst arrives as a whole head (up to 100,000 characters) in one
 * update; drawing that at once took a frame 30-40 ms of CPU, mostly layout.
 */
export const SLICE_CHARS = 10_000;
/** A block this long ends at its next line end. Blocks are laid out on their own, so a slice adds a block, not a relayout of all. */
const BLOCK_CHARS = SLICE_CHARS;

interface Block {
  element: HTMLElement;
  /** Where in the head it starts, and the colours there (a redraw from here starts with them). */
  start: number;
  parser: AnsiParser;
}

export class StreamHead {
  readonly element = el('pre', 'pd-stream-text');
  /** The head text the blocks show. */
  private drawn = '';
  private readonly blocks: Block[] = [];
  /** Carries colours (and half-received sequences) from one slice to the next. */
  private parser = new AnsiParser();

  /** Draws the next slice of the difference: 'partial' while some of `head` is still to be drawn. */
  sync(head: string): 'unchanged' | 'partial' | 'complete' {
    if (head === this.drawn) return 'unchanged';
    if (!head.startsWith(this.drawn)) this.truncate(commonPrefix(head, this.drawn));
    const end = sliceEnd(head, this.drawn.length, SLICE_CHARS);
    this.append(head.slice(this.drawn.length, end));
    this.drawn = head.slice(0, end);
    return end === head.length ? 'complete' : 'partial';
  }

  private append(text: string): void {
    let block = this.blocks[this.blocks.length - 1];
    if (!block || (this.drawn.length - block.start >= BLOCK_CHARS && this.drawn.endsWith('\n'))) {
      block = { element: el('div'), start: this.drawn.length, parser: this.parser.clone() };
      this.blocks.push(block);
      this.element.append(block.element);
    }
    appendSegments(block.element, this.parser.push(text));
  }

  /** Removes the blocks that show text from `keep` on, so drawing resumes at the start of the first of them. */
  private truncate(keep: number): void {
    let first = this.blocks.length;
    while (first > 0 && this.blocks[first - 1].start >= keep) first--;
    if (first > 0 && this.blocks[first]?.start !== keep) first--; // the block the change falls inside goes too
    const removed = this.blocks.splice(first);
    for (const block of removed) block.element.remove();
    if (removed.length) {
      this.parser = removed[0].parser;
      this.drawn = this.drawn.slice(0, removed[0].start);
    }
  }
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Where a slice of at most `size` characters from `start` ends: after its last newline, else between whole UTF-16 pairs. */
export function sliceEnd(text: string, start: number, size: number): number {
  if (text.length - start <= size) return text.length;
  const newline = text.lastIndexOf('\n', start + size - 1);
  if (newline >= start) return newline + 1;
  const end = start + size;
  const code = text.charCodeAt(end - 1);
  return code >= 0xd800 && code <= 0xdbff ? end - 1 : end;
}
