// The recorder: a run becomes an entry whose streams, results and errors reach the panel as bounded updates.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PydockError } from '../../extension/engine/errors';
import type { RunOptions, RunOutcome } from '../../extension/engine/session/session';
import { Recorder } from '../../extension/panel/recorder';
import { applyUpdate, type EntryUpdate, type StreamOutput, type TranscriptEntry } from '../../shared/transcript';

const timings = { queuedAt: 10, sentAt: 12, startedAt: 13.5, finishedAt: 19, bytesSent: 40, bytesReceived: 300, durationMs: 5 };
const success = (repr: string): RunOutcome => ({ ok: true, id: 1, pyType: 'int', repr, value: null, stdout: '', stderr: '', displays: [], timings });

/** A recorder whose updates are also applied to a second transcript, as the panel applies them. */
function recorderWithMirror(limits = { headLines: 5, headChars: 10_000, tailLines: 3, tailChars: 10_000 }) {
  const updates: EntryUpdate[] = [];
  const mirror: TranscriptEntry[] = [];
  const spooled: string[] = [];
  const recorder = new Recorder((u) => { updates.push(u); applyUpdate(mirror, structuredClone(u), limits); },
    { write: (_id, _name, text) => spooled.push(text), end: () => undefined }, limits);
  return { recorder, updates, mirror, spooled };
}

describe('Recorder', () => {
  it('records code, streams in order, the result, the state, the duration and where the time went', async () => {
    const { recorder, mirror } = recorderWithMirror();
    await recorder.run({ code: 'x', source: 'REPL' }, async (o: RunOptions) => {
      o.onStream!('stdout', 'a\n');
      o.onStream!('stderr', 'warn\n');
      o.onStream!('stdout', 'b\n');
      return success('42');
    });
    const entry = recorder.entries[0];
    assert.deepEqual([entry.count, entry.state, entry.durationMs], [1, 'done', 5]);
    assert.deepEqual(entry.timings, { queuedMs: 2, startMs: 1.5, runMs: 5, totalMs: 9, bytesSent: 40, bytesReceived: 300 });
    assert.deepEqual(entry.outputs.map((o) => (o.kind === 'stream' ? `${o.name}:${o.head}` : o.kind === 'result' ? `result:${o.repr}` : o.kind)),
      ['stdout:a\n', 'stderr:warn\n', 'stdout:b\n', 'result:42']);
    assert.deepEqual(mirror, recorder.entries, 'the panel ends with the same transcript');
  });

  it('sends a long stream as bounded head and tail, and spools all of it', async () => {
    const { recorder, updates, mirror, spooled } = recorderWithMirror();
    const lines = Array.from({ length: 100_000 }, (_, i) => `line ${i}\n`);
    await recorder.run({ code: 'print', source: 'REPL' }, async (o) => {
      for (let i = 0; i < lines.length; i += 1000) o.onStream!('stdout', lines.slice(i, i + 1000).join(''));
      return success('');
    });
    const stream = recorder.entries[0].outputs[0] as StreamOutput;
    assert.equal(stream.head, lines.slice(0, 5).join(''));
    assert.equal(stream.tail, lines.slice(-3).join(''));
    assert.equal(stream.elidedLines, 100_000 - 8);
    assert.deepEqual(mirror, recorder.entries);
    const biggest = Math.max(...updates.map((u) => JSON.stringify(u).length));
    assert.ok(biggest < 2_000, `every update stays small; the biggest was ${biggest} characters`);
    assert.ok(updates.length < 50, `chunks were gathered: ${updates.length} updates for 100 chunks`);
    assert.equal(spooled.join(''), lines.join(''), 'the full output is kept for "open full output"');
  });

  it('sends an elided stream\'s head once; later updates carry only the elided count and the tail', async () => {
    const { recorder, updates, mirror } = recorderWithMirror();
    const lines = Array.from({ length: 3000 }, (_, i) => `line ${i}\n`);
    await recorder.run({ code: 'print', source: 'REPL' }, async (o) => {
      for (let i = 0; i < lines.length; i += 1000) {
        o.onStream!('stdout', lines.slice(i, i + 1000).join(''));
        await new Promise((resolve) => setTimeout(resolve, 300)); // past the batching delay: one update per chunk
      }
      return success('');
    });
    const streamUpdates = updates.filter((u) => u.type === 'stream' || u.type === 'replaceOutput' || u.type === 'streamTail');
    assert.deepEqual(streamUpdates.map((u) => u.type), ['replaceOutput', 'streamTail', 'streamTail']);
    assert.equal(streamUpdates.filter((u) => JSON.stringify(u).includes('line 0\\n')).length, 1, 'the head travels once');
    assert.deepEqual(streamUpdates[2], { type: 'streamTail', id: recorder.entries[0].id, index: 0, elidedLines: 3000 - 8, tail: lines.slice(-3).join('') });
    assert.deepEqual(mirror, recorder.entries, 'the panel ends with the same transcript');
  });

  it('marks a KeyboardInterrupt as interrupted and other errors as errors', async () => {
    const { recorder } = recorderWithMirror();
    const error = (type: string): RunOutcome => ({ ok: false, id: 1, error: { type, message: '', frames: [], text: '' }, stdout: '', stderr: '', displays: [], timings });
    await recorder.run({ code: 'a', source: 'REPL' }, async () => error('KeyboardInterrupt'));
    await recorder.run({ code: 'b', source: 'REPL' }, async () => error('ValueError'));
    assert.deepEqual(recorder.entries.map((e) => e.state), ['interrupted', 'error']);
  });

  it('turns a session failure into a notice that names the cause', async () => {
    const { recorder } = recorderWithMirror();
    await assert.rejects(recorder.run({ code: 'big', source: 'REPL' }, async (o) => {
      o.onStream!('stdout', 'allocating\n');
      throw new PydockError('oom', 'Python ran out of memory (the limit is 1 GiB) and was killed.', 'Raise pydock.memory.');
    }), /out of memory/);
    const entry = recorder.entries[0];
    assert.equal(entry.state, 'error');
    assert.deepEqual(entry.outputs.map((o) => o.kind), ['stream', 'notice']);
    assert.match((entry.outputs[1] as { text: string }).text, /out of memory.*Raise pydock.memory/);
  });

  it('continues counting after a restore', async () => {
    const { recorder } = recorderWithMirror();
    recorder.restore([{ id: 'old', count: 7, code: '', source: 'REPL', state: 'done', collapsed: false, outputs: [] }]);
    await recorder.run({ code: 'x', source: 'REPL' }, async () => success('1'));
    assert.equal(recorder.entries[1].count, 8);
  });
});
