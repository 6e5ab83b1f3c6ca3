// `pydock lsp`: the live-namespace language server on stdio for any editor; workspace/executeCommand pydock.run runs code.
import type { Readable, Writable } from 'node:stream';
import { errorMessage } from '../engine/errors';
import { ContentLengthReader, contentLengthFrame } from '../engine/lsp/contentLength';
import { LspTunnel, type JsonRpcMessage } from '../engine/lsp/lspTunnel';
import type { Session } from '../engine/session/session';

export const RUN_COMMAND = 'pydock.run';
const INVALID_PARAMS = -32602;
const PARSE_ERROR = -32700;

/**
 * Serves LSP on input/output until the editor sends exit or closes input. Resolves with the exit code LSP asks for:
 * 0 after shutdown, 1 without. Requests are answered in the order their replies arrive (completions beside a run).
 */
export async function serveLsp(session: Session, input: Readable, output: Writable): Promise<number> {
  const tunnel = new LspTunnel(session);
  const initializeIds = new Set<JsonRpcMessage['id']>();
  const write = (message: JsonRpcMessage) => output.write(contentLengthFrame(message));
  tunnel.onMessage((message) => write(initializeIds.delete(message.id) ? withRunCommand(message) : message));
  const reader = new ContentLengthReader();
  let shutDown = false;
  await session.start();
  return new Promise((resolve) => {
    const finish = (code: number) => { input.off('data', onData); input.destroy(); resolve(code); };
    const onData = (chunk: Buffer) => {
      let messages: JsonRpcMessage[];
      try {
        messages = reader.push(chunk);
      } catch (error) {
        write({ jsonrpc: '2.0', id: null, error: { code: PARSE_ERROR, message: errorMessage(error) } });
        return finish(1);
      }
      for (const message of messages) {
        if (message.method === 'exit') return finish(shutDown ? 0 : 1);
        if (message.method === 'shutdown') shutDown = true;
        if (message.method === 'initialize') initializeIds.add(message.id);
        if (message.method === 'workspace/executeCommand') void runCommand(session, message).then(write);
        else void tunnel.send(message);
      }
    };
    input.on('data', onData);
    input.once('end', () => finish(shutDown ? 0 : 1));
  });
}

/** The server's capabilities with pydock.run added: running code is the CLI's, not the agent's inspector's. */
function withRunCommand(message: JsonRpcMessage): JsonRpcMessage {
  const result = message.result as { capabilities?: Record<string, unknown> } | undefined;
  if (!result?.capabilities) return message;
  return { ...message, result: { ...result, capabilities: { ...result.capabilities, executeCommandProvider: { commands: [RUN_COMMAND] } } } };
}

/** pydock.run [code]: runs the code in the session as a REPL line; the result says what it printed and returned. */
async function runCommand(session: Session, message: JsonRpcMessage): Promise<JsonRpcMessage> {
  const params = message.params as { command?: string; arguments?: unknown[] } | undefined;
  const code = params?.arguments?.[0];
  if (params?.command !== RUN_COMMAND || typeof code !== 'string') {
    return { jsonrpc: '2.0', id: message.id, error: { code: INVALID_PARAMS, message: `pydock lsp runs only ${RUN_COMMAND} with [code: string]` } };
  }
  try {
    const outcome = await session.exec(code, { mode: 'repl', file: '<pydock lsp>', line: 1 });
    const { stdout, stderr } = outcome;
    return { jsonrpc: '2.0', id: message.id, result: outcome.ok
      ? { ok: true, repr: outcome.repr, stdout, stderr }
      : { ok: false, stdout, stderr, error: outcome.error.text } };
  } catch (error) {
    return { jsonrpc: '2.0', id: message.id, error: { code: -32803, message: `pydock.run failed: ${errorMessage(error)}` } };
  }
}
