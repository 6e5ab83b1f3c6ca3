// The kubernetes backend through the stand-in API server: reattach by labels, v4 fallback, leftovers, and each scripted
// fault (403 on attach, a dropped socket, Pending forever, OOMKilled, deletion, quota, an image that cannot be pulled).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, before, describe, it } from 'node:test';
import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { PydockError } from '../../extension/engine/errors';
import { connectBackend } from '../../extension/engine/launch/backends';
import type { LaunchProgress } from '../../extension/engine/launch/launchProgress';
import { KubernetesBackend } from '../../extension/engine/kubernetes/kubernetesBackend';
import type { RunOutcome, Session } from '../../extension/engine/session/session';
import { ownerIsAlive } from '../../extension/engine/launch/owner';
import { FULL_IMAGE, newSession, requireImages, tempWorkspace, testLog, type Target } from './helpers';
import type { KubeStandIn } from './kube/standIn';
import { kubeCluster } from './kube/kubeCluster';
import { runCli, buildCli } from './cliSupport';

const TARGET: Target = { name: 'kubernetes', backend: 'kubernetes', image: FULL_IMAGE };
let standIn: KubeStandIn;
before(async () => {
  requireImages();
  standIn = (await kubeCluster())!;
});
afterEach(() => { for (const key of Object.keys(standIn.faults)) delete standIn.faults[key as keyof KubeStandIn['faults']]; });
buildCli();

const podOf = (session: Session) => /, (pydock-[a-z0-9-]+)$/.exec(session.description)![1];
function valueOf(outcome: RunOutcome): unknown {
  if (!outcome.ok) assert.fail(`expected success, got ${outcome.error.text}`);
  return outcome.value;
}
const failsWith = (code: string, message: RegExp) => (e: unknown) => {
  assert.ok(e instanceof PydockError, `expected a PydockError, got ${e}`);
  assert.equal(e.code, code, `expected ${code}, got ${e.code}: ${e.describe()}`);
  assert.match(e.describe(), message);
  return true;
};
let labels = 0;
const label = () => `k8s-${process.pid}-${++labels}`;

/** A session that set x = 41 and detached, its pod left running; `reattach()` makes a session that finds it. */
async function detachedSession(): Promise<{ pod: string; reattach: () => Session }> {
  const sessionLabel = label();
  const workspace = tempWorkspace();
  const first = newSession(TARGET, { sessionLabel, workspace }, undefined, { reattach: true });
  valueOf(await first.exec('x = 41'));
  const pod = podOf(first);
  await first.detach();
  return { pod, reattach: () => newSession(TARGET, { sessionLabel, workspace }, undefined, { reattach: true, resumeFrom: first.resumePoint }) };
}

describe('kubernetes: reattach and the channel protocols', () => {
  for (const protocol of ['v5', 'v4'] as const) {
    it(`${protocol}: a detached session's pod runs on, and a new session finds it by its labels with its namespace`, async () => {
      standIn.faults.v4Only = protocol === 'v4';
      const { pod, reattach } = await detachedSession();
      assert.ok(standIn.podNames().includes(pod), 'detaching leaves the pod');
      const second = reattach();
      assert.equal(valueOf(await second.eval('x + 1')), 42);
      assert.equal(podOf(second), pod, 'the same pod');
    });
  }

  it('a pod reattached from a dead window is claimed: its owner annotation names the window that holds it now', async () => {
    const { pod, reattach } = await detachedSession();
    const config = new KubeConfig();
    config.loadFromDefault();
    const core = config.makeApiClient(CoreV1Api);
    const annotation = '/metadata/annotations/pydock.dev~1owner';
    const owner = async () => (await core.readNamespacedPod({ name: pod, namespace: 'pydock-test' })).metadata?.annotations?.['pydock.dev/owner'];
    const ours = await owner();
    await core.patchNamespacedPod({ name: pod, namespace: 'pydock-test', body: [{ op: 'replace', path: annotation, value: `${os.hostname()}:${2 ** 22 + 12346}` }] },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch)); // as if the window that made it had died
    const second = reattach();
    assert.equal(valueOf(await second.eval('x + 1')), 42);
    assert.equal(podOf(second), pod);
    assert.equal(await owner(), ours, 'another window on this host no longer takes it for a dead window\'s pod');
  });

  it('collects finished pods of dead windows by label, and leaves running ones and live owners\' alone', async () => {
    const config = new KubeConfig();
    config.loadFromDefault();
    const core = config.makeApiClient(CoreV1Api);
    const deadOwner = `${os.hostname()}:${2 ** 22 + 12345}`;
    const pod = (name: string, owner: string, command: string[]) => core.createNamespacedPod({ namespace: 'pydock-test', body: {
      metadata: { name, labels: { pydock: '1' }, annotations: { 'pydock.dev/owner': owner } },
      spec: { restartPolicy: 'Never', containers: [{ name: 'agent', image: FULL_IMAGE, command }] } } });
    await Promise.all([pod('left-dead', deadOwner, ['true']), pod('left-live', `${os.hostname()}:${process.pid}`, ['true']),
      pod('running-dead', deadOwner, ['sleep', '60'])]);
    const backend = await KubernetesBackend.connect('test:1');
    const finished = async () => (await core.listNamespacedPod({ namespace: 'pydock-test', labelSelector: 'pydock=1' })).items
      .filter((p) => p.status?.phase === 'Succeeded').length;
    const start = Date.now();
    while (await finished() < 2 && Date.now() - start < 20_000) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(await backend.removeLeftovers(ownerIsAlive), ['left-dead']);
    assert.deepEqual(standIn.podNames().filter((n) => n.startsWith('left-') || n.startsWith('running-')).sort(), ['left-live', 'running-dead']);
    await Promise.all(['left-live', 'running-dead'].map((n) => standIn.deletePod(n)));
  });
});

