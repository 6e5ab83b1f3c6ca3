// `pydock job ...` as users run it: the package's bin on real containers, its output, exit codes and run folders.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { JobRecord } from '../../extension/engine/jobs/jobTypes';
import { buildCli, runCli, runCliAsync } from './cliSupport';
import { BARE_IMAGE, docker, tempWorkspace } from './helpers';
import { kubeCluster } from './kube/kubeCluster';
import { jobsLabelled } from './kube/kubeTools';

buildCli();

function workspace(files: Record<string, string>): string {
  const dir = tempWorkspace();
  fs.mkdirSync(path.join(dir, '.pydock'));
  fs.writeFileSync(path.join(dir, '.pydock', 'environment.json'), JSON.stringify({ image: BARE_IMAGE, env: { FROM_FILE: 'yes' } }));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const job = (dir: string, command: string, ...args: string[]) => runCli(['job', command, '--pull', 'never', ...args], { cwd: dir });
const record = (dir: string, id: string): JobRecord => JSON.parse(fs.readFileSync(path.join(dir, '.pydock', 'runs', id, 'run.json'), 'utf8'));
const containersOf = (id: string) => docker('ps', '-aq', '--filter', `label=pydock.job=${id}`);

describe('pydock job run', () => {
  it('streams the log while it runs, exits 0, and leaves the record, log and outputs in .pydock/runs/ID/', () => {
    const dir = workspace({ 'hello.py': 'import os, sys\nprint("hello", sys.argv[1:], os.environ["FROM_FILE"], os.environ["EXTRA"])\n' +
      'open("/outputs/out.txt", "w").write("x")\nimport pydock\npydock.progress(0.5, "half")\n' });
    const result = job(dir, 'run', '--name', 'greeting', '--env', 'EXTRA=given', 'hello.py', '--', 'a', '--b');
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, "hello ['a', '--b'] yes given\n");
    assert.match(result.stderr, /pydock: 50% half\n/);
    const id = /job (\S+) runs/.exec(result.stderr)![1];
    const run = record(dir, id);
    assert.deepEqual([run.status, run.name, run.exitCode, run.outputs.map((o) => o.path)], ['succeeded', 'greeting', 0, ['out.txt']]);
    assert.match(fs.readFileSync(path.join(dir, '.pydock', 'runs', id, 'log.txt'), 'utf8'), /Z out hello/);
    assert.equal(containersOf(id), '');
  });

  it('exits 1 when the job fails, with its traceback on stderr; 2 for usage and environment errors', () => {
    const dir = workspace({ 'fail.py': '1/0\n' });
    const failed = job(dir, 'run', 'fail.py');
    assert.equal(failed.status, 1);
    assert.match(failed.stderr, /ZeroDivisionError/);
    assert.match(failed.stderr, /failed in [\d.]+ s: exited with code 1/);
    assert.equal(job(dir, 'run', '/etc/hostname').status, 2, 'a file outside the workspace');
    assert.equal(job(dir, 'run', 'fail.py', '--cpus', 'x').status, 2);
    fs.writeFileSync(path.join(dir, '.pydock', 'environment.json'), JSON.stringify({ image: 'pydock-test/no-such-image:1' }));
    const missing = job(dir, 'run', 'fail.py');
    assert.equal(missing.status, 2, missing.stderr);
    assert.match(missing.stderr, /did not start: .*no-such-image/);
  });

  it('--cpus and --memory are the container\'s limits', () => {
    const dir = workspace({ 'limits.py': 'import os\np = next(p for p in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes") if os.path.exists(p))\n' +
      'print(open(p).read().strip())\nq = "/sys/fs/cgroup/cpu/cpu.cfs_quota_us"\nprint(open(q).read().strip() if os.path.exists(q) else open("/sys/fs/cgroup/cpu.max").read().split()[0])\n' });
    const result = job(dir, 'run', '--cpus', '0.5', '--memory', '300m', 'limits.py');
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, `${300 * 2 ** 20}\n50000\n`);
  });
});

