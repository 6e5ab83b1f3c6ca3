// Remote and alternative engines: a dockerd on TCP with TLS (workspace copied in, changes synced back), and Podman's Docker API.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connectBackend } from '../../extension/engine/launch/backends';
import { DockerBackend } from '../../extension/engine/docker/dockerBackend';
import { resolveDockerEndpoint } from '../../extension/engine/docker/endpoint';
import { COPY_MAX_FILE_BYTES } from '../../extension/engine/docker/workspaceCopy';
import { PydockError } from '../../extension/engine/errors';
import type { LaunchProgress } from '../../extension/engine/launch/launchProgress';
import { ownerId } from '../../extension/engine/launch/owner';
import { copyImage, startPodman, startTlsDockerd, type TlsDaemon } from './daemons';
import { envSession, value } from './envSupport';
import { BARE_IMAGE, requireImages, tempWorkspace, testLog } from './helpers';

before(requireImages);

describe('a remote daemon: dockerd on tcp://127.0.0.1 with TLS', () => {
  let daemon: TlsDaemon;
  before(async () => {
    daemon = await startTlsDockerd();
    await copyImage(BARE_IMAGE, ['docker', '-H', daemon.socketUrl, 'load']);
  });
  after(() => daemon?.stop());

  const tlsEnv = () => ({ DOCKER_HOST: daemon.tcpUrl, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: daemon.certDir });

  it('is reached through DOCKER_HOST with the TLS client certificate, and refused without it', async () => {
    const endpoint = resolveDockerEndpoint({ env: tlsEnv() });
    assert.equal(endpoint.connection.protocol, 'https');
    assert.ok(endpoint.connection.ca && endpoint.connection.cert && endpoint.connection.key, 'ca, cert and key reach dockerode');
    await DockerBackend.connect(endpoint, ownerId());
    await assert.rejects(DockerBackend.connect(resolveDockerEndpoint({ env: { DOCKER_HOST: daemon.tcpUrl } }), ownerId()),
      (e: unknown) => e instanceof PydockError && e.code === 'daemon-unreachable');
  });

  it('copies the workspace in instead of mounting it, and syncs changed files back, leaving conflicts alone', async () => {
    const ws = tempWorkspace();
    fs.writeFileSync(path.join(ws, 'analysis.py'), 'x = 1\n');
    fs.mkdirSync(path.join(ws, 'data'));
    fs.writeFileSync(path.join(ws, 'data', 'notes.txt'), 'original\n');
    fs.writeFileSync(path.join(ws, 'data', 'same.txt'), 'unchanged\n');
    fs.mkdirSync(path.join(ws, '.git'));
    fs.writeFileSync(path.join(ws, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    fs.mkdirSync(path.join(ws, 'node_modules'));
    fs.writeFileSync(path.join(ws, 'node_modules', 'x.js'), '');
    fs.writeFileSync(path.join(ws, 'huge.bin'), '');
    fs.truncateSync(path.join(ws, 'huge.bin'), COPY_MAX_FILE_BYTES + 1); // sparse: large to stat, nothing on disk
    fs.chownSync(ws, 4321, 4321);

    const backend = await connectBackend({ choice: 'docker', env: tlsEnv(), log: testLog });
    const { session, progress } = envSession(ws, { image: BARE_IMAGE, network: 'none' }, { backend: async () => backend, host: { uid: 4321, gid: 4321 } });
    assert.deepEqual(await value(session, 'sorted(__import__("os").listdir("/workspace"))'), ['analysis.py', 'data'],
      '.git, node_modules and files over the size limit stay on the host');
    const copied = progress.find((e): e is Extract<LaunchProgress, { type: 'workspace-copied' }> => e.type === 'workspace-copied');
    assert.ok(copied, 'the copy is reported');
    assert.equal(copied.files, 3);
    assert.match(copied.skipped.join('\n'), /\/workspace\/huge.bin \(50 MiB, over the 50 MiB limit\)/);
    const id = /container ([0-9a-f]{12})/.exec(session.description)![1];
    const mounts = execFileSync('docker', ['-H', daemon.socketUrl, 'inspect', '-f', '{{json .Mounts}}', id], { encoding: 'utf8' });
    assert.equal(mounts.trim(), '[]', 'nothing of this machine is mounted on the remote daemon');

    await session.exec([
      'import os',
      'open("analysis.py", "w").write("x = 2\\n")',
      'os.makedirs("out")',
      'open("out/result.txt", "w").write("made remotely\\n")',
      'open("data/notes.txt", "w").write("changed remotely\\n")',
    ].join('\n'));
    fs.writeFileSync(path.join(ws, 'data', 'notes.txt'), 'changed locally\n');
    const report = await session.workspaceCopy!.syncBack();
    assert.deepEqual(report.written.sort(), ['analysis.py', 'out/result.txt']);
    assert.deepEqual(report.conflicts, ['data/notes.txt']);
    assert.equal(fs.readFileSync(path.join(ws, 'analysis.py'), 'utf8'), 'x = 2\n');
    assert.equal(fs.readFileSync(path.join(ws, 'out', 'result.txt'), 'utf8'), 'made remotely\n');
    assert.equal(fs.readFileSync(path.join(ws, 'data', 'notes.txt'), 'utf8'), 'changed locally\n', 'a conflict keeps the host\'s file');
    assert.deepEqual(await session.workspaceCopy!.syncBack(), { written: [], conflicts: ['data/notes.txt'], refused: [] }, 'written files are not written again');
    assert.equal(await value(session, '__import__("os").getuid()'), 4321, 'the copied files belong to the session\'s user');
  });
});

describe('Podman as a Docker API engine', () => {
  let podman: Awaited<ReturnType<typeof startPodman>>;
  const image = `localhost/${BARE_IMAGE}`;
  before(async () => {
    podman = await startPodman();
    try {
      execFileSync('podman', ['image', 'exists', image], { env: podman.env });
    } catch {
      await copyImage(BARE_IMAGE, ['podman', 'load'], podman.env); // kept in Podman's store for the next run, as images.sh keeps Docker's
    }
  });
  after(() => podman?.stop());

  it('runs a session through DOCKER_HOST=unix://podman.sock with the workspace and /io mounted', async () => {
    const ws = tempWorkspace();
    const backend = await connectBackend({ choice: 'docker', env: { DOCKER_HOST: podman.socketUrl }, log: testLog });
    const { session } = envSession(ws, { image, io: 'io' }, { backend: async () => backend });
    assert.equal(await value(session, '1 + 1'), 2);
    await session.exec('open("/workspace/from-podman.txt", "w").write("hello")\nopen("/io/out.txt", "w").write("io")');
    assert.equal(fs.readFileSync(path.join(ws, 'from-podman.txt'), 'utf8'), 'hello');
    assert.equal(fs.readFileSync(path.join(ws, 'io', 'out.txt'), 'utf8'), 'io');
  });
});
