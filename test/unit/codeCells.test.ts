// The cell parser: every delimiter form, markdown cells, delimiters inside strings, and files without delimiters.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cellAt, parseCells } from '../../extension/codeCells';

const summary = (text: string) => parseCells(text).map((c) => ({ kind: c.kind, title: c.title, header: c.headerLine, start: c.startLine, end: c.endLine, code: c.code }));

describe('parseCells', () => {
  it('splits on # %%, #%% and # In[ ]:', () => {
    const text = ['# %% First', 'a = 1', '', '#%%', 'b = 2', '# In[3]:', 'c = 3', '# In[ ]:', 'd = 4'].join('\n');
    assert.deepEqual(summary(text), [
      { kind: 'code', title: 'First', header: 0, start: 1, end: 1, code: 'a = 1' },
      { kind: 'code', title: '', header: 3, start: 4, end: 4, code: 'b = 2' },
      { kind: 'code', title: '', header: 5, start: 6, end: 6, code: 'c = 3' },
      { kind: 'code', title: '', header: 7, start: 8, end: 8, code: 'd = 4' },
    ]);
  });

  it('marks # %% [markdown] cells as markdown', () => {
    const cells = parseCells('# %% [markdown] Notes\n# Some *text*\n# %%\nx = 1');
    assert.deepEqual(cells.map((c) => [c.kind, c.title]), [['markdown', 'Notes'], ['code', '']]);
  });

  it('treats a file without delimiters as one cell', () => {
    assert.deepEqual(summary('import os\nprint(os.getcwd())\n\n'), [
      { kind: 'code', title: '', header: -1, start: 0, end: 1, code: 'import os\nprint(os.getcwd())' },
    ]);
  });

  it('makes code above the first delimiter a cell, but not a comment header', () => {
    assert.equal(parseCells('import os\n# %%\nx = 1')[0].code, 'import os');
    assert.equal(parseCells('# A title comment\n\n# %%\nx = 1').length, 1);
  });

  it('ignores delimiters inside triple-quoted strings, and not after them', () => {
    const text = ['# %%', 's = """', '# %% not a cell', "'''", '"""', 'q = \'"""\'', '# %%', 't = 2'].join('\n');
    const cells = parseCells(text);
    assert.equal(cells.length, 2, JSON.stringify(summary(text)));
    assert.equal(cells[1].code, 't = 2');
  });

  it('is not fooled by quotes in comments or escaped quotes', () => {
    const text = ['# %%', "x = 'it\\'s'  # don't", '# %%', 'y = "a\\"b"', '# %%', 'z = 3'].join('\n');
    assert.equal(parseCells(text).length, 3);
  });

  it('finds the cell holding a line', () => {
    const cells = parseCells('a = 0\n# %%\nb = 1\n\n# %%\nc = 2');
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((l) => cellAt(cells, l)!.index), [0, 1, 1, 1, 2, 2]);
  });
});
