// How the REPL input applies and narrows the language server's items, as an editor's suggest widget would.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { filtered, suggestion } from '../../extension/engine/lsp/replCompletion';

describe('REPL completion', () => {
  it('turns a text edit into offsets of the input, across lines', () => {
    const code = 'x = 1\ndf["pr';
    const item = { label: 'price', textEdit: { range: { start: { line: 1, character: 4 }, end: { line: 1, character: 6 } }, newText: 'price"' } };
    assert.deepEqual(suggestion(item, code, code.length), { label: 'price', description: '', text: 'price"', start: 10, end: 12 });
  });

  it('replaces the word before the caret when the item has no edit', () => {
    assert.deepEqual(suggestion({ label: 'groupby', labelDetails: { description: 'function' } }, 'df.gro', 6),
      { label: 'groupby', description: 'function', text: 'groupby', start: 3, end: 6 });
  });

  it('keeps what fits the typed part, prefix matches first; the server narrowed only by its first character', () => {
    const code = 'df.gro';
    const items = ['ge', 'get', 'gt', 'agg_groups', 'groupby'].map((label) => suggestion({ label }, code, code.length));
    assert.deepEqual(filtered(items, code).map((s) => s.label), ['groupby', 'agg_groups']);
  });
});
