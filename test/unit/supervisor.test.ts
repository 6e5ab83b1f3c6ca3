// Supervision: one automatic restart per death, none for an agent that dies soon after one, and the idle stop.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PydockError } from '../../extension/engine/errors';
import { silentLogger } from '../../extension/engine/log';
import { waitUntil } from '../../extension/engine/poll';
import type { LifecycleEvent, SessionState } from '../../extension/engine/session/sessionTypes';
import { Supervisor, type SupervisedSession } from '../../extension/engine/session/supervisor';

function fakeSession(options: ConstructorParameters<typeof Supervisor>[1], restart: () => Promise<void> = async () => undefined) {
  const fired: LifecycleEvent[] = [];
  const calls: string[] = [];
  let state: SessionState = 'dead';
  const session: SupervisedSession = {
    name: 'test', log: silentLogger, state: () => state,
    restartAgent: async () => { calls.push('restart'); await restart(); state = 'idle'; },
    stopIdle: async (reason) => { calls.push(`stop: ${reason}`); state = 'stopped'; },
    fire: (event) => fired.push(event),
  };
  return { supervisor: new Supervisor(session, options), fired, calls, setState: (s: SessionState) => { state = s; } };
}
const crash = new PydockError('exited', 'The Python process exited with code 3.');

describe('supervisor', () => {
  it('restarts once per death and says so with the cause', async () => {
    const { supervisor, fired, calls } = fakeSession({ autoRestart: true });
    await supervisor.died(crash);
    assert.deepEqual(calls, ['restart']);
    assert.deepEqual(fired, [{ kind: 'auto-restarted', cause: crash }]);
  });

  it('stops restarting an agent that dies again within the window, until the user starts one', async () => {
    const { supervisor, fired, calls, setState } = fakeSession({ autoRestart: true, autoRestartWindowMs: 60_000 });
    await supervisor.died(crash);
    setState('dead');
    await supervisor.died(crash);
    assert.deepEqual(calls, ['restart'], 'no second restart');
    assert.equal(fired[1].kind, 'auto-restart-stopped');
    assert.match((fired[1] as { reason: string }).reason, /died again within 60 s of its automatic restart/);
    supervisor.userStarted();
    setState('dead');
    await supervisor.died(crash);
    assert.deepEqual(calls, ['restart', 'restart'], 'a start the user made allows one more');
  });

  it('reports a restart that fails, and does nothing without autoRestart', async () => {
    const failing = fakeSession({ autoRestart: true }, async () => { throw new Error('image gone'); });
    await failing.supervisor.died(crash);
    assert.deepEqual(failing.fired.map((e) => e.kind), ['auto-restart-stopped']);
    assert.match((failing.fired[0] as { reason: string }).reason, /the restart failed: image gone/);
    const off = fakeSession({});
    await off.supervisor.died(crash);
    assert.deepEqual([off.calls, off.fired], [[], []]);
  });

  it('stops a session idle for idleStopMs, and not one that turned busy', async () => {
    const idle = fakeSession({ idleStopMs: 30 });
    idle.setState('idle');
    idle.supervisor.stateChanged('idle');
    assert.ok(await waitUntil(() => idle.fired.length > 0, 2000), 'an idle stop within 2 s of a 30 ms idle time');
    assert.deepEqual(idle.fired, [{ kind: 'idle-stopped', idleMs: 30 }]);
    assert.match(idle.calls[0], /^stop: The session was stopped after 0 s without a run/);
    const busy = fakeSession({ idleStopMs: 30 });
    busy.supervisor.stateChanged('idle');
    busy.supervisor.stateChanged('busy');
    busy.setState('busy');
    assert.equal(await waitUntil(() => busy.calls.length > 0, 200), false, 'a busy session is not stopped');
  });
});
