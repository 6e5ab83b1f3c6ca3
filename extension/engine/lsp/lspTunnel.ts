// The language server tunnel: LSP JSON-RPC messages to the agent's live-namespace server as 'lsp' inspections, replies back.
import type { SessionState } from '../session/sessionTypes';

/** A JSON-RPC message as LSP writes it. */
export interface JsonRpcMessage {
  jsonrpc: string;
  id?: number | string | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

/** What the tunnel needs of a session: its state, and inspections answered beside running code. */
export interface LspEndpoint {
  readonly state: SessionState;
  inspect(request: { type: 'lsp'; message: string }): Promise<string>;
}

/** LSP's RequestFailed: the request was valid, the server could not answer it. */
const REQUEST_FAILED = -32803;

export class LspTunnel {
  private readonly listeners = new Set<(message: JsonRpcMessage) => void>();
  private ownId = 0;

  constructor(private readonly endpoint: LspEndpoint) {}

  /** Calls the listener with every message from the server (responses); returns its removal. */
  onMessage(listener: (message: JsonRpcMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Sends one message to the agent. A request is always answered: by the agent, or with an error response naming
   * why it could not be (the session is not running, the agent died); the session itself is never started by it.
   */
  async send(message: JsonRpcMessage): Promise<void> {
    const reply = await this.exchange(message);
    if (reply) this.deliver(reply);
  }

  /** A request of the tunnel's owner, answered to it alone (not to the listeners): its result, or rejects with why not. */
  async call<T>(method: string, params: unknown): Promise<T> {
    const reply = await this.exchange({ jsonrpc: '2.0', id: `own-${++this.ownId}`, method, params });
    if (reply?.error) throw new Error(reply.error.message);
    return reply?.result as T;
  }

  /** The agent's reply to a message (undefined for a notification), or an error response saying why there is none. */
  private async exchange(message: JsonRpcMessage): Promise<JsonRpcMessage | undefined> {
    const isRequest = message.method !== undefined && message.id !== undefined && message.id !== null;
    try {
      const state = this.endpoint.state;
      if (state !== 'idle' && state !== 'busy') throw new Error(`the session is ${state}; run code to start it`);
      const reply = await this.endpoint.inspect({ type: 'lsp', message: JSON.stringify(message) });
      return reply ? JSON.parse(reply) as JsonRpcMessage : undefined;
    } catch (error) {
      if (!isRequest) return undefined; // a notification has no one to answer; the next request will say what is wrong
      const cause = error instanceof Error ? error.message : String(error);
      return { jsonrpc: '2.0', id: message.id, error: { code: REQUEST_FAILED, message: `pydock could not answer ${message.method}: ${cause}` } };
    }
  }

  private deliver(message: JsonRpcMessage): void {
    for (const listener of [...this.listeners]) listener(message);
  }
}
