// Length-prefixed frames (4-byte big-endian size + payload) and Docker's 8-byte stream multiplexing, over one chunk queue.

/** 1 GiB: neither side sends a larger message, so a larger size means a header read where none is (out of step). */
export const MAX_FRAME = 1 << 30;
const EMPTY = Buffer.alloc(0);
/** Every message is a map whose first key is "type" (MessagePack fixstr "type"); python-agent/…/wire.py checks the same. */
const TYPE_KEY = Buffer.from([0xa4, ...Buffer.from('type')]);
/** Header bytes of a map16 and a map32 before the first key; a fixmap's header is its one byte. */
const MAP_HEADER_BYTES: Record<number, number> = { 0xde: 3, 0xdf: 5 };

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

  /** Up to n bytes from offset, fewer when fewer have arrived. */
  peekUpTo(offset: number, n: number): Buffer {
    return this.peek(Math.min(this.length, offset + n)).subarray(offset);
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

/**
 * Whether a frame of `size` bytes whose payload starts with `head` can be a message: true, false, or undefined until
 * more bytes arrive. A stream out of step is caught here, before a length read from the wrong place is trusted.
 */
export function startsAsMessage(head: Buffer, size: number): boolean | undefined {
  if (head.length === 0) return undefined;
  const skip = head[0] >= 0x81 && head[0] <= 0x8f ? 1 : MAP_HEADER_BYTES[head[0]];
  if (skip === undefined || size < skip + TYPE_KEY.length) return false;
  const key = head.subarray(skip, skip + TYPE_KEY.length);
  if (key.length < TYPE_KEY.length) return TYPE_KEY.subarray(0, key.length).equals(key) ? undefined : false;
  return key.equals(TYPE_KEY);
}

export interface FrameDecoderOptions {
  maxFrame?: number;
  /** Frames must be protocol messages (startsAsMessage); off for framing's own tests of arbitrary payloads. */
  messages?: boolean;
}

/** Splits a byte stream into frame payloads; throws FrameError where a header cannot be one (the stream is out of step). */
export class FrameDecoder {
  private readonly queue = new ChunkQueue();
  /** A large frame being filled: its buffer and how much of it has arrived. */
  private filling: { payload: Buffer; filled: number } | undefined;
  private readonly maxFrame: number;
  private readonly messages: boolean;

  constructor(options: FrameDecoderOptions = {}) {
    this.maxFrame = options.maxFrame ?? MAX_FRAME;
    this.messages = options.messages ?? true;
  }

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
        throw new FrameError(`a frame announced ${size} bytes, over the ${this.maxFrame}-byte limit: the stream is out of step`);
      }
      if (this.messages) {
        const plausible = startsAsMessage(this.queue.peekUpTo(4, 9), size);
        if (plausible === undefined) return;
        if (!plausible) throw new FrameError(`a frame of ${size} bytes does not start as a message: the stream is out of step`);
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
