// What kubectl would do in the tests, through client-node on whatever KUBECONFIG names (the stand-in or a real cluster).
import { BatchV1Api, CoreV1Api, KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { labelValue } from '../../../extension/engine/kubernetes/podSpec';

function cluster(): { config: KubeConfig; core: CoreV1Api; namespace: string } {
  const config = new KubeConfig();
  config.loadFromDefault();
  return { config, core: config.makeApiClient(CoreV1Api), namespace: config.getContextObject(config.getCurrentContext())?.namespace || 'default' };
}

/** Names of the pods, in any phase, of a pydock.session label ("kubectl get pods -l pydock.session=..."). */
export async function podsLabelled(sessionLabel: string): Promise<string[]> {
  const { core, namespace } = cluster();
  const pods = await core.listNamespacedPod({ namespace, labelSelector: `pydock.session=${labelValue(sessionLabel)}` });
  return pods.items.map((pod) => pod.metadata!.name!);
}

/** "kubectl delete pod NAME --grace-period=0". */
export async function deletePod(name: string): Promise<void> {
  const { core, namespace } = cluster();
  await core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 });
}

/** Names of the Jobs of a label selector ("kubectl get jobs -l ..."). */
export async function jobsLabelled(labelSelector: string): Promise<string[]> {
  const { config, namespace } = cluster();
  const jobs = await config.makeApiClient(BatchV1Api).listNamespacedJob({ namespace, labelSelector });
  return jobs.items.map((job) => job.metadata!.name!);
}

/** "kubectl delete jobs -l ..." (their pods go too). */
export async function deleteJobs(labelSelector: string): Promise<void> {
  const { config, namespace } = cluster();
  const batch = config.makeApiClient(BatchV1Api);
  for (const name of await jobsLabelled(labelSelector)) await batch.deleteNamespacedJob({ name, namespace, propagationPolicy: 'Background' }).catch(() => undefined);
}

/** The pod of a pydock job ("kubectl get pod -l pydock.job=ID -o yaml"). */
export async function podOfJob(jobId: string): Promise<V1Pod | undefined> {
  const { core, namespace } = cluster();
  return (await core.listNamespacedPod({ namespace, labelSelector: `pydock.job=${jobId}` })).items[0];
}
