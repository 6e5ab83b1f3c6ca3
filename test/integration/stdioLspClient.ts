// A minimal LSP client over a child's stdio, for tests of `pydock lsp`: requests by id, the order replies came in.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { ContentLengthReader, contentLengthFrame } from '../../extension/engine/lsp/contentLength';
import type { JsonRpcMessage } from '../../extension/engine/lsp/lspTunnel';

export class StdioLspClient {
  readonly child: ChildProcessWithoutNullStreams;
  /** The ids of replies in the order they arrived. */
  readonly replyOrder: JsonRpcMessage['id'][] = [];
  stderr = '';
  private readonly waiting = new Map<number, { resolve: (m: JsonRpcMessage) => void; reject: (e: Error) => void }>();
  private nextId = 1;

  constructor(command: string, args: string[], cwd: string) {
    this.child = spawn(command, args, { cwd, stdio: 'pipe' });
    const reader = new ContentLengthReader();
    this.child.stdout.on('data', (chunk: Buffer) => {
      for (const message of reader.push(chunk)) {
        this.replyOrder.push(message.id);
        this.waiting.get(message.id as number)?.resolve(message);
        this.waiting.delete(message.id as number);
      }
    });
    this.child.stderr.on('data', (chunk: Buffer) => { this.stderr += chunk.toString('utf8'); });
    this.child.on('exit', (code) => {
      for (const { reject } of this.waiting.values()) reject(new Error(`pydock lsp exited (${code}) before replying; stderr: ${this.stderr}`));
      this.waiting.clear();
    });
  }

  /** The whole response (result or error) to a request. */
  request(method: string, params: unknown): Promise<JsonRpcMessage> {
    const id = this.nextId++;
    const reply = new Promise<JsonRpcMessage>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.child.stdin.write(contentLengthFrame({ jsonrpc: '2.0', id, method, params }));
    return reply;
  }

  /** A request's result; an error response rejects with its message. */
  async call<T>(method: string, params: unknown): Promise<T> {
    const reply = await this.request(method, params);
    if (reply.error) throw new Error(`${method}: ${reply.error.message}`);
    return reply.result as T;
  }

  notify(method: string, params: unknown): void {
    this.child.stdin.write(contentLengthFrame({ jsonrpc: '2.0', method, params }));
  }

  /** shutdown, exit: resolves with the process's exit code. */
  async close(): Promise<number | null> {
    await this.call('shutdown', null);
    const exited = once(this.child, 'exit');
    this.notify('exit', null);
    const [code] = await exited;
    return code as number | null;
  }
}
