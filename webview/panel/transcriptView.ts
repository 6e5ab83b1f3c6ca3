// The transcript: one EntryView per entry in a scrolling list. An update changes the model at once and the DOM once
// per frame, touching only the entries it changed (an entry with much new output over several frames); the view
// follows the bottom like a terminal unless scrolled up.
import { applyUpdate, type EntryUpdate, type TranscriptEntry } from '../../shared/transcript';
import { DEFAULT_PANEL_SETTINGS, type PanelSettings } from '../../shared/webviewProtocol';
import { el } from './dom';
import { EntryView } from './entryView';
import type { Post } from './host';
import { StickyScroll } from './stickyScroll';

/**
 * Entries per block. Blocks and entries both have content-visibility: auto; an off-screen block skips layout as a
 * whole, so the browser tracks about a hundred blocks instead of every entry, which keeps 10,000 entries scrolling.
 */
const BLOCK = 100;

export interface ScrollPosition { follow: boolean; top: number }

export class TranscriptView {
  readonly element = el('main', 'pd-transcript');
  private readonly list = el('div', 'pd-entries');
  private readonly empty = el('div', 'pd-empty', 'Run code from the editor, or type it below.');
  private entries: TranscriptEntry[] = [];
  private readonly views = new Map<string, EntryView>();
  /** Entries changed since the last frame, in the order of their first change (so added entries keep their order). */
  private readonly dirty = new Map<string, TranscriptEntry>();
  private frame: number | undefined;
  private readonly sticky: StickyScroll;
  /** Read by the views as they draw; changing them takes a reset() to draw every entry again. */
  private readonly drawing: PanelSettings = { ...DEFAULT_PANEL_SETTINGS };

  /** `changed` is told whenever the transcript or the scroll position changed, e.g. to save the state. */
  constructor(private readonly post: Post, private readonly changed: () => void) {
    this.element.tabIndex = 0; // scrolls with the keyboard
    this.element.setAttribute('aria-label', 'Transcript');
    this.element.append(this.list, this.empty);
    this.sticky = new StickyScroll(this.element, [this.list], changed);
  }

  set settings(settings: PanelSettings) {
    Object.assign(this.drawing, settings);
    this.element.style.setProperty('--pd-output-lines', String(settings.outputLineLimit));
  }

  get transcript(): TranscriptEntry[] {
    return this.entries;
  }

  get scrollPosition(): ScrollPosition {
    return { follow: this.sticky.follow, top: this.element.scrollTop };
  }

  /** Shows a whole transcript (panel.init, panel.cleared, a restored state); the view takes ownership of `entries`. */
  reset(entries: TranscriptEntry[], scroll: ScrollPosition = { follow: true, top: 0 }): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
    this.dirty.clear();
    this.views.clear();
    this.entries = entries;
    const fragment = document.createDocumentFragment();
    for (const entry of entries) appendToBlock(fragment, this.createView(entry).element);
    this.list.replaceChildren(fragment);
    this.empty.hidden = entries.length > 0;
    this.sticky.follow = scroll.follow;
    if (scroll.follow) this.sticky.toBottom();
    else this.element.scrollTop = scroll.top;
    this.changed();
  }

  /** Applies an update to the model now and to the DOM at the next frame. */
  apply(update: EntryUpdate): void {
    const entry = applyUpdate(this.entries, update);
    if (!entry) return;
    this.redraw(entry);
    this.changed();
  }

  /** Back to following the bottom, e.g. when the user runs something. */
  followBottom(): void {
    this.sticky.follow = true;
    this.sticky.toBottom();
  }

  /** Draws the entry at the next frame. */
  private redraw(entry: TranscriptEntry): void {
    this.dirty.set(entry.id, entry);
    this.frame ??= requestAnimationFrame(() => this.flush());
  }

  private flush(): void {
    this.frame = undefined;
    const batch = [...this.dirty.values()];
    this.dirty.clear();
    for (const entry of batch) {
      const view = this.views.get(entry.id);
      if (!view) appendToBlock(this.list, this.createView(entry).element);
      else if (!view.sync()) this.redraw(entry); // the rest of its output at the next frame
    }
    // applyUpdate drops the oldest entries beyond MAX_ENTRIES; their views go with them.
    while (this.views.size > this.entries.length && this.removeOldest());
    this.empty.hidden = this.entries.length > 0;
  }

  private removeOldest(): boolean {
    const block = this.list.firstElementChild;
    const oldest = block?.firstElementChild as HTMLElement | null | undefined;
    if (!block || !oldest) return false;
    const id = oldest.dataset.entryId ?? '';
    this.views.delete(id);
    this.dirty.delete(id);
    oldest.remove();
    if (!block.firstElementChild) block.remove();
    return true;
  }

  private createView(entry: TranscriptEntry): EntryView {
    const view = new EntryView(entry, this.post, this.drawing, (collapsed) => {
      this.apply({ type: 'collapse', id: entry.id, collapsed });
      this.post({ type: 'panel.collapse', entryId: entry.id, collapsed });
    }, () => this.redraw(entry));
    this.views.set(entry.id, view);
    return view;
  }
}

/** Appends an entry's element to the last block, starting a new block when that one is full. */
function appendToBlock(list: ParentNode, element: HTMLElement): void {
  let block = list.lastElementChild;
  if (!block || block.childElementCount >= BLOCK) {
    block = el('div', 'pd-block');
    list.append(block);
  }
  block.append(element);
}
