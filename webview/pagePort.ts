// The page's one link to the extension, shared by both webviews (browser code only): acquireVsCodeApi(), which a page
// may call once, as the Channel's Port, and the state VS Code keeps for the page across reloads.
import { Channel, type Port } from '../shared/messaging';
import type { Direction, Envelope } from '../shared/webviewProtocol';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void; getState(): unknown; setState(state: unknown): void };

export interface PageLink<In extends Direction<{ type: string }, object>, Out extends Direction<{ type: string }, object>> {
  channel: Channel<In, Out>;
  getState(): unknown;
  setState(state: unknown): void;
}

export function connectToExtension<In extends Direction<{ type: string }, object>, Out extends Direction<{ type: string }, object>>(): PageLink<In, Out> {
  const api = acquireVsCodeApi();
  const port: Port = {
    post: (message) => api.postMessage(message),
    onMessage: (listener) => window.addEventListener('message', (event: MessageEvent) => {
      if (isEnvelope(event.data)) listener(event.data);
    }),
  };
  return { channel: new Channel<In, Out>(port), getState: () => api.getState(), setState: (state) => api.setState(state) };
}

/** Only the extension posts envelopes; anything else reaching the window (e.g. from an output frame) is ignored. */
function isEnvelope(data: unknown): data is Envelope<unknown> {
  return typeof data === 'object' && data !== null && typeof (data as Envelope<unknown>).messageId === 'number' && 'body' in data;
}
