// The notice bar under the toolbar: stale data, a closed table, failed requests, saved exports. Never blocking.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { h, icon } from './dom';

export type NoticeKind = 'info' | 'warning' | 'error';

export interface NoticeAction {
  label: string;
  run(): void;
}

const ICONS: Record<NoticeKind, string> = { info: 'info', warning: 'warning', error: 'error' };

export class Notices {
  readonly el = h('div', { class: 'notices', role: 'status', 'aria-live': 'polite' });
  private readonly shown = new Map<string, HTMLElement>();

  /** Shows (or replaces) the notice with this id. */
  show(id: string, kind: NoticeKind, text: string, actions: NoticeAction[] = []): void {
    const buttons = actions.map((action) => {
      const button = h('vscode-button', { secondary: true }, action.label);
      button.addEventListener('click', () => action.run());
      return button;
    });
    const dismiss = h('button', { class: 'dismiss', title: 'Dismiss', 'aria-label': 'Dismiss' }, icon('close'));
    dismiss.addEventListener('click', () => this.clear(id));
    const notice = h('div', { class: `notice ${kind}`, 'data-notice': id }, icon(ICONS[kind]), h('span', { class: 'text' }, text), ...buttons, dismiss);
    const old = this.shown.get(id);
    if (old) old.replaceWith(notice);
    else this.el.append(notice);
    this.shown.set(id, notice);
  }

  clear(id: string): void {
    this.shown.get(id)?.remove();
    this.shown.delete(id);
  }
}
