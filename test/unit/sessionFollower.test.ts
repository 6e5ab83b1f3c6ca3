// The session follower: runs a reload left open get their output and end back, or are closed saying why they cannot;
// output of no run goes under a heading that says whose it is.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PydockError } from '../../extension/engine/errors';
import type { ReplayInfo } from '../../shared/agentProtocol';
import { Recorder } from '../../extension/panel/recorder';
import { SessionFollower } from '../../extension/panel/sessionFollower';
import type { OutputItem, TranscriptEntry } from '../../shared/transcript';

const replay = (droppedEvents = 0): ReplayInfo => ({ events: 3, bytes: 90, keptEvents: 3, keptBytes: 90, droppedEvents, droppedBytes: droppedEvents * 30 });
const open = (id: string, state: 'queued' | 'running', runId?: number): TranscriptEntry => ({
  id, count: 1, code: 'loop()', source: 'REPL', state, collapsed: false, startedAt: Date.now() - 1000,
  outputs: state === 'running' ? [{ kind: 'stream', name: 'stdout', head: 'line 0\n', elidedLines: 0, tail: '' }] : [],
  ...(runId === undefined ? {} : { runId }),
});
const text = (o: OutputItem) => (o.kind === 'stream' ? o.head + o.tail : o.kind === 'notice' ? o.text : o.kind === 'result' ? o.repr : o.kind);

function restored(entries: TranscriptEntry[]) {
  const recorder = new Recorder(() => undefined);
  recorder.restore(structuredClone(entries));
  return { recorder, follower: new SessionFollower(recorder) };
}

describe('SessionFollower', () => {
  it('follows a run the reload left open to its end in its own entry; its queued successor starts when its output comes', () => {
    const { recorder, follower } = restored([open('a', 'running', 7), open('b', 'queued', 8)]);
    assert.equal(follower.following, true);
    follower.lifecycle({ kind: 'reattached', agent: 'c1', replay: replay(), after: 'reload' });
    follower.state('busy');
    follower.output({ id: 7, name: 'stdout', text: 'line 1\n', replayed: true, orphan: true });
    follower.output({ id: 7, name: 'stdout', text: 'line 2\n', orphan: true });
    follower.output({ id: 7, display: { mime: 'text/plain', data: 'figure' }, orphan: true });
    follower.lifecycle({ kind: 'orphan-finished', id: 7, ok: true, repr: "'done'", replayed: false });
    follower.output({ id: 8, name: 'stderr', text: 'oops\n', orphan: true });
    follower.lifecycle({ kind: 'orphan-finished', id: 8, ok: false, repr: '', replayed: false,
      error: { type: 'KeyboardInterrupt', message: '', frames: [], text: 'KeyboardInterrupt\n' } });
    const [a, b, notice] = recorder.entries;
    assert.deepEqual(a.outputs.map(text), ['line 0\nline 1\nline 2\n', 'display', "'done'"]);
    assert.equal(a.state, 'done');
    assert.deepEqual([b.state, b.outputs.map((o) => o.kind)], ['interrupted', ['stream', 'error']]);
    assert.match(text(notice.outputs[0]), /^Reattached/);
    assert.equal(recorder.entries.length, 3, 'no stray entry');
    assert.equal(follower.following, false);
  });

  it('closes an entry never sent at once, and the others when the session starts afresh instead of reattaching', () => {
    const { recorder, follower } = restored([open('a', 'queued'), open('b', 'running', 3)]);
    assert.equal(recorder.entries[0].state, 'cancelled');
    assert.match(text(recorder.entries[0].outputs[0]), /reloaded before this run was sent/);
    follower.state('starting');
    assert.equal(recorder.entries[1].state, 'running', 'still waiting while the session starts');
    follower.state('idle');
    assert.equal(recorder.entries[1].state, 'error');
    assert.match(text(recorder.entries[1].outputs.at(-1)!), /could not be reattached .*how the run ended is unknown/);
  });

  it('waits for the end after a reattach that lost nothing, and closes what is left at idle when the replay dropped events', () => {
    const whole = restored([open('a', 'running', 3)]);
    whole.follower.lifecycle({ kind: 'reattached', agent: 'c1', replay: replay(), after: 'reload' });
    whole.follower.state('idle'); // a long replay may still be arriving: the end will come
    assert.equal(whole.recorder.entries[0].state, 'running');
    whole.follower.lifecycle({ kind: 'orphan-finished', id: 3, ok: true, repr: '', replayed: true });
    assert.equal(whole.recorder.entries[0].state, 'done');

    const lossy = restored([open('a', 'running', 3)]);
    lossy.follower.lifecycle({ kind: 'reattached', agent: 'c1', replay: replay(12), after: 'reload' });
    lossy.follower.state('busy');
    assert.equal(lossy.recorder.entries[0].state, 'running');
    lossy.follower.state('idle');
    assert.equal(lossy.recorder.entries[0].state, 'error');
    assert.match(text(lossy.recorder.entries[0].outputs.at(-1)!), /among the 12 events the session dropped/);
    assert.match(text(lossy.recorder.entries[1].outputs[0]), /12 older events were dropped/);
  });

  it('closes what it follows when the session dies, and forgets it when the transcript is cleared', () => {
    const dying = restored([open('a', 'running', 3)]);
    dying.follower.lifecycle({ kind: 'reattached', agent: 'c1', replay: replay(), after: 'reload' });
    dying.follower.state('dead');
    assert.equal(dying.recorder.entries[0].state, 'error');

    const clearing = restored([open('a', 'running', 3)]);
    clearing.recorder.clear();
    clearing.follower.cleared();
    clearing.follower.lifecycle({ kind: 'reattached', agent: 'c1', replay: replay(), after: 'reload' });
    clearing.follower.output({ id: 3, name: 'stdout', text: 'late\n', orphan: true });
    assert.deepEqual(clearing.recorder.entries.map((e) => e.outputs.map(text)),
      [['Reattached to the running session after the window reload: variables are still there.'], ['Output of a run started before the window reloaded', 'late\n']]);
  });

  it('puts output of no run under a heading that says whose it is, and leaves a run of this window\'s to its entry', () => {
    const { recorder, follower } = restored([]);
    follower.output({ id: 4, name: 'stdout', text: 'mine\n' });
    follower.output({ id: null, name: 'stdout', text: 'while reloading\n', replayed: true });
    follower.output({ id: null, display: { mime: 'text/plain', data: 'late plot' }, replayed: true });
    follower.output({ id: null, name: 'stdout', text: 'thread\n' });
    assert.deepEqual(recorder.entries.map((e) => e.outputs.map(text)), [
      ['Output while the window was reloading', 'while reloading\n', 'display'],
      ['Output after its run ended', 'thread\n'],
    ]);
  });

  it('is what a detached run leaves: the recorder keeps its entry open with the id it was sent under', async () => {
    const recorder = new Recorder(() => undefined);
    const detached = new PydockError('detached', 'The session was detached: its Python process keeps running for the next window.');
    await assert.rejects(recorder.run({ code: 'loop()', source: 'REPL' }, async (o) => {
      o.onSent!(12);
      o.onStream!('stdout', 'line 0\n');
      throw detached;
    }), /detached/);
    await assert.rejects(recorder.run({ code: 'never sent', source: 'REPL' }, async () => { throw detached; }));
    assert.deepEqual(recorder.entries.map((e) => [e.state, e.runId, e.outputs.map(text)]), [
      ['running', 12, ['line 0\n']],
      ['cancelled', undefined, ['The session was detached: its Python process keeps running for the next window.']],
    ]);
  });
});
