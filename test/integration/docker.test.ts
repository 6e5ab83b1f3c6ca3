// Docker-only behaviour: hardening and labels, clear errors for each way a start fails, OOM, removal, leftovers.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { agentBundle } from '../../extension/engine/launch/agentBundle';
import { connectBackend } from '../../extension/engine/launch/backends';
import { reapDetached } from '../../extension/engine/docker/reaper';
import { ownerName } from '../../extension/engine/docker/tenancy';
import { PydockError } from '../../extension/engine/errors';
import { BARE_IMAGE, FULL_IMAGE, docker, newSession, requireImages, testLog, waitFor } from './helpers';

const dockerTarget = { name: 'docker', backend: 'docker' as const, image: FULL_IMAGE };
const isPydockError = (code: string, message?: RegExp) => (e: unknown) => {
  assert.ok(e instanceof PydockError, `expected a PydockError, got ${e}`);
  assert.equal(e.code, code, `expected code ${code}, got ${e.code}: ${e.message}`);
  if (message) assert.match(e.describe(), message);
  return true;
};
const containerOf = (description: string) => /container ([0-9a-f]{12})/.exec(description)![1];

before(requireImages);

describe('docker backend', () => {
  it('creates a hardened, labelled container and removes it on stop', async () => {
    const session = newSession(dockerTarget, { memoryBytes: 512 << 20, pidsLimit: 100 });
    await session.eval('1');
    const id = containerOf(session.description);
    const info = JSON.parse(docker('inspect', id))[0];
    assert.deepEqual(info.HostConfig.CapDrop, ['ALL']);
    assert.deepEqual(info.HostConfig.SecurityOpt, ['no-new-privileges']);
    assert.equal(info.HostConfig.Privileged, false);
    assert.equal(info.HostConfig.Init, true);
    assert.equal(info.HostConfig.PidsLimit, 100);
    assert.equal(info.HostConfig.Memory, 512 << 20);
    assert.equal(info.Config.Labels['pydock.session'], 'test');
    assert.match(info.Config.Labels['pydock.workspace'], /^file:\/\//);
    assert.equal(info.Mounts.length, 1, 'the workspace is the only mount: the agent is copied in, not mounted');
    assert.equal(info.Mounts[0].Destination, '/workspace');
    const caps = await session.eval('open("/proc/self/status").read().split("CapEff:")[1].split()[0]');
    assert.equal(caps.ok && caps.value, '0000000000000000', 'no capabilities inside');
    await session.stop();
    assert.throws(() => docker('inspect', id), /No such object/, 'the container is gone after stop');
  });

  it('reports an unreachable daemon with what to do', async () => {
    await assert.rejects(connectBackend({ choice: 'docker', dockerHost: 'unix:///tmp/no-such-docker.sock', log: testLog }),
      isPydockError('daemon-unreachable', /Cannot reach the Docker daemon at unix:\/\/\/tmp\/no-such-docker.sock[\s\S]*pydock.backend/));
  });

  it('falls back to the local backend in auto mode, and says so', async () => {
    const backend = await connectBackend({ choice: 'auto', dockerHost: 'unix:///tmp/no-such-docker.sock', log: testLog });
    assert.deepEqual([backend.kind, backend.sandboxed], ['local', false]);
    assert.ok(testLog.lines.some((l) => /Using the local backend.*not sandboxed/.test(l)));
  });

  it('in auto mode with an offer of the local backend, uses it only when the offer is taken', async () => {
    const asked: string[] = [];
    const offer = (answer: boolean) => async (cause: PydockError) => {
      asked.push(cause.code);
      return answer;
    };
    await assert.rejects(connectBackend({ choice: 'auto', dockerHost: 'unix:///tmp/no-such-docker.sock', log: testLog, offerLocal: offer(false) }),
      isPydockError('daemon-unreachable', /Cannot reach the Docker daemon/));
    const local = await connectBackend({ choice: 'auto', dockerHost: 'unix:///tmp/no-such-docker.sock', log: testLog, offerLocal: offer(true) });
    assert.deepEqual([local.kind, asked], ['local', ['daemon-unreachable', 'daemon-unreachable']]);
    const answered = await connectBackend({ choice: 'auto', log: testLog, offerLocal: offer(true) });
    assert.deepEqual([answered.kind, asked.length], ['docker', 2], 'not asked when Docker answers');
  });

  it('reports a missing image with the pull and build hints when pulling is off', async () => {
    const session = newSession({ ...dockerTarget, image: 'pydock-test/does-not-exist:1' }, { pull: 'never' });
    await assert.rejects(session.eval('1'), isPydockError('image-missing', /not on the Docker host .*, and pulling is off[\s\S]*docker pull pydock-test\/does-not-exist:1/));
    assert.equal(session.state, 'dead');
  });

  it('reports an image without python', async () => {
    execFileSync('bash', ['-c', 'docker image inspect pydock-test/empty:1 >/dev/null 2>&1 || tar -cf - --files-from /dev/null | docker import - pydock-test/empty:1']);
    const session = newSession({ ...dockerTarget, image: 'pydock-test/empty:1' });
    await assert.rejects(session.eval('1'), isPydockError('no-python', /no python3/));
  });

  it('reports a container that exits at start, with its output', async () => {
    const session = newSession({ ...dockerTarget, image: BARE_IMAGE }, { env: { PYTHONHOME: '/nonexistent' } });
    await assert.rejects(session.eval('1'), isPydockError('exited', /exited with code 1[\s\S]*Output:[\s\S]*(encodings|Fatal Python error)/));
  });

  it('reports an allocation over the memory limit as out of memory, with the limit', async () => {
    const session = newSession(dockerTarget, { memoryBytes: 200 << 20 });
    await session.exec('data = []');
    await assert.rejects(session.exec('for _ in range(100):\n    data.append(b"x" * (50 << 20))'),
      isPydockError('oom', /out of memory \(the limit is 200 MiB\)[\s\S]*pydock.memory/));
    assert.equal(session.state, 'dead');
    assert.equal((await session.eval('2')).ok, true, 'the next run starts a fresh session');
  });

  it('stops a fork bomb at the pids limit, and the session survives', async () => {
    const session = newSession(dockerTarget, { pidsLimit: 64 });
    const code = [
      'import os, time',
      'children = []',
      'try:',
      '    while True:',
      '        pid = os.fork()',
      '        if pid == 0:',
      '            time.sleep(30)',
      '            os._exit(0)',
      '        children.append(pid)',
      'except OSError as error:',
      '    stopped_by = type(error).__name__',
      'for pid in children:',
      '    os.kill(pid, 9)',
      '    os.waitpid(pid, 0)',
      '(len(children), stopped_by)',
    ].join('\n');
    const outcome = await session.exec(code, { timeoutMs: 60_000 });
    assert.ok(outcome.ok, `the cell ends: ${outcome.ok ? '' : outcome.error.text}`);
    const [forked, stoppedBy] = outcome.value as [number, string];
    assert.ok(forked > 0 && forked < 64, `the limit of 64 processes stopped it after ${forked} forks`);
    assert.equal(stoppedBy, 'BlockingIOError');
    assert.equal((await session.eval('1 + 1')).ok, true, 'the session survives');
  });

  it('reports a container removed from outside mid-run, and fails what was pending at once', async () => {
    const session = newSession(dockerTarget);
    await session.eval('1');
    const running = session.exec('import time; time.sleep(60)');
    const queued = session.eval('2');
    docker('rm', '-f', containerOf(session.description));
    await assert.rejects(running, isPydockError('removed', /removed from outside/));
    await assert.rejects(queued, isPydockError('removed'));
    assert.equal(session.state, 'dead');
  });

  it('removes labelled leftovers of dead owners at the next start, and leaves live owners alone', async () => {
    const leftover = docker('create', '--label', 'pydock=1', '--label', `pydock.owner=${os.hostname()}:999999`, BARE_IMAGE, 'sleep', '1');
    const live = docker('create', '--label', 'pydock=1', '--label', `pydock.owner=${os.hostname()}:${process.pid}`, BARE_IMAGE, 'sleep', '1');
    try {
      await connectBackend({ choice: 'docker', log: testLog });
      await waitFor(() => { try { docker('inspect', leftover); return false; } catch { return true; } }, 5000, 'the leftover to be removed');
      assert.doesNotThrow(() => docker('inspect', live), 'a live owner keeps its container');
    } finally {
      execFileSync('docker', ['rm', '-f', leftover, live], { stdio: 'ignore' });
    }
  });

  it('reaps the containers a closed window detached, unless a live window claimed them', async () => {
    const host = os.hostname();
    const dead = docker('run', '-d', '--label', 'pydock=1', '--label', `pydock.owner=${host}:999999`, BARE_IMAGE, 'sleep', '60');
    const claimed = docker('run', '-d', '--label', 'pydock=1', '--label', `pydock.owner=${host}:999998`, BARE_IMAGE, 'sleep', '60');
    docker('rename', claimed, ownerName(`${host}:${process.pid}`, claimed)!); // what a reloaded window does
    try {
      const removed = await reapDetached({ containers: [dead.slice(0, 12), claimed.slice(0, 12)], graceMs: 50 });
      assert.deepEqual(removed, [dead.slice(0, 12)]);
      assert.throws(() => docker('inspect', dead), /No such object/);
      assert.doesNotThrow(() => docker('inspect', claimed), 'the claimed container stays');
    } finally {
      execFileSync('docker', ['rm', '-f', dead, claimed], { stdio: 'ignore' });
    }
  });

  for (const image of [FULL_IMAGE, BARE_IMAGE]) {
    it(`passes the agent's own unit tests inside ${image}`, () => {
      docker('run', '--rm', '-v', `${agentBundle().dir}:/agent:ro`, '-w', '/agent', image, 'python3', '-m', 'unittest', 'discover', '-s', 'tests');
    });
  }

  it('passes the agent\'s own unit tests on this host\'s python3', () => {
    execFileSync('python3', ['-m', 'unittest', 'discover', '-s', 'tests'], { cwd: path.resolve(agentBundle().dir), stdio: 'pipe' });
  });
});
