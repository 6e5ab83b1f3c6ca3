// The live language server on a real agent: its answers come beside a run and beside a long table sort, never after.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LspTunnel } from '../../extension/engine/lsp/lspTunnel';
import { TARGETS, newSession } from './helpers';

const URI = 'file:///workspace/a.py';

describe('the live language server beside other work', () => {
  const target = TARGETS.find((t) => t.image.endsWith(':full'))!;

  it('answers a completion while a table sort of 5M rows is under way on the inspector', async () => {
    const session = newSession(target);
    const built = await session.exec('import numpy as np, pandas as pd\nframe = pd.DataFrame({"x": np.random.rand(5_000_000)})\nconfig = {"alpha": 1}');
    assert.ok(built.ok);
    const tunnel = new LspTunnel(session);
    const { handle } = await session.inspect({ type: 'table.open', expr: 'frame' });
    const finished: string[] = [];
    const sorting = session.inspect({ type: 'table.sort', handle, keys: [{ column: 0, descending: true }] }).then(() => finished.push('sort'));
    await tunnel.send({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: URI, languageId: 'python', version: 1, text: 'config["' } } });
    const list = await tunnel.call<{ items: { label: string }[] }>('textDocument/completion', { textDocument: { uri: URI }, position: { line: 0, character: 8 } });
    finished.push('completion');
    await sorting;
    assert.deepEqual(list.items.map((i) => i.label), ['alpha']);
    assert.deepEqual(finished, ['completion', 'sort'], 'the completion did not wait for the sort');
  });
});
