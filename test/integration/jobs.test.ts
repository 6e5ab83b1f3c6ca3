// Jobs on real containers: outputs and logs collected on success and failure, exit codes, cancel, a reattach that goes
// on reading the log with no gap or repeat, a job collected after the fact, the environment and limits, maxParallel.
// On Docker, and as Kubernetes Jobs (through the stand-in API server, or a real cluster with PYDOCK_K8S_CLUSTER).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { folderEnvironment } from '../../extension/engine/launch/environmentFile';
import { Jobs, type JobsOptions, type LogEntry } from '../../extension/engine/jobs/jobs';
import { labelValue } from '../../extension/engine/kubernetes/podSpec';
import { BARE_IMAGE, FULL_IMAGE, connectTarget, docker, requireImages, tempWorkspace, testLog, waitFor } from './helpers';
import { kubeCluster } from './kube/kubeCluster';
import { deleteJobs, jobsLabelled, podOfJob } from './kube/kubeTools';

before(requireImages);

interface JobTarget {
  backend: 'docker' | 'kubernetes';
  setUp?(): Promise<unknown>;
  /** The containers (or Kubernetes Jobs) of a job, or of a workspace's jobs, that still exist. */
  left(filter: { job?: string; workspace?: string }): Promise<string[]>;
  /** Removes what a workspace's jobs left, when its test ends. */
  clean(workspace: string): Promise<void>;
  /** How log.txt marks a stderr line: Kubernetes' log API merges the two streams, so its lines read as stdout. */
  stderr: 'err' | 'out';
  /** What a job writing into /workspace meets: Docker's read-only mount, or Kubernetes' copy, writable and never synced back. */
  workspaceWrite: string;
}

const dockerLeft = (filter: { job?: string; workspace?: string }) => docker('ps', '-aq', '--filter', filter.job ? `label=pydock.job=${filter.job}` : `label=pydock.workspace=${filter.workspace}`).split('\n').filter(Boolean);
const kubeSelector = (filter: { job?: string; workspace?: string }) => (filter.job ? `pydock.job=${filter.job}` : `pydock.workspace=${labelValue(filter.workspace!)}`);
const JOB_TARGETS: JobTarget[] = [
  { backend: 'docker', left: async (filter) => dockerLeft(filter), stderr: 'err', workspaceWrite: 'read-only 30',
    clean: async (dir) => { const ids = dockerLeft({ workspace: dir }); if (ids.length) docker('rm', '-f', ...ids); } },
  { backend: 'kubernetes', setUp: kubeCluster, left: (filter) => jobsLabelled(kubeSelector(filter)), stderr: 'out', workspaceWrite: 'written',
    clean: (dir) => deleteJobs(kubeSelector({ workspace: dir })) },
];

