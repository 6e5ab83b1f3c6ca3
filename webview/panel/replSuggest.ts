// The REPL input's suggest list: live completions from the session's language server, shown just above the input
// (it sits at the panel's bottom edge); Up/Down choose, Tab or Enter accepts, Escape closes. While the answer to the
// latest typing is on its way, and when accepting would change nothing, keys keep their usual meaning (Enter runs).
import type { ReplSuggestion } from '../../shared/webviewProtocol';
import { el } from './dom';

/** What typing asks for suggestions after: a name character, or one of the server's trigger characters. */
const ASKS_AFTER = /[\p{L}\p{N}_.[("',]$/u;
const MAX_SHOWN = 10;

export class ReplSuggest {
  readonly element = el('div', 'pd-suggest');
  private items: ReplSuggestion[] = [];
  private selected = 0;
  /** Counts asks, so a reply to an older one (typing went on) is dropped. */
  private generation = 0;
  /** The list shown answers older text than the input's: it takes no keys until the newer answer comes. */
  private stale = false;

  /** `accept` applies a suggestion and says whether that changed the input. */
  constructor(
    private readonly ask: (code: string, offset: number) => Promise<ReplSuggestion[]>,
    private readonly accept: (suggestion: ReplSuggestion) => boolean,
  ) {
    this.element.setAttribute('role', 'listbox');
    this.element.setAttribute('aria-label', 'Suggestions');
    this.element.hidden = true;
  }

  get open(): boolean {
    return !this.element.hidden;
  }

  /** The input changed: asks again where typing asks for it, else closes. */
  changed(code: string, offset: number): void {
    const generation = ++this.generation;
    if (!ASKS_AFTER.test(code.slice(0, offset))) return this.close();
    this.stale = true;
    this.ask(code, offset).then(
      (items) => { if (generation === this.generation) this.show(items); },
      (error: Error) => console.warn(`pydock: no completions: ${error.message}`),
    );
  }

  /** Keys the open list takes for itself (the caller then drops their usual meaning); false when it is closed. */
  handleKey(event: KeyboardEvent): boolean {
    if (!this.open || this.stale) return false;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      this.select((this.selected + (event.key === 'ArrowDown' ? 1 : -1) + this.items.length) % this.items.length);
    } else if (event.key === 'Tab' && !event.shiftKey) {
      this.choose(this.selected);
    } else if (event.key === 'Enter' && !event.shiftKey) {
      return this.choose(this.selected); // accepting what is already typed: Enter runs it
    } else if (event.key === 'Escape') {
      this.close();
    } else {
      return false;
    }
    return true;
  }

  close(): void {
    this.generation++;
    this.stale = false;
    this.items = [];
    this.element.hidden = true;
    this.element.replaceChildren();
  }

  private show(items: ReplSuggestion[]): void {
    if (!items.length) return this.close();
    this.items = items;
    this.stale = false;
    this.element.replaceChildren(...items.map((item, index) => {
      const row = el('div', 'pd-suggest-row');
      row.setAttribute('role', 'option');
      row.append(el('span', 'pd-suggest-label', item.label), el('span', 'pd-suggest-description', item.description));
      row.addEventListener('mousedown', (event) => {
        event.preventDefault(); // the input keeps the focus
        void this.choose(index);
      });
      return row;
    }));
    this.element.style.maxHeight = `${MAX_SHOWN * 22}px`;
    this.element.hidden = false;
    this.select(0);
  }

  private select(index: number): void {
    this.selected = index;
    [...this.element.children].forEach((row, i) => row.setAttribute('aria-selected', String(i === index)));
    this.element.children[index]?.scrollIntoView({ block: 'nearest' });
  }

  /** Applies the item and closes; false when that changed nothing. */
  private choose(index: number): boolean {
    const item = this.items[index];
    this.close();
    return item !== undefined && this.accept(item);
  }
}
