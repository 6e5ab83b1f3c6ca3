// The REPL input: Enter runs, Shift+Enter adds a line, Up on the first line and Down on the last walk the history,
// keeping the unsent draft to come back to; live completions show in a suggest list while typing.
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import type { ReplSuggestion } from '../../shared/webviewProtocol';
import { codicon, el } from './dom';
import { ReplSuggest } from './replSuggest';

/** The input grows with its lines up to this many, then scrolls. */
const MAX_ROWS = 12;

export class ReplInput {
  readonly element = el('footer', 'pd-repl');
  private readonly textarea = el('vscode-textarea');
  /** Oldest first; position === history.length is the draft. */
  private history: string[] = [];
  private position = 0;
  private draft = '';
  private readonly suggest: ReplSuggest;

  /** `changed` is told when the text changes (to save the draft); `complete` asks for suggestions at an offset. */
  constructor(private readonly run: (code: string) => void, private readonly changed: () => void,
    complete: (code: string, offset: number) => Promise<ReplSuggestion[]>) {
    this.suggest = new ReplSuggest(complete, (suggestion) => this.replace(suggestion));
    this.textarea.monospace = true;
    this.textarea.rows = 1;
    this.textarea.label = 'Python input';
    this.textarea.placeholder = 'Run Python: Enter runs, Shift+Enter adds a line, Up and Down walk the history';
    this.textarea.addEventListener('keydown', (event) => this.onKey(event));
    this.textarea.addEventListener('input', () => this.onInput());
    this.textarea.addEventListener('blur', () => this.suggest.close());
    this.element.append(codicon('chevron-right', 'pd-prompt'), this.textarea, this.suggest.element);
  }

  get value(): string {
    return this.textarea.value;
  }

  set value(text: string) {
    void this.show(text);
  }

  /** The saved history arrives after the page loads; whatever ran meanwhile comes after it. */
  setHistory(saved: string[]): void {
    const walking = this.position < this.history.length;
    this.history = [...saved, ...this.history];
    this.position = walking ? this.position + saved.length : this.history.length;
  }

  focus(): void {
    this.textarea.focus();
  }

  private onKey(event: KeyboardEvent): void {
    if (event.isComposing || event.altKey || event.metaKey || event.ctrlKey) return;
    if (this.suggest.handleKey(event)) {
      event.preventDefault();
      event.stopPropagation();
      return;
    }
    const input = this.textarea.wrappedElement;
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      this.submit();
    } else if (event.key === 'ArrowUp' && !event.shiftKey && !input.value.slice(0, input.selectionStart).includes('\n')) {
      if (this.walk(-1)) event.preventDefault();
    } else if (event.key === 'ArrowDown' && !event.shiftKey && !input.value.slice(input.selectionEnd).includes('\n')) {
      if (this.walk(1)) event.preventDefault();
    }
  }

  private submit(): void {
    this.suggest.close();
    const code = this.textarea.value;
    if (!code.trim()) return;
    if (this.history[this.history.length - 1] !== code) this.history.push(code);
    this.position = this.history.length;
    this.draft = '';
    void this.show('');
    this.run(code);
  }

  /** Moves through the history; false when there is nowhere to go (the key then does its usual thing). */
  private walk(step: -1 | 1): boolean {
    const next = this.position + step;
    if (next < 0 || next > this.history.length) return false;
    this.suggest.close();
    if (this.position === this.history.length) this.draft = this.textarea.value;
    this.position = next;
    void this.show(next === this.history.length ? this.draft : this.history[next]);
    return true;
  }

  private async show(text: string): Promise<void> {
    this.textarea.value = text;
    this.fitRows(text);
    await this.textarea.updateComplete;
    const input = this.textarea.wrappedElement;
    input.setSelectionRange(text.length, text.length);
    if (!text) input.scrollTop = 0; // a one-row box must not stay scrolled to the last line of the code it held
    this.changed();
  }

  private onInput(): void {
    this.fitRows(this.textarea.value);
    this.changed();
    this.suggest.changed(this.textarea.value, this.textarea.wrappedElement.selectionStart);
  }

  /** A chosen suggestion replaces what it completes; the caret goes after it. False when that changed nothing. */
  private replace({ text, start, end }: ReplSuggestion): boolean {
    const code = this.textarea.value;
    const caret = this.textarea.wrappedElement.selectionStart;
    const replaced = code.slice(0, start) + text + code.slice(end);
    if (replaced === code && caret === start + text.length) return false;
    this.textarea.value = replaced;
    this.textarea.wrappedElement.value = this.textarea.value;
    this.textarea.wrappedElement.setSelectionRange(start + text.length, start + text.length);
    this.fitRows(this.textarea.value);
    this.changed();
    return true;
  }

  private fitRows(text: string): void {
    let lines = 1;
    for (let i = text.indexOf('\n'); i >= 0 && lines < MAX_ROWS; i = text.indexOf('\n', i + 1)) lines++;
    this.textarea.rows = lines;
  }
}
