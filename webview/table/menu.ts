// One context menu for the whole page (column actions, export formats), placed under what opened it.
import '@vscode-elements/elements/dist/vscode-context-menu/index.js';
import type { VscodeContextMenu } from '@vscode-elements/elements/dist/vscode-context-menu/vscode-context-menu.js';
import { keepFocus } from './dom';

export interface MenuItem {
  label?: string;
  value?: string;
  separator?: boolean;
}

let menu: VscodeContextMenu | undefined;
let onSelect: ((value: string) => void) | undefined;
/** The menu takes the focus: once it closes, it goes back where it was. */
let giveFocusBack = (): void => undefined;

export function showMenu(anchor: DOMRect, items: MenuItem[], select: (value: string) => void): void {
  if (!menu) {
    menu = document.createElement('vscode-context-menu');
    menu.classList.add('menu');
    menu.addEventListener('vsc-context-menu-select', (event) => {
      giveFocusBack();
      onSelect?.(event.detail.value);
    });
    menu.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') giveFocusBack();
    });
    document.body.append(menu);
  }
  onSelect = select;
  giveFocusBack = keepFocus();
  menu.data = items;
  menu.style.left = `${Math.max(0, Math.min(anchor.left, window.innerWidth - 220))}px`;
  menu.style.top = `${anchor.bottom + 2}px`;
  menu.show = true;
}
