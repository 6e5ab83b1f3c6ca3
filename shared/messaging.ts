// One request/reply channel for both ends of a webview: envelopes with ids, events that get no reply, and requests
// that always get one (a value or an error), typed by the protocol's Direction; requests fail at once when the other
// side goes away.
import type { Ask, Direction, Envelope, Reply } from './webviewProtocol';

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

// Direction's requests as generic code reads them.
type AnyDirection = Direction<{ type: string }, object>;
export type RequestType<D extends AnyDirection> = keyof D['requests'] & string;
export type RequestBody<D extends AnyDirection, K extends RequestType<D>> =
  { type: K } & (D['requests'][K] extends Ask<infer Params, unknown> ? Params : never);
export type ReplyTo<D extends AnyDirection, K extends RequestType<D>> = D['requests'][K] extends Ask<object, infer R> ? R : never;

/** What a side does with what it receives: one handler per request type (the compiler checks it has them all). */
export interface Handlers<D extends AnyDirection> {
  event(body: D['events']): unknown;
  /** An event's handler failed; no one waits for events, so this side says so (to the user, or the log). */
  eventFailed(body: D['events'], error: unknown): void;
  requests: { [K in RequestType<D>]: (body: RequestBody<D, K>, messageId: number) => ReplyTo<D, K> | Promise<ReplyTo<D, K>> };
}

export class Channel<In extends AnyDirection, Out extends AnyDirection> {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private handlers: Handlers<In> | undefined;

  constructor(private readonly port: Port) {
    port.onMessage((message) => void this.receive(message));
  }

  /** Sends an event: no reply comes. */
  send(event: Out['events']): void {
    this.port.post({ messageId: this.nextId++, body: event });
  }

  /** Sends a request and waits for its reply; an error reply rejects with its message. `onSent` gets the messageId, for cancelling. */
  request<K extends RequestType<Out>>(body: RequestBody<Out, K>, onSent?: (messageId: number) => void): Promise<ReplyTo<Out, K>> {
    return new Promise((resolve, reject) => {
      const messageId = this.nextId++;
      this.waiting.set(messageId, { resolve: resolve as (value: unknown) => void, reject });
      this.port.post({ messageId, request: true, body });
      onSent?.(messageId);
    });
  }

  handle(handlers: Handlers<In>): void {
    this.handlers = handlers;
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
    if (message.request) {
      this.port.post({ messageId: this.nextId++, inReplyTo: message.messageId, body: await this.answer(message) });
      return;
    }
    const handlers = this.handlers;
    const event = message.body as In['events'];
    try {
      await handlers?.event(event);
    } catch (error) {
      handlers?.eventFailed(event, error);
    }
  }

  /** Every request is answered: with its handler's value, its handler's error, or why there is no handler. */
  private async answer(message: Envelope<unknown>): Promise<Reply> {
    const body = message.body as { type: string };
    const requests = (this.handlers?.requests ?? {}) as Record<string, (body: unknown, messageId: number) => unknown>;
    const handler = Object.hasOwn(requests, body.type) ? requests[body.type] : undefined;
    try {
      if (!handler) throw new Error(`"${body.type}" is not a request this side answers.`);
      return { type: 'reply', ok: true, value: await handler(body, message.messageId) };
    } catch (error) {
      return { type: 'reply', ok: false, error: (error as Error)?.message ?? String(error) };
    }
  }
}
