// The transcript model: bounded head and tail, elided line counts, and the updates both sides apply.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyUpdate, countLines, streamText, type StreamLimits, type StreamOutput, type TranscriptEntry,
} from '../../shared/transcript';

const limits: StreamLimits = { headLines: 3, headChars: 1000, tailLines: 2, tailChars: 1000 };
const entry = (): TranscriptEntry => ({ id: 'e1', count: 1, code: 'x', source: 'REPL', state: 'running', collapsed: false, outputs: [] });
const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `line ${from + i}\n`).join('');

function feed(chunks: string[], l = limits): StreamOutput {
  const entries = [entry()];
  for (const text of chunks) applyUpdate(entries, { type: 'stream', id: 'e1', name: 'stdout', text }, l);
  return entries[0].outputs[0] as StreamOutput;
}

describe('transcript streams', () => {
  it('keeps short output whole', () => {
    const s = feed(['a\n', 'b\n']);
    assert.deepEqual([s.head, s.elidedLines, s.tail], ['a\nb\n', 0, '']);
  });

  it('keeps the first and last lines of long output and counts what it drops', () => {
    const s = feed([lines(0, 10)]);
    assert.equal(s.head, lines(0, 3));
    assert.equal(s.tail, lines(8, 10));
    assert.equal(s.elidedLines, 5);
  });

  it('gives the same result however the text is chunked, and never loses count of a line', () => {
    const text = lines(0, 57);
    for (const size of [1, 3, 7, 10, 64, 1000]) {
      const chunks = text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g'))!;
      const s = feed(chunks);
      assert.equal(s.head, lines(0, 3), `chunk size ${size}`);
      assert.equal(s.tail, lines(55, 57), `chunk size ${size}`);
      assert.equal(countLines(s.head) + s.elidedLines + countLines(s.tail), 57, `chunk size ${size}`);
    }
  });

  it('lets a carriage return overwrite its line, as a terminal does for progress bars, however the text is chunked', () => {
    const text = 'start\n\r  0%|\r 50%|#####\r100%|##########\ndone\r\nend\r';
    for (const size of [1, 2, 5, 100]) {
      const s = feed(text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g'))!);
      assert.equal(s.head + s.tail, 'start\n100%|##########\ndone\r\nend\r', `chunk size ${size}`);
    }
    assert.equal(feed(['x\r', 'y']).head, 'y', 'a chunk ending in a carriage return is overwritten by the next');
    const past = feed([lines(0, 5), 'a\rb'], { headLines: 2, headChars: 1000, tailLines: 2, tailChars: 1000 });
    assert.equal(past.tail, `${lines(4, 5)}b`, 'in the tail too');
  });

  it('bounds characters too, for one enormous line', () => {
    const s = feed(['x'.repeat(5000) + '\n', 'y'.repeat(5000)], { headLines: 3, headChars: 100, tailLines: 2, tailChars: 100 });
    assert.ok(s.head.length <= 100 && s.tail.length <= 100, `head ${s.head.length}, tail ${s.tail.length}`);
    assert.ok(s.tail.endsWith('y'));
  });

  it('starts a new stream output when the stream name changes', () => {
    const entries = [entry()];
    applyUpdate(entries, { type: 'stream', id: 'e1', name: 'stdout', text: 'a\n' }, limits);
    applyUpdate(entries, { type: 'stream', id: 'e1', name: 'stderr', text: 'b\n' }, limits);
    applyUpdate(entries, { type: 'stream', id: 'e1', name: 'stderr', text: 'c\n' }, limits);
    assert.deepEqual(entries[0].outputs.map((o) => o.kind === 'stream' && `${o.name}:${o.head}`), ['stdout:a\n', 'stderr:b\nc\n']);
  });

  it('marks elision in copied text', () => {
    assert.match(streamText(feed([lines(0, 10)])), /line 2\n… 5 lines elided …\nline 8/);
  });
});

describe('transcript updates', () => {
  it('adds entries, changes state, appends outputs, replaces and collapses', () => {
    const entries: TranscriptEntry[] = [];
    applyUpdate(entries, { type: 'add', entry: entry() });
    applyUpdate(entries, { type: 'state', id: 'e1', state: 'done', durationMs: 12 });
    applyUpdate(entries, { type: 'output', id: 'e1', output: { kind: 'notice', level: 'info', text: 'hi' } });
    applyUpdate(entries, { type: 'replaceOutput', id: 'e1', index: 0, output: { kind: 'notice', level: 'warning', text: 'ho' } });
    applyUpdate(entries, { type: 'collapse', id: 'e1', collapsed: true });
    assert.deepEqual([entries[0].state, entries[0].durationMs, entries[0].collapsed, entries[0].outputs], ['done', 12, true, [{ kind: 'notice', level: 'warning', text: 'ho' }]]);
  });

  it('moves an elided stream\'s tail and count, keeping its head; a tail for an output that is no stream changes nothing', () => {
    const entries: TranscriptEntry[] = [];
    applyUpdate(entries, { type: 'add', entry: entry() });
    applyUpdate(entries, { type: 'output', id: 'e1', output: { kind: 'stream', name: 'stdout', head: 'a\n', elidedLines: 3, tail: 'e\n' } });
    applyUpdate(entries, { type: 'output', id: 'e1', output: { kind: 'notice', level: 'info', text: 'hi' } });
    assert.equal(applyUpdate(entries, { type: 'streamTail', id: 'e1', index: 0, elidedLines: 5, tail: 'g\n' }), entries[0]);
    assert.equal(applyUpdate(entries, { type: 'streamTail', id: 'e1', index: 1, elidedLines: 9, tail: 'z\n' }), undefined);
    assert.deepEqual(entries[0].outputs, [
      { kind: 'stream', name: 'stdout', head: 'a\n', elidedLines: 5, tail: 'g\n' }, { kind: 'notice', level: 'info', text: 'hi' },
    ]);
  });

  it('ignores updates for entries that are gone', () => {
    assert.equal(applyUpdate([], { type: 'state', id: 'gone', state: 'done' }), undefined);
  });
});
