// Jobs on Kubernetes beyond the shared job suite, through the stand-in API server: a job out of memory, a job whose pod
// is deleted (recorded lost, its Job failed), and a Job the cluster ended removed after ttlSecondsAfterFinished.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BatchV1Api, KubeConfig, Watch, type V1Job, type V1Pod } from '@kubernetes/client-node';
import { agentBundle } from '../../extension/engine/launch/agentBundle';
import { folderEnvironment } from '../../extension/engine/launch/environmentFile';
import { jobLaunchSpec } from '../../extension/engine/jobs/jobContainer';
import { Jobs } from '../../extension/engine/jobs/jobs';
import { agentConfigMap } from '../../extension/engine/kubernetes/agentConfigMap';
import { jobManifest } from '../../extension/engine/kubernetes/jobManifest';
import { KubernetesBackend } from '../../extension/engine/kubernetes/kubernetesBackend';
import { labelValue } from '../../extension/engine/kubernetes/podSpec';
import { BARE_IMAGE, connectTarget, requireImages, tempWorkspace, testLog, waitFor } from './helpers';
import { kubeCluster } from './kube/kubeCluster';
import type { KubeStandIn } from './kube/standIn';
import { deleteJobs, deletePod, podOfJob } from './kube/kubeTools';

before(async () => {
  requireImages();
  await kubeCluster();
});

