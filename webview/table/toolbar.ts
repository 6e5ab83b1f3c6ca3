// The toolbar: title, "filtered of total" counts, the global search box and the view's actions.
import type { TableSchema } from '../../shared/agentProtocol';
import { tableHeading, tableShape, tableTitle, type TableLabel } from '../../shared/tableTitle';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import type { VscodeToolbarButton } from '@vscode-elements/elements/dist/vscode-toolbar-button/vscode-toolbar-button.js';
import { h, icon } from './dom';

/** A new search waits this long for the next keystroke: long enough to skip most of a word, short enough not to feel. */
const SEARCH_DEBOUNCE_MS = 150;

export interface ToolbarCallbacks {
  search(text: string): void;
  addFilter(): void;
  profile(): void;
  export(anchor: DOMRect): void;
  copyCode(): void;
  /** Shows or hides the summary row. */
  summaries(shown: boolean): void;
  /** Reads the source again. */
  refresh(): void;
}

export class Toolbar {
  readonly el = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Table' });
  private readonly title = h('span', { class: 'title' });
  private readonly counts = h('span', { class: 'counts', 'aria-live': 'polite' });
  private readonly busy = h('vscode-progress-ring', { class: 'busy', 'aria-label': 'Working' });
  private readonly searchField = h('vscode-textfield', { class: 'search', placeholder: 'Search', 'aria-label': 'Search all columns' }) as VscodeTextfield;
  private readonly buttons: HTMLElement[];
  private readonly summariesButton: VscodeToolbarButton;
  private readonly refreshButton: HTMLElement;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private label: TableLabel = { name: '', snapshot: false };

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
    this.summariesButton = h('vscode-toolbar-button', { icon: 'graph-line', label: 'Column Summaries', title: 'Column Summaries', class: 'action-summaries', toggleable: true });
    this.summariesButton.addEventListener('change', () => callbacks.summaries(this.summariesButton.checked));
    this.refreshButton = button('refresh', 'Refresh (read the source again)', () => callbacks.refresh(), 'action-refresh');
    this.refreshButton.hidden = true;
    this.buttons = [
      this.refreshButton,
      this.summariesButton,
      button('filter', 'Add Filter (active column)', () => callbacks.addFilter(), 'action-filter'),
      button('graph', 'Profile Column (active column)', () => callbacks.profile(), 'action-profile'),
      button('export', 'Export…', (anchor) => callbacks.export(anchor), 'action-export'),
      button('code', 'Copy as Code', () => callbacks.copyCode(), 'action-copy-code'),
    ];
    this.el.append(this.title, this.counts, this.busy, h('span', { class: 'spacer' }), this.searchField, ...this.buttons);
  }

  /** The source ("df", "In [7] (snapshot)"), and whether it can be read again (the Refresh button). */
  setSource(label: TableLabel, refreshable: boolean): void {
    this.label = label;
    this.title.textContent = tableHeading(label);
    this.refreshButton.hidden = !refreshable;
  }

  /** "12,345 of 10,000,000 rows × 3 columns", "Series · 4 · float64 · temperature"; the page title as the tab's. */
  setCounts(schema: TableSchema): void {
    this.counts.textContent = tableShape(schema);
    this.counts.classList.toggle('counting', schema.partial === true);
    this.counts.title = schema.partial ? 'The first matches; the rest are being counted' : '';
    document.title = tableTitle(this.label, schema);
  }

  setSummaries(shown: boolean): void {
    this.summariesButton.checked = shown;
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
