// A transcript's plots: image outputs and image results in order, named by entry and output, and their save formats.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { plotFormats, transcriptPlots } from '../../shared/plots';
import type { TranscriptEntry } from '../../shared/transcript';

const png = { mime: 'image/png' as const, data: 'iVBOR' };

function entry(id: string, count: number, outputs: TranscriptEntry['outputs']): TranscriptEntry {
  return { id, count, code: '', source: 'REPL', state: 'done', collapsed: false, outputs };
}

describe('transcript plots', () => {
  it('lists image displays and image results in order, and nothing else', () => {
    const plots = transcriptPlots([
      entry('a', 1, [
        { kind: 'stream', name: 'stdout', head: 'x\n', elidedLines: 0, tail: '' },
        { kind: 'display', display: { ...png, plot: 11 } },
        { kind: 'display', display: { mime: 'text/html', data: '<b>no</b>' } },
        { kind: 'display', display: png },
      ]),
      entry('b', 2, [{ kind: 'result', pyType: 'Image', repr: '<Image>', display: [{ mime: 'image/svg+xml', data: '<svg/>' }] }]),
      entry('c', 3, [{ kind: 'result', pyType: 'DataFrame', repr: '', table: {
        kind: 'dataframe', shape: [0, 0], columns: [], dtypes: [], indexNames: [], index: [], rows: [], ref: 1,
      }, display: [png] }]),
    ]);
    assert.deepEqual(plots.map((p) => [p.entryId, p.index, p.count, p.display.mime]),
      [['a', 1, 1, 'image/png'], ['a', 3, 1, 'image/png'], ['b', 0, 2, 'image/svg+xml']], 'a table result shows its table, not an image');
  });

  it('saves PNG as it came, SVG as it came or when the agent keeps the figure', () => {
    assert.deepEqual(plotFormats(png), ['png']);
    assert.deepEqual(plotFormats({ ...png, plot: 3 }), ['png', 'svg']);
    assert.deepEqual(plotFormats({ mime: 'image/svg+xml', data: '<svg/>' }), ['svg']);
  });
});