function workspace(files: Record<string, string>): string {
  const dir = tempWorkspace();
  fs.mkdirSync(path.join(dir, '.pydock'));
  fs.writeFileSync(path.join(dir, '.pydock', 'environment.json'), JSON.stringify({ image: BARE_IMAGE, memory: '128m' }));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

function jobsOf(dir: string): Jobs {
  const jobs = new Jobs({ workspace: dir, backend: () => connectTarget({ backend: 'kubernetes' }), environment: () => folderEnvironment(dir).launch, pull: 'never', log: testLog });
  after(async () => {
    jobs.dispose();
    await deleteJobs(`pydock.workspace=${labelValue(dir)}`);
  });
  return jobs;
}

function batch(): { batch: BatchV1Api; config: KubeConfig; namespace: string } {
  const config = new KubeConfig();
  config.loadFromDefault();
  return { batch: config.makeApiClient(BatchV1Api), config, namespace: config.getContextObject(config.getCurrentContext())?.namespace || 'default' };
}

describe('jobs on kubernetes: the cluster\'s own ends', () => {
  /** Submits a job whose pod the stand-in holds unschedulable; resolves once the queued job says so. */
  async function heldPending(standIn: KubeStandIn): Promise<{ jobs: Jobs; id: string }> {
    standIn.faults.holdPending = true;
    const jobs = jobsOf(workspace({ 'quick.py': 'print("ran")\n' }));
    const said: string[] = [];
    jobs.onDidChange((record) => { if (record.status === 'queued' && record.starting) said.push(record.starting); });
    const { id } = jobs.submit({ target: { kind: 'file', file: 'quick.py', args: [] } });
    await waitFor(() => said.some((s) => /pod pending: Unschedulable/.test(s)), 60_000, 'the queued job to say its pod is unschedulable');
    return { jobs, id };
  }

  it('a job whose pod waits for a node says why while it is queued, and runs once one comes', async (t) => {
    const standIn = await kubeCluster();
    if (!standIn) return t.skip('a real cluster schedules as it will');
    try {
      const { jobs, id } = await heldPending(standIn);
      assert.match(jobs.record(id)?.starting ?? '', /^pod pending: Unschedulable \(0\/1 nodes are available: 1 Insufficient nvidia\.com\/gpu/);
      standIn.faults.holdPending = false;
      standIn.release();
      const record = await jobs.wait(id);
      assert.deepEqual([record.status, record.starting], ['succeeded', undefined]);
    } finally {
      standIn.faults.holdPending = false;
    }
  });

  it('a job cancelled while its pod waits for a node: cancelled, and what its start was doing is not saved', async (t) => {
    const standIn = await kubeCluster();
    if (!standIn) return t.skip('a real cluster schedules as it will');
    try {
      const { jobs, id } = await heldPending(standIn);
      const record = await jobs.cancel(id);
      assert.deepEqual([record.status, record.starting], ['cancelled', undefined]);
      const saved = JSON.parse(fs.readFileSync(path.join(jobs.folder.absolute(id), 'run.json'), 'utf8'));
      assert.deepEqual([saved.status, 'starting' in saved], ['cancelled', false]);
      // The start, still waiting for the pod, then fails: the cancelled record must stay as it was.
      const deadline = Date.now() + 3_000;
      while (Date.now() < deadline) {
        assert.deepEqual(jobs.record(id), record, 'the cancelled record changed');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      standIn.faults.holdPending = false;
    }
  });

  it('a job over its memory limit: the kubelet\'s OOMKilled becomes "ran out of memory", with what it printed and wrote', async () => {
    const dir = workspace({ 'hog.py': 'open("/outputs/before", "w").write("x")\nprint("allocating", flush=True)\nx = bytearray(1 << 30)\n' });
    const jobs = jobsOf(dir);
    const record = await jobs.wait(jobs.submit({ target: { kind: 'file', file: 'hog.py', args: [] }, resources: { memoryBytes: 64 * 2 ** 20 } }).id);
    assert.equal(record.status, 'failed');
    assert.match(record.error ?? '', /ran out of memory \(the limit is 67108864 bytes\)/);
    assert.deepEqual(record.outputs.map((o) => o.path), ['before']);
  });

  it('a job whose pod is deleted (kubectl delete pod) is recorded lost; its Job is failed, as backoffLimit 0 says', async () => {
    const dir = workspace({ 'long.py': 'import time\nprint("up", flush=True)\ntime.sleep(60)\n' });
    const jobs = jobsOf(dir);
    const job = jobs.submit({ target: { kind: 'file', file: 'long.py', args: [] } });
    for await (const _ of jobs.logs(job.id, { follow: true })) break; // it runs
    const waited = jobs.wait(job.id);
    await deletePod((await podOfJob(job.id))!.metadata!.name!);
    const record = await waited;
    assert.deepEqual([record.status, record.error], ['lost', 'its pod is gone (deleted or evicted): the cluster ended it']);
    const { batch: api, namespace } = batch();
    const [failed] = (await api.listNamespacedJob({ namespace, labelSelector: `pydock.job=${job.id}` })).items;
    assert.equal(failed.status?.conditions?.find((c) => c.type === 'Failed')?.status, 'True');
  });

  it('a Job the cluster ended is removed after its ttlSecondsAfterFinished, as the TTL controller does', async () => {
    const { batch: api, config, namespace } = batch();
    const id = `ttl-${process.pid}`;
    const spec = jobLaunchSpec({ image: BARE_IMAGE, workspaceReadOnly: true, env: {}, agent: agentBundle() }, id, {
      target: { kind: 'file', file: 'none.py', args: [] } });
    const agent = agentConfigMap(agentBundle(), namespace);
    const backend = await connectTarget({ backend: 'kubernetes' });
    assert.ok(backend instanceof KubernetesBackend);
    await backend.stage(spec); // the agent's ConfigMap
    const body = jobManifest(spec, id, { target: { kind: 'file', file: 'none.py', args: [] } }, { namespace, owner: 'test:1', agent, ttlSecondsAfterFinished: 1 });
    const events: string[] = [];
    const gone = new Promise<void>((resolve) => {
      void new Watch(config).watch(`/apis/batch/v1/namespaces/${namespace}/jobs`, { labelSelector: `pydock.job=${id}` }, (type: string, job: V1Job) => {
        events.push(`${type} ${job.status?.conditions?.map((c) => c.type).join(',') ?? ''}`.trim());
        if (type === 'DELETED') resolve();
      }, () => undefined).then((watch) => after(() => watch.abort()));
    });
    const made = new Promise<string>((resolve) => { // the controller makes the pod
      void new Watch(config).watch(`/api/v1/namespaces/${namespace}/pods`, { labelSelector: `pydock.job=${id}` }, (type: string, pod: V1Pod) => {
        if (type === 'ADDED' || type === 'MODIFIED') resolve(pod.metadata!.name!);
      }, () => undefined).then((watch) => after(() => watch.abort()));
    });
    await api.createNamespacedJob({ namespace, body });
    await deletePod(await made);
    await gone;
    assert.ok(events.some((e) => e.startsWith('MODIFIED Failed')), events.join('; '));
  });
});
