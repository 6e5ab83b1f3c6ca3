// A stdout/stderr output drawn incrementally: the head grows by slices (StreamHead), the tail is redrawn when it
// changes, and between them "N lines elided — Open full output". Past the line limit it scrolls in a region of its own
// that follows its end, with the line count and "Open full output" below it.
import './stream.css';
import type { PanelSettings } from '../../shared/webviewProtocol';
import { countLines, type StreamOutput } from '../../shared/transcript';
import { AnsiParser } from './ansi';
import { appendSegments } from './ansiDom';
import { codicon, el, linkButton } from './dom';
import { formatCount } from './numbers';
import { StickyScroll } from './stickyScroll';
import { StreamHead } from './streamHead';

export class StreamView {
  readonly element: HTMLElement;
  private readonly head = new StreamHead();
  /** What scrolls once the stream is over the line limit. */
  private readonly region = el('div', 'pd-stream-region');
  private readonly content = el('div');
  private readonly elision = el('div', 'pd-elision');
  private readonly elidedLabel = el('span');
  private readonly tailEl = el('pre', 'pd-stream-text');
  /** Made once the output is over the limit: most outputs never are. */
  private footerLabel: HTMLElement | undefined;
  /** What the DOM shows, to draw only the difference. */
  private tail = '';
  private elided = 0;
  private headLines = 0;
  private countedHead = '';

  constructor(name: StreamOutput['name'], private readonly openFullOutput: () => void, private readonly settings: PanelSettings) {
    this.element = el('div', `pd-stream pd-${name}`);
    this.elision.append(codicon('ellipsis'), this.elidedLabel, document.createTextNode(' — '),
      linkButton('Open full output', openFullOutput, 'Open full output'));
    this.elision.hidden = true;
    this.tailEl.hidden = true;
    this.content.append(this.head.element, this.elision, this.tailEl);
    this.region.append(this.content);
    this.element.append(this.region);
  }

  /**
   * Draws the next part of the difference; false while some is still to be drawn (sync again next frame). The elision
   * and the tail wait for the head, so lines show in order, and for a frame of their own, so no frame lays out both.
   */
  sync(stream: StreamOutput): boolean {
    const head = this.head.sync(stream.head);
    if (head === 'partial' || (head === 'complete' && (stream.elidedLines !== this.elided || stream.tail !== this.tail))) {
      this.limit(stream);
      return false;
    }
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
    this.limit(stream);
    return true;
  }

  /** With more lines drawn than the limit, the output scrolls in its region (height: --pd-output-lines), following its end. */
  private limit(stream: StreamOutput): void {
    if (stream.head !== this.countedHead) {
      this.countedHead = stream.head;
      this.headLines = countLines(stream.head);
    }
    const last = stream.tail || stream.head;
    const drawn = this.headLines + countLines(stream.tail) + (last && !last.endsWith('\n') ? 1 : 0);
    const over = drawn > this.settings.outputLineLimit;
    if (!over) return;
    if (!this.footerLabel) {
      this.element.classList.add('pd-over-limit');
      this.region.tabIndex = 0; // scrolls with the keyboard
      this.region.setAttribute('role', 'region');
      new StickyScroll(this.region, [this.content]); // follows the end from now on (its listeners keep it)
      this.footerLabel = el('span');
      const footer = el('div', 'pd-stream-footer');
      footer.append(codicon('list-flat'), this.footerLabel, document.createTextNode(' — '),
        linkButton('Open full output', this.openFullOutput, 'Open full output'));
      this.element.append(footer);
    }
    const label = `${formatCount(drawn + stream.elidedLines)} lines, ${formatCount(this.settings.outputLineLimit)} in view`;
    this.footerLabel.textContent = label;
    this.region.setAttribute('aria-label', `Output, ${label}`);
  }
}
