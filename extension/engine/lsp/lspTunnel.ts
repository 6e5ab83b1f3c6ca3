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
    const isRequest = message.method !== undefined && message.id !== undefined && message.id !== null;
    try {
      const state = this.endpoint.state;
      if (state !== 'idle' && state !== 'busy') throw new Error(`the session is ${state}; run code to start it`);
      const reply = await this.endpoint.inspect({ type: 'lsp', message: JSON.stringify(message) });
      if (reply) this.deliver(JSON.parse(reply) as JsonRpcMessage);
    } catch (error) {
      if (!isRequest) return; // a notification has no one to answer; the next request will say what is wrong
      const cause = error instanceof Error ? error.message : String(error);
      this.deliver({ jsonrpc: '2.0', id: message.id, error: { code: REQUEST_FAILED, message: `pydock could not answer ${message.method}: ${cause}` } });
    }
  }

  private deliver(message: JsonRpcMessage): void {
    for (const listener of [...this.listeners]) listener(message);
  }
}
