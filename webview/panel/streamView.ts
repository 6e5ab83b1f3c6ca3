// A stdout/stderr output drawn incrementally: the head grows by slices (StreamHead), the tail is redrawn when it
// changes, and between them "N lines elided — Open full output".
import type { StreamOutput } from '../../shared/transcript';
import { AnsiParser } from './ansi';
import { appendSegments } from './ansiDom';
import { codicon, el, linkButton } from './dom';
import { formatCount } from './numbers';
import { StreamHead } from './streamHead';

export class StreamView {
  readonly element: HTMLElement;
  private readonly head = new StreamHead();
  private readonly elision = el('div', 'pd-elision');
  private readonly elidedLabel = el('span');
  private readonly tailEl = el('pre', 'pd-stream-text');
  /** What the DOM shows, to draw only the difference. */
  private tail = '';
  private elided = 0;

  constructor(name: StreamOutput['name'], openFullOutput: () => void) {
    this.element = el('div', `pd-stream pd-${name}`);
    this.elision.append(codicon('ellipsis'), this.elidedLabel, document.createTextNode(' — '),
      linkButton('Open full output', openFullOutput, 'Open full output'));
    this.elision.hidden = true;
    this.tailEl.hidden = true;
    this.element.append(this.head.element, this.elision, this.tailEl);
  }

  /**
   * Draws the next part of the difference; false while some is still to be drawn (sync again next frame). The elision
   * and the tail wait for the head, so lines show in order, and for a frame of their own, so no frame lays out both.
   */
  sync(stream: StreamOutput): boolean {
    const head = this.head.sync(stream.head);
    if (head === 'partial' || (head === 'complete' && (stream.elidedLines !== this.elided || stream.tail !== this.tail))) return false;
    if (stream.elidedLines !== this.elided) {
      this.elided = stream.elidedLines;
      this.elidedLabel.textContent = `${formatCount(this.elided)} ${this.elided === 1 ? 'line' : 'lines'} elided`;
      this.elision.hidden = this.elided === 0;
    }
    if (stream.tail !== this.tail) {
      // The tail is bounded and loses lines at its start as it moves, so it is drawn afresh (colours start plain).
      this.tail = stream.tail;
      this.tailEl.replaceChildren();
      appendSegments(this.tailEl, new AnsiParser().push(stream.tail));
      this.tailEl.hidden = this.tail === '';
    }
    return true;
  }
}
