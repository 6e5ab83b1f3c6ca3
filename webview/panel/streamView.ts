// A stdout/stderr output drawn incrementally: the head grows by appends, the tail is redrawn when it changes, and
// between them "N lines elided — Open full output".
import type { StreamOutput } from '../shared/transcript';
import { AnsiParser } from './ansi';
import { appendSegments } from './ansiDom';
import { codicon, el, linkButton } from './dom';

export class StreamView {
  readonly element: HTMLElement;
  private readonly headEl = el('pre', 'pd-stream-text');
  private readonly elision = el('div', 'pd-elision');
  private readonly elidedLabel = el('span');
  private readonly tailEl = el('pre', 'pd-stream-text');
  /** What the DOM shows, to draw only the difference. */
  private head = '';
  private tail = '';
  private elided = 0;
  /** Carries colours (and half-received sequences) from one appended chunk to the next. */
  private headParser = new AnsiParser();

  constructor(name: StreamOutput['name'], openFullOutput: () => void) {
    this.element = el('div', `pd-stream pd-${name}`);
    this.elision.append(codicon('ellipsis'), this.elidedLabel, document.createTextNode(' — '),
      linkButton('Open full output', openFullOutput, 'Open full output'));
    this.elision.hidden = true;
    this.tailEl.hidden = true;
    this.element.append(this.headEl, this.elision, this.tailEl);
  }

  sync(stream: StreamOutput): void {
    if (stream.head !== this.head) {
      if (stream.head.startsWith(this.head)) {
        appendSegments(this.headEl, this.headParser.push(stream.head.slice(this.head.length)));
      } else {
        this.headParser = new AnsiParser();
        this.headEl.replaceChildren();
        appendSegments(this.headEl, this.headParser.push(stream.head));
      }
      this.head = stream.head;
    }
    if (stream.elidedLines !== this.elided) {
      this.elided = stream.elidedLines;
      this.elidedLabel.textContent = `${this.elided.toLocaleString()} ${this.elided === 1 ? 'line' : 'lines'} elided`;
      this.elision.hidden = this.elided === 0;
    }
    if (stream.tail !== this.tail) {
      // The tail is bounded and loses lines at its start as it moves, so it is drawn afresh (colours start plain).
      this.tail = stream.tail;
      this.tailEl.replaceChildren();
      appendSegments(this.tailEl, new AnsiParser().push(stream.tail));
      this.tailEl.hidden = this.tail === '';
    }
  }
}
