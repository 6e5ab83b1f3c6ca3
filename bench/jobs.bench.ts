// Issue 14 figures: a job's overhead (wall time minus the script's own) against `docker run --rm` of the same image,
// and 10 one-second jobs with maxParallel 2 against the ideal of 5 s.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connectBackend } from '../extension/engine/launch/backends';
import { folderEnvironment } from '../extension/engine/launch/environmentFile';
import { silentLogger } from '../extension/engine/log';
import { Jobs } from '../extension/engine/jobs/jobs';
import { BENCH_IMAGE } from './session.bench';
import { percentile, round } from './stats';

const OVERHEAD_RUNS = 20;
const PARALLEL_JOBS = 10;
/** The script times itself and leaves the figure among its outputs. */
const TRIVIAL = 'import time\nt = time.perf_counter()\nx = sum(range(1000))\nopen("/outputs/own_ms", "w").write(str((time.perf_counter() - t) * 1000))\n';

export async function benchJobFigures(): Promise<Record<string, number>> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'pydock-bench-jobs-'));
  fs.mkdirSync(path.join(workspace, '.pydock'));
  fs.writeFileSync(path.join(workspace, '.pydock', 'environment.json'), JSON.stringify({ image: BENCH_IMAGE }));
  fs.writeFileSync(path.join(workspace, 'trivial.py'), TRIVIAL);
  fs.writeFileSync(path.join(workspace, 'second.py'), 'import time\ntime.sleep(1)\n');
  const backend = connectBackend({ choice: 'docker', log: silentLogger });
  const jobsWith = (maxParallel: number) => new Jobs({ workspace, maxParallel, pull: 'never', log: silentLogger, backend: () => backend, environment: () => folderEnvironment(workspace).launch });
  try {
    // Job and peer alternate, so that both see the same load; each run's first is a warm-up (the job image is made,
    // the agent bundle packed, the daemon's caches filled).
    const one = jobsWith(1);
    const overheads: number[] = [];
    const dockerRuns: number[] = [];
    const peerOutputs = fs.mkdtempSync(path.join(os.tmpdir(), 'pydock-bench-peer-'));
    try {
      for (let i = 0; i <= OVERHEAD_RUNS; i++) {
        const start = performance.now();
        const record = await one.wait(one.submit({ target: { kind: 'file', file: 'trivial.py', args: [] } }).id);
        const wall = performance.now() - start;
        if (record.status !== 'succeeded') throw new Error(`jobs bench: the trivial job ${record.status}: ${record.error}`);
        const own = Number(fs.readFileSync(path.join(workspace, '.pydock', 'runs', record.id, 'outputs', 'own_ms'), 'utf8'));
        const peer = dockerRunOverhead(workspace, peerOutputs);
        if (i > 0) {
          overheads.push(wall - own);
          dockerRuns.push(peer);
        }
      }
    } finally {
      one.dispose();
      fs.rmSync(peerOutputs, { recursive: true, force: true });
    }
    const two = jobsWith(2);
    const start = performance.now();
    const ids = Array.from({ length: PARALLEL_JOBS }, () => two.submit({ target: { kind: 'file', file: 'second.py', args: [] } }).id);
    const records = await Promise.all(ids.map((id) => two.wait(id)));
    const parallel = performance.now() - start;
    two.dispose();
    if (records.some((r) => r.status !== 'succeeded')) throw new Error('jobs bench: a one-second job did not succeed');
    const overhead = percentile(overheads, 50);
    const dockerRun = percentile(dockerRuns, 50);
    return {
      job_overhead_ms: round(overhead, 1),
      job_overhead_p95_ms: round(percentile(overheads, 95), 1),
      docker_run_rm_ms: round(dockerRun, 1),
      docker_run_rm_p95_ms: round(percentile(dockerRuns, 95), 1),
      job_overhead_vs_docker_run: round(overhead / dockerRun, 2),
      jobs_parallel_ms: round(parallel, 0),
      jobs_parallel_vs_ideal: round(parallel / ((PARALLEL_JOBS / 2) * 1000), 2),
    };
  } finally {
    const left = execFileSync('docker', ['ps', '-aq', '--filter', `label=pydock.workspace=${workspace}`], { encoding: 'utf8' }).trim();
    if (left) execFileSync('docker', ['rm', '-f', ...left.split('\n')]);
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

/**
 * The peer: the same script file of the same image through the docker CLI, as a job runs it (the workspace mounted
 * read-only at /workspace, an init process, /outputs to write to: here a host folder, which needs no collecting),
 * wall time minus the script's own time.
 */
function dockerRunOverhead(workspace: string, outputs: string): number {
  const start = performance.now();
  execFileSync('docker', ['run', '--rm', '--init', '-v', `${workspace}:/workspace:ro`, '-v', `${outputs}:/outputs`, '-w', '/workspace',
    BENCH_IMAGE, 'python3', '/workspace/trivial.py']);
  const wall = performance.now() - start;
  return wall - Number(fs.readFileSync(path.join(outputs, 'own_ms'), 'utf8'));
}
