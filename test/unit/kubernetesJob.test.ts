// The Kubernetes Job of a pydock job and what its status means, without a cluster: the manifest, the exit, the log cursor.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import { agentBundle } from '../../extension/engine/launch/agentBundle';
import type { LaunchSpec } from '../../extension/engine/launch/backend';
import { jobLaunchSpec } from '../../extension/engine/jobs/jobContainer';
import { agentConfigMap } from '../../extension/engine/kubernetes/agentConfigMap';
import { JOB_TTL_S, jobManifest, jobName, jobSelector } from '../../extension/engine/kubernetes/jobManifest';
import { CursorFilter } from '../../extension/engine/jobs/jobLog';
import { jobExit, jobRunState, kubeLogLines, parseKubeLogLine, sinceTimeOf } from '../../extension/engine/kubernetes/jobState';
import { labelValue } from '../../extension/engine/kubernetes/podSpec';

const ID = '20261203-174501-3f9a2c';
const ENVIRONMENT: Omit<LaunchSpec, 'workspaceLabel' | 'sessionLabel'> = {
  image: 'pydock-local/python:bare', workspace: '/home/u/project', workspaceReadOnly: false, env: { FROM_FILE: 'yes' }, memoryBytes: 1 << 30, agent: agentBundle(),
};
const JOB = { target: { kind: 'file' as const, file: 'train.py', args: ['--epochs', '3'] }, env: { EXTRA: '1' }, resources: { cpus: 2, memoryBytes: 2 ** 31 } };
const manifest = () => jobManifest(jobLaunchSpec(ENVIRONMENT, ID, JOB), ID, JOB, { namespace: 'team-a', owner: 'laptop:1', agent: agentConfigMap(agentBundle(), 'team-a') });

describe('jobManifest', () => {
  it('one attempt, a ttl, labelled with the job id on the Job and its pod', () => {
    const job = manifest();
    assert.equal(job.metadata!.name, jobName(ID));
    assert.equal(jobName(ID), `pydock-job-${ID}`);
    assert.deepEqual([job.spec!.backoffLimit, job.spec!.ttlSecondsAfterFinished], [0, JOB_TTL_S]);
    assert.equal(job.metadata!.labels!['pydock.job'], ID);
    assert.equal(job.spec!.template.metadata!.labels!['pydock.job'], ID);
    assert.equal(job.spec!.template.metadata!.labels!['pydock.workspace'], labelValue('/home/u/project'));
    assert.equal(jobSelector('/home/u/project', ID), `pydock.job=${ID},pydock.workspace=${labelValue('/home/u/project')}`);
    assert.equal(job.spec!.template.spec!.restartPolicy, 'Never');
    assert.equal(job.spec!.template.spec!.activeDeadlineSeconds, undefined, 'a job runs as long as it takes');
  });

  it('the job container: hardened as a session, the job\'s limits, its command after podstart.py, its env, /outputs shared with the keeper', () => {
    const [runner, keeper] = manifest().spec!.template.spec!.containers;
    assert.deepEqual([runner.name, keeper.name], ['job', 'keeper']);
    assert.deepEqual(runner.securityContext, { allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: false });
    assert.deepEqual(keeper.securityContext, runner.securityContext);
    assert.deepEqual(runner.resources, { limits: { memory: String(2 ** 31), cpu: '2000m' }, requests: { memory: String(2 ** 31), cpu: '2000m' } });
    assert.deepEqual(runner.command, ['python3', '/opt/pydock/podstart.py', 'python3', '/workspace/train.py', '--epochs', '3']);
    assert.deepEqual([runner.stdin, runner.stdinOnce], [true, true], 'the workspace comes on stdin once, then it closes');
    const env = Object.fromEntries(runner.env!.map((e) => [e.name, e.value]));
    assert.deepEqual([env.FROM_FILE, env.EXTRA, env.PYDOCK_OUTPUTS, env.PYDOCK_JOB_ID, env.PYTHONPATH], ['yes', '1', '/outputs', ID, '/opt/pydock']);
    assert.ok(runner.volumeMounts!.some((m) => m.mountPath === '/outputs') && keeper.volumeMounts!.some((m) => m.mountPath === '/outputs'));
    assert.equal(keeper.image, runner.image);
    assert.ok(manifest().spec!.template.spec!.volumes!.some((v) => v.name === 'outputs' && v.emptyDir));
  });
});

