// The toolbar: title, "filtered of total" counts, the global search box and the view's actions.
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import { formatCount, h, icon } from './dom';

const SEARCH_DEBOUNCE_MS = 300;

export interface ToolbarCallbacks {
  search(text: string): void;
  addFilter(): void;
  profile(): void;
  export(anchor: DOMRect): void;
  copyCode(): void;
}

export class Toolbar {
  readonly el = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Table' });
  private readonly title = h('span', { class: 'title' });
  private readonly counts = h('span', { class: 'counts', 'aria-live': 'polite' });
  private readonly busy = h('vscode-progress-ring', { class: 'busy', 'aria-label': 'Working' });
  private readonly searchField = h('vscode-textfield', { class: 'search', placeholder: 'Search', 'aria-label': 'Search all columns' }) as VscodeTextfield;
  private readonly buttons: HTMLElement[];
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(callbacks: ToolbarCallbacks) {
    this.busy.hidden = true;
    const searchIcon = icon('search');
    searchIcon.slot = 'content-before';
    this.searchField.append(searchIcon);
    this.searchField.addEventListener('input', () => {
      clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => {
        this.searchTimer = undefined;
        callbacks.search(this.searchField.value);
      }, SEARCH_DEBOUNCE_MS);
    });
    this.searchField.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === 'Escape') {
        if (event.key === 'Escape') this.searchField.value = '';
        clearTimeout(this.searchTimer);
        this.searchTimer = undefined;
        callbacks.search(this.searchField.value);
      }
    });
    const button = (iconName: string, label: string, action: (anchor: DOMRect) => void, extra = '') => {
      const el = h('vscode-toolbar-button', { icon: iconName, label, title: label, class: extra });
      el.addEventListener('click', () => action(el.getBoundingClientRect()));
      return el;
    };
    this.buttons = [
      button('filter', 'Add Filter (active column)', () => callbacks.addFilter(), 'action-filter'),
      button('graph', 'Profile Column (active column)', () => callbacks.profile(), 'action-profile'),
      button('export', 'Export…', (anchor) => callbacks.export(anchor), 'action-export'),
      button('code', 'Copy as Code', () => callbacks.copyCode(), 'action-copy-code'),
    ];
    this.el.append(this.title, this.counts, this.busy, h('span', { class: 'spacer' }), this.searchField, ...this.buttons);
  }

  setTitle(title: string): void {
    this.title.textContent = title;
    document.title = title;
  }

  /** "12,345 of 10,000,000 rows" while filtered, "10,000,000 rows" otherwise; then the column count. */
  setCounts(filtered: number, total: number, columns: number): void {
    const rows = filtered === total ? `${formatCount(total)} rows` : `${formatCount(filtered)} of ${formatCount(total)} rows`;
    this.counts.textContent = `${rows} × ${formatCount(columns)} ${columns === 1 ? 'column' : 'columns'}`;
  }

  /** Shows the view's search, unless the user is typing one. */
  setSearch(text: string): void {
    if (this.searchTimer !== undefined || this.searchField.matches(':focus-within')) return;
    if (this.searchField.value !== text) this.searchField.value = text;
  }

  /** Ctrl+F: to the search box, its text selected so typing replaces it. */
  focusSearch(): void {
    this.searchField.focus();
    this.searchField.wrappedElement.select();
  }

  setBusy(busy: boolean): void {
    this.busy.hidden = !busy;
  }

  /** A closed table takes no more actions. */
  disable(): void {
    this.searchField.disabled = true;
    for (const button of this.buttons) button.inert = true;
    this.el.classList.add('disabled');
  }
}
