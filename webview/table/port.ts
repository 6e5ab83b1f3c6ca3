// The page's end of the messaging Port: acquireVsCodeApi() out, window message events in.
import type { Port } from '../shared/messaging';
import type { Envelope } from '../shared/protocol';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };

export function vscodePort(): Port {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    onMessage: (listener) => window.addEventListener('message', (event: MessageEvent<Envelope<unknown>>) => listener(event.data)),
  };
}
