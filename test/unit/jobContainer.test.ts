// A job's container is a session's (hardened, labelled) with the job's command, env, labels, limits and a kept log.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { containerCreateBody } from '../../extension/engine/docker/containerSpec';
import { agentBundle } from '../../extension/engine/launch/agentBundle';
import { jobCommand, jobCreateBody, jobLaunchSpec } from '../../extension/engine/jobs/jobContainer';
import { isFunctionTarget, splitArgs, targetOfRecord, type JobSpec } from '../../extension/engine/jobs/jobTypes';

const environment = { image: 'python:3.12-slim', workspace: '/home/u/proj', workspaceReadOnly: false, env: { A: '1' }, memoryBytes: 4 * 2 ** 30, agent: agentBundle() };
const fileJob: JobSpec = { target: { kind: 'file', file: 'src/train.py', args: ['--epochs', '3'] }, env: { B: '2' }, resources: { cpus: 1.5, memoryBytes: 2 ** 30 } };

describe('a job\'s container', () => {
  it('is the session\'s spec with the workspace read-only, the job\'s limits, and its own session label', () => {
    const spec = jobLaunchSpec(environment, 'j1', fileJob);
    assert.deepEqual([spec.workspaceReadOnly, spec.cpus, spec.memoryBytes, spec.sessionLabel, spec.workspaceLabel], [true, 1.5, 2 ** 30, 'job:j1', '/home/u/proj']);
    assert.equal(jobLaunchSpec(environment, 'j1', { target: fileJob.target }).memoryBytes, 4 * 2 ** 30, 'without its own, the environment\'s limit');
  });

  it('keeps the session\'s hardening, adds the job label, env, outputs, a closed stdin and a log Docker keeps', () => {
    const spec = jobLaunchSpec(environment, 'j1', fileJob);
    const session = containerCreateBody(spec, 'h:1', 'f');
    const body = jobCreateBody(spec, 'h:1', 'f', 'j1', fileJob);
    assert.deepEqual({ ...body.HostConfig, LogConfig: undefined }, { ...session.HostConfig, LogConfig: undefined });
    assert.equal(body.HostConfig.Binds[0], '/home/u/proj:/workspace:ro');
    assert.deepEqual(body.HostConfig.LogConfig.Type, 'json-file');
    assert.deepEqual(body.Labels, { ...session.Labels, 'pydock.job': 'j1' });
    assert.deepEqual([body.OpenStdin, body.AttachStdin], [false, false]);
    assert.ok(body.Env.includes('PYDOCK_OUTPUTS=/outputs') && body.Env.includes('A=1') && body.Env.indexOf('B=2') > body.Env.indexOf('A=1'), 'the job\'s env over the environment\'s');
    assert.deepEqual(body.Cmd, ['python3', '/workspace/src/train.py', '--epochs', '3']);
  });

  it('under a read-only root, /outputs is a volume (readable after the end)', () => {
    const spec = jobLaunchSpec({ ...environment, readOnlyRoot: true }, 'j1', fileJob);
    assert.ok(jobCreateBody(spec, 'h:1', 'f', 'j1', fileJob).HostConfig.Mounts.some((m) => m.Type === 'volume' && m.Target === '/outputs'));
  });

  it('a function runs through pydock.jobs with its arguments as JSON; targets and typed arguments read as meant', () => {
    assert.deepEqual(jobCommand({ target: { kind: 'function', function: 'pkg.mod:fit', args: { k: 1 } } }).slice(-2), ['pkg.mod:fit', '{"k":1}']);
    assert.deepEqual(['pkg.mod:fit', 'train.py', 'a:b.py', 'dir/x:y'].map(isFunctionTarget), [true, false, false, false]);
    assert.deepEqual(targetOfRecord({ target: 'tasks:add', args: [1, 2] }), { kind: 'function', function: 'tasks:add', args: [1, 2] });
    assert.deepEqual(splitArgs(`a "b c"  'd e' --f=$HOME;rm`), ['a', 'b c', 'd e', '--f=$HOME;rm']);
  });
});
