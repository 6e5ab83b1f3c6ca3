// From a pod's status to what the session says: pending reasons, start failures with what to do, and how the agent ended.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import { podState } from '../../extension/engine/kubernetes/podState';
import { describeExit } from '../../extension/engine/session/exitCause';

const withContainer = (state: object, extra: Partial<V1Pod['status']> = {}): V1Pod => ({
  spec: { containers: [{ name: 'agent', image: 'corp/py:1' }] },
  status: { phase: 'Pending', containerStatuses: [{ name: 'agent', image: 'corp/py:1', imageID: '', ready: false, restartCount: 0, state }], ...extra },
});

describe('podState', () => {
  it('maps OOMKilled to an out-of-memory exit with the limit', () => {
    const state = podState(withContainer({ terminated: { exitCode: 137, reason: 'OOMKilled' } }), 1 << 30);
    assert.deepEqual(state, { state: 'ended', exit: { code: 137, oomKilled: true, removed: false, memoryBytes: 1 << 30 } });
    if (state.state === 'ended') assert.match(describeExit(state.exit, '').message, /out of memory \(the limit is 1/);
  });

  it('maps Error to the exit code, and a SIGKILL without OOM to a kill', () => {
    assert.deepEqual(podState(withContainer({ terminated: { exitCode: 3, reason: 'Error' } })), { state: 'ended', exit: { code: 3, oomKilled: false, removed: false } });
    const killed = podState(withContainer({ terminated: { exitCode: 137, reason: 'Error' } }));
    assert.equal(killed.state === 'ended' && killed.exit.signal, 'SIGKILL');
  });

  it('maps deletion (gone, or being deleted) and a pod past its deadline to removed', () => {
    assert.deepEqual(podState(undefined), { state: 'ended', exit: { code: null, oomKilled: false, removed: true } });
    const deleting = withContainer({ running: {} });
    deleting.metadata = { deletionTimestamp: new Date() };
    assert.equal(podState(deleting).state === 'ended' && (podState(deleting) as { exit: { removed: boolean } }).exit.removed, true);
    const deadline: V1Pod = { status: { phase: 'Failed', reason: 'DeadlineExceeded' } };
    assert.equal((podState(deadline) as { exit?: { removed: boolean } }).exit?.removed, true);
  });

  it('fails at once, with the message and what to do, when the image cannot be pulled', () => {
    for (const reason of ['ErrImagePull', 'ImagePullBackOff']) {
      const state = podState(withContainer({ waiting: { reason, message: 'pull access denied for corp/py' } }));
      assert.equal(state.state, 'failed');
      if (state.state !== 'failed') return;
      assert.equal(state.error.code, 'image-missing');
      assert.match(state.error.message, new RegExp(`corp/py:1 \\(${reason}: pull access denied for corp/py\\)`));
      assert.match(state.error.hint, /imagePullSecrets/);
    }
  });

  it('reports Unschedulable and ContainerCreating as pending, with the scheduler\'s message', () => {
    const unschedulable: V1Pod = { status: { phase: 'Pending', conditions: [
      { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient nvidia.com/gpu.' },
    ] } };
    assert.deepEqual(podState(unschedulable), { state: 'pending', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient nvidia.com/gpu.' });
    assert.deepEqual(podState(withContainer({ waiting: { reason: 'ContainerCreating' } })), { state: 'pending', reason: 'ContainerCreating' });
    assert.deepEqual(podState({ status: { phase: 'Pending' } }), { state: 'pending', reason: 'Pending' });
  });

  it('says running once the container runs, and fails a container the kubelet cannot create', () => {
    assert.deepEqual(podState(withContainer({ running: { startedAt: new Date() } }, { phase: 'Running' })), { state: 'running' });
    const config = podState(withContainer({ waiting: { reason: 'CreateContainerConfigError', message: 'container has runAsNonRoot and image will run as root' } }));
    assert.equal(config.state === 'failed' && config.error.code, 'start-failed');
  });
});