for (const target of JOB_TARGETS) {
describe(`jobs on ${target.backend}`, () => {
before(async () => { await target.setUp?.(); });

/** A workspace whose environment file names the bare image and sets an env var; with the given Python files. */
function workspace(files: Record<string, string>): string {
  const dir = tempWorkspace();
  fs.mkdirSync(path.join(dir, '.pydock'));
  fs.writeFileSync(path.join(dir, '.pydock', 'environment.json'), JSON.stringify({ image: BARE_IMAGE, env: { FROM_FILE: 'yes' }, memory: '512m' }));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

/** A Jobs of the workspace; disposed (its jobs' containers removed) when the file ends. */
function jobsOf(dir: string, options: Partial<JobsOptions> = {}): Jobs {
  const jobs = new Jobs({ workspace: dir, backend: () => connectTarget(target), environment: () => folderEnvironment(dir).launch, pull: 'never', log: testLog, ...options });
  after(async () => {
    jobs.dispose();
    await target.clean(dir);
  });
  return jobs;
}

/** Resolves once the job's program has ended (docker wait; on Kubernetes its job container terminated). */
async function programEnded(id: string): Promise<void> {
  if (target.backend === 'docker') return void docker('wait', docker('ps', '-aq', '--filter', `label=pydock.job=${id}`));
  let ended = false;
  await waitFor(() => {
    void podOfJob(id).then((pod) => { ended = !!pod?.status?.containerStatuses?.find((c) => c.name === 'job')?.state?.terminated; });
    return ended;
  }, 60_000, `job ${id}'s program to end`);
}

const file = (name: string, ...args: string[]) => ({ target: { kind: 'file' as const, file: name, args } });
const read = (dir: string, id: string, rel: string) => fs.readFileSync(path.join(dir, '.pydock', 'runs', id, rel), 'utf8');
const logText = (dir: string, id: string) => read(dir, id, 'log.txt').split('\n').filter(Boolean).map((l) => l.split(' ').slice(1).join(' '));

const WRITES = 'import os, sys\nopen(os.path.join(os.environ["PYDOCK_OUTPUTS"], "result.txt"), "w").write(" ".join(sys.argv[1:]))\n' +
  'os.makedirs("/outputs/sub", exist_ok=True)\nopen("/outputs/sub/env.txt", "w").write(os.environ["FROM_FILE"])\n' +
  'import pydock\npydock.progress(0.5, "half way")\nprint("to stdout")\nprint("to stderr", file=sys.stderr)\n';

  it('succeeds: the record, the timestamped log with both streams, the outputs with their sizes and hashes; the container goes', async () => {
    const dir = workspace({ 'job.py': WRITES });
    const jobs = jobsOf(dir);
    const queued = jobs.submit({ ...file('job.py', 'a', 'b'), name: 'writer' });
    assert.equal(queued.status, 'queued');
    const record = await jobs.wait(queued.id);
    assert.equal(record.status, 'succeeded', record.error ?? '');
    assert.equal(record.exitCode, 0);
    assert.equal(record.name, 'writer');
    assert.deepEqual(record.args, ['a', 'b']);
    assert.deepEqual(record.outputs.map((o) => [o.path, o.bytes]), [['result.txt', 3], ['sub/env.txt', 3]]);
    assert.match(record.outputs[0].sha256, /^[0-9a-f]{64}$/);
    if (target.backend === 'docker') assert.match(record.image.id ?? '', /^sha256:/); // a cluster's nodes have the image ids
    assert.ok(record.durationMs !== null && record.durationMs >= 0 && record.startedAt && record.finishedAt);
    assert.deepEqual(JSON.parse(read(dir, queued.id, 'run.json')), record);
    assert.equal(read(dir, queued.id, 'outputs/result.txt'), 'a b');
    assert.equal(read(dir, queued.id, 'outputs/sub/env.txt'), 'yes', 'the environment file\'s env reached the job');
    assert.deepEqual(logText(dir, queued.id).sort(), [`${target.stderr} to stderr`, 'out to stdout'], 'progress is not output');
    assert.deepEqual(record.progress, { fraction: 0.5, message: 'half way' });
    assert.match(read(dir, queued.id, 'log.txt'), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (out|err) /);
    assert.deepEqual(await target.left({ job: queued.id }), [], 'the container (the Job) is removed');
  });

  it('module:function with JSON arguments: its result printed and kept as result.json; progress reaches a log reader', async () => {
    const dir = workspace({ 'tasks.py': 'import pydock\ndef add(a, b, scale=1):\n    pydock.progress(1, "adding")\n    return {"sum": (a + b) * scale}\n' });
    const jobs = jobsOf(dir);
    const job = jobs.submit({ target: { kind: 'function', function: 'tasks:add', args: { a: 2, b: 3, scale: 10 } } });
    assert.equal(job.name, 'tasks:add');
    const entries: LogEntry[] = [];
    for await (const entry of jobs.logs(job.id, { follow: true })) entries.push(entry);
    assert.deepEqual(entries.flatMap((e) => (e.progress ? [e.progress] : [])), [{ fraction: 1, message: 'adding' }]);
    const record = await jobs.wait(job.id);
    assert.equal(record.status, 'succeeded', read(dir, job.id, 'log.txt'));
    assert.deepEqual(JSON.parse(read(dir, job.id, 'outputs/result.json')), { sum: 50 });
    assert.deepEqual(logText(dir, job.id), ['out {"sum": 50}']);
  });

  it('fails: exit code 1, the traceback in the log, and what it wrote before failing collected', async () => {
    const dir = workspace({ 'job.py': `${WRITES}raise SystemExit(3)\n`, 'crash.py': 'open("/outputs/partial.txt", "w").write("half")\n1/0\n' });
    const jobs = jobsOf(dir);
    const [exit3, crash] = [jobs.submit(file('job.py')), jobs.submit(file('crash.py'))];
    const [r3, rc] = await Promise.all([jobs.wait(exit3.id), jobs.wait(crash.id)]);
    assert.deepEqual([r3.status, r3.exitCode, r3.error], ['failed', 3, 'exited with code 3']);
    assert.deepEqual([rc.status, rc.exitCode], ['failed', 1]);
    assert.deepEqual(rc.outputs.map((o) => o.path), ['partial.txt']);
    assert.match(read(dir, crash.id, 'log.txt'), new RegExp(`${target.stderr} ZeroDivisionError: division by zero`));
  });

  it('keeps only the regular files of /outputs: a link and a pipe it left are not followed, not kept, and said', async () => {
    const dir = workspace({ 'odd.py': 'import os\nopen("/outputs/real.txt", "w").write("ok")\nos.symlink("/etc/passwd", "/outputs/link")\nos.mkfifo("/outputs/pipe")\n' });
    const jobs = jobsOf(dir);
    const record = await jobs.wait(jobs.submit(file('odd.py')).id);
    assert.deepEqual([record.status, record.outputs.map((o) => o.path)], ['succeeded', ['real.txt']]);
    assert.match(record.error ?? '', /outputs\/link \(a symlink, not a file\)/);
    assert.match(record.error ?? '', /outputs\/pipe \(a fifo, not a file\)/);
    assert.deepEqual(fs.readdirSync(path.join(dir, '.pydock', 'runs', record.id, 'outputs')), ['real.txt']);
  });

  if (target.backend === 'docker') {
    it('on a daemon of this machine, the job writes straight into the run\'s outputs/: there while it runs, nothing copied at the end', async () => {
      const dir = workspace({ 'early.py': 'open("/outputs/early.txt", "w").write("soon")\nimport time\ntime.sleep(60)\n' });
      const jobs = jobsOf(dir);
      const job = jobs.submit(file('early.py'));
      const early = path.join(dir, '.pydock', 'runs', job.id, 'outputs', 'early.txt');
      await waitFor(() => fs.existsSync(early), 30_000, 'the output in the run folder while the job runs');
      const record = await jobs.cancel(job.id);
      assert.deepEqual([record.status, record.outputs.map((o) => [o.path, o.bytes])], ['cancelled', [['early.txt', 4]]]);
    });
  }

  it('the workspace is read-only at /workspace, and the job\'s cpus and memory are the container\'s limits', async () => {
    const dir = workspace({ 'limits.py': 'import os\ntry:\n    open("/workspace/x", "w")\n    print("written")\nexcept OSError as e:\n    print("read-only", e.errno)\n' +
      'p = next(p for p in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes") if os.path.exists(p))\nprint("memory", open(p).read().strip())\n' +
      'print("cpus", os.environ.get("EXTRA"))\nimport time; time.sleep(30)\n' });
    const jobs = jobsOf(dir);
    const job = jobs.submit({ ...file('limits.py'), env: { EXTRA: 'given' }, resources: { cpus: 0.5, memoryBytes: 200 * 2 ** 20 } });
    let printed = 0;
    for await (const _ of jobs.logs(job.id, { follow: true })) if (++printed === 3) break; // it has printed what the log is checked for
    if (target.backend === 'docker') {
      const inspected = JSON.parse(docker('inspect', docker('ps', '-q', '--filter', `label=pydock.job=${job.id}`)))[0];
      assert.equal(inspected.HostConfig.NanoCpus, 0.5e9);
      assert.equal(inspected.HostConfig.Memory, 200 * 2 ** 20);
      assert.deepEqual(inspected.HostConfig.CapDrop, ['ALL'], 'hardened as sessions are');
      const bareId = docker('image', 'inspect', '--format', '{{.Id}}', BARE_IMAGE);
      assert.deepEqual(jobs.record(job.id)?.image, { name: BARE_IMAGE, id: bareId }, 'the record names the environment file\'s image');
      assert.equal(docker('image', 'inspect', '--format', '{{.Parent}}', inspected.Config.Image), bareId, 'the container\'s image is the job image over it');
    } else {
      const container = (await podOfJob(job.id))!.spec!.containers.find((c) => c.name === 'job')!;
      assert.deepEqual(container.resources?.limits, { cpu: '500m', memory: String(200 * 2 ** 20) });
      assert.deepEqual([container.securityContext?.capabilities?.drop, container.securityContext?.allowPrivilegeEscalation], [['ALL'], false], 'hardened as sessions are');
      assert.equal(container.image, BARE_IMAGE, 'the environment file\'s image');
    }
    const cancelled = await jobs.cancel(job.id);
    assert.equal(cancelled.status, 'cancelled');
    assert.deepEqual(logText(dir, job.id), [`out ${target.workspaceWrite}`, `out memory ${200 * 2 ** 20}`, 'out cpus given']);
    assert.deepEqual(await target.left({ job: job.id }), [], 'cancel removes the container (the Job)');
  });

  if (target.backend === 'docker') { // the job image is Docker's: a cluster pulls the environment's image as it is
    it('a host that lost the job image (pydock and /outputs over the environment\'s image) gets it made again', async () => {
      const bareId = docker('image', 'inspect', '--format', '{{.Id}}', BARE_IMAGE);
      const jobImages = () => docker('image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', 'pydock-job').split('\n').filter(Boolean)
        .filter((image) => docker('image', 'inspect', '--format', '{{.Parent}}', image) === bareId);
      for (const image of jobImages()) docker('rmi', image);
      const dir = workspace({ 'p.py': 'import pydock\npydock.progress(0.5, "half")\nopen("/outputs/p.txt", "w").write("ok")\n' });
      const jobs = jobsOf(dir);
      const ids = [jobs.submit(file('p.py')).id, jobs.submit(file('p.py')).id]; // at once: both wait for one image
      for (const record of await Promise.all(ids.map((id) => jobs.wait(id)))) {
        assert.equal(record.status, 'succeeded', read(dir, record.id, 'log.txt'));
        assert.equal(read(dir, record.id, 'outputs/p.txt'), 'ok');
        assert.deepEqual(record.progress, { fraction: 0.5, message: 'half' }, 'pydock was importable');
      }
      assert.equal(jobImages().length, 1, 'one job image over the environment\'s image, made again');
    });

    it('a job image whose image name has moved on to another image is removed by the next process that runs jobs', async () => {
      const name = `pydock-test/jobbase:${process.pid}`;
      const overName = () => docker('image', 'ls', '--format', '{{.ID}}', 'pydock-job').split('\n').filter(Boolean)
        .filter((id) => docker('image', 'inspect', '--format', '{{.Comment}}', id).endsWith(` over ${name}`));
      const dir = workspace({ 'p.py': 'pass\n' });
      fs.writeFileSync(path.join(dir, '.pydock', 'environment.json'), JSON.stringify({ image: name }));
      const made = docker('create', BARE_IMAGE, 'python3'); // an image of its own (no job image over it yet): bare, labelled
      const own = docker('commit', '--change', `LABEL pydock.test=${process.pid}`, made, name);
      docker('rm', made);
      try {
        const first = jobsOf(dir);
        assert.equal((await first.wait(first.submit(file('p.py')).id)).status, 'succeeded');
        assert.equal(overName().length, 1, 'a job image over the name');
        docker('tag', FULL_IMAGE, name); // the name moves to another image, as a pull or a build does
        const next = jobsOf(dir); // another process (its own connection to the daemon)
        const record = await next.wait(next.submit(file('p.py')).id);
        assert.equal(record.status, 'succeeded');
        assert.equal(record.image.id, docker('image', 'inspect', '--format', '{{.Id}}', FULL_IMAGE));
        assert.deepEqual(overName().filter((id) => docker('image', 'inspect', '--format', '{{.Parent}}', id) === own), [],
          'the job image over the image the name left is gone');
      } finally {
        for (const id of overName()) docker('rmi', id);
        docker('rmi', name);
        if (docker('image', 'ls', '-q', '--no-trunc').includes(own)) docker('rmi', own); // gone with its job image once the name left it
      }
    });
  }

  it('under a read-only root, as a user other than root, pydock imports and the outputs (a volume) are collected too', async () => {
    const dir = workspace({ 'ro.py': 'import pydock\nopen("/outputs/ro.txt", "w").write("ok")\n' });
    const file = path.join(dir, '.pydock', 'environment.json');
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), readOnlyRoot: true, user: '1000:1000' }));
    fs.chmodSync(dir, 0o755); // a temporary folder is the host user's alone; the job's user reads ro.py in it
    const jobs = jobsOf(dir);
    const record = await jobs.wait(jobs.submit({ target: { kind: 'file', file: 'ro.py', args: [] } }).id);
    assert.equal(record.status, 'succeeded', `${record.error} ${read(dir, record.id, 'log.txt')}`);
    assert.equal(read(dir, record.id, 'outputs/ro.txt'), 'ok');
  });

  it('a reattach in another process goes on with the log from its cursor: no gap, no line twice', async () => {
    const dir = workspace({ 'count.py': 'import sys, time\nfor i in range(40):\n    print(i, flush=True)\n    print("e", i, file=sys.stderr, flush=True)\n    time.sleep(0.05)\n' });
    const first = jobsOf(dir);
    const job = first.submit(file('count.py'));
    const seen: LogEntry[] = [];
    const reading = new AbortController();
    for await (const entry of first.logs(job.id, { follow: true, signal: reading.signal })) {
      seen.push(entry);
      if (seen.length === 15) break;
    }
    first.dispose(); // the window goes; the job runs on
    const second = jobsOf(dir);
    await second.scan();
    for await (const entry of second.logs(job.id, { follow: true, cursor: seen[seen.length - 1].cursor })) seen.push(entry);
    const record = await second.wait(job.id);
    assert.equal(record.status, 'succeeded');
    const expected = Array.from({ length: 40 }, (_, i) => [`${i}`, `e ${i}`]).flat();
    assert.deepEqual(seen.map((e) => e.text).sort(), [...expected].sort(), 'every line once');
    assert.deepEqual(seen.filter((e) => !e.text.startsWith('e')).map((e) => e.text), expected.filter((t) => !t.startsWith('e')), 'in order');
  });

  it('a job that ended while no process watched is collected at the next start; a container without its record is lost', async () => {
    const dir = workspace({ 'quick.py': 'open("/outputs/done", "w").write("ok")\nprint("done")\n', 'slow.py': 'import time\ntime.sleep(60)\n' });
    const first = jobsOf(dir);
    const quick = first.submit(file('quick.py'));
    const slow = first.submit(file('slow.py'));
    await Promise.all([first.started(quick.id), first.started(slow.id)]);
    first.dispose();
    await programEnded(quick.id);
    assert.equal(JSON.parse(read(dir, quick.id, 'run.json')).status, 'running', 'nothing collected it yet');
    fs.rmSync(path.join(dir, '.pydock', 'runs', slow.id), { recursive: true });
    const second = jobsOf(dir);
    await second.scan();
    const record = second.record(quick.id)!;
    assert.deepEqual([record.status, record.outputs.map((o) => o.path)], ['succeeded', ['done']]);
    assert.deepEqual(logText(dir, quick.id), ['out done']);
    const withoutDocker = new Jobs({ workspace: dir, backend: () => Promise.reject(new Error('no daemon here')), environment: () => folderEnvironment(dir).launch, log: testLog });
    assert.deepEqual((await withoutDocker.list()).map((r) => r.id), [quick.id], 'the records are read without Docker');
    const lost = (await second.list()).find((r) => r.id === slow.id);
    assert.equal(lost?.status, 'lost');
    await second.remove(slow.id);
    assert.deepEqual(await target.left({ job: slow.id }), []);
  });

  it('maxParallel holds: never more at once than allowed, the rest wait queued in order', async () => {
    const dir = workspace({ 'sleep.py': 'import time\ntime.sleep(0.8)\n' });
    const jobs = jobsOf(dir, { maxParallel: 2 });
    const submitted = Array.from({ length: 5 }, () => jobs.submit(file('sleep.py')));
    const records = await Promise.all(submitted.map((j) => jobs.wait(j.id)));
    assert.ok(records.every((r) => r.status === 'succeeded'));
    const edges = records.flatMap((r) => [[Date.parse(r.startedAt!), 1], [Date.parse(r.finishedAt!), -1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let running = 0;
    let most = 0;
    for (const [, delta] of edges) most = Math.max(most, running += delta);
    assert.equal(most, 2, `at most 2 at once, and 2 did run together: ${JSON.stringify(records.map((r) => [r.startedAt, r.finishedAt]))}`);
  });

  it('removing a job while it runs, or while its end is collected, leaves no record, folder or container', async () => {
    const dir = workspace({ 'long.py': 'import time\nprint("up", flush=True)\ntime.sleep(60)\n' });
    const jobs = jobsOf(dir);
    const [running, stopping] = [jobs.submit(file('long.py')), jobs.submit(file('long.py'))];
    await Promise.all([jobs.started(running.id), jobs.started(stopping.id)]);
    const cancelled = jobs.cancel(stopping.id); // its collection is under way when the removal comes
    await Promise.all([jobs.remove(running.id), jobs.remove(stopping.id)]);
    await cancelled;
    assert.deepEqual(fs.readdirSync(path.join(dir, '.pydock', 'runs')), []);
    assert.deepEqual(await jobs.list(), []);
    assert.deepEqual(await target.left({ workspace: dir }), []);
  });

  it('a queued job (its container made ahead) is cancelled without ever starting, and leaves no container', async () => {
    const dir = workspace({ 'long.py': 'import time\nprint("up", flush=True)\ntime.sleep(60)\n' });
    const jobs = jobsOf(dir, { maxParallel: 1 });
    const running = jobs.submit(file('long.py'));
    const queued = jobs.submit(file('long.py'));
    await jobs.started(running.id);
    assert.equal(jobs.record(queued.id)?.status, 'queued');
    const waited = jobs.wait(queued.id);
    const cancelled = await jobs.cancel(queued.id);
    assert.deepEqual(await waited, cancelled, 'a wait resolves with the final record, not the request to cancel');
    assert.deepEqual([cancelled.status, cancelled.startedAt, cancelled.error], ['cancelled', null, 'cancelled before it started']);
    await jobs.cancel(running.id);
    assert.deepEqual(await target.left({ workspace: dir }), [], 'no container is left, made ahead or run');
  });
});
}
