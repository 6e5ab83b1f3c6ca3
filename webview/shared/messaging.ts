// One request/reply channel for both ends of a webview: envelopes with ids, replies that carry a value or an
// error, and requests that fail at once when the other side goes away.
import type { Envelope, Reply } from './protocol';

/** How a side sends and receives raw messages: webview.postMessage in the extension, acquireVsCodeApi() in the page. */
export interface Port {
  post(message: Envelope<unknown>): void;
  onMessage(listener: (message: Envelope<unknown>) => void): void;
}

export class RequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RequestError';
  }
}

export class Channel<In extends { type: string }, Out extends { type: string }> {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private handler: ((body: In, messageId: number) => unknown) | undefined;

  constructor(private readonly port: Port) {
    port.onMessage((message) => void this.receive(message));
  }

  /** Sends an event; returns its messageId (the id a later cancel can name). */
  send(body: Out): number {
    const messageId = this.nextId++;
    this.port.post({ messageId, body });
    return messageId;
  }

  /** Sends a request and waits for its reply. `onSent` gets the messageId, for cancelling. */
  request<T>(body: Out, onSent?: (messageId: number) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const messageId = this.send(body);
      this.waiting.set(messageId, { resolve: resolve as (value: unknown) => void, reject });
      onSent?.(messageId);
    });
  }

  /**
   * Handles incoming messages. What the handler returns (or resolves to) is sent back as the reply;
   * what it throws is sent as an error reply. Events get no reply when the handler returns undefined.
   */
  handle(handler: (body: In, messageId: number) => unknown): void {
    this.handler = handler;
  }

  /** Fails every request still waiting, e.g. when the panel or the session closes. */
  failAll(reason: string): void {
    for (const { reject } of this.waiting.values()) reject(new RequestError(reason));
    this.waiting.clear();
  }

  private async receive(message: Envelope<unknown>): Promise<void> {
    if (message.inReplyTo !== undefined) {
      const waiter = this.waiting.get(message.inReplyTo);
      this.waiting.delete(message.inReplyTo);
      const reply = message.body as Reply;
      if (reply.ok) waiter?.resolve(reply.value);
      else waiter?.reject(new RequestError(reply.error));
      return;
    }
    if (!this.handler) return;
    let reply: Reply | undefined;
    try {
      const value = await this.handler(message.body as In, message.messageId);
      if (value !== undefined) reply = { type: 'reply', ok: true, value };
    } catch (error) {
      reply = { type: 'reply', ok: false, error: (error as Error)?.message ?? String(error) };
    }
    if (reply) this.port.post({ messageId: this.nextId++, inReplyTo: message.messageId, body: reply });
  }
}
