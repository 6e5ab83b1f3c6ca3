// Keeps a scrolling element at its bottom like a terminal: reaching the bottom starts following it, and only the user
// scrolling away stops that (the transcript, and a long output's scroll region).

/** Closer to the bottom than this many pixels counts as at the bottom. */
const BOTTOM_SLACK = 8;
/** A scroll this soon after a wheel turn or a scrolling key is the user's. */
const INTENT_MS = 300;
const SCROLL_KEYS = new Set(['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End', ' ']);

export class StickyScroll {
  follow = true;
  /** Until when a scroll counts as the user's (wheel, keys), and whether they are dragging the scrollbar. */
  private intentUntil = 0;
  private dragging = false;

  /**
   * `content` are the elements whose growth (output, images loading, entries drawn) keeps a following element at its
   * bottom, besides the element itself shrinking; `scrolled` is told of every scroll.
   */
  constructor(private readonly element: HTMLElement, content: HTMLElement[], scrolled: () => void = () => undefined) {
    this.watch(scrolled);
    const stick = new ResizeObserver(() => {
      if (this.follow) this.toBottom();
    });
    for (const part of [...content, element]) stick.observe(part);
  }

  toBottom(): void {
    this.element.scrollTop = this.element.scrollHeight;
  }

  /** A scroll event alone cannot tell whose it is, since content that shrinks or grows moves the position as well. */
  private watch(scrolled: () => void): void {
    const intent = () => (this.intentUntil = performance.now() + INTENT_MS);
    this.element.addEventListener('wheel', intent, { passive: true });
    this.element.addEventListener('keydown', (event) => SCROLL_KEYS.has(event.key) && intent());
    // A press on the scroll container itself, not on what it holds, is a press on its scrollbar.
    this.element.addEventListener('pointerdown', (event) => {
      this.dragging = event.target === this.element;
      if (this.dragging) window.addEventListener('pointerup', () => (this.dragging = false), { once: true });
    });
    this.element.addEventListener('scroll', () => {
      const { scrollHeight, scrollTop, clientHeight } = this.element;
      if (scrollHeight - scrollTop - clientHeight < BOTTOM_SLACK) this.follow = true;
      else if (this.dragging || performance.now() < this.intentUntil) this.follow = false;
      scrolled();
    }, { passive: true });
  }
}
