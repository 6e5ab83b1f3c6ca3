// Length-prefixed frames (4-byte big-endian size + payload) and Docker's 8-byte stream multiplexing, over one chunk queue.

export const MAX_FRAME = 1 << 30; // 1 GiB: a larger size is a corrupt header, not a message
const EMPTY = Buffer.alloc(0);

/** Bytes received in chunks, read back without copying more than a split header or payload needs. */
class ChunkQueue {
  private chunks: Buffer[] = [];
  private head = 0; // read offset into chunks[0]
  length = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  peekUInt8(offset: number): number {
    return this.peek(offset + 1)[offset];
  }

  peekUInt32BE(offset: number): number {
    return this.peek(offset + 4).readUInt32BE(offset);
  }

  skip(n: number): void {
    this.take(n);
  }

  /** The next n bytes as views into the chunks they lie in: never a copy. */
  takeViews(n: number): Buffer[] {
    const views: Buffer[] = [];
    for (let left = n; left > 0;) {
      const view = this.take(Math.min(left, this.chunks[0].length - this.head));
      views.push(view);
      left -= view.length;
    }
    return views;
  }

  /** The next n bytes; a view into one chunk when they lie in it, else one copy. */
  take(n: number): Buffer {
    const out = this.peek(n);
    this.length -= n;
    this.head += n;
    while (this.chunks.length > 0 && this.head >= this.chunks[0].length) {
      this.head -= this.chunks[0].length;
      this.chunks.shift();
    }
    return out;
  }

  private peek(n: number): Buffer {
    if (n === 0) return EMPTY;
    const first = this.chunks[0];
    if (first.length - this.head >= n) return first.subarray(this.head, this.head + n);
    const merged = Buffer.concat(this.chunks).subarray(this.head);
    this.chunks = [merged];
    this.head = 0;
    return merged.subarray(0, n);
  }
}

export class FrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameError';
  }
}

export function encodeFrame(payload: Uint8Array): Buffer[] {
  const header = Buffer.allocUnsafe(4);
  header.writeUInt32BE(payload.length, 0);
  return [header, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)];
}

/** Frames at least this big are copied into their own buffer as they arrive, not joined at the end. */
const FILL_THRESHOLD = 1 << 20;

/** Splits a byte stream into frame payloads; throws FrameError on a size over the limit. */
export class FrameDecoder {
  private readonly queue = new ChunkQueue();
  /** A large frame being filled: its buffer and how much of it has arrived. */
  private filling: { payload: Buffer; filled: number } | undefined;

  constructor(private readonly maxFrame = MAX_FRAME) {}

  *push(chunk: Buffer): Generator<Buffer> {
    if (this.filling) {
      const rest = this.fill(chunk);
      if (this.filling.filled < this.filling.payload.length) return;
      const { payload } = this.filling;
      this.filling = undefined;
      yield payload;
      chunk = rest;
    }
    this.queue.push(chunk);
    while (this.queue.length >= 4) {
      const size = this.queue.peekUInt32BE(0);
      if (size > this.maxFrame) {
        throw new FrameError(`a frame announced ${size} bytes, over the ${this.maxFrame}-byte limit: the stream is corrupt`);
      }
      if (this.queue.length < 4 + size) {
        if (size >= FILL_THRESHOLD) {
          this.queue.skip(4);
          this.filling = { payload: Buffer.allocUnsafe(size), filled: 0 };
          this.fill(this.queue.take(this.queue.length));
        }
        return;
      }
      this.queue.skip(4);
      yield this.queue.take(size);
    }
  }

  /** Copies what belongs to the frame being filled; returns the bytes after it. */
  private fill(chunk: Buffer): Buffer {
    const target = this.filling!;
    const used = Math.min(chunk.length, target.payload.length - target.filled);
    chunk.copy(target.payload, target.filled, 0, used);
    target.filled += used;
    return chunk.subarray(used);
  }

  /** Bytes of a frame that has started but not finished. */
  get pending(): number {
    return this.queue.length + (this.filling?.filled ?? 0);
  }
}

export type DockerStream = 'stdout' | 'stderr';

/** Splits Docker's multiplexed attach stream (non-TTY) into stdout and stderr chunks. */
export class DockerDemuxer {
  private readonly queue = new ChunkQueue();

  *push(chunk: Buffer): Generator<[DockerStream, Buffer]> {
    this.queue.push(chunk);
    while (this.queue.length >= 8) {
      const kind = this.queue.peekUInt8(0);
      const size = this.queue.peekUInt32BE(4);
      if (kind !== 1 && kind !== 2) throw new FrameError(`Docker stream header names stream ${kind}; expected stdout (1) or stderr (2)`);
      if (this.queue.length < 8 + size) return;
      this.queue.skip(8);
      // Protocol bytes go on in pieces, never joined: Docker's frames often straddle socket chunks.
      // Diagnostics stay whole, so a character is not cut in two.
      if (kind === 1) yield* this.queue.takeViews(size).map((view): [DockerStream, Buffer] => ['stdout', view]);
      else yield ['stderr', this.queue.take(size)];
    }
  }
}
