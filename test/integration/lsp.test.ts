// `pydock lsp` on stdio against real containers: live completions, hovers and signatures, answered while code runs.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CLI, buildCli } from './cliSupport';
import { BARE_IMAGE, FULL_IMAGE, tempWorkspace } from './helpers';
import { StdioLspClient } from './stdioLspClient';

buildCli();

const URI = 'file:///workspace/cells.py';

interface CompletionList { items: { label: string; detail: string }[] }

function start(image: string): StdioLspClient {
  const client = new StdioLspClient(process.execPath, [CLI, 'lsp', '--backend', 'docker', '--image', image, '--workspace', '.'], tempWorkspace());
  after(() => { if (client.child.exitCode === null) client.child.kill(); });
  return client;
}

/** The labels completing the text's end, after the document is changed to that text. */
async function labelsAt(client: StdioLspClient, text: string, version: number): Promise<string[]> {
  client.notify('textDocument/didChange', { textDocument: { uri: URI, version }, contentChanges: [{ text }] });
  const lines = text.split('\n');
  const list = await client.call<CompletionList>('textDocument/completion', {
    textDocument: { uri: URI }, position: { line: lines.length - 1, character: lines.at(-1)!.length },
  });
  return list.items.map((i) => i.label);
}

async function initialized(client: StdioLspClient): Promise<Record<string, unknown>> {
  const { capabilities } = await client.call<{ capabilities: Record<string, unknown> }>('initialize', { processId: null, rootUri: null, capabilities: {} });
  client.notify('initialized', {});
  client.notify('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'python', version: 1, text: '' } });
  return capabilities;
}

describe('pydock lsp', () => {
  it('completes columns, methods and signatures of a live DataFrame, and answers while code runs', async () => {
    const client = start(FULL_IMAGE);
    const capabilities = await initialized(client);
    assert.deepEqual(capabilities.executeCommandProvider, { commands: ['pydock.run'] });
    assert.deepEqual((capabilities.completionProvider as { triggerCharacters: string[] }).triggerCharacters, ['.', '[', '"', "'"]);
    const made = await client.call<{ ok: boolean }>('workspace/executeCommand', {
      command: 'pydock.run', arguments: ["import pandas as pd\ndf = pd.DataFrame({'price': [1.5, 2.5], 'city': ['Oslo', 'Lima']})"],
    });
    assert.equal(made.ok, true, JSON.stringify(made));
    assert.deepEqual(await labelsAt(client, 'df["', 2), ['price', 'city']);

    const running = client.request('workspace/executeCommand', { command: 'pydock.run', arguments: ['import time\nfor _ in range(40): time.sleep(0.05)'] });
    const duringRun = await labelsAt(client, 'df.gro', 3);
    const completedAt = client.replyOrder.length;
    const run = await running;
    assert.ok(duringRun.includes('groupby'), duringRun.join());
    assert.equal(client.replyOrder.indexOf(run.id), completedAt, 'the completion was answered while the run went on, before its reply');

    const hover = await client.call<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: URI }, position: { line: 0, character: 1 } });
    assert.match(hover.contents.value, /DataFrame/);
    assert.match(hover.contents.value, /2 rows × 2 columns/);
    client.notify('textDocument/didChange', { textDocument: { uri: URI, version: 4 }, contentChanges: [{ text: 'df.groupby(' }] });
    const help = await client.call<{ signatures: { label: string }[] }>('textDocument/signatureHelp', { textDocument: { uri: URI }, position: { line: 0, character: 11 } });
    assert.match(help.signatures[0].label, /^groupby\(by=None/);
    assert.equal(await client.close(), 0);
  });

  it('completes dict keys on a bare python3 image, and a failed run is a result, not a dead server', async () => {
    const client = start(BARE_IMAGE);
    await initialized(client);
    const failed = await client.call<{ ok: boolean; error: string }>('workspace/executeCommand', { command: 'pydock.run', arguments: ['1/0'] });
    assert.equal(failed.ok, false);
    assert.match(failed.error, /ZeroDivisionError/);
    await client.call('workspace/executeCommand', { command: 'pydock.run', arguments: ["config = {'alpha': 1, 'beta': 2}"] });
    assert.deepEqual(await labelsAt(client, "config['", 2), ['alpha', 'beta']);
    const unknown = await client.request('workspace/executeCommand', { command: 'other', arguments: [] });
    assert.equal(unknown.error?.code, -32602);
    assert.equal(await client.close(), 0);
  });
});
