// The container create body: hardened, labelled, mounted as asked; and the size parser behind the memory setting.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agentBundle } from '../../extension/engine/launch/agentBundle';
import type { LaunchSpec } from '../../extension/engine/launch/backend';
import { containerCreateBody, launchFingerprint } from '../../extension/engine/docker/containerSpec';
import { formatByteSize, parseByteSize } from '../../shared/byteSize';
import { isRemoteHost } from '../../extension/engine/docker/launchPlan';
import { PydockError } from '../../extension/engine/errors';

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

  it('labels the container with workspace, session, owner and the fingerprint of its settings', () => {
    const body = containerCreateBody(spec(), 'host:42');
    assert.deepEqual(body.Labels, {
      pydock: '1', 'pydock.workspace': 'file:///home/u/proj', 'pydock.session': 'default', 'pydock.owner': 'host:42',
      'pydock.config': launchFingerprint(spec()),
    });
  });

  it('fingerprints what the container runs with, not who owns it', () => {
    const base = launchFingerprint(spec());
    assert.match(base, /^[0-9a-f]{16}$/);
    assert.equal(launchFingerprint(spec({ sessionLabel: 'other', workspaceLabel: 'x', onProgress: () => undefined })), base);
    for (const change of [{ image: 'python:3.11-slim' }, { env: { A: '1' } }, { memoryBytes: 1 << 30 }, { network: 'none' },
      { mounts: [{ source: '/data', target: '/data' }] }, { build: { workspace: '/home/u/proj', requirements: { lines: ['numpy'] }, pipArgs: [] } }]) {
      assert.notEqual(launchFingerprint(spec(change)), base, JSON.stringify(change));
    }
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

describe('containerCreateBody: environment options', () => {
  it('runs as the given user, or the image\'s when none is given', () => {
    assert.equal(containerCreateBody(spec({ user: '1000:1000' }), 'h:1').User, '1000:1000');
    assert.ok(!('User' in containerCreateBody(spec(), 'h:1')), 'no User field: Docker uses the image\'s');
  });

  it('mounts the io folder read-write at /io beside the workspace', () => {
    const host = containerCreateBody(spec({ io: '/home/u/proj/io' }), 'h:1').HostConfig;
    assert.deepEqual(host.Mounts, [{ Type: 'bind', Source: '/home/u/proj/io', Target: '/io', ReadOnly: false }]);
  });

  it('joins a named network, or none', () => {
    assert.equal(containerCreateBody(spec({ network: 'pydock-net' }), 'h:1').HostConfig.NetworkMode, 'pydock-net');
    assert.equal(containerCreateBody(spec({ network: 'none' }), 'h:1').HostConfig.NetworkMode, 'none');
    assert.equal(containerCreateBody(spec(), 'h:1').HostConfig.NetworkMode, 'bridge');
  });

  it('with a read-only root keeps /tmp writable and gives the agent a volume to be copied into', () => {
    const host = containerCreateBody(spec({ readOnlyRoot: true }), 'h:1').HostConfig;
    assert.equal(host.ReadonlyRootfs, true);
    assert.deepEqual(host.Tmpfs, { '/tmp': 'rw,nosuid,nodev,mode=1777' });
    assert.deepEqual(host.Mounts, [{ Type: 'volume', Target: '/opt/pydock' }]);
    const plain = containerCreateBody(spec(), 'h:1').HostConfig;
    assert.deepEqual([plain.ReadonlyRootfs, plain.Tmpfs], [undefined, undefined], 'a writable root by default');
  });

  it('does not mount a copied-in workspace or io folder; under a read-only root they get volumes', () => {
    const copied = containerCreateBody(spec({ workspaceCopy: true, io: '/home/u/proj/io' }), 'h:1');
    assert.deepEqual([copied.HostConfig.Binds, copied.HostConfig.Mounts, copied.WorkingDir], [[], [], '/workspace']);
    const readOnly = containerCreateBody(spec({ workspaceCopy: true, io: '/home/u/proj/io', readOnlyRoot: true }), 'h:1').HostConfig;
    assert.deepEqual(readOnly.Mounts.map((m) => `${m.Type} ${m.Target}`), ['volume /opt/pydock', 'volume /workspace', 'volume /io']);
  });

  it('refuses a folder holding the Docker socket on every launch path, and allows the socket itself', () => {
    for (const source of ['/', '/var/run', '/run']) {
      assert.throws(() => containerCreateBody(spec({ mounts: [{ source, target: '/host' }] }), 'h:1'),
        (e: unknown) => e instanceof PydockError && /is refused/.test(e.message), `${source} must be refused`);
    }
    const socket = containerCreateBody(spec({ mounts: [{ source: '/var/run/docker.sock', target: '/var/run/docker.sock' }] }), 'h:1');
    assert.equal(socket.HostConfig.Mounts[0].Type === 'bind' && socket.HostConfig.Mounts[0].Source, '/var/run/docker.sock');
  });
});

describe('isRemoteHost', () => {
  it('counts only sockets and pipes as this machine', () => {
    assert.equal(isRemoteHost('unix:///var/run/docker.sock'), false);
    assert.equal(isRemoteHost('npipe:////./pipe/docker_engine'), false);
    for (const url of ['tcp://127.0.0.1:2376', 'ssh://me@box', 'https://docker.example:2376']) assert.equal(isRemoteHost(url), true, url);
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
