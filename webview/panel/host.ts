// The page's link to the extension: acquireVsCodeApi() as a Channel Port, and the state VS Code keeps across reloads.
import { Channel, type Port } from '../shared/messaging';
import type { Envelope, PanelFromWebview, PanelToWebview } from '../shared/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** How views speak to the extension. */
export type Post = (message: PanelFromWebview) => void;

export interface Host {
  channel: Channel<PanelToWebview, PanelFromWebview>;
  post: Post;
  getState(): unknown;
  setState(state: unknown): void;
}

/** acquireVsCodeApi() may be called once per page, so this is too. */
export function connectHost(): Host {
  const api = acquireVsCodeApi();
  const port: Port = {
    post: (message) => api.postMessage(message),
    onMessage: (listener) => window.addEventListener('message', (event: MessageEvent) => {
      if (isEnvelope(event.data)) listener(event.data);
    }),
  };
  const channel = new Channel<PanelToWebview, PanelFromWebview>(port);
  return {
    channel,
    post: (message) => void channel.send(message),
    getState: () => api.getState(),
    setState: (state) => api.setState(state),
  };
}

/** Only the extension posts envelopes; anything else reaching the window (e.g. from an output frame) is ignored. */
function isEnvelope(data: unknown): data is Envelope<unknown> {
  return typeof data === 'object' && data !== null && typeof (data as Envelope<unknown>).messageId === 'number' && 'body' in data;
}
