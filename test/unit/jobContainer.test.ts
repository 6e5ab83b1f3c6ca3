// A job's container is a session's (hardened, labelled) with the job's command, env, labels, limits and a kept log.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { containerCreateBody } from '../../extension/engine/docker/containerSpec';
import { agentBundle } from '../../extension/engine/launch/agentBundle';
import { jobCommand, jobCreateBody, jobLaunchSpec, writesOutputsInPlace } from '../../extension/engine/jobs/jobContainer';
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

  it('on a daemon of this machine, as this uid, /outputs is the run\'s own folder, bound, under a read-only root too', () => {
    const spec = jobLaunchSpec({ ...environment, readOnlyRoot: true }, 'j1', fileJob);
    assert.deepEqual(jobCreateBody(spec, 'h:1', 'f', 'j1', fileJob, '/home/u/proj/.pydock/runs/j1/outputs').HostConfig.Mounts.filter((m) => m.Target === '/outputs'),
      [{ Type: 'bind', Source: '/home/u/proj/.pydock/runs/j1/outputs', Target: '/outputs', ReadOnly: false }]);
  });

  it('writes outputs in place only on a local daemon that maps no uids, as this process\'s uid', () => {
    const local = { remote: false, securityOptions: ['name=seccomp,profile=default'] };
    assert.deepEqual([writesOutputsInPlace(local, '1000:1000', 1000), writesOutputsInPlace(local, '1000', 1000), writesOutputsInPlace(local, '', 0)], [true, true, true]);
    assert.equal(writesOutputsInPlace(local, '', 1000), false, 'the image\'s root, for a user who is not');
    assert.equal(writesOutputsInPlace(local, '0:0', 1000), false);
    assert.equal(writesOutputsInPlace(local, 'app', 1000), false, 'a user by name: its uid is not known here');
    assert.equal(writesOutputsInPlace(local, '1000:1000', undefined), false, 'Windows has no uids');
    assert.equal(writesOutputsInPlace({ ...local, remote: true }, '1000:1000', 1000), false, 'another machine\'s folders');
    for (const mapping of ['name=rootless', 'name=userns']) {
      assert.equal(writesOutputsInPlace({ remote: false, securityOptions: ['name=seccomp,profile=default', mapping] }, '1000:1000', 1000), false, mapping);
    }
  });

  it('a function runs through pydock.jobs with its arguments as JSON; targets and typed arguments read as meant', () => {
    assert.deepEqual(jobCommand({ target: { kind: 'function', function: 'pkg.mod:fit', args: { k: 1 } } }).slice(-2), ['pkg.mod:fit', '{"k":1}']);
    assert.deepEqual(['pkg.mod:fit', 'train.py', 'a:b.py', 'dir/x:y'].map(isFunctionTarget), [true, false, false, false]);
    assert.deepEqual(targetOfRecord({ target: 'tasks:add', args: [1, 2] }), { kind: 'function', function: 'tasks:add', args: [1, 2] });
    assert.deepEqual(splitArgs(`a "b c"  'd e' --f=$HOME;rm`), ['a', 'b c', 'd e', '--f=$HOME;rm']);
  });
});