const pod = (job: object, phase = 'Running'): V1Pod => ({ status: { phase, containerStatuses: [
  { name: 'job', image: 'i', imageID: '', ready: false, restartCount: 0, state: job },
  { name: 'keeper', image: 'i', imageID: '', ready: true, restartCount: 0, state: { running: {} } },
] } });

describe('jobState', () => {
  it('the job container\'s end is the job\'s, while the keeper runs on: exit code, OOMKilled, times', () => {
    const startedAt = new Date('2026-12-03T17:00:00Z');
    const finishedAt = new Date('2026-12-03T17:00:05Z');
    assert.deepEqual(jobExit(pod({ terminated: { exitCode: 3, reason: 'Error', startedAt, finishedAt } })),
      { exitCode: 3, oomKilled: false, startedAt: '2026-12-03T17:00:00.000Z', finishedAt: '2026-12-03T17:00:05.000Z' });
    assert.equal(jobExit(pod({ terminated: { exitCode: 137, reason: 'OOMKilled' } }))!.oomKilled, true);
    assert.deepEqual(jobExit(pod({ running: { startedAt } })), { exitCode: null, oomKilled: false, startedAt: '2026-12-03T17:00:00.000Z', finishedAt: null });
    assert.equal(jobExit(pod({ running: { startedAt } }), '2026-12-03T17:01:00.000Z')!.finishedAt, '2026-12-03T17:01:00.000Z', 'cancelled here: ended then');
    assert.equal(jobExit(undefined), undefined, 'no pod: gone');
    assert.equal(jobRunState({}, pod({ running: {} })), 'running');
    assert.equal(jobRunState({}, pod({ waiting: { reason: 'ContainerCreating' } })), 'running', 'a slot is taken from its start');
    assert.equal(jobRunState({}, pod({ terminated: { exitCode: 0 } })), 'exited');
    assert.equal(jobRunState({ status: { active: 1 } }, undefined), 'running', 'the Job\'s pod not made yet');
    assert.equal(jobRunState({ status: { failed: 1 } }, undefined), 'exited');
  });

  it('sinceTime is the earliest stream cursor rounded down to its second (the API keeps seconds); none before a line was read', () => {
    const at = (iso: string, ns: bigint) => BigInt(Date.parse(iso)) * 1_000_000n + ns;
    assert.equal(sinceTimeOf(undefined), undefined);
    assert.equal(sinceTimeOf({ stdout: { timeNs: -1n, seen: 0 }, stderr: { timeNs: -1n, seen: 0 } }), undefined);
    assert.equal(sinceTimeOf({ stdout: { timeNs: at('2026-12-03T17:00:05Z', 999_999_999n), seen: 2 }, stderr: { timeNs: -1n, seen: 0 } }), '2026-12-03T17:00:05Z');
    assert.equal(sinceTimeOf({ stdout: { timeNs: at('2026-12-03T17:00:09Z', 1n), seen: 1 }, stderr: { timeNs: at('2026-12-03T17:00:04Z', 5n), seen: 1 } }), '2026-12-03T17:00:04Z');
  });

  it('log lines read as stdout (the API merges the streams), progress marks as stderr, where pydock.progress writes them', () => {
    assert.deepEqual(parseKubeLogLine('2026-12-03T17:00:00.123456789Z hello world'), { timeNs: 1_796_317_200_123_456_789n, stream: 'stdout', text: 'hello world' });
    assert.equal(parseKubeLogLine('2026-12-03T17:00:00.1Z \x1epydock:progress {"fraction": 1}').stream, 'stderr');
  });

  it('keeps every line of a log whose stamps go back (stdout and stderr stamped by separate copiers): the log\'s order is the truth', () => {
    const log = ['00.000000010Z a', '00.000000030Z b', '00.000000020Z e', '00.000000040Z c'].map((end) => `2026-12-03T17:00:${end}`);
    const filter = new CursorFilter();
    const read = kubeLogLines();
    const lines = log.map(read);
    assert.deepEqual(lines.filter((line) => filter.accept(line)).map((line) => line.text), ['a', 'b', 'e', 'c']);
    const again = new CursorFilter(filter.position); // a reader that reattaches at the end sees nothing twice
    const reread = kubeLogLines();
    assert.deepEqual(log.map(reread).filter((line) => again.accept(line)), []);
  });
});
