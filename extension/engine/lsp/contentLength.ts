// LSP's base protocol on a byte stream: "Content-Length: N\r\n\r\n" headers before each JSON body (stdio servers).
import type { JsonRpcMessage } from './lspTunnel';

const SEPARATOR = Buffer.from('\r\n\r\n');

/** Collects chunks and hands out each message as its body completes. */
export class ContentLengthReader {
  private buffer: Buffer = Buffer.alloc(0);

  /** The messages the chunk completes; a header without Content-Length throws (the stream cannot be followed). */
  push(chunk: Buffer): JsonRpcMessage[] {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const messages: JsonRpcMessage[] = [];
    for (;;) {
      const end = this.buffer.indexOf(SEPARATOR);
      if (end < 0) return messages;
      const header = this.buffer.subarray(0, end).toString('ascii');
      const length = /(?:^|\r\n)Content-Length:\s*(\d+)/i.exec(header)?.[1];
      if (length === undefined) throw new Error(`an LSP header without Content-Length: ${JSON.stringify(header)}`);
      const start = end + SEPARATOR.length;
      if (this.buffer.length < start + Number(length)) return messages;
      messages.push(JSON.parse(this.buffer.subarray(start, start + Number(length)).toString('utf8')) as JsonRpcMessage);
      this.buffer = this.buffer.subarray(start + Number(length));
    }
  }
}

/** A message with its header, ready to write. */
export function contentLengthFrame(message: JsonRpcMessage): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
}
