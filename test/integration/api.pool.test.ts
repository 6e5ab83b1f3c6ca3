// pool(): 4 supervised workers: order kept over 1,000 items, workers killed mid-map, items that crash or raise; on Docker
// containers and on Kubernetes pods (through the stand-in API server, or a real cluster).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PoolItemError, PythonError, type Pool, type PyOptions, type Value } from '../../extension/api';
import { FULL_IMAGE, docker, requireImages, waitFor } from './helpers';
import { apiOn, containerOf, containersLabelled } from './apiSupport';
import { REAL_CLUSTER, kubeCluster } from './kube/kubeCluster';
import { deletePod, podsLabelled } from './kube/kubeTools';

before(requireImages);

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** A file all workers see: item 50 kills the first worker that meets it, and its retry finds the file and lives. */
const FLAG = `died-${randomBytes(4).toString('hex')}`;
const flags = fs.mkdtempSync(path.join(os.tmpdir(), 'pydock-flags-'));
fs.chmodSync(flags, 0o777);
after(() => fs.rmSync(flags, { recursive: true, force: true }));
/** Kubernetes workers share a claim (on the stand-in a Docker volume; scripts/k8s-conformance.sh creates one on a cluster). */
const CLAIM = process.env.PYDOCK_K8S_CLAIM ?? `pydock-flags-${randomBytes(4).toString('hex')}`;
after(() => { if (!REAL_CLUSTER) try { docker('volume', 'rm', '-f', `pydock-standin-pvc-${CLAIM}`); } catch { /* never made */ } });

interface PoolTarget {
  name: string;
  options: PyOptions;
  /** Where the workers see the flag's folder. */
  flagDir: string;
  /** Removes a worker's container or pod from outside, as docker rm -f or kubectl delete pod do. */
  remove(id: string): Promise<unknown>;
  /** The containers or pods of a session label that still exist. */
  left(label: string): Promise<string[]>;
  setUp?(): Promise<unknown>;
}

const TARGETS: PoolTarget[] = [
  { name: 'docker', options: { backend: 'docker', mounts: [{ source: flags, target: '/flags' }] }, flagDir: '/flags',
    remove: async (id) => docker('rm', '-f', id), left: async (label) => containersLabelled(label) },
  { name: 'kubernetes', options: { backend: 'kubernetes', kubernetes: { workspaceClaim: CLAIM } }, flagDir: '/workspace',
    remove: deletePod, left: podsLabelled, setUp: kubeCluster },
];

for (const target of TARGETS) {
describe(`pool on ${target.name}`, () => {
  const api = apiOn(FULL_IMAGE, target.options);
  const flag = `${target.flagDir}/${FLAG}`;
  let inits = 0;
  let pool!: Pool;
  before(async () => {
    await target.setUp?.(); // a pool starts its workers when it is made: the cluster must be there first
    pool = newPool();
  });
  const newPool = () => api.pool({
    size: 4,
    name: 'pool-test',
    init: (worker) => {
      inits++;
      return worker.exec([
        'import os, socket, time',
        'def once_fatal(x):', // the first worker to meet item 50 dies; the retry finds the flag and lives
        `    if x == 50 and not os.path.exists("${flag}"):`,
        `        open("${flag}", "w").close()`,
        '        os._exit(1)',
        '    return x + 1000',
      ].join('\n'));
    },
  });

  it('starts 4 workers, each in its own container, each with its init run', async () => {
    await pool.start();
    assert.equal(pool.workers.length, 4);
    assert.equal(new Set(pool.workers.map(containerOf)).size, 4);
    assert.equal(inits, 4);
  });

  it('maps over 1,000 items in order, spread over every worker', async () => {
    const results = await pool.map('lambda x: [x * x, socket.gethostname()]', range(1000)) as [number, string][];
    assert.deepEqual(results.map(([square]) => square), range(1000).map((x) => x * x));
    assert.equal(new Set(results.map(([, host]) => host)).size, 4, 'every worker took items');
  });

  it('completes a map when a worker is removed with docker rm -f (kubectl delete pod) in the middle, and restarts it with its init', async () => {
    const victim = pool.workers[1];
    const before = containerOf(victim);
    const initsBefore = inits;
    let done = false;
    const mapping = pool.map('lambda x: (time.sleep(0.005), x * 2)[1]', range(600)).finally(() => { done = true; });
    await waitFor(() => victim.engine.state === 'busy', 10_000, 'the victim to be working');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(done, false, 'the map was still running when the worker was removed');
    await target.remove(before);
    assert.deepEqual(await mapping, range(600).map((x) => x * 2));
    await waitFor(() => victim.engine.state === 'idle', 30_000, 'the victim to be restarted');
    assert.notEqual(containerOf(victim), before, 'a new container');
    assert.equal(inits, initsBefore + 1, 'its init ran again');
    assert.equal(await victim.eval('once_fatal(1)'), 1001, 'and prepared the new process');
  });

  it('retries an item whose worker died under it, once', async () => {
    assert.deepEqual(await pool.map('once_fatal', range(100)), range(100).map((x) => x + 1000));
    assert.equal(await pool.workers[0].eval(`__import__("os").path.exists("${flag}")`), true, 'item 50 did kill a worker the first time');
  });

  it('fails an item that kills its worker twice, with the cause, and the pool goes on', async () => {
    const error = await pool.map('lambda x: os._exit(3) if x == 5 else x', range(20)).then(() => assert.fail('expected a failure'), (e) => e);
    assert.ok(error instanceof PoolItemError, `expected a PoolItemError, got ${error}`);
    assert.deepEqual([error.index, error.item, error.code], [5, 5, 'exited']);
    assert.match(error.message, /^pool\.map item 5 failed: The Python process exited with code 3/);
    assert.deepEqual(await pool.map('lambda x: 10 - x', range(10)), range(10).map((x) => 10 - x));
  });

  it('fails at an item that raises, naming it, without retrying it', async () => {
    await pool.map('lambda x: x', [0]);
    const error = await pool.map('lambda x: 1 // (x - 7)', range(10)).then(() => assert.fail('expected a failure'), (e) => e);
    assert.ok(error instanceof PoolItemError && error.cause instanceof PythonError);
    assert.equal(error.index, 7);
    assert.equal((error.cause as PythonError).type, 'ZeroDivisionError');
  });

  it('passes any value as an item, and an empty list maps to an empty list', async () => {
    const items: Value[] = [null, 'text', [1, 2], { a: 1 }, 2n ** 70n];
    assert.deepEqual(await pool.map('lambda x: x', items), items);
    assert.deepEqual(await pool.map('lambda x: x', []), []);
  });

  it('closes: every worker container is removed', async () => {
    await pool.close();
    for (const worker of pool.workers) {
      const label = worker.label;
      assert.deepEqual(await gone(() => target.left(label)), [], `${label} is gone`);
    }
    await assert.rejects(pool.map('str', [1]), /closed/);
  });
});
}

/** The list once it is empty, or as it is after 30 s: a deleted pod may show as Terminating for a moment. */
async function gone(list: () => Promise<string[]>): Promise<string[]> {
  const deadline = Date.now() + 30_000;
  let left = await list();
  while (left.length && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    left = await list();
  }
  return left;
}
