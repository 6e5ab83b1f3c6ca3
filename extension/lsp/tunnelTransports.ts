// The language client's MessageTransports over a session's LspTunnel: in memory, no socket, no process.
import { AbstractMessageReader, AbstractMessageWriter, type DataCallback, type Disposable, type Message, type MessageTransports } from 'vscode-languageclient/node';
import type { JsonRpcMessage, LspTunnel } from '../engine/lsp/lspTunnel';

class TunnelReader extends AbstractMessageReader {
  constructor(private readonly tunnel: LspTunnel) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    return { dispose: this.tunnel.onMessage((message) => callback(message as Message)) };
  }
}

class TunnelWriter extends AbstractMessageWriter {
  constructor(private readonly tunnel: LspTunnel) {
    super();
  }

  /** Hands the message to the tunnel; its answer (or the error saying why there is none) comes through the reader. */
  write(message: Message): Promise<void> {
    void this.tunnel.send(message as JsonRpcMessage);
    return Promise.resolve();
  }

  end(): void {}
}

export function tunnelTransports(tunnel: LspTunnel): MessageTransports {
  return { reader: new TunnelReader(tunnel), writer: new TunnelWriter(tunnel) };
}
