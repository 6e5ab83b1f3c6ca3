// After a reattach, the output and displays of a run the earlier window sent reach the session's output listeners,
// marked as that run's (orphan), in the order the agent sent them; this engine's own runs are told apart.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AgentEvents } from '../../extension/engine/session/agentEvents';
import { silentLogger } from '../../extension/engine/log';
import { PendingRuns } from '../../extension/engine/session/pendingRuns';
import type { HelloEvent, SessionEvent } from '../../shared/agentProtocol';
import type { LifecycleEvent, OutputEvent } from '../../extension/engine/session/sessionTypes';

const REPLAY = { events: 2, bytes: 100, keptEvents: 2, keptBytes: 100, droppedEvents: 0, droppedBytes: 0 };
const hello = (running: number | null, lastId: number, replay?: typeof REPLAY): HelloEvent => ({
  type: 'hello', seq: 20, id: lastId + 1, python: '3.11.2', agent: '1', pid: 1, cwd: '/', running, lastId,
  modules: { numpy: false, pandas: false, msgpack: false, matplotlib: false }, ...(replay ? { replay } : {}),
});
const stream = (seq: number, id: number | null, text: string): SessionEvent => ({ type: 'stream', seq, id, name: 'stdout', text });
const png = new Uint8Array([137, 80, 78, 71]);

function routed() {
  const output: OutputEvent[] = [];
  const lifecycle: LifecycleEvent[] = [];
  const runs = new PendingRuns();
  const events = new AgentEvents({
    name: 'test', log: silentLogger, runs,
    output: (e) => output.push(e), lifecycle: (e) => lifecycle.push(e), settled: () => undefined, idsUsed: () => undefined,
    abandon: () => assert.fail('no run is abandoned here'), dap: () => assert.fail('no debugger bytes here'),
  });
  return { events, runs, output, lifecycle };
}

describe('output of a run sent before a reattach', () => {
  it('is marked as the orphan run\'s, replayed or live, streams and displays alike, in the order sent', () => {
    const { events, output, lifecycle } = routed();
    events.dispatch(hello(5, 5, REPLAY), 0, false, 'agent');
    events.dispatch(stream(11, 5, 'line 3\n'), 10, true, 'agent');
    events.dispatch({ type: 'display', seq: 12, id: 5, mime: 'image/png', data: png }, 10, true, 'agent');
    events.dispatch(stream(21, 5, 'line 4\n'), 10, false, 'agent');
    events.dispatch({ type: 'display', seq: 22, id: 5, mime: 'text/plain', data: 'figure' }, 10, false, 'agent');
    events.dispatch(stream(23, null, 'from a thread\n'), 10, false, 'agent');
    events.dispatch({ type: 'result', seq: 24, id: 5, pyType: 'str', repr: "'done'", value: 'done', durationMs: 3 }, 10, false, 'agent');
    assert.deepEqual(output, [
      { id: 5, name: 'stdout', text: 'line 3\n', replayed: true, orphan: true },
      { id: 5, display: { mime: 'image/png', data: png }, replayed: true, orphan: true },
      { id: 5, name: 'stdout', text: 'line 4\n', orphan: true },
      { id: 5, display: { mime: 'text/plain', data: 'figure' }, orphan: true },
      { id: null, name: 'stdout', text: 'from a thread\n' },
    ]);
    assert.deepEqual(lifecycle.map((e) => e.kind), ['reattached', 'orphan-finished']);
  });

  it('leaves this engine\'s own runs unmarked: their output reaches the run and the listeners, displays too', async () => {
    const { events, runs, output } = routed();
    events.dispatch(hello(null, 5, REPLAY), 0, false, 'agent');
    const displays: unknown[] = [];
    const streamed: string[] = [];
    const outcome = runs.add(6, { onStream: (_, text) => streamed.push(text), onDisplay: (d) => displays.push(d) }, false,
      { queuedAt: 0, sentAt: 0, bytesSent: 0, bytesReceived: 0 }, { timeout: () => undefined, abort: () => undefined });
    events.dispatch(stream(21, 6, 'mine\n'), 10, false, 'agent');
    events.dispatch({ type: 'display', seq: 22, id: 6, mime: 'text/plain', data: 'plot' }, 10, false, 'agent');
    events.dispatch({ type: 'result', seq: 23, id: 6, pyType: 'NoneType', repr: 'None', value: null, durationMs: 1 }, 10, false, 'agent');
    assert.equal((await outcome).ok, true);
    assert.deepEqual(streamed, ['mine\n']);
    assert.deepEqual(displays, [{ mime: 'text/plain', data: 'plot' }]);
    assert.deepEqual(output, [
      { id: 6, name: 'stdout', text: 'mine\n' },
      { id: 6, display: { mime: 'text/plain', data: 'plot' } },
    ]);
  });

  it('marks nothing as an orphan on a fresh agent, whose ids start again', () => {
    const { events, output } = routed();
    events.dispatch(hello(null, 0), 0, false, 'agent');
    events.dispatch(stream(2, 1, 'x\n'), 10, false, 'agent');
    assert.deepEqual(output, [{ id: 1, name: 'stdout', text: 'x\n' }]);
  });
});
