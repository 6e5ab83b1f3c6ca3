// Filters on screen: the chips of active filters (with a way to clear them) and the editor of one column's filter.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { VscodeCheckbox } from '@vscode-elements/elements/dist/vscode-checkbox/vscode-checkbox.js';
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import type { ColumnFilter, TableSchema } from '../../shared/webviewProtocol';
import { h, icon, keepFocus } from './dom';
import { describeFilter, filterInput, makeFilter, opInfo, opsFor, type FilterOp } from './filterModel';

export interface FilterBarCallbacks {
  edit(index: number): void;
  remove(index: number): void;
  clearSearch(): void;
  clearAll(): void;
}

export class FilterBar {
  readonly el = h('div', { class: 'filter-bar', role: 'list', 'aria-label': 'Active filters', hidden: true });

  constructor(private readonly callbacks: FilterBarCallbacks) {}

  render(schema: TableSchema): void {
    const chips = schema.filters.map((filter, i) =>
      chip(describeFilter(filter, schema.columns[filter.column]?.name ?? `column ${filter.column}`), () => this.callbacks.edit(i), () => this.callbacks.remove(i)));
    if (schema.search) chips.push(chip(`search "${schema.search}"`, undefined, () => this.callbacks.clearSearch()));
    const clear = h('vscode-button', { secondary: true, class: 'clear-filters' }, 'Clear all');
    clear.addEventListener('click', () => this.callbacks.clearAll());
    this.el.replaceChildren(icon('filter'), ...chips, clear);
    this.el.hidden = chips.length === 0;
  }
}

function chip(text: string, edit: (() => void) | undefined, remove: () => void): HTMLElement {
  const label = h('button', { class: 'chip-label', title: edit ? 'Edit this filter' : text, disabled: !edit }, text);
  if (edit) label.addEventListener('click', edit);
  const removeButton = h('button', { class: 'chip-remove', title: 'Remove', 'aria-label': `Remove ${text}` }, icon('close'));
  removeButton.addEventListener('click', remove);
  return h('span', { class: 'chip', role: 'listitem' }, label, removeButton);
}

/** The popover that edits one column's filter: operator, value(s), case. */
export class FilterEditor {
  private el: HTMLElement | undefined;
  private giveFocusBack = (): void => undefined;
  private readonly outside = (event: MouseEvent) => {
    if (this.el && !event.composedPath().includes(this.el)) this.close();
  };

  open(schema: TableSchema, column: number, anchor: DOMRect, existing: ColumnFilter | undefined, apply: (filter: ColumnFilter) => void): void {
    this.close();
    this.giveFocusBack = keepFocus();
    const info = schema.columns[column];
    const input = existing ? filterInput(existing) : { op: defaultOp(info.kind), value: '', value2: '', caseSensitive: false };
    const op = h('vscode-single-select', { class: 'filter-op', 'aria-label': 'Operator' }) as VscodeSingleSelect;
    for (const o of opsFor(info.kind, existing?.op)) op.append(h('vscode-option', { value: o.op, selected: o.op === input.op }, o.label));
    const value = h('vscode-textfield', { class: 'filter-value', 'aria-label': 'Value' }) as VscodeTextfield;
    const value2 = h('vscode-textfield', { class: 'filter-value2', placeholder: 'and', 'aria-label': 'Upper value' }) as VscodeTextfield;
    const matchCase = h('vscode-checkbox', { class: 'filter-case', label: 'Match case' }) as VscodeCheckbox;
    value.value = input.value;
    value2.value = input.value2;
    matchCase.checked = input.caseSensitive;
    const error = h('div', { class: 'filter-error', role: 'alert' });
    const applyButton = h('vscode-button', { class: 'filter-apply' }, 'Apply');
    const cancelButton = h('vscode-button', { secondary: true, class: 'filter-cancel' }, 'Cancel');
    // The select has no value until it has drawn its options: until then, it shows the one it was given.
    const chosenOp = () => (op.value || input.op) as FilterOp;
    const sync = () => {
      const chosen = chosenOp();
      const takes = opInfo(chosen).takes;
      value.hidden = takes === 'none';
      value.placeholder = takes === 'list' ? 'values, separated by commas' : 'value';
      value2.hidden = takes !== 'two';
      matchCase.hidden = chosen !== 'contains' && chosen !== 'regex';
    };
    const submit = () => {
      const made = makeFilter(column, { op: chosenOp(), value: value.value, value2: value2.value, caseSensitive: matchCase.checked });
      if ('error' in made) {
        error.textContent = made.error;
        return;
      }
      this.close();
      apply(made);
    };
    op.addEventListener('change', sync);
    applyButton.addEventListener('click', submit);
    cancelButton.addEventListener('click', () => this.close());
    const el = h('div', { class: 'popover filter-editor', role: 'dialog', 'aria-label': `Filter ${info.name}` },
      h('div', { class: 'popover-title' }, 'Filter ', h('strong', {}, info.name)),
      op, value, value2, matchCase, error,
      h('div', { class: 'popover-buttons' }, applyButton, cancelButton));
    el.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !(event.target as Element).closest('vscode-single-select')) submit();
      if (event.key === 'Escape') this.close();
    });
    el.style.left = `${Math.max(4, Math.min(anchor.left, window.innerWidth - 284))}px`;
    el.style.top = `${anchor.bottom + 2}px`;
    document.body.append(el);
    this.el = el;
    sync();
    setTimeout(() => document.addEventListener('mousedown', this.outside));
    const first = value.hidden ? op : value;
    void first.updateComplete.then(() => first.focus()); // only a drawn field can take the focus
  }

  close(): void {
    document.removeEventListener('mousedown', this.outside);
    if (!this.el) return;
    this.el.remove();
    this.el = undefined;
    this.giveFocusBack();
  }
}

function defaultOp(kind: string): FilterOp {
  return kind === 'str' || kind === 'object' || kind === 'category' ? 'contains' : 'eq';
}
