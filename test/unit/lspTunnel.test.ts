// The LSP base protocol's framing, and the tunnel's answer when its session cannot answer (nothing is started for it).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ContentLengthReader, contentLengthFrame } from '../../extension/engine/lsp/contentLength';
import { LspTunnel, type JsonRpcMessage } from '../../extension/engine/lsp/lspTunnel';
import { Session } from '../../extension/engine/session/session';

describe('Content-Length framing', () => {
  it('hands out each message once its body is complete, however the bytes are cut', () => {
    const messages: JsonRpcMessage[] = [{ jsonrpc: '2.0', id: 1, method: 'a', params: { text: 'ø😀' } }, { jsonrpc: '2.0', method: 'b' }];
    const bytes = Buffer.concat(messages.map(contentLengthFrame));
    for (const cut of [1, 7, 30, bytes.length - 1]) {
      const reader = new ContentLengthReader();
      assert.deepEqual([...reader.push(bytes.subarray(0, cut)), ...reader.push(bytes.subarray(cut))], messages, `cut at ${cut}`);
    }
  });

  it('reads other headers beside Content-Length and refuses a header without it', () => {
    const body = '{"jsonrpc":"2.0","id":2}';
    const framed = Buffer.from(`Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    assert.deepEqual(new ContentLengthReader().push(framed), [{ jsonrpc: '2.0', id: 2 }]);
    assert.throws(() => new ContentLengthReader().push(Buffer.from('Content-Type: x\r\n\r\n{}')), /without Content-Length/);
  });
});

describe('LspTunnel', () => {
  it('answers a request to a session that is not running with an error naming why, and starts nothing', async () => {
    let started = false;
    const session = new Session({ name: 'unstarted', backend: async () => { started = true; throw new Error('no backend here'); },
      launch: { image: 'none', workspace: '/nowhere', workspaceReadOnly: false, env: {}, memoryBytes: 1, workspaceLabel: 'x', sessionLabel: 'x' } });
    const tunnel = new LspTunnel(session);
    const received: JsonRpcMessage[] = [];
    tunnel.onMessage((m) => received.push(m));
    await tunnel.send({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: {} });
    await tunnel.send({ jsonrpc: '2.0', id: 7, method: 'textDocument/completion', params: {} });
    assert.equal(started, false);
    assert.equal(received.length, 1, 'the notification got no reply, the request one');
    assert.equal(received[0].id, 7);
    assert.equal(received[0].error?.code, -32803);
    assert.match(received[0].error!.message, /could not answer textDocument\/completion: the session is new; run code to start it/);
  });
});