describe('pydock job --detach, list, logs, wait, cancel, rm', () => {
  it('--detach prints the id last; wait, logs and list find the job from other processes', () => {
    const dir = workspace({ 'slow.py': 'import time\nprint("start", flush=True)\ntime.sleep(1)\nprint("end")\n' });
    const started = job(dir, 'run', '--detach', 'slow.py');
    assert.equal(started.status, 0, started.stderr);
    const id = started.stdout.trim().split('\n').pop()!;
    assert.match(id, /^\d{8}-\d{6}-[0-9a-f]{6}$/);
    const waited = job(dir, 'wait', id);
    assert.equal(waited.status, 0, waited.stderr);
    assert.match(waited.stderr, /succeeded/);
    assert.equal(job(dir, 'logs', id).stdout, 'start\nend\n');
    const listed = JSON.parse(job(dir, 'list', '--json').stdout) as JobRecord[];
    assert.deepEqual(listed.map((r) => [r.id, r.status]), [[id, 'succeeded']]);
    assert.match(job(dir, 'list').stdout, new RegExp(`^ID +STATUS +NAME +TIME\\n${id} +succeeded +slow\\.py +\\d`));
  });

  it('a detached job that ended with no process watching is collected by the next list; cancel and rm', () => {
    const dir = workspace({ 'quick.py': 'open("/outputs/a", "w").write("a")\n', 'long.py': 'import time\ntime.sleep(60)\n' });
    const quick = job(dir, 'run', '--detach', 'quick.py').stdout.trim().split('\n').pop()!;
    docker('wait', containersOf(quick));
    assert.equal(record(dir, quick).status, 'running');
    job(dir, 'list');
    assert.deepEqual([record(dir, quick).status, record(dir, quick).outputs.map((o) => o.path)], ['succeeded', ['a']]);
    const long = job(dir, 'run', '--detach', 'long.py').stdout.trim().split('\n').pop()!;
    const cancelled = job(dir, 'cancel', long);
    assert.equal(cancelled.status, 0, cancelled.stderr);
    assert.equal(record(dir, long).status, 'cancelled');
    assert.equal(containersOf(long), '');
    assert.equal(job(dir, 'wait', long).status, 1, 'waiting on a cancelled job: it did not succeed');
    assert.equal(job(dir, 'rm', long).status, 0);
    assert.equal(fs.existsSync(path.join(dir, '.pydock', 'runs', long)), false);
    assert.equal(job(dir, 'logs', long).status, 2, 'no such job any more');
  });
});

describe('pydock job --backend kubernetes', () => {
  it('runs a Kubernetes Job: streams its log, exits 0 with the same record and outputs; a detached one is waited on and its log read by other processes', async () => {
    await kubeCluster();
    const dir = workspace({ 'hello.py': 'import os, sys\nprint("hello", sys.argv[1:], os.environ["FROM_FILE"])\nopen("/outputs/out.txt", "w").write("x")\n' });
    const kube = (command: string, ...args: string[]) => runCliAsync(['job', command, '--backend', 'kubernetes', '--pull', 'never', ...args], { cwd: dir });
    const result = await kube('run', 'hello.py', '--', 'a');
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, "hello ['a'] yes\n");
    const id = /job (\S+) runs/.exec(result.stderr)![1];
    assert.deepEqual([record(dir, id).status, record(dir, id).outputs.map((o) => o.path)], ['succeeded', ['out.txt']]);
    assert.deepEqual(await jobsLabelled(`pydock.job=${id}`), [], 'the Job is deleted once collected');
    const detached = (await kube('run', '--detach', 'hello.py')).stdout.trim().split('\n').pop()!;
    const waited = await kube('wait', detached);
    assert.equal(waited.status, 0, waited.stderr);
    assert.equal((await kube('logs', detached)).stdout, "hello [] yes\n");
    assert.equal((await runCliAsync(['job', 'run', '--backend', 'podman', 'hello.py'], { cwd: dir })).status, 2, 'only docker or kubernetes');
  });
});
