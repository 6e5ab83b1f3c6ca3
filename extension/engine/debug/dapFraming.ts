// The Debug Adapter Protocol's wire format: JSON messages behind Content-Length headers, read from chunks cut anywhere.

/** A DAP message: a request, a response or an event (only the fields pydock looks at are typed). */
export interface DapMessage {
  seq: number;
  type: 'request' | 'response' | 'event';
  command?: string;
  event?: string;
  request_seq?: number;
  success?: boolean;
  message?: string;
  arguments?: Record<string, unknown>;
  body?: Record<string, unknown>;
}

const SEPARATOR = Buffer.from('\r\n\r\n');

export function encodeDap(message: DapMessage): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
}

/** Collects chunks and gives back the messages they complete; a header without Content-Length or a body that is not JSON throws. */
export class DapDecoder {
  private pending = Buffer.alloc(0);

  push(chunk: Uint8Array): DapMessage[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : Buffer.from(chunk);
    const messages: DapMessage[] = [];
    for (;;) {
      const end = this.pending.indexOf(SEPARATOR);
      if (end < 0) return messages;
      const header = this.pending.subarray(0, end).toString('ascii');
      const length = /(?:^|\r\n)Content-Length:\s*(\d+)/i.exec(header);
      if (!length) throw new Error(`a DAP header without Content-Length: ${JSON.stringify(header.slice(0, 200))}`);
      const start = end + SEPARATOR.length;
      const stop = start + Number(length[1]);
      if (this.pending.length < stop) return messages;
      messages.push(JSON.parse(this.pending.subarray(start, stop).toString('utf8')) as DapMessage);
      this.pending = this.pending.subarray(stop);
    }
  }
}