describe('kubernetes: the workspace copied in and synced back', () => {
  it('copies the workspace in as the session\'s user, and syncs changed files back, leaving conflicts alone', async () => {
    const ws = tempWorkspace();
    fs.writeFileSync(path.join(ws, 'analysis.py'), 'x = 1\n');
    fs.mkdirSync(path.join(ws, 'data'));
    fs.writeFileSync(path.join(ws, 'data', 'notes.txt'), 'original\n');
    fs.mkdirSync(path.join(ws, '.git'));
    fs.writeFileSync(path.join(ws, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    const progress: LaunchProgress[] = [];
    const session = newSession(TARGET, { sessionLabel: label(), workspace: ws, user: '4321:4321', onProgress: (e) => progress.push(e) });
    assert.deepEqual(valueOf(await session.eval('sorted(__import__("os").listdir("/workspace"))')), ['analysis.py', 'data'], '.git stays on the host');
    assert.deepEqual(valueOf(await session.eval('[__import__("os").getuid(), __import__("os").stat("data/notes.txt").st_uid]')), [4321, 4321]);
    assert.ok(progress.some((e) => e.type === 'workspace-copied' && e.files === 2), JSON.stringify(progress));
    valueOf(await session.exec([
      'import os',
      'open("analysis.py", "w").write("x = 2\\n")',
      'os.makedirs("out")',
      'open("out/result.txt", "w").write("made in the pod\\n")',
      'open("data/notes.txt", "w").write("changed in the pod\\n")',
    ].join('\n')));
    fs.writeFileSync(path.join(ws, 'data', 'notes.txt'), 'changed locally\n');
    const report = await session.workspaceCopy!.syncBack();
    assert.deepEqual([report.written.sort(), report.conflicts], [['analysis.py', 'out/result.txt'], ['data/notes.txt']]);
    assert.equal(fs.readFileSync(path.join(ws, 'out', 'result.txt'), 'utf8'), 'made in the pod\n');
    assert.equal(fs.readFileSync(path.join(ws, 'data', 'notes.txt'), 'utf8'), 'changed locally\n', 'a conflict keeps the host\'s file');
    assert.deepEqual(await session.workspaceCopy!.syncBack(), { written: [], conflicts: ['data/notes.txt'], refused: [] }, 'nothing is written twice');
  });
});

describe('kubernetes: network none', () => {
  it('cuts the pod off with a NetworkPolicy that selects it (on the stand-in: loopback only); a bridge session has a network', async () => {
    const interfaces = 'sorted(name for _, name in __import__("socket").if_nameindex())';
    const isolated = newSession(TARGET, { sessionLabel: label(), network: 'none' });
    assert.deepEqual(valueOf(await isolated.eval(interfaces)), ['lo']);
    const bridged = newSession(TARGET, { sessionLabel: label() });
    assert.notDeepEqual(valueOf(await bridged.eval(interfaces)), ['lo']);
  });
});

describe('kubernetes: scripted faults', () => {
  it('403 on pods/attach: the start fails naming the verbs and the resource; once allowed, the next run works', async () => {
    standIn.faults.attachForbidden = true;
    const session = newSession(TARGET, { sessionLabel: label() });
    await assert.rejects(session.eval('1'), failsWith('start-failed', /refused to create pods\/attach[\s\S]*verbs create and get on the resource pods\/attach/));
    assert.deepEqual(standIn.podNames().filter((n) => n.includes('k8s')), [], 'the pod it made is deleted');
    standIn.faults.attachForbidden = false;
    assert.equal(valueOf(await session.eval('2 + 2')), 4);
  });

  it('a dropped attach socket: the run in flight fails as a lost connection; the next run reattaches to the pod, variables kept', async () => {
    const session = newSession(TARGET, { sessionLabel: label() });
    valueOf(await session.exec('kept = "still here"'));
    const pod = podOf(session);
    const running = session.exec('import time; time.sleep(5)');
    await new Promise((resolve) => setTimeout(resolve, 300));
    standIn.dropAttach(pod);
    await assert.rejects(running, failsWith('connection-lost', /pod still runs/));
    assert.equal(valueOf(await session.eval('kept')), 'still here');
    assert.equal(podOf(session), pod, 'the same pod');
  });

  it('Pending forever: the start reports Unschedulable with the scheduler\'s message as it comes, then fails naming it', async () => {
    standIn.faults.pendingForever = true;
    const progress: LaunchProgress[] = [];
    const backend = () => connectBackend({ choice: 'kubernetes', log: testLog, kubernetes: { pendingTimeoutMs: 1500 } });
    const session = newSession(TARGET, { sessionLabel: label(), onProgress: (e) => progress.push(e) }, backend);
    await assert.rejects(session.eval('1'), failsWith('start-failed', /still pending after 2 s \(Unschedulable: 0\/1 nodes are available: 1 Insufficient nvidia.com\/gpu[\s\S]*lower memory, cpus/));
    assert.ok(progress.some((e) => e.type === 'pod-pending' && e.reason === 'Unschedulable'), JSON.stringify(progress));
  });

  it('OOMKilled: the session says Python ran out of memory, with the limit; the next run starts afresh', async () => {
    const session = newSession(TARGET, { sessionLabel: label(), memoryBytes: 128 << 20 });
    valueOf(await session.exec('marker = 1'));
    await assert.rejects(session.exec('hog = bytearray(512 * 2**20)'), failsWith('oom', /ran out of memory \(the limit is 128 MiB\)/));
    assert.equal(valueOf(await session.eval('"marker" in globals()')), false);
  });

  it('deletion (kubectl delete pod): every pending call fails with the cause; the next run starts a fresh pod', async () => {
    const session = newSession(TARGET, { sessionLabel: label() });
    valueOf(await session.exec('marker = 1'));
    const pod = podOf(session);
    const running = session.exec('import time; time.sleep(30)');
    const queued = session.eval('1');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const deleted = Date.now();
    await standIn.deletePod(pod);
    await assert.rejects(running, failsWith('removed', /removed from outside pydock/));
    await assert.rejects(queued, failsWith('removed', /removed/));
    assert.ok(Date.now() - deleted < 2000, `failed within ${Date.now() - deleted} ms`);
    assert.equal(valueOf(await session.eval('"marker" in globals()')), false);
    assert.notEqual(podOf(session), pod);
  });

  it('a quota that allows no more pods: the start fails with the quota\'s message and what to do', async () => {
    standIn.faults.quotaPods = 0;
    const session = newSession(TARGET, { sessionLabel: label() });
    await assert.rejects(session.eval('1'), failsWith('start-failed', /resource quota[\s\S]*exceeded quota: compute[\s\S]*Stop sessions or pool workers/));
  });

  it('an image the cluster cannot pull: the start fails at once with the kubelet\'s message and what to do', async () => {
    const session = newSession({ ...TARGET, image: 'pydock-local/no-such-image:1' }, { sessionLabel: label() });
    await assert.rejects(session.eval('1'), failsWith('image-missing', /cannot pull the image pydock-local\/no-such-image:1 \(ErrImagePull: [^)]*not found\)[\s\S]*kind load docker-image/));
  });
});

describe('kubernetes: the CLI without a cluster', () => {
  it('no kubeconfig: exit 2, naming KUBECONFIG', () => {
    const home = os.tmpdir();
    const result = runCli(['--backend', 'kubernetes', 'eval', '1'], { env: { PATH: process.env.PATH, HOME: home } });
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /No kubeconfig was found: KUBECONFIG is not set/);
  });

  it('an API server that does not answer: exit 2 within seconds, naming the server', () => {
    const started = Date.now();
    const config = standIn.kubeconfig.replace(/kubeconfig$/, 'unreachable');
    fs.writeFileSync(config, fs.readFileSync(standIn.kubeconfig, 'utf8').replace(/server: .*/, 'server: http://127.0.0.1:9'));
    const result = runCli(['--backend', 'kubernetes', 'eval', '1'], { env: { ...process.env, KUBECONFIG: config } });
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /Cannot reach the Kubernetes API server at http:\/\/127\.0\.0\.1:9/);
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
  });
});

