// The container create body: hardened, labelled, mounted as asked; and the size parser behind the memory setting.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agentBundle } from '../../extension/engine/agentBundle';
import type { LaunchSpec } from '../../extension/engine/backend';
import { containerCreateBody, formatByteSize, parseByteSize } from '../../extension/engine/docker/containerSpec';

const spec = (over: Partial<LaunchSpec> = {}): LaunchSpec => ({
  image: 'python:3.12-slim', workspace: '/home/u/proj', workspaceReadOnly: false, env: {},
  workspaceLabel: 'file:///home/u/proj', sessionLabel: 'default', agent: agentBundle(), ...over,
});

describe('containerCreateBody', () => {
  it('is hardened by default', () => {
    const host = containerCreateBody(spec(), 'h:1').HostConfig;
    assert.deepEqual(host.CapDrop, ['ALL']);
    assert.deepEqual(host.SecurityOpt, ['no-new-privileges']);
    assert.equal(host.Privileged, false);
    assert.equal(host.Init, true);
    assert.equal(host.PidsLimit, 512);
    assert.ok(!host.Binds.some((b) => b.includes('docker.sock')), 'no Docker socket');
  });

  it('labels the container with workspace, session and owner', () => {
    const body = containerCreateBody(spec(), 'host:42');
    assert.deepEqual(body.Labels, { pydock: '1', 'pydock.workspace': 'file:///home/u/proj', 'pydock.session': 'default', 'pydock.owner': 'host:42' });
  });

  it('mounts the workspace at /workspace, read-only when asked, and works there', () => {
    assert.deepEqual(containerCreateBody(spec(), 'h:1').HostConfig.Binds, ['/home/u/proj:/workspace']);
    assert.deepEqual(containerCreateBody(spec({ workspaceReadOnly: true }), 'h:1').HostConfig.Binds, ['/home/u/proj:/workspace:ro']);
    assert.equal(containerCreateBody(spec(), 'h:1').WorkingDir, '/workspace');
    const none = containerCreateBody(spec({ workspace: undefined }), 'h:1');
    assert.deepEqual([none.HostConfig.Binds, none.WorkingDir], [[], '/']);
  });

  it('sets memory without swap, cpus, pids and network', () => {
    const host = containerCreateBody(spec({ memoryBytes: 1 << 30, cpus: 1.5, pidsLimit: 64, network: 'none' }), 'h:1').HostConfig;
    assert.deepEqual([host.Memory, host.MemorySwap, host.NanoCpus, host.PidsLimit, host.NetworkMode], [1 << 30, 1 << 30, 1.5e9, 64, 'none']);
  });

  it('mounts extra host folders beside the workspace, read-only when asked, even with a colon in the path', () => {
    const mounts = [{ source: '/data/io', target: '/io' }, { source: '/srv/a:b', target: '/ref', readOnly: true }];
    const host = containerCreateBody(spec({ mounts }), 'h:1').HostConfig;
    assert.deepEqual(host.Mounts, [
      { Type: 'bind', Source: '/data/io', Target: '/io', ReadOnly: false },
      { Type: 'bind', Source: '/srv/a:b', Target: '/ref', ReadOnly: true },
    ]);
    assert.deepEqual(host.Binds, ['/home/u/proj:/workspace'], 'the workspace stays as it was');
    assert.deepEqual(containerCreateBody(spec(), 'h:1').HostConfig.Mounts, [], 'no extra mounts unless asked');
  });

  it('runs the copied agent with python3 and talks over attached stdio', () => {
    const body = containerCreateBody(spec({ env: { A: 'b=c' } }), 'h:1');
    assert.deepEqual(body.Cmd, ['python3', '/opt/pydock/agent.py']);
    assert.ok(body.Env.includes('A=b=c'));
    assert.deepEqual([body.OpenStdin, body.StdinOnce, body.Tty, body.AttachStdin], [true, false, false, true]);
  });
});

describe('byte sizes', () => {
  it('parses the units Docker users write', () => {
    assert.equal(parseByteSize('512m'), 512 * 2 ** 20);
    assert.equal(parseByteSize('4g'), 4 * 2 ** 30);
    assert.equal(parseByteSize('1.5GiB'), 1.5 * 2 ** 30);
    assert.equal(parseByteSize('1024'), 1024);
    assert.throws(() => parseByteSize('lots'), /not a size/);
  });

  it('formats them back', () => {
    assert.equal(formatByteSize(4 * 2 ** 30), '4 GiB');
    assert.equal(formatByteSize(1536 * 2 ** 20), '1.5 GiB');
  });
});
