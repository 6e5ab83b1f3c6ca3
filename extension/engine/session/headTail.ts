// Keeps the first and the last part of a long sequence (output text, displays) within size limits, and counts what
// it dropped between them, so memory stays bounded however much a run writes.

export interface HeadTailLimits {
  /** Size kept from the start. */
  head: number;
  /** Size kept from the end. */
  tail: number;
}

/** How items are measured, cut and counted. */
export interface ItemKind<T> {
  size(item: T): number;
  /** The item split before `at` (0 < at < size); absent: items are kept or dropped whole. */
  cut?(item: T, at: number): [T, T];
  /** A piece of `from` to keep, made so that it does not hold on to all of `from`. */
  detach?(piece: T, from: T): T;
  /** What dropping the item adds to `dropped` (for text its UTF-8 bytes, for a display 1). */
  weight(item: T): number;
}

/** Text measured in characters (UTF-16 code units: bytes, for ASCII); what is dropped is counted in UTF-8 bytes. */
export const TEXT: ItemKind<string> = {
  size: (text) => text.length,
  cut(text, at) {
    const code = text.charCodeAt(at - 1);
    if (code >= 0xd800 && code <= 0xdbff) at++; // never split a surrogate pair
    return [text.slice(0, at), text.slice(at)];
  },
  // A slice holds on to the whole text it was cut from: one under half of it is copied (concatenating, then slicing,
  // makes V8 copy it flat), so a small kept piece never pins a big event.
  detach: (piece, from) => (piece.length * 2 < from.length ? (` ${piece}`).slice(1) : piece),
  weight: (text) => Buffer.byteLength(text, 'utf8'),
};

/** The tail's items sit in an array from `tailFirst` on; the emptied front is cut off once it is this long. */
const COMPACT_AFTER = 1024;

export class HeadTail<T> {
  private readonly head: T[] = [];
  private headSize = 0;
  private tail: (T | undefined)[] = [];
  private tailFirst = 0;
  private tailSize = 0;
  /** What was left out between the head and the tail, in the kind's weight. */
  dropped = 0;

  /** @param onHead receives the head's items instead of this keeping them (a file takes the head, memory the tail). */
  constructor(private readonly limits: HeadTailLimits, private readonly kind: ItemKind<T>, private readonly onHead?: (item: T) => void) {}

  add(item: T): void {
    if (this.headSize < this.limits.head) {
      const room = this.limits.head - this.headSize;
      const size = this.kind.size(item);
      if (size <= room || !this.kind.cut) {
        this.keepHead(item, size);
        return;
      }
      const [first, rest] = this.kind.cut(item, room);
      this.keepHead(this.detach(first, item), this.kind.size(first));
      if (this.kind.size(rest) === 0) return;
      item = this.detach(rest, item);
    }
    this.addTail(item);
  }

  /** The head's items (none when onHead took them). */
  headItems(): T[] {
    return this.head;
  }

  /** The tail's items, oldest first. */
  tailItems(): T[] {
    return (this.tailFirst === 0 ? this.tail : this.tail.slice(this.tailFirst)) as T[];
  }

  private detach(piece: T, from: T): T {
    return this.kind.detach ? this.kind.detach(piece, from) : piece;
  }

  private keepHead(item: T, size: number): void {
    this.headSize += size;
    if (this.onHead) this.onHead(item);
    else this.head.push(item);
  }

  private addTail(item: T): void {
    this.tail.push(item);
    this.tailSize += this.kind.size(item);
    const { kind } = this;
    while (this.tailSize > this.limits.tail && (kind.cut || this.tail.length - this.tailFirst > 1)) {
      const first = this.tail[this.tailFirst]!;
      const firstSize = kind.size(first);
      const excess = this.tailSize - this.limits.tail;
      if (firstSize <= excess || !kind.cut) {
        this.tail[this.tailFirst++] = undefined; // dropped: not held
        this.tailSize -= firstSize;
        this.dropped += kind.weight(first);
        continue;
      }
      const [gone, kept] = kind.cut(first, excess);
      this.tail[this.tailFirst] = this.detach(kept, first);
      this.tailSize -= kind.size(gone);
      this.dropped += kind.weight(gone);
    }
    if (this.tailFirst >= COMPACT_AFTER && this.tailFirst * 2 >= this.tail.length) {
      this.tail = this.tail.slice(this.tailFirst);
      this.tailFirst = 0;
    }
  }
}
